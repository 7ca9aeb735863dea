-- Risk per owner for the filtered integrations, the $top highest owners and the rest as "(others)"; shares are of the whole catalogue's risk (the Risk page's bar chart).
WITH o AS (
    SELECT *, row_number() OVER (ORDER BY risk_score DESC, integrations DESC, owner) AS rank
    FROM ({{owner_risk}})
)
SELECT CASE WHEN rank <= $top THEN owner ELSE '(others)' END AS owner,
       sum(integrations)::BIGINT AS integrations,
       sum(high_criticality)::BIGINT AS high_criticality,
       sum(risk_score)::BIGINT AS risk_score,
       sum(risk_share) AS risk_share,
       sum(high_criticality_share) AS high_criticality_share,
       min(least(rank, $top + 1)) AS rank
FROM o
GROUP BY 1
ORDER BY rank;

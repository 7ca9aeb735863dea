-- Risk per owner for the filtered integrations; shares are of the whole catalogue's risk and high-criticality count.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
totals AS (
    SELECT sum(risk_score) AS risk, count(*) FILTER (WHERE criticality = 'high') AS high
    FROM integration_risk
)
SELECT coalesce(r.owner, '(no owner)') AS owner,
       count(*) AS integrations,
       count(*) FILTER (WHERE r.criticality = 'high') AS high_criticality,
       sum(r.risk_score)::BIGINT AS risk_score,
       coalesce(sum(r.risk_score) / nullif(any_value(t.risk), 0), 0) AS risk_share,
       coalesce(count(*) FILTER (WHERE r.criticality = 'high') / nullif(any_value(t.high), 0), 0) AS high_criticality_share
FROM integration_risk r JOIN f ON f.id = r.integration_id, totals t
GROUP BY 1
ORDER BY risk_score DESC, integrations DESC, owner;

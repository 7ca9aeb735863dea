-- Risk concentration per owner: integrations, high-criticality count, risk score and share of the total.
WITH per_owner AS (
    SELECT owner,
           count(*) AS integrations,
           count(*) FILTER (WHERE criticality = 'high') AS high_criticality,
           sum(risk_score) AS risk_score
    FROM integration_risk
    GROUP BY owner
),
total AS (SELECT sum(risk_score) AS total FROM integration_risk)
SELECT owner, integrations, high_criticality, risk_score::BIGINT AS risk_score,
       CASE WHEN total.total > 0 THEN risk_score / total.total ELSE 0.0 END AS risk_share
FROM per_owner, total
ORDER BY risk_score DESC, integrations DESC, owner NULLS LAST;

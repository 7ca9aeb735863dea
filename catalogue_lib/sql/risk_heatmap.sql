-- Criticality-weighted risk score per owner and risk category for the filtered active integrations.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT coalesce(f.owner, '(no owner)') AS owner, k.category,
       count(*) AS risks,
       sum(risk_points(k.likelihood, k.impact) * level_weight(f.criticality))::BIGINT AS risk_score
FROM risks k
JOIN f ON f.id = k.integration_id
GROUP BY ALL
ORDER BY owner, k.category;

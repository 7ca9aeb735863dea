-- Criticality-weighted risk score per owner and risk category for the filtered active integrations.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
w(level, weight) AS (VALUES ('high', 3), ('medium', 2), ('low', 1))
SELECT coalesce(f.owner, '(no owner)') AS owner, k.category,
       count(*) AS risks,
       sum(coalesce(wl.weight, 2) * coalesce(wi.weight, 2) * coalesce(wc.weight, 2))::BIGINT AS risk_score
FROM risks k
JOIN f ON f.id = k.integration_id
LEFT JOIN w wl ON wl.level = k.likelihood
LEFT JOIN w wi ON wi.level = k.impact
LEFT JOIN w wc ON wc.level = f.criticality
GROUP BY ALL
ORDER BY owner, k.category;

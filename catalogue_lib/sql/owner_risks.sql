-- Every risk of the filtered active integrations with its likelihood x impact score, highest first.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT f.id AS integration_id, f.name, k.category, k.summary,
       coalesce(k.likelihood, 'unknown') AS likelihood, coalesce(k.impact, 'unknown') AS impact,
       risk_points(k.likelihood, k.impact) AS score
FROM risks k
JOIN f ON f.id = k.integration_id
ORDER BY score DESC, f.name, k.position;

-- Every risk of the filtered active integrations with its likelihood x impact score, highest first.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
w(level, weight) AS (VALUES ('high', 3), ('medium', 2), ('low', 1))
SELECT f.id AS integration_id, f.name, k.category, k.summary,
       coalesce(k.likelihood, 'unknown') AS likelihood, coalesce(k.impact, 'unknown') AS impact,
       coalesce(wl.weight, 2) * coalesce(wi.weight, 2) AS score
FROM risks k
JOIN f ON f.id = k.integration_id
LEFT JOIN w wl ON wl.level = k.likelihood
LEFT JOIN w wi ON wi.level = k.impact
ORDER BY score DESC, f.name, k.position;

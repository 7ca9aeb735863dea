-- One integration's risks with their likelihood x impact score (unknown = medium).
WITH w(level, weight) AS (VALUES ('high', 3), ('medium', 2), ('low', 1))
SELECT k.category, k.summary, coalesce(k.likelihood, 'unknown') AS likelihood,
       coalesce(k.impact, 'unknown') AS impact,
       coalesce(wl.weight, 2) * coalesce(wi.weight, 2) AS score
FROM risks k
LEFT JOIN w wl ON wl.level = k.likelihood
LEFT JOIN w wi ON wi.level = k.impact
WHERE k.integration_id = $id
ORDER BY score DESC, k.position;

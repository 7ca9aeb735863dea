-- One integration's risks with their likelihood x impact score (unknown = medium).
SELECT k.category, k.summary, coalesce(k.likelihood, 'unknown') AS likelihood,
       coalesce(k.impact, 'unknown') AS impact,
       risk_points(k.likelihood, k.impact) AS score
FROM risks k
WHERE k.integration_id = $id
ORDER BY score DESC, k.position;

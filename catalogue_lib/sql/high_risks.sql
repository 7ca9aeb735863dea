-- The high risks (likelihood x impact of 6 or more) of the filtered active integrations, highest first: the rows behind the "High risks" figure.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT f.name, k.category, k.summary,
       coalesce(k.likelihood, 'unknown') AS likelihood, coalesce(k.impact, 'unknown') AS impact,
       risk_points(k.likelihood, k.impact) AS score,
       coalesce(f.owner, '(no owner)') AS owner, criticality_shown(f.criticality, f.id) AS criticality,
       f.id AS integration_id
FROM risks k JOIN f ON f.id = k.integration_id
WHERE risk_points(k.likelihood, k.impact) >= 6
ORDER BY score DESC, level_weight(f.criticality) DESC, f.name, k.position;

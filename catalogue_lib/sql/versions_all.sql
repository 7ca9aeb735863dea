-- Every version of the filtered active integrations, by integration name, with days to sunset as of $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT f.id AS integration_id, f.name, coalesce(f.owner, '(no owner)') AS owner, f.type,
       v.version, v.status, v.released_on, v.deprecated_on, v.sunset_on,
       v.sunset_on - $as_of::DATE AS days_left
FROM versions v JOIN f ON f.id = v.integration_id
ORDER BY f.name, v.position;

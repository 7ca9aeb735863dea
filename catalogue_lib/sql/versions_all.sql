-- Every version of the filtered active integrations, by integration name, with days to sunset as of $as_of (approximate dates as written, derived sunsets marked).
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT f.id AS integration_id, f.name, coalesce(f.owner, '(no owner)') AS owner, f.type,
       v.version, v.status,
       coalesce(v.released_written || ' (approximate)', strftime(v.released_on, '%Y-%m-%d')) AS released_on,
       coalesce(v.deprecated_written || ' (approximate)', strftime(v.deprecated_on, '%Y-%m-%d')) AS deprecated_on,
       coalesce(v.sunset_written || ' (approximate)', strftime(v.sunset_on, '%Y-%m-%d'))
         || CASE WHEN v.sunset_derived THEN ' (derived)' ELSE '' END AS sunset_on,
       v.sunset_on - $as_of::DATE AS days_left, v.on_sunset
FROM versions v JOIN f ON f.id = v.integration_id
ORDER BY f.name, v.position;

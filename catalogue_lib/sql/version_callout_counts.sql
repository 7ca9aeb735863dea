-- Counts behind the Versions page: integrations with no current version, with more than two live versions, versions past their sunset and not retired.
WITH c AS ({{version_callouts}}),
f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT (SELECT count(*) FROM c) AS integrations,
       (SELECT count(*) FROM c WHERE c.no_current) AS no_current,
       (SELECT count(*) FROM c WHERE c.too_many) AS too_many,
       (SELECT count(*) FROM versions v JOIN f ON f.id = v.integration_id
        WHERE v.status <> 'retired' AND v.sunset_on < $as_of::DATE) AS past_sunset;

-- Active integrations per scorecard level, grouped by $group (owner | type), as of $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT CASE $group WHEN 'owner' THEN coalesce(f.owner, '(no owner)') ELSE f.type END AS "group",
       coalesce(l.level_title, 'None') AS level,
       coalesce(l.level_position, -1) AS level_position,
       count(*) AS integrations
FROM f JOIN integration_levels($as_of) l ON l.integration_id = f.id
GROUP BY ALL
ORDER BY "group", level_position;

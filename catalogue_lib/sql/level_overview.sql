-- Active integrations per scorecard level (every level listed, 0 where none): all of them, then shops and carriers, as of $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
l AS (
    SELECT f.type, coalesce(l.level_position, -1) AS level_position
    FROM f JOIN integration_levels($as_of) l ON l.integration_id = f.id
),
levels AS (
    SELECT 'No level' AS level, -1 AS level_position
    UNION ALL SELECT title, position FROM scorecard_levels
),
groups AS (
    SELECT * FROM (VALUES ('All active', NULL, 1), ('Shops', 'shop', 0), ('Carriers', 'carrier', 0)) g("group", type, is_total)
)
SELECT g."group", g.is_total, lv.level, lv.level_position,
       (SELECT count(*) FROM l WHERE l.level_position = lv.level_position
                                 AND (g.type IS NULL OR l.type = g.type)) AS integrations
FROM groups g CROSS JOIN levels lv
ORDER BY g.is_total DESC, g."group" DESC, lv.level_position;

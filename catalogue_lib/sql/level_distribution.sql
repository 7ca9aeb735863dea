-- Active integrations per scorecard level by owner (the $top owners with most integrations, the rest as "(others)") or by partner type ($group), as of $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
g AS (SELECT *, CASE $group WHEN 'owner' THEN coalesce(owner, '(no owner)') ELSE type END AS grp FROM f),
ranked AS (
    SELECT grp, row_number() OVER (ORDER BY count(*) DESC, grp) AS rank FROM g GROUP BY grp
)
SELECT CASE WHEN r.rank <= $top THEN g.grp ELSE '(others)' END AS "group",
       coalesce(l.level_title, 'No level') AS level,
       coalesce(l.level_position, -1) AS level_position,
       count(*) AS integrations,
       CASE WHEN r.rank <= $top THEN r.rank ELSE $top + 1 END AS rank
FROM g JOIN ranked r USING (grp) JOIN integration_levels($as_of) l ON l.integration_id = g.id
GROUP BY ALL
ORDER BY rank, level_position;

-- Share of applicable integrations passing each check, per $group (type | owner | level-free grouping).
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
r AS (
    SELECT CASE $group WHEN 'owner' THEN coalesce(f.owner, '(no owner)') ELSE f.type END AS grp,
           r.check_name, r.state
    FROM check_results($as_of) r JOIN f ON f.id = r.integration_id
)
SELECT r.grp AS "group", c.check_name, c.title, c.position,
       count(*) FILTER (WHERE state = 'pass') AS pass,
       count(*) FILTER (WHERE state = 'fail') AS fail,
       count(*) FILTER (WHERE state = 'unknown') AS unknown,
       count(*) FILTER (WHERE state = 'na') AS na,
       count(*) FILTER (WHERE state = 'pass') / nullif(count(*) FILTER (WHERE state <> 'na'), 0) AS share_passing
FROM r JOIN checks c USING (check_name)
GROUP BY r.grp, c.check_name, c.title, c.position
ORDER BY r.grp, c.position;

-- Share of applicable integrations passing each scorecard check per $group (type | owner; the $top owners with most gaps, the rest as "(others)"); waived is not passing.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
r AS (
    SELECT CASE $group WHEN 'owner' THEN coalesce(f.owner, '(no owner)') ELSE f.type END AS grp,
           r.check_name, r.title, r.position, r.final_state AS state
    FROM scorecard_results($as_of) r JOIN f ON f.id = r.integration_id
),
ranked AS (
    SELECT grp, row_number() OVER (ORDER BY count(*) FILTER (WHERE state IN ('fail', 'unknown')) DESC, grp) AS rank
    FROM r GROUP BY grp
)
SELECT CASE WHEN k.rank <= $top THEN r.grp ELSE '(others)' END AS "group",
       check_name, title, position,
       count(*) FILTER (WHERE state = 'pass') AS pass,
       count(*) FILTER (WHERE state = 'fail') AS fail,
       count(*) FILTER (WHERE state = 'unknown') AS unknown,
       count(*) FILTER (WHERE state = 'waived') AS waived,
       count(*) FILTER (WHERE state = 'na') AS na,
       count(*) FILTER (WHERE state = 'pass') / nullif(count(*) FILTER (WHERE state <> 'na'), 0) AS share_passing,
       min(least(k.rank, $top + 1)) AS rank
FROM r JOIN ranked k USING (grp)
GROUP BY 1, 2, 3, 4
ORDER BY rank, position;

-- Integrations with no current version, more than two live versions (not retired, not past sunset) or a version past its sunset and not retired, each issue named.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
per AS (
    SELECT f.id, f.name, coalesce(f.owner, '(no owner)') AS owner,
           count(v.version) AS versions,
           count(v.version) FILTER (WHERE v.status = 'current') AS current_versions,
           count(v.version) FILTER (WHERE v.status <> 'retired'
                                    AND (v.sunset_on IS NULL OR v.sunset_on >= $as_of::DATE)) AS live_versions,
           string_agg(v.version || ' (' || v.status || ')', ', ' ORDER BY v.position) AS listed,
           -- the sunset as every date shows (spec v1.1): as written and marked approximate, derived marked
           string_agg(v.version || ' past its sunset ('
                      || coalesce(v.sunset_written || ', approximate', strftime(v.sunset_on, '%Y-%m-%d'))
                      || CASE WHEN v.sunset_derived THEN ', derived' ELSE '' END || ')',
                      ', ' ORDER BY v.position)
               FILTER (WHERE v.status <> 'retired' AND v.sunset_on < $as_of::DATE) AS past
    FROM f LEFT JOIN versions v ON v.integration_id = f.id
    GROUP BY f.id, f.name, f.owner
)
SELECT id AS integration_id, name, owner,
       CASE WHEN versions = 0 THEN 'no versions listed'
            ELSE concat_ws(', ',
                           past,
                           CASE WHEN current_versions = 0 THEN 'no current version' END,
                           CASE WHEN live_versions > 2 THEN live_versions || ' live versions' END)
       END AS issue,
       listed AS versions,
       -- what the counts (version_callout_counts) count: the issue's text may lead with `past`
       versions > 0 AND current_versions = 0 AS no_current,
       live_versions > 2 AS too_many
FROM per
WHERE versions = 0 OR current_versions = 0 OR live_versions > 2 OR past IS NOT NULL
-- the most urgent first: a version past its sunset, then no current version, then too many live
ORDER BY CASE WHEN past IS NOT NULL THEN 0 WHEN versions > 0 AND current_versions = 0 THEN 1
              WHEN live_versions > 2 THEN 2 ELSE 3 END,
         name, id;

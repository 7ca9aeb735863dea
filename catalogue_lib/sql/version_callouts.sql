-- Integrations with no current version and/or more than two live versions (not retired, not past sunset), each issue named.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
per AS (
    SELECT f.id, f.name, coalesce(f.owner, '(no owner)') AS owner,
           count(v.version) AS versions,
           count(v.version) FILTER (WHERE v.status = 'current') AS current_versions,
           count(v.version) FILTER (WHERE v.status <> 'retired'
                                    AND (v.sunset_on IS NULL OR v.sunset_on >= $as_of::DATE)) AS live_versions,
           string_agg(v.version || ' (' || v.status || ')', ', ' ORDER BY v.position) AS listed
    FROM f LEFT JOIN versions v ON v.integration_id = f.id
    GROUP BY f.id, f.name, f.owner
)
SELECT id AS integration_id, name, owner,
       CASE WHEN versions = 0 THEN 'no versions listed'
            ELSE concat_ws(', ',
                           CASE WHEN current_versions = 0 THEN 'no current version' END,
                           CASE WHEN live_versions > 2 THEN live_versions || ' live versions' END)
       END AS issue,
       listed AS versions
FROM per
WHERE versions = 0 OR current_versions = 0 OR live_versions > 2
ORDER BY issue, name;

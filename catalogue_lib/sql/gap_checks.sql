-- Each scorecard check with its number of gaps (failing or unknown) among the filtered integrations as of $as_of, for the gaps table's picker.
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT r.check_name, any_value(r.title) || ' (' || count(*) || ')' AS label, count(*) AS gaps
FROM scorecard_results($as_of) r JOIN f ON f.id = r.integration_id
WHERE r.final_state IN ('fail', 'unknown')
GROUP BY r.check_name, r.position
ORDER BY r.position;

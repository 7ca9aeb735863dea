-- One integration's check results as of $as_of with titles and fixes (none when retired).
SELECT c.title AS "check", r.state, c.must_have, CASE WHEN r.state IN ('fail', 'unknown') THEN c.fix END AS fix
FROM check_results($as_of) r JOIN checks c USING (check_name)
WHERE r.integration_id = $id
ORDER BY c.position;

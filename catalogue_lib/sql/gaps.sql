-- Every failing or unknown check of the filtered integrations, most critical first, with what fixes it.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT f.id AS integration_id, f.name, coalesce(f.owner, '(no owner)') AS owner, f.type,
       coalesce(f.criticality, 'not set') AS criticality, c.title AS "check", r.state, c.fix
FROM check_results($as_of) r
JOIN f ON f.id = r.integration_id
JOIN checks c USING (check_name)
WHERE r.state IN ('fail', 'unknown')
ORDER BY CASE f.criticality WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 3 ELSE 2 END,
         f.name, c.position;

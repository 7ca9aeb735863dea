-- Every failing or unknown scorecard check of the filtered integrations (waived ones left out), most critical first.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT f.id AS integration_id, f.name, coalesce(f.owner, '(no owner)') AS owner, f.type,
       coalesce(f.criticality, 'not set') AS criticality, r.title AS "check", r.final_state AS state, r.fix
FROM scorecard_results($as_of) r
JOIN f ON f.id = r.integration_id
WHERE r.final_state IN ('fail', 'unknown')
ORDER BY CASE f.criticality WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 3 ELSE 2 END,
         f.name, r.position;

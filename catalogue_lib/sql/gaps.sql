-- Every failing or unknown scorecard check of the filtered integrations (waived ones left out) for $check ('all' or one check), most critical first.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT f.name, r.title AS "check", r.final_state AS state, r.fix,
       coalesce(f.owner, '(no owner)') AS owner, criticality_shown(f.criticality, f.id) AS criticality,
       f.type, f.id AS integration_id
FROM scorecard_results($as_of) r
JOIN f ON f.id = r.integration_id
WHERE r.final_state IN ('fail', 'unknown')
  AND ($check = 'all' OR r.check_name = $check)
ORDER BY CASE f.criticality WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 3 ELSE 2 END,
         f.name, r.position;

-- Per snapshot and per owner or partner type ($group): must-haves passing, overdue deadlines and risk of the filtered integrations.
SELECT snapshot_date AS date,
       CASE $group WHEN 'type' THEN type ELSE coalesce(owner, '(no owner)') END AS "group",
       count(*) FILTER (WHERE active) AS active,
       count(*) FILTER (WHERE active AND must_ok) AS must_haves_passing,
       sum(overdue)::BIGINT AS overdue,
       sum(risk_score)::BIGINT AS risk_score
FROM facts
WHERE TRUE
    AND (len($types::VARCHAR[]) = 0 OR list_contains($types::VARCHAR[], type))
    AND (len($owners::VARCHAR[]) = 0 OR list_contains($owners::VARCHAR[], coalesce(owner, '(no owner)')))
    AND (len($partners::VARCHAR[]) = 0 OR list_contains($partners::VARCHAR[], partner))
    AND (len($criticalities::VARCHAR[]) = 0
         OR list_contains($criticalities::VARCHAR[], coalesce(criticality, 'not set')))
    AND (len($directions::VARCHAR[]) = 0 OR len(list_intersect($directions::VARCHAR[], direction)) > 0)
    AND ($search::VARCHAR IS NULL OR contains(search_text, lower($search::VARCHAR)))
GROUP BY ALL
ORDER BY 1, 2;

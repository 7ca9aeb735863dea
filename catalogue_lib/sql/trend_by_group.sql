-- Per snapshot and per owner or partner type ($group): must-haves passing, overdue deadlines and risk of the filtered integrations.
SELECT snapshot_date AS date,
       CASE $group WHEN 'type' THEN type ELSE coalesce(owner, '(no owner)') END AS "group",
       count(*) FILTER (WHERE active) AS active,
       count(*) FILTER (WHERE active AND must_ok) AS must_haves_passing,
       sum(overdue)::BIGINT AS overdue,
       sum(risk_score)::BIGINT AS risk_score
FROM ({{facts_filtered}})
GROUP BY ALL
ORDER BY 1, 2;

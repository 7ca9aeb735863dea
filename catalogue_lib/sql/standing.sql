-- Each integration in path order as of $as_of: active, all must-haves passing (as snapshot_facts.sql says it), its level.
WITH results AS MATERIALIZED (SELECT * FROM check_results($as_of)),
must AS (
    SELECT r.integration_id, bool_and(r.state IN ('pass', 'na')) AS ok
    FROM results r JOIN checks c USING (check_name)
    WHERE c.must_have
    GROUP BY r.integration_id
)
SELECT i.id,
       coalesce(i.stage, 'live') <> 'retired' AS active,
       coalesce(m.ok, FALSE) AS must_ok,
       l.level
FROM integrations i
LEFT JOIN must m ON m.integration_id = i.id
LEFT JOIN integration_levels($as_of) l ON l.integration_id = i.id
ORDER BY i.load_order;

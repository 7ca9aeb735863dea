-- One row per integration with what history keeps of it as of $as_of: filter fields, must-haves, checks, level, overdue, risk.
WITH results AS MATERIALIZED (SELECT * FROM check_results($as_of)),
-- the scorecard evaluated once: its passing checks and (as integration_levels() does) the level
scored AS MATERIALIZED (
    SELECT integration_id, check_name, final_state IN ('pass', 'na', 'waived') AS ok
    FROM scorecard_results($as_of)
),
must AS (
    SELECT r.integration_id, bool_and(r.state IN ('pass', 'na')) AS ok
    FROM results r JOIN checks c USING (check_name)
    WHERE c.must_have
    GROUP BY r.integration_id
),
passing AS (
    SELECT integration_id, list(check_name ORDER BY check_name) AS passing
    FROM results WHERE state = 'pass' GROUP BY integration_id
),
ok AS (
    SELECT integration_id, list(check_name ORDER BY check_name) AS ok_checks
    FROM scored WHERE ok GROUP BY integration_id
),
per_level AS (
    SELECT s.integration_id, l.level, bool_and(s.ok) AS passed
    FROM scored s JOIN level_checks l USING (check_name)
    GROUP BY ALL
),
best AS (
    SELECT p.integration_id, arg_max(p.level, sl.position) FILTER (WHERE p.passed) AS level
    FROM per_level p JOIN scorecard_levels sl USING (level)
    GROUP BY p.integration_id
),
due AS (
    SELECT integration_id, count(*) FILTER (WHERE overdue) AS overdue
    FROM deadlines_as_of($as_of) GROUP BY integration_id
)
SELECT $as_of::DATE AS snapshot_date, i.id, i.name, i.owner, i.type, i.partner, i.criticality,
       criticality_shown(i.criticality, i.id) AS criticality_shown, i.direction,
       lower(concat_ws(' ', i.id, i.name, i.partner, i.owner, i.business_purpose,
                       array_to_string(i.critical_flows, ' '))) AS search_text,
       coalesce(i.stage, 'live') <> 'retired' AS active,
       coalesce(m.ok, FALSE) AS must_ok,
       coalesce(p.passing, []::VARCHAR[]) AS passing,
       coalesce(o.ok_checks, []::VARCHAR[]) AS ok_checks,
       b.level, sl.position AS level_position,
       coalesce(d.overdue, 0)::INTEGER AS overdue,
       coalesce(r.risk_score, 0)::BIGINT AS risk_score,
       i.source_path
FROM integrations i
LEFT JOIN must m ON m.integration_id = i.id
LEFT JOIN passing p ON p.integration_id = i.id
LEFT JOIN ok o ON o.integration_id = i.id
LEFT JOIN best b ON b.integration_id = i.id
LEFT JOIN scorecard_levels sl ON sl.level = b.level
LEFT JOIN due d ON d.integration_id = i.id
LEFT JOIN integration_risk r ON r.integration_id = i.id
ORDER BY i.load_order;

-- One row per integration with what history keeps of it as of $as_of: filter fields, must-haves, checks, level, overdue, risk.
WITH results AS MATERIALIZED (SELECT * FROM check_results($as_of)),
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
    FROM scorecard_results($as_of) WHERE final_state IN ('pass', 'na', 'waived') GROUP BY integration_id
),
due AS (
    SELECT integration_id, count(*) FILTER (WHERE overdue) AS overdue
    FROM deadlines_as_of($as_of) GROUP BY integration_id
)
SELECT $as_of::DATE AS snapshot_date, i.id, i.name, i.owner, i.type, i.partner, i.criticality, i.direction,
       lower(concat_ws(' ', i.id, i.name, i.partner, i.owner, i.business_purpose,
                       array_to_string(i.critical_flows, ' '))) AS search_text,
       coalesce(i.stage, 'live') <> 'retired' AS active,
       coalesce(m.ok, FALSE) AS must_ok,
       coalesce(p.passing, []::VARCHAR[]) AS passing,
       coalesce(o.ok_checks, []::VARCHAR[]) AS ok_checks,
       l.level, l.level_position,
       coalesce(d.overdue, 0)::INTEGER AS overdue,
       coalesce(r.risk_score, 0)::BIGINT AS risk_score,
       i.source_path
FROM integrations i
LEFT JOIN must m ON m.integration_id = i.id
LEFT JOIN passing p ON p.integration_id = i.id
LEFT JOIN ok o ON o.integration_id = i.id
LEFT JOIN integration_levels($as_of) l ON l.integration_id = i.id
LEFT JOIN due d ON d.integration_id = i.id
LEFT JOIN integration_risk r ON r.integration_id = i.id
ORDER BY i.load_order;

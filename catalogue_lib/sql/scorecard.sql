-- Scorecard tables (filled from the scorecard in force) and the macros for levels and the backlog.
CREATE TABLE scorecard_levels (level VARCHAR PRIMARY KEY, position INTEGER, title VARCHAR, description VARCHAR);
CREATE TABLE scorecard_checks (
    check_name VARCHAR PRIMARY KEY, position INTEGER, title VARCHAR, weight DOUBLE, fix VARCHAR,
    custom BOOLEAN, scope_types VARCHAR[], scope_criticality VARCHAR[], scope_directions VARCHAR[]
);
CREATE TABLE level_checks (level VARCHAR, check_name VARCHAR);
-- state: 'fail' for each id a custom check returns; 'unknown' for every id when the check erred.
CREATE TABLE custom_failures (integration_id VARCHAR, check_name VARCHAR, state VARCHAR);
CREATE TABLE waivers (
    integration_id VARCHAR, check_name VARCHAR, reason VARCHAR, approved_by VARCHAR, expires_on DATE
);
CREATE TABLE owner_registry (team VARCHAR, lead VARCHAR, channel VARCHAR, on_call VARCHAR, aliases VARCHAR[]);
CREATE TABLE config_sources (name VARCHAR, source VARCHAR);
CREATE TABLE initiatives (
    name VARCHAR, position INTEGER, target_level VARCHAR, target_checks VARCHAR[], due DATE,
    scope_types VARCHAR[], scope_criticality VARCHAR[], scope_owners VARCHAR[], scope_ids VARCHAR[]
);

-- A number as short text: 3 rather than 3.0, 2.29 rather than 2.2900.
CREATE MACRO num(x) AS CASE WHEN x = round(x) THEN (round(x)::BIGINT)::VARCHAR ELSE round(x, 2)::VARCHAR END;

-- Every scorecard check per active integration: the spec state, scope (out of scope = na) and waivers.
CREATE MACRO scorecard_results(as_of) AS TABLE
WITH base AS (
    SELECT integration_id, check_name, state FROM check_results(as_of)
    UNION ALL
    SELECT i.id, c.check_name,
           CASE WHEN f.integration_id IS NULL THEN 'pass' ELSE coalesce(f.state, 'fail') END
    FROM active_integrations i
    CROSS JOIN scorecard_checks c
    LEFT JOIN custom_failures f ON f.integration_id = i.id AND f.check_name = c.check_name
    WHERE c.custom
),
scoped AS (
    SELECT b.integration_id, b.check_name, c.title, c.weight, c.fix, c.position,
           CASE WHEN (len(c.scope_types) > 0 AND NOT list_contains(c.scope_types, i.type))
                  OR (len(c.scope_criticality) > 0
                      AND NOT list_contains(c.scope_criticality, coalesce(i.criticality, 'medium')))
                  OR (len(c.scope_directions) > 0 AND len(list_intersect(c.scope_directions, i.direction)) = 0)
                THEN 'na' ELSE b.state END AS state
    FROM base b
    JOIN scorecard_checks c USING (check_name)
    JOIN integrations i ON i.id = b.integration_id
),
waiver AS (
    SELECT integration_id, check_name, arg_max(reason, expires_on) AS reason,
           arg_max(approved_by, expires_on) AS approved_by, max(expires_on) AS expires_on
    FROM waivers GROUP BY ALL
)
SELECT s.*,
       CASE WHEN s.state IN ('fail', 'unknown') AND w.expires_on >= as_of::DATE THEN 'waived'
            ELSE s.state END AS final_state,
       w.reason AS waiver_reason, w.approved_by AS waiver_approved_by, w.expires_on AS waiver_expires_on
FROM scoped s
LEFT JOIN waiver w USING (integration_id, check_name);

-- Each integration's level: the highest level whose every check passes, is n/a or is waived.
CREATE MACRO integration_levels(as_of) AS TABLE
WITH per_level AS (
    SELECT r.integration_id, l.level, bool_and(r.final_state IN ('pass', 'na', 'waived')) AS passed
    FROM scorecard_results(as_of) r JOIN level_checks l USING (check_name)
    GROUP BY ALL
),
best AS (
    SELECT p.integration_id, arg_max(p.level, sl.position) FILTER (WHERE p.passed) AS level
    FROM per_level p JOIN scorecard_levels sl USING (level)
    GROUP BY p.integration_id
)
SELECT i.id AS integration_id, b.level, sl.position AS level_position, sl.title AS level_title
FROM integrations i
LEFT JOIN best b ON b.integration_id = i.id
LEFT JOIN scorecard_levels sl ON sl.level = b.level;

-- Each initiative's active integrations in scope and the checks its target asks of them.
CREATE MACRO initiative_scope() AS TABLE
SELECT n.name AS initiative, n.position, n.due, n.target_level, i.id AS integration_id,
       coalesce(n.target_checks, (SELECT list(l.check_name) FROM level_checks l WHERE l.level = n.target_level), []) AS wanted
FROM initiatives n
JOIN active_integrations i
  ON (len(n.scope_types) = 0 OR list_contains(n.scope_types, i.type))
 AND (len(n.scope_criticality) = 0 OR list_contains(n.scope_criticality, coalesce(i.criticality, 'medium')))
 AND (len(n.scope_owners) = 0 OR list_contains(n.scope_owners, coalesce(i.owner, '(no owner)')))
 AND (len(n.scope_ids) = 0 OR list_contains(n.scope_ids, i.id));

-- The checks each in-scope integration still needs for an initiative (not passing, n/a or waived).
CREATE MACRO initiative_needs(as_of) AS TABLE
SELECT s.initiative, s.position, s.due, s.integration_id, r.check_name, r.title, r.final_state, r.fix
FROM initiative_scope() s
JOIN scorecard_results(as_of) r
  ON r.integration_id = s.integration_id AND list_contains(s.wanted, r.check_name)
WHERE r.final_state NOT IN ('pass', 'na', 'waived');

-- The stability backlog: every gap, deadline, breaking change without a plan and high risk, scored
-- criticality weight x severity x urgency, with the reason in words. (v1.1) A sunset's severity
-- follows on_sunset (stops 3, falls_forward 2, unsupported 1); a deadline inside a coming change
-- freeze is ranked by its due_by day, the day before the freeze.
CREATE MACRO backlog_items(as_of) AS TABLE
WITH initiative_due AS (  -- a gap an initiative needs takes the initiative's (earliest) due date
    SELECT integration_id, check_name, min(due) AS due, arg_min(initiative, due) AS initiative
    FROM initiative_needs(as_of) GROUP BY ALL
),
crit AS (
    SELECT id, criticality_shown(criticality, id) AS criticality,
           level_weight(criticality) AS cw
    FROM active_integrations
),
upcoming_unplanned AS (
    SELECT DISTINCT p.integration_id
    FROM planned_changes p JOIN integrations i ON i.id = p.integration_id
    WHERE p.breaking AND NOT p.done AND i.migration_plan IS NULL AND p.date >= as_of::DATE
),
gaps AS (
    SELECT r.integration_id, 'gap' AS kind,
           r.title || CASE r.final_state WHEN 'unknown' THEN ' unknown' ELSE ' missing' END AS item,
           r.fix AS action, n.due, (n.due - as_of::DATE)::INTEGER AS days, NULL::DATE AS due_by,
           FALSE AS approximate, NULL::VARCHAR AS written, FALSE AS derived,
           r.weight AS severity,
           CASE WHEN n.due IS NULL THEN 1.0 WHEN n.due < as_of::DATE THEN 4.0
                ELSE round(1 + 2 * greatest(0, 1 - (n.due - as_of::DATE) / 180.0), 2) END AS urgency,
           format('{} check {} (weight {})', r.title,
                  CASE WHEN r.final_state <> 'unknown' THEN 'fails'
                       -- a custom check is unknown only when it could not run: not the record's fault
                       WHEN sc.custom THEN 'is unknown: the check could not run (see the scorecard''s errors)'
                       WHEN table_row(i.source_form) THEN 'cannot be confirmed from a table row'
                       ELSE 'is unknown: the record holds a value that could not be read' END,
                  num(r.weight))
           || coalesce(format('; initiative ''{}'' needs it by {}', n.initiative, n.due), '') AS reason
    FROM scorecard_results(as_of) r
    JOIN integrations i ON i.id = r.integration_id
    JOIN scorecard_checks sc ON sc.check_name = r.check_name
    LEFT JOIN initiative_due n ON n.integration_id = r.integration_id AND n.check_name = r.check_name
    WHERE r.final_state IN ('fail', 'unknown')
      AND NOT (r.check_name = 'migration_plan' AND r.integration_id IN (SELECT integration_id FROM upcoming_unplanned))
),
dated AS (
    SELECT d.integration_id,
           CASE WHEN d.overdue THEN 'overdue'
                WHEN d.kind = 'planned_change' AND d.breaking AND i.migration_plan IS NULL THEN 'breaking change without plan'
                ELSE 'deadline' END AS kind,
           CASE d.kind
                WHEN 'sunset' THEN 'Sunset of ' || d.version
                WHEN 'deprecation' THEN 'Deprecation of ' || d.version
                WHEN 'auth_expiry' THEN 'Credential expiry (' || coalesce(d.summary, 'auth') || ')'
                WHEN 'auth_rotation' THEN 'Credential rotation (' || coalesce(d.summary, 'auth') || ')'
                ELSE 'Planned change: ' || coalesce(d.summary, 'unnamed') END
             || CASE WHEN d.approximate THEN ' (' || d.written || ', approximate)' ELSE '' END
             || CASE WHEN d.derived THEN ' (derived from the support window)' ELSE '' END AS item,
           CASE
                WHEN d.kind = 'sunset' AND d.on_sunset = 'falls_forward'
                    THEN 'Move off ' || d.version || ' and test the newer version: at the sunset the partner '
                         || 'silently serves it, so nothing fails but behaviour changes untested'
                WHEN d.kind = 'sunset' AND d.on_sunset = 'unsupported'
                    THEN 'Upgrade from ' || d.version || ': after the sunset it keeps working, '
                         || 'without security fixes or support'
                WHEN d.kind = 'sunset' THEN 'Move off ' || d.version || ' before it stops working'
                WHEN d.kind = 'deprecation' THEN 'Migrate off ' || d.version || ' or mark it deprecated'
                WHEN d.kind = 'auth_expiry' THEN 'Renew the credential and record the new expiry'
                WHEN d.kind = 'auth_rotation' THEN 'Rotate the credential and record rotated_on'
                WHEN d.breaking AND i.migration_plan IS NULL THEN 'Write and link a migration plan'
                ELSE 'Prepare for the change' END AS action,
           d.date AS due, d.days, d.due_by, d.approximate, d.written, d.derived,
           CASE WHEN d.kind = 'sunset' THEN CASE d.on_sunset WHEN 'falls_forward' THEN 2 WHEN 'unsupported' THEN 1 ELSE 3 END
                WHEN d.kind IN ('auth_expiry', 'auth_rotation') THEN 3
                WHEN d.kind = 'deprecation' THEN 2
                WHEN d.breaking AND i.migration_plan IS NULL THEN 3
                WHEN d.breaking THEN 2 ELSE 1 END::DOUBLE AS severity,
           CASE WHEN d.overdue THEN 4.0
                ELSE round(1 + 2 * greatest(0, 1 - coalesce(d.due_by - as_of::DATE, d.days) / 180.0), 2) END AS urgency,
           CASE WHEN d.overdue THEN format('overdue by {} days', -d.days)
                WHEN d.due_by IS NOT NULL THEN
                    format('due by {} (freeze {}), {}; the date itself is {}', d.due_by, d.freeze_name,
                           CASE WHEN d.due_by = as_of::DATE THEN 'today'
                                ELSE format('in {} days', d.due_by - as_of::DATE) END,
                           CASE WHEN d.days = 0 THEN 'today' ELSE format('in {} days', d.days) END)
                WHEN d.days = 0 THEN 'due today'
                ELSE format('due in {} days', d.days) END
             || CASE WHEN d.approximate THEN format('; the date {} is approximate and counts as its first day', d.written)
                     ELSE '' END
             || CASE WHEN d.kind = 'sunset' AND d.on_sunset <> 'stops'
                     THEN format('; on_sunset {}', d.on_sunset) ELSE '' END AS reason
    FROM deadlines_as_of(as_of) d JOIN integrations i ON i.id = d.integration_id
),
high_risks AS (
    SELECT k.integration_id, 'risk' AS kind,
           'Risk: ' || replace(k.category, '_', ' ') || coalesce(': ' || k.summary, '') AS item,
           'Mitigate, or lower its likelihood or impact' AS action,
           NULL::DATE AS due, NULL::INTEGER AS days, NULL::DATE AS due_by,
           FALSE AS approximate, NULL::VARCHAR AS written, FALSE AS derived,
           (lw * iw) / 3.0 AS severity, 1.0 AS urgency,
           format('likelihood {} x impact {} = {}', coalesce(k.likelihood, 'unknown (medium)'),
                  coalesce(k.impact, 'unknown (medium)'), lw * iw) AS reason
    FROM (
        SELECT *, level_weight(likelihood) AS lw, level_weight(impact) AS iw FROM risks
    ) k
    WHERE lw * iw >= 6
),
items AS (SELECT * FROM gaps UNION ALL SELECT * FROM dated UNION ALL SELECT * FROM high_risks)
SELECT it.integration_id, i.name, coalesce(i.owner, '(no owner)') AS owner, i.type, c.criticality,
       it.kind, it.item, it.action, it.due, it.days, it.due_by, it.approximate, it.written, it.derived,
       -- rounded as the decimals `why` prints (1 x 5 x 2.79 = 13.95 is 14.0), not as the binary
       -- double 13.9499... that the product is
       round((c.cw * it.severity * it.urgency)::DECIMAL(18, 6), 1)::DOUBLE AS score,
       format('{} (x{}) x severity {} x urgency {}: {}',
              CASE WHEN c.criticality IN ('not set', 'unknown') THEN 'criticality ' || c.criticality ELSE c.criticality || ' criticality' END,
              c.cw, num(it.severity), num(it.urgency), it.reason) AS why
FROM items it
JOIN crit c ON c.id = it.integration_id
JOIN integrations i ON i.id = it.integration_id;

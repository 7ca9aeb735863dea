-- Loader: every record table's rows from one batch of validated records' JSON (with where each was read), their derived sunsets and unsure planned changes.
CREATE OR REPLACE TEMP MACRO partner_day(s) AS
    -- a partner date as stored: its first day when approximate (2027-03, 2027-Q2), else as written
    CASE
        WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}') THEN s || '-01'
        WHEN regexp_full_match(s, '[0-9]{4}-[Qq][1-4]')
            THEN left(s, 4) || '-' || lpad(CAST(3 * CAST(right(s, 1) AS INTEGER) - 2 AS VARCHAR), 2, '0') || '-01'
        ELSE s
    END;

CREATE OR REPLACE TEMP MACRO partner_written(s) AS
    -- the approximate form as written, else NULL
    CASE WHEN regexp_full_match(s, '[0-9]{4}-([0-9]{2}|[Qq][1-4])') THEN s END;

CREATE OR REPLACE TEMP TABLE _derived AS
SELECT unnest($derived_id::VARCHAR[]) AS integration_id,
       unnest($derived_position::INTEGER[]) AS position,
       unnest($derived_sunset_on::VARCHAR[]) AS sunset_on,
       unnest($derived_sunset_written::VARCHAR[]) AS sunset_written;

CREATE OR REPLACE TEMP TABLE _unsure AS
SELECT unnest($unsure_id::VARCHAR[]) AS integration_id,
       unnest($unsure_position::INTEGER[]) AS position;

CREATE OR REPLACE TEMP TABLE _parsed AS
WITH staged AS (
    SELECT unnest($load_order::INTEGER[]) AS load_order,
           unnest($source_path::VARCHAR[]) AS source_path,
           unnest($source_line::INTEGER[]) AS source_line,
           unnest($source_form::VARCHAR[]) AS source_form,
           unnest($record_json::VARCHAR[]) AS record_json
),
typed AS (
    SELECT load_order, source_path, source_line, source_form, record_json,
           json_transform(record_json, '{
               "id": "VARCHAR", "name": "VARCHAR", "type": "VARCHAR", "partner": "VARCHAR",
               "direction": ["VARCHAR"], "criticality": "VARCHAR", "stage": "VARCHAR",
               "business_purpose": "VARCHAR", "customers_impacted": ["VARCHAR"],
               "critical_flows": ["VARCHAR"], "owner": "VARCHAR", "support_contact": "VARCHAR",
               "reviewed_on": "VARCHAR",
               "auth": {"method": "VARCHAR", "expires_on": "VARCHAR", "rotate_every_days": "INTEGER",
                        "rotated_on": "VARCHAR",
                        "credentials": [{"name": "VARCHAR", "method": "VARCHAR", "expires_on": "VARCHAR",
                                         "rotate_every_days": "INTEGER", "rotated_on": "VARCHAR"}]},
               "contract": {"endpoints": ["VARCHAR"], "schema_versioning": "VARCHAR",
                            "idempotency": "VARCHAR", "retry_backoff": "VARCHAR", "rate_limit": "VARCHAR",
                            "error_mapping": "VARCHAR",
                            "webhooks": {"signature_verification": "BOOLEAN", "replay": "VARCHAR",
                                         "delivery": "VARCHAR", "transport": "VARCHAR"}},
               "operations": {"slo": {"success_rate_pct": "DOUBLE", "latency_p95_ms": "DOUBLE",
                                      "freshness_minutes": "DOUBLE"},
                              "slo_notes": "VARCHAR", "monitoring": "VARCHAR", "dashboard": "VARCHAR",
                              "alert_rules": ["VARCHAR"], "runbook": "VARCHAR", "on_call": "VARCHAR",
                              "escalation": "VARCHAR"},
               "lifecycle": {"versions": [{"version": "VARCHAR", "status": "VARCHAR",
                                           "released_on": "VARCHAR", "deprecated_on": "VARCHAR",
                                           "sunset_on": "VARCHAR", "on_sunset": "VARCHAR",
                                           "source": "VARCHAR"}],
                             "deprecation_policy": "VARCHAR", "support_months": "INTEGER",
                             "support_months_after_successor": "INTEGER", "migration_plan": "VARCHAR",
                             "planned_changes": [{"date": "VARCHAR", "summary": "VARCHAR",
                                                  "breaking": "BOOLEAN", "done": "BOOLEAN",
                                                  "source": "VARCHAR"}],
                             "test_environment": {"kind": "VARCHAR", "notes": "VARCHAR"}},
               "partner_links": {"status_page": "VARCHAR", "changelog": "VARCHAR",
                                 "deprecations": "VARCHAR", "developer_portal": "VARCHAR"},
               "risks": [{"category": "VARCHAR", "summary": "VARCHAR", "likelihood": "VARCHAR",
                          "impact": "VARCHAR"}],
               "incidents": [{"date": "VARCHAR", "failure_mode": "VARCHAR", "severity": "VARCHAR",
                              "summary": "VARCHAR", "postmortem": "VARCHAR"}]
           }') AS r
    FROM staged
)
SELECT * FROM typed;

INSERT INTO integrations
SELECT r.id, r.name, r.type, r.partner, r.direction, r.criticality, r.stage, r.business_purpose,
       coalesce(r.customers_impacted, []), coalesce(r.critical_flows, []), r.owner,
       r.support_contact, r.reviewed_on,
       r.auth.method, partner_day(r.auth.expires_on), partner_written(r.auth.expires_on),
       r.auth.rotate_every_days, r.auth.rotated_on,
       coalesce(r.contract.endpoints, []), r.contract.schema_versioning, r.contract.idempotency,
       r.contract.retry_backoff, r.contract.rate_limit, r.contract.error_mapping,
       r.contract.webhooks.signature_verification, r.contract.webhooks.replay,
       r.contract.webhooks.delivery, r.contract.webhooks.transport,
       r.operations.slo.success_rate_pct, r.operations.slo.latency_p95_ms,
       r.operations.slo.freshness_minutes, r.operations.slo_notes, r.operations.monitoring,
       r.operations.dashboard, coalesce(r.operations.alert_rules, []), r.operations.runbook,
       r.operations.on_call, r.operations.escalation,
       r.lifecycle.deprecation_policy, r.lifecycle.migration_plan, r.lifecycle.support_months,
       r.lifecycle.support_months_after_successor,
       r.lifecycle.test_environment.kind, r.lifecycle.test_environment.notes,
       r.partner_links.status_page, r.partner_links.changelog, r.partner_links.deprecations,
       r.partner_links.developer_portal,
       load_order, source_path, source_line, source_form, record_json
FROM _parsed
ORDER BY load_order;

INSERT INTO versions
WITH listed AS (
    SELECT load_order, r.id AS integration_id, unnest(r.lifecycle.versions) AS v,
           generate_subscripts(r.lifecycle.versions, 1) - 1 AS position
    FROM _parsed
)
SELECT l.integration_id, l.position, v.version, v.status,
       partner_day(v.released_on), partner_day(v.deprecated_on),
       coalesce(d.sunset_on, partner_day(v.sunset_on)),
       partner_written(v.released_on), partner_written(v.deprecated_on),
       CASE WHEN d.position IS NULL THEN partner_written(v.sunset_on) ELSE d.sunset_written END,
       d.position IS NOT NULL, coalesce(v.on_sunset, 'stops'), v.source
FROM listed l
LEFT JOIN _derived d ON d.integration_id = l.integration_id AND d.position = l.position
ORDER BY l.load_order, l.position;

INSERT INTO planned_changes
WITH listed AS (
    SELECT load_order, r.id AS integration_id, unnest(r.lifecycle.planned_changes) AS c,
           generate_subscripts(r.lifecycle.planned_changes, 1) - 1 AS position
    FROM _parsed
)
SELECT l.integration_id, l.position, partner_day(c.date), partner_written(c.date), c.summary,
       c.breaking, coalesce(c.done, false), c.source, u.position IS NOT NULL
FROM listed l
LEFT JOIN _unsure u ON u.integration_id = l.integration_id AND u.position = l.position
ORDER BY l.load_order, l.position;

INSERT INTO credentials
WITH listed AS (
    SELECT load_order, r.id AS integration_id, unnest(r.auth.credentials) AS k,
           generate_subscripts(r.auth.credentials, 1) - 1 AS position
    FROM _parsed
)
SELECT integration_id, position, k.name, k.method, partner_day(k.expires_on),
       partner_written(k.expires_on), k.rotate_every_days, k.rotated_on
FROM listed
ORDER BY load_order, position;

INSERT INTO risks
WITH listed AS (
    SELECT load_order, r.id AS integration_id, unnest(r.risks) AS k,
           generate_subscripts(r.risks, 1) - 1 AS position
    FROM _parsed
)
SELECT integration_id, position, k.category, k.summary, k.likelihood, k.impact
FROM listed
ORDER BY load_order, position;

INSERT INTO incidents
WITH listed AS (
    SELECT load_order, r.id AS integration_id, unnest(r.incidents) AS n,
           generate_subscripts(r.incidents, 1) - 1 AS position
    FROM _parsed
)
SELECT integration_id, position, n.date, n.failure_mode, n.severity, n.summary, n.postmortem
FROM listed
ORDER BY load_order, position;

DROP TABLE _parsed;
DROP TABLE _derived;
DROP TABLE _unsure;

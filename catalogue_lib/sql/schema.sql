-- Tables the loader fills and the macros every analysis starts from (as-of dependent figures are table macros).
CREATE TABLE integrations (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    partner VARCHAR NOT NULL,
    direction VARCHAR[] NOT NULL,
    criticality VARCHAR,
    stage VARCHAR,                 -- as written; NULL means live
    business_purpose VARCHAR,
    customers_impacted VARCHAR[],
    critical_flows VARCHAR[],
    owner VARCHAR,
    support_contact VARCHAR,
    reviewed_on DATE,
    auth_method VARCHAR,
    auth_expires_on DATE,          -- a partner date: the first day when approximate
    auth_expires_written VARCHAR,  -- (v1.1) the approximate form as written ("2027-Q2"), else NULL
    auth_rotate_every_days INTEGER,
    auth_rotated_on DATE,
    endpoints VARCHAR[],
    schema_versioning VARCHAR,
    idempotency VARCHAR,
    retry_backoff VARCHAR,
    rate_limit VARCHAR,
    error_mapping VARCHAR,
    webhook_signature_verification BOOLEAN,
    webhook_replay VARCHAR,
    webhook_delivery VARCHAR,
    webhook_transport VARCHAR,     -- (v1.1) http | queue; NULL means http
    slo_success_rate_pct DOUBLE,
    slo_latency_p95_ms DOUBLE,
    slo_freshness_minutes DOUBLE,
    slo_notes VARCHAR,
    monitoring VARCHAR,
    dashboard VARCHAR,
    alert_rules VARCHAR[],
    runbook VARCHAR,
    on_call VARCHAR,
    escalation VARCHAR,
    deprecation_policy VARCHAR,
    migration_plan VARCHAR,
    support_months INTEGER,
    support_months_after_successor INTEGER,
    test_environment VARCHAR,
    test_environment_notes VARCHAR,
    status_page VARCHAR,           -- (v1.1) partner_links
    changelog VARCHAR,
    deprecations_page VARCHAR,
    developer_portal VARCHAR,
    load_order INTEGER NOT NULL,   -- path order: what exports keep
    source_path VARCHAR NOT NULL,
    source_line INTEGER,
    source_form VARCHAR NOT NULL,  -- yaml | json | markdown | csv
    record_json VARCHAR NOT NULL
);

CREATE TABLE versions (
    integration_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    version VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    released_on DATE,              -- partner dates: the first day when approximate
    deprecated_on DATE,
    sunset_on DATE,                -- as written, or (v1.1) derived from the support window
    released_written VARCHAR,      -- (v1.1) the approximate forms as written, else NULL
    deprecated_written VARCHAR,
    sunset_written VARCHAR,
    sunset_derived BOOLEAN NOT NULL DEFAULT FALSE,
    on_sunset VARCHAR NOT NULL DEFAULT 'stops',
    source VARCHAR
);

CREATE TABLE planned_changes (
    integration_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    date DATE,                     -- (v1.1) NULL when the date was missing or unreadable
    date_written VARCHAR,
    summary VARCHAR,
    breaking BOOLEAN NOT NULL,
    done BOOLEAN NOT NULL DEFAULT FALSE,
    source VARCHAR,
    -- (v1.1) its `breaking` or `done` could not be read and might make it an open breaking change
    unsure BOOLEAN NOT NULL DEFAULT FALSE
);

-- (v1.1) auth.credentials: each with its own expiry and rotation.
CREATE TABLE credentials (
    integration_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    method VARCHAR,
    expires_on DATE,
    expires_written VARCHAR,
    rotate_every_days INTEGER,
    rotated_on DATE
);

-- (v1.1) Change freezes from calendar.yaml.
CREATE TABLE freezes (
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE NOT NULL
);

CREATE TABLE risks (
    integration_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    category VARCHAR NOT NULL,
    summary VARCHAR,
    likelihood VARCHAR,
    impact VARCHAR
);

CREATE TABLE incidents (
    integration_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    date DATE NOT NULL,
    failure_mode VARCHAR NOT NULL,
    severity VARCHAR,
    summary VARCHAR,
    postmortem VARCHAR
);

-- States a source forces on a check: the table forms cannot state some facts (unknown); (v1.1) a
-- dropped bad value makes a check unknown where it would fail (unknown_if_fail) or not pass
-- (unknown_unless_pass).
CREATE TABLE check_overrides (
    integration_id VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    state VARCHAR NOT NULL
);

CREATE TABLE problems (
    path VARCHAR NOT NULL,
    line INTEGER,
    severity VARCHAR NOT NULL,
    message VARCHAR NOT NULL
);

CREATE TABLE checks (
    check_name VARCHAR PRIMARY KEY,
    position INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    must_have BOOLEAN NOT NULL      -- the template's section 4 must-haves
);

-- Whether a record came from a table row (the template's Markdown table or a CSV), which cannot
-- state most facts: they are unknown.
CREATE MACRO table_row(source_form) AS source_form IN ('markdown', 'csv');

-- Criticality as shown and filtered: as written; else 'unknown' where the source could not say
-- (its criticality_set check is forced unknown: a table row, which has no column for it, or an
-- unreadable value, which weighs as not set), else 'not set' (never classified).
CREATE MACRO criticality_shown(criticality, for_id) AS
    coalesce(criticality, CASE WHEN for_id IN (
        SELECT integration_id FROM check_overrides
        WHERE check_name = 'criticality_set' AND state IN ('unknown', 'unknown_if_fail')
    ) THEN 'unknown' ELSE 'not set' END);

-- A value a table row cannot state, as text: as given; else, for a table row, that it is unknown
-- (present.TABLE_UNKNOWN, which a test holds equal); else NULL (shown as a dash).
CREATE MACRO or_table_unknown(v, source_form) AS
    coalesce(v, CASE WHEN table_row(source_form) THEN 'unknown (not in the table)' END);

-- Integrations narrowed by the dashboard's filters (an empty list means "any").
CREATE MACRO filtered_integrations(types, owners, partners, criticalities, directions, search) AS TABLE
SELECT i.*
FROM integrations i
WHERE (len(types::VARCHAR[]) = 0 OR list_contains(types::VARCHAR[], i.type))
  AND (len(owners::VARCHAR[]) = 0 OR list_contains(owners::VARCHAR[], coalesce(i.owner, '(no owner)')))
  AND (len(partners::VARCHAR[]) = 0 OR list_contains(partners::VARCHAR[], i.partner))
  AND (len(criticalities::VARCHAR[]) = 0
       OR list_contains(criticalities::VARCHAR[], criticality_shown(i.criticality, i.id)))
  AND (len(directions::VARCHAR[]) = 0 OR len(list_intersect(directions::VARCHAR[], i.direction)) > 0)
  AND (search::VARCHAR IS NULL OR contains(
        lower(concat_ws(' ', i.id, i.name, i.partner, i.owner, i.business_purpose,
                        array_to_string(i.critical_flows, ' '))),
        lower(search::VARCHAR)));

-- The spec's weights: high 3, medium 2, low 1; a level not set (or unknown) counts as medium.
CREATE MACRO level_weight(level) AS CASE level WHEN 'high' THEN 3 WHEN 'low' THEN 1 ELSE 2 END;

-- A risk's score: likelihood x impact.
CREATE MACRO risk_points(likelihood, impact) AS level_weight(likelihood) * level_weight(impact);

-- Every dated event, as-of independent: sunsets (as written or derived), deprecations, planned
-- changes not done, credential expiries and rotations (auth and each credential on its own).
CREATE VIEW deadlines AS
SELECT integration_id, 'sunset' AS kind, sunset_on AS date, version, status, NULL AS summary,
       NULL::BOOLEAN AS breaking, sunset_written IS NOT NULL AS approximate, sunset_written AS written,
       sunset_derived AS derived, on_sunset, NULL AS credential
FROM versions WHERE sunset_on IS NOT NULL
UNION ALL
SELECT integration_id, 'deprecation', deprecated_on, version, status, NULL, NULL,
       deprecated_written IS NOT NULL, deprecated_written, FALSE, NULL, NULL
FROM versions WHERE deprecated_on IS NOT NULL
UNION ALL
SELECT integration_id, 'planned_change', date, NULL, NULL, summary, breaking,
       date_written IS NOT NULL, date_written, FALSE, NULL, NULL
FROM planned_changes WHERE date IS NOT NULL AND NOT done
UNION ALL
SELECT id, 'auth_expiry', auth_expires_on, NULL, NULL, auth_method, NULL,
       auth_expires_written IS NOT NULL, auth_expires_written, FALSE, NULL, NULL
FROM integrations WHERE auth_expires_on IS NOT NULL
UNION ALL
SELECT integration_id, 'auth_expiry', expires_on, NULL, NULL, name, NULL,
       expires_written IS NOT NULL, expires_written, FALSE, NULL, name
FROM credentials WHERE expires_on IS NOT NULL
UNION ALL
SELECT id, 'auth_rotation', auth_rotated_on + auth_rotate_every_days, NULL, NULL, auth_method, NULL,
       FALSE, NULL, FALSE, NULL, NULL
FROM integrations WHERE auth_rotated_on IS NOT NULL AND auth_rotate_every_days IS NOT NULL
UNION ALL
SELECT integration_id, 'auth_rotation', rotated_on + rotate_every_days, NULL, NULL, name, NULL,
       FALSE, NULL, FALSE, NULL, name
FROM credentials WHERE rotated_on IS NOT NULL AND rotate_every_days IS NOT NULL;

-- An auth method in words, as the template writes it (present.AUTH_SHOWN says the same).
CREATE MACRO auth_label(m) AS CASE m
    WHEN 'oauth' THEN 'OAuth' WHEN 'api_key' THEN 'API key' WHEN 'mtls' THEN 'mTLS'
    WHEN 'token' THEN 'Token' WHEN 'basic' THEN 'Basic' WHEN 'none' THEN 'no authentication'
    ELSE m END;

-- Integrations the checks, deadlines and risk figures speak of (retired ones stay in the catalogue only).
CREATE VIEW active_integrations AS
SELECT * FROM integrations WHERE coalesce(stage, 'live') <> 'retired';

-- Each governance check per active integration as pass / fail / na / unknown, as of a date.
CREATE MACRO check_results(as_of) AS TABLE
WITH changes AS (  -- per integration: a breaking change still ahead; one that may be (unreadable)
    SELECT integration_id,
           bool_or(breaking AND NOT done AND NOT unsure AND date >= as_of::DATE) AS open_breaking,
           bool_or(((breaking AND NOT done) OR unsure) AND (date IS NULL OR date >= as_of::DATE))
               AS maybe_open
    FROM planned_changes
    GROUP BY integration_id
),
listed AS (  -- per integration with versions listed: whether one is current
    SELECT integration_id, bool_or(status = 'current') AS has_current
    FROM versions
    GROUP BY integration_id
),
facts AS (
    SELECT
        i.id AS integration_id,
        -- a role word: the spec's Eng, PO, Ops, TBD, also spelled out or with full stops
        -- (`P.O.`, `T.B.D.`), alone or joined by / , & + - ? or "and" (doubled too). Any Unicode
        -- space counts as a space (a no-break space copied from a wiki around `PO / Eng`) and an
        -- invisible format character (zero-width space, BOM) as nothing; a value of separators
        -- only (`/`, `-`, `?`) or of invisible characters names nobody either
        CASE WHEN i.owner IS NOT NULL AND NOT regexp_full_match(
                lower(regexp_replace(regexp_replace(i.owner, '\p{Cf}', '', 'g'), '[\s\p{Z}]+', ' ', 'g')),
                '(\s|[/,&+?-]|\band\b)*((e\.?n\.?g|engineering|p\.?o|product owner|o\.?p\.?s'
                || '|operations|t\.?b\.?[dac]|to be (decided|determined|confirmed|announced)'
                || '|n/a|n\.?a|none|unknown)\.?(\s|[/,&+?-]|\band\b)*)*')
             THEN 'pass' ELSE 'fail' END AS named_owner,
        CASE WHEN i.support_contact IS NOT NULL THEN 'pass' ELSE 'fail' END AS support_contact,
        CASE WHEN i.dashboard IS NOT NULL THEN 'pass' ELSE 'fail' END AS dashboard,
        CASE WHEN len(coalesce(i.alert_rules, [])) > 0 THEN 'pass' ELSE 'fail' END AS alert_rules,
        CASE WHEN i.runbook IS NOT NULL THEN 'pass' ELSE 'fail' END AS runbook,
        CASE WHEN i.on_call IS NOT NULL THEN 'pass' ELSE 'fail' END AS on_call,
        CASE WHEN coalesce(i.slo_success_rate_pct, i.slo_latency_p95_ms, i.slo_freshness_minutes) IS NOT NULL
             THEN 'pass' ELSE 'fail' END AS slo_defined,
        CASE WHEN i.idempotency IS NOT NULL THEN 'pass' ELSE 'fail' END AS idempotency,
        CASE WHEN NOT list_contains(i.direction, 'inbound') OR i.webhook_transport = 'queue' THEN 'na'
             WHEN i.webhook_signature_verification THEN 'pass' ELSE 'fail' END AS webhook_signatures,
        -- a breaking change still ahead (not done, dated on or after as_of) decides; one whose
        -- date could not be read may be ahead, and (v1.1) one not yet past whose `breaking` or
        -- `done` could not be read may be an open breaking change: unknown
        CASE WHEN coalesce(c.open_breaking, FALSE)
             THEN CASE WHEN i.migration_plan IS NOT NULL THEN 'pass' ELSE 'fail' END
             WHEN coalesce(c.maybe_open, FALSE) THEN 'unknown'
             ELSE 'na' END AS migration_plan,
        CASE WHEN i.test_environment = 'not_offered' THEN 'na'
             WHEN i.test_environment IN ('sandbox', 'staging') THEN 'pass' ELSE 'fail' END AS test_environment,
        CASE WHEN v.integration_id IS NULL THEN 'na'
             WHEN coalesce(v.has_current, FALSE) THEN 'pass'
             ELSE 'fail' END AS current_version,
        CASE WHEN i.criticality IS NOT NULL THEN 'pass' ELSE 'fail' END AS criticality_set,
        CASE WHEN i.reviewed_on IS NOT NULL AND (as_of::DATE - i.reviewed_on) <= 180
             THEN 'pass' ELSE 'fail' END AS reviewed_recently
    FROM active_integrations i
    LEFT JOIN changes c ON c.integration_id = i.id
    LEFT JOIN listed v ON v.integration_id = i.id
),
long AS (
    UNPIVOT facts ON COLUMNS(* EXCLUDE (integration_id)) INTO NAME check_name VALUE computed
)
SELECT l.integration_id, l.check_name,
       CASE WHEN o.state = 'unknown_if_fail' THEN CASE WHEN l.computed = 'fail' THEN 'unknown' ELSE l.computed END
            WHEN o.state = 'unknown_unless_pass' THEN CASE WHEN l.computed = 'pass' THEN 'pass' ELSE 'unknown' END
            ELSE coalesce(o.state, l.computed) END AS state
FROM long l
LEFT JOIN check_overrides o USING (integration_id, check_name);

-- Upcoming and overdue deadlines of active integrations as of a date (days < 0 when past); (v1.1)
-- one inside a change freeze that starts after as_of is due by the day before the freeze.
CREATE MACRO deadlines_as_of(as_of) AS TABLE
WITH dated AS (
    SELECT d.*, (d.date - as_of::DATE) AS days
    FROM deadlines d JOIN active_integrations i ON i.id = d.integration_id
),
classified AS (
    SELECT *,
        days < 0 AND CASE kind
            WHEN 'sunset' THEN status <> 'retired'
            WHEN 'deprecation' THEN status IN ('current', 'supported')
            WHEN 'auth_expiry' THEN TRUE
            WHEN 'auth_rotation' THEN TRUE
            ELSE FALSE END AS overdue
    FROM dated
),
kept AS (SELECT * FROM classified WHERE days >= 0 OR overdue),
frozen AS (
    SELECT k.integration_id, k.kind, k.date, k.version, k.credential,
           min(f.from_date) - 1 AS due_by, arg_min(f.name, f.from_date) AS freeze_name
    FROM kept k JOIN freezes f ON k.date BETWEEN f.from_date AND f.to_date AND f.from_date > as_of::DATE
    GROUP BY ALL
)
SELECT k.*, z.due_by, z.freeze_name
FROM kept k
LEFT JOIN frozen z ON z.integration_id = k.integration_id AND z.kind = k.kind AND z.date = k.date
     AND z.version IS NOT DISTINCT FROM k.version AND z.credential IS NOT DISTINCT FROM k.credential;

-- Risk score per active integration: sum of likelihood x impact, times the criticality weight.
CREATE VIEW integration_risk AS
WITH scored AS (
    SELECT r.integration_id,
           sum(risk_points(r.likelihood, r.impact)) AS raw_score,
           count(*) AS risks,
           count(*) FILTER (WHERE r.likelihood = 'high' AND r.impact = 'high') AS high_risks
    FROM risks r
    GROUP BY r.integration_id
)
SELECT i.id AS integration_id, i.owner, i.type, i.criticality,
       coalesce(s.raw_score, 0) AS raw_score,
       level_weight(i.criticality) AS criticality_weight,
       coalesce(s.raw_score, 0) * level_weight(i.criticality) AS risk_score,
       coalesce(s.risks, 0) AS risks,
       coalesce(s.high_risks, 0) AS high_risks
FROM active_integrations i
LEFT JOIN scored s ON s.integration_id = i.id;


-- Load problems with their kind (the data-quality page counts them by kind).
CREATE VIEW problems_classified AS
SELECT path, line, severity,
       CASE
           WHEN message LIKE '%default scorecard is in force%' THEN 'scorecard'
           WHEN message LIKE '%no freezes are in force%' THEN 'calendar'
           WHEN message LIKE '%is read as the text%' THEN 'number as text'
           WHEN message LIKE '%is not in %owners.y%ml%' THEN 'owner not in registry'
           WHEN message LIKE 'duplicate key%' OR message LIKE 'invalid YAML: duplicate key%' THEN 'duplicate key'
           WHEN message LIKE 'invalid YAML%' OR message LIKE 'invalid JSON%' OR message LIKE 'invalid CSV%' THEN 'unreadable syntax'
           WHEN message LIKE '%unknown key%' THEN 'unknown key'
           WHEN message LIKE 'duplicate id%' THEN 'duplicate id'
           WHEN message LIKE 'duplicate key%' THEN 'duplicate key'
           WHEN message LIKE '%missing required field%' THEN 'missing required field'
           WHEN message LIKE '%binary%' OR message LIKE '%UTF-8%' OR message LIKE '%too large%'
                OR message LIKE '%alias bomb%' OR message LIKE '%nesting%' THEN 'unreadable file'
           WHEN message LIKE 'empty file%' THEN 'empty file'
           WHEN message LIKE '%cells%' OR message LIKE '%header%' OR message LIKE '%column%' THEN 'table shape'
           WHEN message LIKE '%unknown integration%' OR message LIKE '%no integration is owned by%'
                THEN 'names no integration'
           ELSE 'invalid value'
       END AS kind,
       message
FROM problems;

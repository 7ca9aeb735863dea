-- Headline figures of each snapshot for the filtered integrations (tables: snapshots, facts).
WITH f AS (
    SELECT * FROM ({{facts_filtered}})
    WHERE snapshot_date BETWEEN coalesce($since::DATE, DATE '0001-01-01') AND coalesce($until::DATE, DATE '9999-12-31')
),
per AS (
    SELECT snapshot_date,
           count(*) AS integrations,
           count(*) FILTER (WHERE active) AS active,
           count(*) FILTER (WHERE active AND must_ok) AS must_haves_passing,
           sum(overdue) AS overdue,
           sum(risk_score) AS risk_score,
           histogram(level) FILTER (WHERE active AND level IS NOT NULL) AS levels,
           list_aggregate(flatten(list(passing)), 'histogram') AS checks
    FROM f GROUP BY snapshot_date
)
SELECT s.snapshot_date AS date, s.commit, s.level_names, s.errors,
       coalesce(p.integrations, 0) AS integrations, coalesce(p.active, 0) AS active,
       coalesce(p.must_haves_passing, 0) AS must_haves_passing,
       coalesce(p.overdue, 0)::BIGINT AS overdue, coalesce(p.risk_score, 0)::BIGINT AS risk_score,
       p.levels, p.checks
FROM snapshots s LEFT JOIN per p USING (snapshot_date)
WHERE s.snapshot_date BETWEEN coalesce($since::DATE, DATE '0001-01-01') AND coalesce($until::DATE, DATE '9999-12-31')
ORDER BY s.snapshot_date;

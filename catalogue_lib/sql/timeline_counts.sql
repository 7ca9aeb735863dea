-- Deprecations headline: overdue deadlines, upcoming within $horizon days, and breaking changes ahead without a migration plan (any date ahead, as the backlog counts them).
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
d AS (
    SELECT d.*, coalesce(d.breaking, FALSE) AND f.migration_plan IS NULL AS breaking_without_plan
    FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id
)
SELECT count(*) FILTER (WHERE overdue) AS overdue,
       count(*) FILTER (WHERE NOT overdue AND days <= $horizon) AS upcoming,
       count(*) FILTER (WHERE breaking_without_plan AND NOT overdue) AS breaking_without_plan,
       count(*) FILTER (WHERE overdue OR days <= $horizon) AS deadlines
FROM d;

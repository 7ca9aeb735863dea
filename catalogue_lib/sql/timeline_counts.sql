-- Counts for the deprecations page: overdue, upcoming within $horizon days, breaking changes without a plan.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
d AS (
    SELECT d.*, coalesce(d.breaking, FALSE) AND f.migration_plan IS NULL AS breaking_without_plan
    FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id
    WHERE d.overdue OR d.days <= $horizon
)
SELECT count(*) FILTER (WHERE overdue) AS overdue,
       count(*) FILTER (WHERE NOT overdue) AS upcoming,
       count(*) FILTER (WHERE breaking_without_plan) AS breaking_without_plan,
       count(*) AS deadlines
FROM d;

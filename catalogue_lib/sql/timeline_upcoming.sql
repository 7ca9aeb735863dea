-- Upcoming deadlines within $horizon days of $as_of for the $limit integrations whose next deadline comes first (the Deprecations timeline).
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
d AS (
    SELECT d.*, f.name, coalesce(f.owner, '(no owner)') AS owner
    FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id
    WHERE NOT d.overdue AND d.days <= $horizon
),
first AS (
    SELECT integration_id, row_number() OVER (ORDER BY min(date), any_value(name), integration_id) AS rank
    FROM d GROUP BY integration_id
)
SELECT d.integration_id, d.name, d.owner, d.kind, d.date, d.days, d.overdue, d.version, d.summary, r.rank,
       d.approximate, d.written, d.derived, d.due_by, d.freeze_name
FROM d JOIN first r USING (integration_id)
WHERE r.rank <= $limit
ORDER BY r.rank, d.date, d.kind;

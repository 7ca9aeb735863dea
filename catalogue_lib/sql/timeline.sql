-- Deadlines within $horizon days of $as_of plus every overdue one ($status: 'all', 'overdue' or 'upcoming'): overdue first, then by date.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT CASE WHEN d.overdue THEN 'OVERDUE' ELSE 'upcoming' END AS status,
       f.name,
       CASE WHEN d.approximate THEN d.written || ' (approximate)' ELSE strftime(d.date, '%Y-%m-%d') END
         || CASE WHEN d.derived THEN ' (derived)' ELSE '' END AS shown_date,
       d.days, d.kind, d.version, d.summary,
       CASE WHEN coalesce(d.breaking, FALSE) AND f.migration_plan IS NULL
            THEN 'migration plan (breaking change)' END AS attention,
       coalesce(f.owner, '(no owner)') AS owner,
       criticality_shown(f.criticality, f.id) AS criticality,
       d.date, d.integration_id, f.type, d.overdue,
       coalesce(d.breaking, FALSE) AS breaking,
       coalesce(d.breaking, FALSE) AND f.migration_plan IS NULL AS breaking_without_plan,
       d.approximate, d.written, d.derived, d.due_by, d.freeze_name, d.on_sunset, d.credential,
       strftime(d.due_by, '%Y-%m-%d') || ' (' || d.freeze_name || ')' AS due_by_freeze
FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id
WHERE (d.overdue OR d.days <= $horizon)
  AND ($status = 'all' OR ($status = 'overdue') = d.overdue)
ORDER BY d.overdue DESC, d.date, f.name, d.kind;

-- The backlog (sql/backlog.sql) narrowed to one kind of work ($kind, or 'all'), each due date as written: a quarter stays a quarter, a derived sunset says so (as the deadline list shows them).
SELECT rank, score, name, item,
       CASE WHEN due IS NULL THEN NULL
            WHEN approximate THEN written || ' (approximate)'
            ELSE strftime(due, '%Y-%m-%d') END
         || CASE WHEN derived THEN ' (derived)' ELSE '' END AS shown_date,
       due_by, owner, action, why, criticality, kind,
       due, days, type, approximate, written, derived, integration_id
FROM ({{backlog}})
WHERE $kind = 'all' OR kind = $kind
ORDER BY rank;

-- One integration's planned changes by date (approximate dates as written; a change without a readable date last).
SELECT coalesce(date_written || ' (approximate)', strftime(date, '%Y-%m-%d'), 'no date') AS date,
       summary, breaking, done, source
FROM planned_changes p WHERE integration_id = $id ORDER BY p.date NULLS LAST, position;

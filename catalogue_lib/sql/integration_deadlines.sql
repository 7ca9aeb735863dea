-- One integration's upcoming and overdue deadlines as of $as_of (approximate dates as written, derived sunsets and freezes marked).
SELECT kind,
       CASE WHEN approximate THEN written || ' (approximate)' ELSE strftime(date, '%Y-%m-%d') END
         || CASE WHEN derived THEN ' (derived)' ELSE '' END AS date,
       days, overdue, due_by, freeze_name AS freeze, version, summary, coalesce(breaking, FALSE) AS breaking
FROM deadlines_as_of($as_of) d
WHERE integration_id = $id
ORDER BY overdue DESC, d.date;

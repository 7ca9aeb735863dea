-- One integration's upcoming and overdue deadlines as of $as_of.
SELECT kind, date, days, overdue, version, summary, coalesce(breaking, FALSE) AS breaking
FROM deadlines_as_of($as_of)
WHERE integration_id = $id
ORDER BY overdue DESC, date;

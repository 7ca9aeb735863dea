-- Every upcoming and overdue deadline as of $as_of, soonest first.
SELECT integration_id AS id, kind, date, days, overdue
FROM deadlines_as_of($as_of)
ORDER BY date, id, kind;

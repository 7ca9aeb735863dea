-- Every upcoming and overdue deadline as of $as_of, soonest first, with its v1.1 flags and freeze.
SELECT integration_id AS id, kind, date, days, overdue, approximate, written, derived,
       due_by, freeze_name, credential, version
FROM deadlines_as_of($as_of)
ORDER BY date, id, kind, version, credential;

-- One integration's incidents, newest first.
SELECT date, failure_mode, severity, summary, postmortem
FROM incidents WHERE integration_id = $id ORDER BY date DESC, position;

-- One integration's planned changes by date.
SELECT date, summary, breaking FROM planned_changes WHERE integration_id = $id ORDER BY date, position;

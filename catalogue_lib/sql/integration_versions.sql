-- One integration's versions in record order.
SELECT version, status, released_on, deprecated_on, sunset_on
FROM versions WHERE integration_id = $id ORDER BY position;

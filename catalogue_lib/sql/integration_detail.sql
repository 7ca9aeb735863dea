-- One integration's stored record row.
SELECT * FROM integrations WHERE id = $id;

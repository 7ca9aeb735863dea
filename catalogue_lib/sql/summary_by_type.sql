-- Integrations per partner type (every record, retired ones included).
SELECT t.type, count(i.id) AS integrations
FROM (VALUES ('shop'), ('carrier')) t(type)
LEFT JOIN integrations i ON i.type = t.type
GROUP BY t.type
ORDER BY t.type DESC;

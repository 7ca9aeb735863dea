-- The backlog (sql/backlog.sql) narrowed to one kind of work ($kind, or 'all').
SELECT * FROM ({{backlog}}) WHERE $kind = 'all' OR kind = $kind ORDER BY rank;

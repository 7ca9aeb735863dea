-- Load problems counted by kind and severity, plus how many files have any.
WITH p AS (SELECT * FROM problems_classified)
SELECT kind, severity, count(*) AS problems, count(DISTINCT path) AS files
FROM p GROUP BY kind, severity ORDER BY problems DESC, kind;

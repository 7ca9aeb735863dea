-- The title a person reads for every scorecard check and level in force (kind: 'check' or 'level').
WITH checks AS (SELECT 'check' AS kind, check_name AS name, title, position FROM scorecard_checks),
levels AS (SELECT 'level' AS kind, level AS name, title, position FROM scorecard_levels)
SELECT kind, name, title FROM checks
UNION ALL
SELECT kind, name, title FROM levels
ORDER BY kind, name;

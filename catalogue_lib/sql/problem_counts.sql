-- Load problems counted by severity.
SELECT
    count(*) FILTER (WHERE severity = 'error') AS errors,
    count(*) FILTER (WHERE severity = 'warning') AS warnings
FROM problems;

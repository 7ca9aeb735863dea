-- Count of active integrations in each state of each governance check, as of $as_of.
WITH results AS (SELECT * FROM check_results($as_of))
SELECT c.check_name,
       count(*) FILTER (WHERE r.state = 'pass') AS pass,
       count(*) FILTER (WHERE r.state = 'fail') AS fail,
       count(*) FILTER (WHERE r.state = 'na') AS na,
       count(*) FILTER (WHERE r.state = 'unknown') AS unknown
FROM checks c
LEFT JOIN results r ON r.check_name = c.check_name
GROUP BY c.check_name, c.position
ORDER BY c.position;

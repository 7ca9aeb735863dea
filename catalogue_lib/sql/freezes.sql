-- (v1.1) The change freezes of calendar.yaml, with how many deadlines of the filtered view as of $as_of are dated inside each (overdue ones too), and the day before it, when it is still to come, by which they are due (a freeze already begun moves no deadline: no due-by day).
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
d AS (SELECT d.* FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id)
SELECT z.name AS freeze, z.from_date, z.to_date,
       CASE WHEN z.from_date > $as_of::DATE THEN z.from_date - 1 END AS due_by,
       count(d.integration_id) AS deadlines_inside
FROM freezes z
LEFT JOIN d ON d.date BETWEEN z.from_date AND z.to_date
GROUP BY ALL
ORDER BY z.from_date, z.name;

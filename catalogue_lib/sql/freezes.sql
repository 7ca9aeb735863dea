-- (v1.1) The change freezes of calendar.yaml, with how many deadlines of the filtered view as of $as_of fall inside each (the day before it is their due_by).
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
d AS (SELECT d.* FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id)
SELECT z.name AS freeze, z.from_date, z.to_date, z.from_date - 1 AS due_by,
       count(d.integration_id) AS deadlines_inside
FROM freezes z
LEFT JOIN d ON d.freeze_name = z.name AND d.due_by = z.from_date - 1
GROUP BY ALL
ORDER BY z.from_date, z.name;

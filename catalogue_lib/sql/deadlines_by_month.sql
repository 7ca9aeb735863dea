-- Deadlines per month and kind within $horizon days of $as_of (overdue ones in their own bucket).
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
d AS (
    SELECT CASE WHEN d.overdue THEN 'overdue' ELSE strftime(d.date, '%Y-%m') END AS month, d.kind
    FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id
    WHERE d.overdue OR d.days <= $horizon
)
SELECT month, kind, count(*) AS deadlines
FROM d
GROUP BY month, kind
ORDER BY month <> 'overdue', month, kind;

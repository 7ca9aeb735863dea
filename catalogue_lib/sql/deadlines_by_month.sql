-- Upcoming deadlines per month and kind from $as_of's month through $horizon days ahead; every month is listed, empty ones with 0.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
months AS (
    SELECT unnest(generate_series(date_trunc('month', $as_of::DATE),
                                  date_trunc('month', $as_of::DATE + $horizon::INTEGER),
                                  INTERVAL 1 MONTH))::DATE AS month
),
d AS (
    SELECT date_trunc('month', d.date)::DATE AS month, d.kind
    FROM deadlines_as_of($as_of) d JOIN f ON f.id = d.integration_id
    WHERE NOT d.overdue AND d.days <= $horizon
)
SELECT m.month, coalesce(d.kind, 'sunset') AS kind, count(d.kind) AS deadlines
FROM months m LEFT JOIN d USING (month)
GROUP BY ALL
ORDER BY m.month, kind;

-- Integration x version for the $limit integrations whose versions need attention first
-- (no current version, then soonest sunset), with status, sunset date and days left as of $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
v AS (SELECT v.* FROM versions v JOIN f ON f.id = v.integration_id),
urgency AS (
    SELECT integration_id,
           bool_or(status = 'current') AS has_current,
           min(sunset_on) FILTER (WHERE status <> 'retired') AS next_sunset
    FROM v GROUP BY integration_id
),
ranked AS (
    SELECT u.*, f.name,
           row_number() OVER (ORDER BY u.has_current, u.next_sunset NULLS LAST, f.name) AS rank
    FROM urgency u JOIN f ON f.id = u.integration_id
)
SELECT r.integration_id, r.name, coalesce(f.owner, '(no owner)') AS owner, f.type,
       v.version, v.status, v.released_on, v.deprecated_on, v.sunset_on,
       v.sunset_on - $as_of::DATE AS days_left, v.position, r.rank,
       v.sunset_written, v.sunset_derived, v.on_sunset
FROM ranked r
JOIN v ON v.integration_id = r.integration_id
JOIN f ON f.id = r.integration_id
WHERE r.rank <= $limit
ORDER BY r.rank, v.position;

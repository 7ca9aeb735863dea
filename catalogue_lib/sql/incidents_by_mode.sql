-- Incidents per failure mode and severity for the filtered active integrations, up to $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired')
SELECT n.failure_mode, coalesce(n.severity, 'unknown') AS severity, count(*) AS incidents,
       min(n.date) AS first, max(n.date) AS last
FROM incidents n JOIN f ON f.id = n.integration_id
WHERE n.date <= $as_of::DATE
GROUP BY ALL
ORDER BY incidents DESC, n.failure_mode, severity;

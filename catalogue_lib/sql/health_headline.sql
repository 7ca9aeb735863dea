-- Headline figures of the health page for the filtered integrations, as of $as_of.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
active AS (SELECT * FROM f WHERE coalesce(stage, 'live') <> 'retired'),
must AS (
    SELECT r.integration_id, bool_and(r.state IN ('pass', 'na')) AS ok
    FROM check_results($as_of) r JOIN checks c USING (check_name)
    WHERE c.must_have AND r.integration_id IN (SELECT id FROM active)
    GROUP BY r.integration_id
),
due AS (
    SELECT d.*, coalesce(d.breaking, FALSE) AND a.migration_plan IS NULL AS breaking_without_plan
    FROM deadlines_as_of($as_of) d JOIN active a ON a.id = d.integration_id
)
SELECT
    (SELECT count(*) FROM f) AS integrations,
    (SELECT count(*) FROM f WHERE type = 'shop') AS shops,
    (SELECT count(*) FROM f WHERE type = 'carrier') AS carriers,
    (SELECT count(*) FROM active) AS active,
    (SELECT count(*) FROM must WHERE ok) AS must_haves_passing,
    (SELECT count(*) FROM due WHERE overdue) AS overdue,
    (SELECT count(*) FROM due WHERE NOT overdue AND days <= 30) AS due_30,
    (SELECT count(*) FROM due WHERE NOT overdue AND days <= 90) AS due_90,
    (SELECT count(*) FROM due WHERE NOT overdue AND breaking_without_plan) AS breaking_without_plan,
    (SELECT count(*) FROM risks
     WHERE integration_id IN (SELECT id FROM active)
       AND risk_points(likelihood, impact) >= 6) AS high_risks,
    (SELECT count(*) FROM incidents
     WHERE integration_id IN (SELECT id FROM active)
       AND date > $as_of::DATE - 90 AND date <= $as_of::DATE) AS incidents_90d;

-- Integration x check states, worst integrations first (most checks not passing), the worst $limit only.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
r AS (
    SELECT r.*, f.name, coalesce(f.owner, '(no owner)') AS owner, f.type, f.criticality
    FROM check_results($as_of) r JOIN f ON f.id = r.integration_id
),
ranked AS (
    SELECT integration_id,
           count(*) FILTER (WHERE state IN ('fail', 'unknown')) AS not_passing,
           count(*) FILTER (WHERE state = 'fail') AS failing
    FROM r GROUP BY integration_id
),
worst AS (
    SELECT *, row_number() OVER (ORDER BY not_passing DESC, failing DESC, integration_id) AS rank
    FROM ranked
)
SELECT r.integration_id, r.name, r.owner, r.type, r.criticality, c.title AS "check", c.position,
       r.state, w.not_passing, w.rank, c.fix
FROM r JOIN worst w USING (integration_id) JOIN checks c USING (check_name)
WHERE w.rank <= $limit
ORDER BY w.rank, c.position;

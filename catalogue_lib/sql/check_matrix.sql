-- Integration x scorecard check states (waivers applied), worst integrations first, the worst $limit only.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
r AS (
    SELECT r.integration_id, r.title AS "check", r.position, r.final_state AS state, r.fix,
           f.name, coalesce(f.owner, '(no owner)') AS owner, f.type, f.criticality
    FROM scorecard_results($as_of) r JOIN f ON f.id = r.integration_id
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
SELECT r.integration_id, r.name, r.owner, r.type, r.criticality, r."check", r.position,
       r.state, w.not_passing, w.rank, r.fix
FROM r JOIN worst w USING (integration_id)
WHERE w.rank <= $limit
ORDER BY w.rank, r.position;

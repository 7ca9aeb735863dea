-- Risk headline for the filtered active integrations as of $as_of: total score, high risks, owners over 30% of the whole catalogue's score (0 where the catalogue has fewer than four owners, as someone then always holds a third; the view may have fewer), recent incidents.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
total AS (SELECT sum(risk_score) AS total FROM integration_risk),
per_owner AS (
    SELECT r.owner, sum(r.risk_score) AS score
    FROM integration_risk r JOIN f ON f.id = r.integration_id
    GROUP BY r.owner
)
SELECT
    (SELECT coalesce(sum(r.risk_score), 0) FROM integration_risk r JOIN f ON f.id = r.integration_id)::BIGINT AS risk_score,
    (SELECT count(*) FROM risks k JOIN f ON f.id = k.integration_id
     WHERE risk_points(k.likelihood, k.impact) >= 6) AS high_risks,
    (SELECT count(*) FROM per_owner, total
     WHERE total.total > 0 AND score / total.total > 0.3
       AND (SELECT count(DISTINCT coalesce(owner, '(no owner)')) FROM integration_risk) >= 4) AS owners_over_30,
    (SELECT count(DISTINCT coalesce(owner, '(no owner)')) FROM f) AS owners,
    (SELECT count(*) FROM incidents n JOIN f ON f.id = n.integration_id
     WHERE n.date > $as_of::DATE - 90 AND n.date <= $as_of::DATE) AS incidents_90d;

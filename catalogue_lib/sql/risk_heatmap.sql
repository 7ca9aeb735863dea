-- Criticality-weighted risk score per owner and risk category for the filtered active integrations: the $top owners by risk score, the rest as "(others)".
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) WHERE coalesce(stage, 'live') <> 'retired'),
scored AS (
    SELECT coalesce(f.owner, '(no owner)') AS owner, k.category,
           risk_points(k.likelihood, k.impact) * level_weight(f.criticality) AS score
    FROM risks k JOIN f ON f.id = k.integration_id
),
ranked AS (
    SELECT owner, row_number() OVER (ORDER BY sum(score) DESC, owner) AS rank FROM scored GROUP BY owner
)
SELECT CASE WHEN r.rank <= $top THEN s.owner ELSE '(others)' END AS owner,
       s.category,
       count(*) AS risks,
       sum(s.score)::BIGINT AS risk_score,
       min(least(r.rank, $top + 1)) AS rank
FROM scored s JOIN ranked r USING (owner)
GROUP BY 1, 2
ORDER BY rank, s.category;

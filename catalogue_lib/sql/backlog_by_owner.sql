-- Backlog items and summed score per owner and kind for the filtered integrations as of $as_of: the $top owners by score, the rest as "(others)".
WITH b AS (
    SELECT b.* FROM backlog_items($as_of) b
    WHERE b.integration_id IN (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
),
ranked AS (SELECT owner, row_number() OVER (ORDER BY sum(score) DESC, owner) AS rank FROM b GROUP BY owner)
SELECT CASE WHEN r.rank <= $top THEN b.owner ELSE '(others)' END AS owner,
       b.kind, count(*) AS items, round(sum(b.score), 1) AS score
FROM b JOIN ranked r USING (owner)
GROUP BY 1, 2
ORDER BY 1, 2;

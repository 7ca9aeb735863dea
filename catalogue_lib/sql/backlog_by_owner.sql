-- Backlog items and summed score per owner and kind, for the filtered integrations as of $as_of.
SELECT b.owner, b.kind, count(*) AS items, round(sum(b.score), 1) AS score
FROM backlog_items($as_of) b
WHERE b.integration_id IN (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
GROUP BY b.owner, b.kind
ORDER BY b.owner, b.kind;

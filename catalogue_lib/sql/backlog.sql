-- The prioritised stability backlog for the filtered integrations as of $as_of: highest score first, then the day it is due by.
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT row_number() OVER (ORDER BY b.score DESC, coalesce(b.due_by, b.due) NULLS LAST, b.name, b.item) AS rank,
       b.score, b.name, b.owner, b.type, b.criticality, b.kind, b.item, b.action, b.due, b.days, b.due_by,
       b.approximate, b.written, b.derived, b.why, b.integration_id
FROM backlog_items($as_of) b
WHERE b.integration_id IN (SELECT id FROM f)
ORDER BY rank;

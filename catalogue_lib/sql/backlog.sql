-- The prioritised stability backlog for the filtered integrations as of $as_of: highest score first; equal scores by the day it is due by (a freeze's eve, else its date), then criticality, then name, then id.
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
SELECT row_number() OVER (
           ORDER BY b.score DESC, coalesce(b.due_by, b.due) NULLS LAST, level_weight(b.criticality) DESC, b.name, b.item, b.integration_id
       ) AS rank,
       b.score, b.name, b.item, b.due, b.due_by, b.owner, b.action, b.why, b.days,
       b.type, b.criticality, b.kind, b.approximate, b.written, b.derived, b.integration_id
FROM backlog_items($as_of) b
WHERE b.integration_id IN (SELECT id FROM f)
ORDER BY rank;

-- One active integration's level and, for the next level up, the checks it still needs (one row each); no row for a retired one.
WITH cur AS (
    SELECT * FROM integration_levels($as_of)
    WHERE integration_id = $id AND integration_id IN (SELECT id FROM active_integrations)
),
nxt AS (
    SELECT sl.level, sl.title FROM scorecard_levels sl, cur
    WHERE sl.position > coalesce(cur.level_position, -1)
    ORDER BY sl.position LIMIT 1
),
missing AS (
    SELECT r.title, r.final_state, r.fix, r.position
    FROM nxt
    JOIN level_checks lc ON lc.level = nxt.level
    JOIN scorecard_results($as_of) r ON r.check_name = lc.check_name AND r.integration_id = $id
    WHERE r.final_state NOT IN ('pass', 'na', 'waived')
)
SELECT cur.level_title AS level, nxt.title AS next_level, m.title AS "check", m.final_state AS state, m.fix
FROM cur
LEFT JOIN nxt ON TRUE
LEFT JOIN missing m ON TRUE
ORDER BY m.position;

-- What changed between consecutive snapshots from $since to $until: records added, removed or retired, checks that flipped, levels that moved, each with its commit.
WITH s AS (
    SELECT snapshot_date, commit, lag(snapshot_date) OVER (ORDER BY snapshot_date) AS prev_date
    FROM snapshots
    WHERE snapshot_date BETWEEN $since::DATE AND $until::DATE
),
f AS (
    SELECT * EXCLUDE (commit) FROM ({{facts_filtered}})
    WHERE snapshot_date BETWEEN $since::DATE AND $until::DATE
),
cur AS (
    SELECT s.snapshot_date AS date, s.commit, f.* EXCLUDE (snapshot_date)
    FROM s JOIN f USING (snapshot_date) WHERE s.prev_date IS NOT NULL
),
prev AS (
    SELECT s.snapshot_date AS date, s.commit, f.* EXCLUDE (snapshot_date)
    FROM s JOIN f ON f.snapshot_date = s.prev_date
),
pairs AS (
    SELECT c.date, c.commit, c.id, c.name, c.owner, p.passing AS old_passing, c.passing AS new_passing,
           p.level AS old_level, c.level AS new_level, p.active AS was_active, c.active AS is_active
    FROM cur c JOIN prev p ON p.date = c.date AND p.id = c.id
),
changes AS (
    SELECT c.date, c.commit, c.id, c.name, c.owner, 'added' AS change, 'record added' AS detail
    FROM cur c ANTI JOIN prev p ON p.date = c.date AND p.id = c.id
    UNION ALL
    SELECT p.date, p.commit, p.id, p.name, p.owner, 'removed', 'record removed'
    FROM prev p ANTI JOIN cur c ON c.date = p.date AND c.id = p.id
    UNION ALL
    SELECT date, commit, id, name, owner, CASE WHEN is_active THEN 'active again' ELSE 'retired' END,
           CASE WHEN is_active THEN 'no longer retired' ELSE 'retired' END
    FROM pairs WHERE was_active <> is_active
    UNION ALL
    SELECT date, commit, id, name, owner, 'check passes', unnest(list_filter(new_passing, lambda x: NOT list_contains(old_passing, x)))
    FROM pairs WHERE was_active AND is_active
    UNION ALL
    SELECT date, commit, id, name, owner, 'check fails', unnest(list_filter(old_passing, lambda x: NOT list_contains(new_passing, x)))
    FROM pairs WHERE was_active AND is_active
    UNION ALL
    SELECT date, commit, id, name, owner, 'level', coalesce(old_level, 'none') || ' -> ' || coalesce(new_level, 'none')
    FROM pairs WHERE old_level IS DISTINCT FROM new_level AND was_active AND is_active
)
SELECT date, left(commit, 10) AS commit, change, detail, id AS integration_id, name, coalesce(owner, '(no owner)') AS owner
FROM changes
ORDER BY date, CASE change WHEN 'added' THEN 0 WHEN 'removed' THEN 1 WHEN 'level' THEN 2 ELSE 3 END, name, detail;

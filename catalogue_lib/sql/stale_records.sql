-- Records whose file has had no commit for more than a year as of $as_of, oldest first.
SELECT i.id AS integration_id, i.name, coalesce(i.owner, '(no owner)') AS owner,
       fc.last_commit, ($as_of::DATE - fc.last_commit) AS commit_age_days, left(fc.commit, 10) AS commit,
       i.reviewed_on, i.source_path
FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) i
JOIN file_commits fc ON fc.source_path = i.source_path
WHERE $as_of::DATE - fc.last_commit > 365
ORDER BY fc.last_commit, i.load_order;

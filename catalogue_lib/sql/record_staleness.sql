-- Each filtered record's last commit and review date, with their ages in days as of $as_of (NULL commit: not committed yet).
SELECT i.id AS integration_id, i.name, coalesce(i.owner, '(no owner)') AS owner,
       fc.last_commit, ($as_of::DATE - fc.last_commit) AS commit_age_days, left(fc.commit, 10) AS commit,
       i.reviewed_on, ($as_of::DATE - i.reviewed_on) AS review_age_days, i.source_path
FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) i
LEFT JOIN file_commits fc ON fc.source_path = i.source_path
ORDER BY fc.last_commit NULLS LAST, i.load_order;

-- One record's last commit and review date, with their ages in days as of $as_of.
SELECT fc.last_commit, ($as_of::DATE - fc.last_commit) AS commit_age_days, left(fc.commit, 10) AS commit,
       i.reviewed_on, ($as_of::DATE - i.reviewed_on) AS review_age_days
FROM integrations i
LEFT JOIN file_commits fc ON fc.source_path = i.source_path
WHERE i.id = $id;

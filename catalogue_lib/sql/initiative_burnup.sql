-- Per stored snapshot: active integrations in an initiative's scope and how many had every wanted check passing, n/a or waived.
SELECT snapshot_date AS date,
       count(*) AS in_scope,
       count(*) FILTER (WHERE len(list_filter($wanted::VARCHAR[], lambda c: NOT list_contains(ok_checks, c))) = 0) AS met
FROM facts
WHERE active
  AND (len($types::VARCHAR[]) = 0 OR list_contains($types::VARCHAR[], type))
  AND (len($criticalities::VARCHAR[]) = 0 OR list_contains($criticalities::VARCHAR[], coalesce(criticality, 'medium')))
  AND (len($owners::VARCHAR[]) = 0 OR list_contains($owners::VARCHAR[], coalesce(owner, '(no owner)')))
  AND (len($ids::VARCHAR[]) = 0 OR list_contains($ids::VARCHAR[], id))
  AND snapshot_date <= $as_of::DATE
GROUP BY snapshot_date
ORDER BY snapshot_date;

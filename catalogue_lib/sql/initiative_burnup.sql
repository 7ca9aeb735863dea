-- Per stored snapshot: active integrations in an initiative's scope (and in the sidebar's filters, as Trends applies them) and how many had every wanted check passing, n/a or waived.
SELECT snapshot_date AS date,
       count(*) AS in_scope,
       count(*) FILTER (WHERE len(list_filter($wanted::VARCHAR[], lambda c: NOT list_contains(ok_checks, c))) = 0) AS met
FROM ({{facts_filtered}})
WHERE active
  AND (len($scope_types::VARCHAR[]) = 0 OR list_contains($scope_types::VARCHAR[], type))
  AND (len($scope_criticalities::VARCHAR[]) = 0 OR list_contains($scope_criticalities::VARCHAR[], coalesce(criticality, 'medium')))
  AND (len($scope_owners::VARCHAR[]) = 0 OR list_contains($scope_owners::VARCHAR[], coalesce(owner, '(no owner)')))
  AND (len($scope_ids::VARCHAR[]) = 0 OR list_contains($scope_ids::VARCHAR[], id))
  AND snapshot_date <= $as_of::DATE
GROUP BY snapshot_date
ORDER BY snapshot_date;

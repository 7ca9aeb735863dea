-- Per stored snapshot: active integrations in an initiative's scope (and in the sidebar's filters, as Trends applies them) and how many had every wanted check passing, n/a or waived. Every snapshot up to the as-of date is a point, a day with nothing in scope too (0 of 0), as Trends keeps every day: the burn-up and its straight line start at the first snapshot.
WITH per AS (
    SELECT snapshot_date,
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
)
SELECT s.snapshot_date AS date, coalesce(p.in_scope, 0) AS in_scope, coalesce(p.met, 0) AS met
FROM snapshots s LEFT JOIN per p USING (snapshot_date)
WHERE s.snapshot_date <= $as_of::DATE
ORDER BY s.snapshot_date;

-- The history store's per-snapshot facts narrowed by the sidebar's filters (as filtered_integrations() narrows the catalogue).
SELECT * FROM facts
WHERE (len($types::VARCHAR[]) = 0 OR list_contains($types::VARCHAR[], type))
  AND (len($owners::VARCHAR[]) = 0 OR list_contains($owners::VARCHAR[], coalesce(owner, '(no owner)')))
  AND (len($partners::VARCHAR[]) = 0 OR list_contains($partners::VARCHAR[], partner))
  AND (len($criticalities::VARCHAR[]) = 0
       OR list_contains($criticalities::VARCHAR[], criticality_shown))
  AND (len($directions::VARCHAR[]) = 0 OR len(list_intersect($directions::VARCHAR[], direction)) > 0)
  AND ($search::VARCHAR IS NULL OR contains(search_text, lower($search::VARCHAR)))

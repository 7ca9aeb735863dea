-- Each initiative's active integrations in scope (and in the sidebar's filters) and how many meet its target, as of $as_of.
WITH s AS (
    SELECT * FROM initiative_scope()
    WHERE integration_id IN (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
),
n AS (SELECT DISTINCT initiative, integration_id FROM initiative_needs($as_of))
SELECT i.name AS initiative, i.due, i.target_level, i.target_checks,
       i.scope_types, i.scope_criticality, i.scope_owners, i.scope_ids,
       count(s.integration_id) AS in_scope,
       count(s.integration_id) FILTER (WHERE n.integration_id IS NULL) AS met
FROM initiatives i
LEFT JOIN s ON s.initiative = i.name
LEFT JOIN n ON n.initiative = s.initiative AND n.integration_id = s.integration_id
GROUP BY i.name, i.position, i.due, i.target_level, i.target_checks,
         i.scope_types, i.scope_criticality, i.scope_owners, i.scope_ids
ORDER BY i.position;

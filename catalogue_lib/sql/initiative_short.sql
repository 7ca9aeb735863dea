-- The integrations (in the sidebar's filters) each initiative still waits for, with the checks each needs and how to fix them, as of $as_of.
SELECT n.initiative, n.integration_id AS id, i.name, coalesce(i.owner, '(no owner)') AS owner,
       i.type, criticality_shown(i.criticality, i.id) AS criticality,
       string_agg(n.title, ', ' ORDER BY c.position) AS needs,
       list({'check': n.check_name, 'state': n.final_state, 'fix': n.fix} ORDER BY c.position) AS checks
FROM initiative_needs($as_of) n
JOIN integrations i ON i.id = n.integration_id
JOIN scorecard_checks c ON c.check_name = n.check_name
WHERE n.integration_id IN (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search))
GROUP BY n.initiative, n.position, n.integration_id, i.id, i.name, i.owner, i.type, i.criticality, i.load_order
ORDER BY n.position, count(*) DESC, i.load_order;

-- Filtered integrations for the record picker, by name.
SELECT id, name, partner, type, coalesce(owner, '(no owner)') AS owner
FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)
ORDER BY name;

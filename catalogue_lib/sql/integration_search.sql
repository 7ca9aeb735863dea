-- Filtered integrations matching the record page's search box ($q, literal, any case), by name; plus $id.
SELECT id, name, partner, type, coalesce(owner, '(no owner)') AS owner
FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)
WHERE $q IS NULL
   OR contains(lower(concat_ws(' ', id, name, partner, owner)), lower($q::VARCHAR))
   OR id = $id
ORDER BY id = $id DESC, name;

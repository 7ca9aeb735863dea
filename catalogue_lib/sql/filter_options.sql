-- Owners and partners present in the catalogue, for the sidebar filters.
SELECT DISTINCT coalesce(owner, '(no owner)') AS owner, partner FROM integrations;

-- Owners, partners and criticalities (as shown) present in the catalogue, for the sidebar filters.
SELECT DISTINCT coalesce(owner, '(no owner)') AS owner, partner,
       criticality_shown(criticality, id) AS criticality
FROM integrations;

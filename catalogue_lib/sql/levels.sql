-- Every integration's scorecard level as of $as_of (NULL: below the first level, or retired), in path order.
SELECT i.id, l.level
FROM integrations i JOIN integration_levels($as_of) l ON l.integration_id = i.id
ORDER BY i.load_order;

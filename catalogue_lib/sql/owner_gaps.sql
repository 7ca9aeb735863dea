-- Integrations whose owner is missing, a role word, or (with an owners.yaml) not in the registry.
WITH named AS (SELECT integration_id, state FROM check_results($as_of) WHERE check_name = 'named_owner'),
registry AS (SELECT lower(team) AS n FROM owner_registry UNION SELECT lower(unnest(aliases)) FROM owner_registry)
SELECT i.id AS integration_id, i.name, coalesce(i.owner, '(no owner)') AS owner,
       CASE WHEN i.owner IS NULL THEN 'no owner'
            WHEN n.state = 'fail' THEN 'a role word, not a named owner'
            ELSE 'not in owners.yaml' END AS problem
FROM integrations i JOIN named n ON n.integration_id = i.id
WHERE n.state = 'fail'
   OR ((SELECT count(*) FROM owner_registry) > 0 AND lower(i.owner) NOT IN (SELECT n FROM registry))
ORDER BY problem, i.name;

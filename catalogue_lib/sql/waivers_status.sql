-- Every waiver of the filtered integrations with its status as of $as_of: active, expiring within 30 days, or expired (the check fails again). A waiver naming no integration of the catalogue (a typo; validate warns) is listed only while no filter narrows the view.
SELECT w.integration_id, i.name, coalesce(i.owner, '(no owner)') AS owner, c.title AS "check",
       w.reason, w.approved_by, w.expires_on, w.expires_on - $as_of::DATE AS days_left,
       CASE WHEN w.expires_on < $as_of::DATE THEN 'expired'
            WHEN w.expires_on - $as_of::DATE <= 30 THEN 'expiring soon'
            ELSE 'active' END AS status
FROM waivers w
LEFT JOIN filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search) i
       ON i.id = w.integration_id
LEFT JOIN scorecard_checks c USING (check_name)
WHERE i.id IS NOT NULL
   OR (w.integration_id NOT IN (SELECT id FROM integrations)
       AND len($types::VARCHAR[]) = 0 AND len($owners::VARCHAR[]) = 0
       AND len($partners::VARCHAR[]) = 0 AND len($criticalities::VARCHAR[]) = 0
       AND len($directions::VARCHAR[]) = 0 AND $search::VARCHAR IS NULL)
ORDER BY status = 'active', w.expires_on;

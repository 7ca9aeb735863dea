-- Every waiver with its status as of $as_of: active, expiring within 30 days, or expired (the check fails again).
SELECT w.integration_id, i.name, coalesce(i.owner, '(no owner)') AS owner, c.title AS "check",
       w.reason, w.approved_by, w.expires_on, w.expires_on - $as_of::DATE AS days_left,
       CASE WHEN w.expires_on < $as_of::DATE THEN 'expired'
            WHEN w.expires_on - $as_of::DATE <= 30 THEN 'expiring soon'
            ELSE 'active' END AS status
FROM waivers w
LEFT JOIN integrations i ON i.id = w.integration_id
LEFT JOIN scorecard_checks c USING (check_name)
ORDER BY status = 'active', w.expires_on;

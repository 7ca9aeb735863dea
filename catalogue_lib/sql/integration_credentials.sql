-- (v1.1) One integration's credentials: auth itself and each of auth.credentials, with expiry and next rotation (a table row's unknown).
WITH listed AS (
    SELECT -1 AS position, 'auth' AS credential, auth_method AS method,
           coalesce(auth_expires_written || ' (approximate)', strftime(auth_expires_on, '%Y-%m-%d')) AS expires_on,
           auth_rotate_every_days AS rotate_every_days, auth_rotated_on AS rotated_on, source_form
    FROM integrations
    WHERE id = $id AND (auth_method IS NOT NULL OR auth_expires_on IS NOT NULL
                        OR auth_rotated_on IS NOT NULL OR auth_rotate_every_days IS NOT NULL)
    UNION ALL
    SELECT position, name, method, coalesce(expires_written || ' (approximate)', strftime(expires_on, '%Y-%m-%d')),
           rotate_every_days, rotated_on, NULL  -- auth.credentials: a record's, never a table row's
    FROM credentials WHERE integration_id = $id
),
shown AS (
    SELECT position, credential, auth_label(method) AS method, expires_on, rotate_every_days, rotated_on,
           rotated_on + rotate_every_days AS next_rotation, source_form
    FROM listed
)
-- a table row states its auth method and nothing else of it (text, then, as the unknown is)
SELECT credential, method, or_table_unknown(expires_on, source_form) AS expires_on,
       or_table_unknown(CAST(rotate_every_days AS VARCHAR), source_form) AS rotate_every_days,
       or_table_unknown(strftime(rotated_on, '%Y-%m-%d'), source_form) AS rotated_on,
       or_table_unknown(strftime(next_rotation, '%Y-%m-%d'), source_form) AS next_rotation
FROM shown ORDER BY position;

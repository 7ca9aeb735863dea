-- One integration's versions in record order (approximate dates as written, derived sunsets marked; what happens at the sunset only where there is one).
SELECT version, status,
       coalesce(released_written || ' (approximate)', strftime(released_on, '%Y-%m-%d')) AS released_on,
       coalesce(deprecated_written || ' (approximate)', strftime(deprecated_on, '%Y-%m-%d')) AS deprecated_on,
       coalesce(sunset_written || ' (approximate)', strftime(sunset_on, '%Y-%m-%d'))
         || CASE WHEN sunset_derived THEN ' (derived)' ELSE '' END AS sunset_on,
       CASE WHEN sunset_on IS NOT NULL THEN on_sunset END AS on_sunset, source
FROM versions WHERE integration_id = $id ORDER BY position;

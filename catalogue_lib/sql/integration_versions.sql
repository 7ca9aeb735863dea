-- One integration's versions in record order (approximate dates as written, derived sunsets marked; what happens at the sunset only where there is one; a table row's dates and what happens at its sunset unknown).
SELECT v.version, v.status,
       or_table_unknown(coalesce(v.released_written || ' (approximate)', strftime(v.released_on, '%Y-%m-%d')),
                        i.source_form) AS released_on,
       or_table_unknown(coalesce(v.deprecated_written || ' (approximate)', strftime(v.deprecated_on, '%Y-%m-%d')),
                        i.source_form) AS deprecated_on,
       or_table_unknown(coalesce(v.sunset_written || ' (approximate)', strftime(v.sunset_on, '%Y-%m-%d'))
                          || CASE WHEN v.sunset_derived THEN ' (derived)' ELSE '' END,
                        i.source_form) AS sunset_on,
       or_table_unknown(CASE WHEN v.sunset_on IS NOT NULL THEN v.on_sunset END, i.source_form) AS on_sunset,
       or_table_unknown(v.source, i.source_form) AS source
FROM versions v JOIN integrations i ON i.id = v.integration_id
WHERE v.integration_id = $id ORDER BY v.position;

-- Every record as stored, in path order, with the source form (for exports).
SELECT id, record_json, source_form
FROM integrations
ORDER BY load_order;

-- Every load problem with its kind, errors first, in file order.
SELECT path, line, severity,
       CASE
           WHEN message LIKE 'invalid YAML%' OR message LIKE 'invalid JSON%' OR message LIKE 'invalid CSV%' THEN 'unreadable syntax'
           WHEN message LIKE '%unknown key%' THEN 'unknown key'
           WHEN message LIKE 'duplicate id%' THEN 'duplicate id'
           WHEN message LIKE 'duplicate key%' THEN 'duplicate key'
           WHEN message LIKE '%missing required field%' THEN 'missing required field'
           WHEN message LIKE '%binary%' OR message LIKE '%UTF-8%' OR message LIKE '%too large%'
                OR message LIKE '%alias bomb%' OR message LIKE '%nesting%' THEN 'unreadable file'
           WHEN message LIKE 'empty file%' THEN 'empty file'
           WHEN message LIKE '%cells%' OR message LIKE '%header%' OR message LIKE '%column%' THEN 'table shape'
           ELSE 'invalid value'
       END AS kind,
       message
FROM problems
ORDER BY severity = 'error' DESC, path, line NULLS FIRST;

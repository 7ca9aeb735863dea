-- Every load problem with its kind, errors first, in file order.
SELECT path, line, severity, kind, message
FROM problems_classified
ORDER BY severity = 'error' DESC, path, line NULLS FIRST;

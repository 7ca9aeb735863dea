-- How many files have at least one load problem.
SELECT count(DISTINCT path) AS files FROM problems;

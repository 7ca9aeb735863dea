-- One integration's scorecard checks as of $as_of: state (waivers applied), weight, fix, waiver and the check's name (none when retired).
SELECT r.title AS "check", r.final_state AS state, r.weight,
       CASE WHEN r.final_state IN ('fail', 'unknown') THEN r.fix END AS fix,
       CASE WHEN r.waiver_expires_on IS NOT NULL
            THEN r.waiver_reason || ' (approved by ' || r.waiver_approved_by || ', until '
                 || strftime(r.waiver_expires_on, '%Y-%m-%d') || ')' END AS waiver,
       r.check_name
FROM scorecard_results($as_of) r
WHERE r.integration_id = $id
ORDER BY r.position;

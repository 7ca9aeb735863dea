-- Coverage headline for the filtered active integrations as of $as_of: gaps are failing or unknown checks (waived ones counted apart); no share (NULL) without an applicable check.
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
r AS (SELECT r.* FROM scorecard_results($as_of) r JOIN f ON f.id = r.integration_id)
SELECT
    count(*) FILTER (WHERE final_state IN ('fail', 'unknown')) AS gaps,
    count(*) FILTER (WHERE final_state = 'fail') AS failing,
    count(*) FILTER (WHERE final_state = 'unknown') AS unknown,
    count(*) FILTER (WHERE final_state = 'waived') AS waived,
    count(DISTINCT integration_id) FILTER (WHERE final_state IN ('fail', 'unknown')) AS integrations_with_gaps,
    count(DISTINCT integration_id) AS active,
    count(*) FILTER (WHERE final_state = 'pass')
        / nullif(count(*) FILTER (WHERE final_state <> 'na'), 0) AS share_passing
FROM r;

-- Active filtered integrations per scorecard check and state as of $as_of, with each check's share passing (of those it applies to; NULL, no share, for a check n/a for all of them, as on Coverage).
WITH f AS (SELECT id FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
r AS (SELECT r.* FROM scorecard_results($as_of) r JOIN f ON f.id = r.integration_id),
per AS (
    SELECT check_name, final_state AS state, any_value(title) AS title, any_value(position) AS position,
           count(*) AS integrations
    FROM r GROUP BY check_name, final_state
),
share AS (
    SELECT check_name,
           count(*) FILTER (WHERE final_state = 'pass') / nullif(count(*) FILTER (WHERE final_state <> 'na'), 0) AS share_passing
    FROM r GROUP BY check_name
)
SELECT p.title, p.position, p.state, p.integrations, s.share_passing
FROM per p JOIN share s USING (check_name)
ORDER BY p.position, p.state;

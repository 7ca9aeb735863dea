-- Every filtered integration with its level, gaps, risk and next deadline as of $as_of (as written: approximate and derived marked; a table row's unknown, as the table states no dates), sorted by $sort (name | gaps | risk | deadline): the Integration page's list.
WITH f AS (SELECT * FROM filtered_integrations($types, $owners, $partners, $criticalities, $directions, $search)),
gaps AS (
    SELECT integration_id, count(*) FILTER (WHERE final_state IN ('fail', 'unknown')) AS gaps
    FROM scorecard_results($as_of) GROUP BY integration_id
),
next AS (
    SELECT integration_id, min(date) AS next_day,
           arg_min(CASE WHEN approximate THEN written || ' (approximate)' ELSE strftime(date, '%Y-%m-%d') END
                     || CASE WHEN derived THEN ' (derived)' ELSE '' END, (date, kind)) AS next_deadline,
           count(*) FILTER (WHERE overdue) AS overdue
    FROM deadlines_as_of($as_of) GROUP BY integration_id
),
rows AS (
    SELECT f.id AS integration_id, f.name, f.partner, f.type, coalesce(f.owner, '(no owner)') AS owner,
           criticality_shown(f.criticality, f.id) AS criticality, coalesce(f.stage, 'live') AS stage,
           CASE WHEN coalesce(f.stage, 'live') = 'retired' THEN 'retired' ELSE coalesce(l.level_title, 'No level') END AS level,
           g.gaps, r.risk_score,
           -- none overdue is 0 for an active record; a table row cannot say, a retired one has no deadlines
           CASE WHEN coalesce(f.stage, 'live') = 'retired' THEN NULL
                WHEN table_row(f.source_form) THEN n.overdue ELSE coalesce(n.overdue, 0) END AS overdue,
           CASE WHEN coalesce(f.stage, 'live') <> 'retired'
                THEN or_table_unknown(n.next_deadline, f.source_form) END AS next_deadline, n.next_day
    FROM f
    LEFT JOIN integration_levels($as_of) l ON l.integration_id = f.id
    LEFT JOIN gaps g ON g.integration_id = f.id
    LEFT JOIN integration_risk r ON r.integration_id = f.id
    LEFT JOIN next n ON n.integration_id = f.id
)
SELECT * EXCLUDE (next_day) FROM rows
ORDER BY CASE WHEN $sort = 'gaps' THEN gaps END DESC NULLS LAST,
         CASE WHEN $sort = 'risk' THEN risk_score END DESC NULLS LAST,
         CASE WHEN $sort = 'deadline' THEN next_day END ASC NULLS LAST,
         name, integration_id;

"""Integration: every integration in a sortable list, and one record as the template's one-page record."""

import streamlit as st

from catalogue_lib import staleness, ui
from catalogue_lib.present import empty_list_caption, is_table_row, md, record_sections

f = ui.page("Integration", "What do we know about each integration, and what does it still need?")
chosen = st.query_params.get("id")
record = ui.query("integration_detail", id=chosen) if chosen else None
if record is None or record.empty:
    if chosen:
        st.warning(f"No integration with id {md(chosen)} in this catalogue.")
    sorts = {
        "name": "Name",
        "gaps": "Most gaps",
        "risk": "Highest risk",
        "deadline": "Next deadline",
    }
    sort = st.segmented_control(
        "Sort by", list(sorts), default="name", format_func=sorts.get, key="sort"
    )
    ui.big_table(
        "integration_overview",
        sort=sort or "name",
        hide=("stage",),
        height="content",
        # tight, so that a table row's "unknown (not in the table)" fits at 1440 px
        column_config={
            "partner": st.column_config.TextColumn(width=96),
            "type": st.column_config.TextColumn("Type"),
            "criticality": st.column_config.TextColumn(width=68),
            "level": st.column_config.TextColumn(width=62),
            "gaps": st.column_config.Column(width=45),
            "risk_score": st.column_config.Column(width=66),
            "overdue": st.column_config.Column(width=60),
            "next_deadline": st.column_config.TextColumn(width=168),
        },
    )
    ui.done()
    st.stop()

r = record.iloc[0]
ui.keep_in_url({"id": chosen}, owned={"id"})
checks = ui.query("integration_checks", id=chosen)
score = ui.query("integration_score", id=chosen)
level = ui.query("integration_level", id=chosen)

ui.rows_link("integration", "All integrations")
st.header(md(r["name"]))
# as Coverage counts: pass or n/a; a waived check is an approved exception, not a pass
passing = int(checks["state"].isin(["pass", "na"]).sum())
waived = int((checks["state"] == "waived").sum())
cols = st.columns(5)
cols[0].metric(
    "Scorecard level",
    (level["level"].dropna().tolist() or ["No level"])[0] if len(level) else "retired",
)
cols[1].metric(
    "Checks passing",
    f"{passing} of {len(checks)}" if len(checks) else "retired",
    f"{waived} waived" if waived else None,
    delta_color="gray",
    delta_arrow="off",
)
cols[2].metric("Risk score", f"{int(score['risk_score'].iloc[0]) if len(score) else 0:,}")
unknown = set(checks.loc[checks["state"] == "unknown", "check_name"])
crit = r["criticality"] if isinstance(r["criticality"], str) else "not set"
cols[3].metric("Criticality", "unknown" if "criticality_set" in unknown else crit)
cols[4].metric("Stage", r["stage"] if isinstance(r["stage"], str) else "live")
table_row = is_table_row(r)
if table_row:
    st.info(
        "This integration comes from a table row: facts the table cannot state are shown as unknown."
    )

ui.record_sections(record_sections(r, unknown))
needs = level.dropna(subset=["check"])
if len(level) and level["next_level"].notna().any():
    st.subheader(f"What {md(level['next_level'].dropna().iloc[0])} needs")
    ui.table(needs[["check", "state", "fix"]], f"next-level-{chosen}")
elif len(level):
    st.success("Top scorecard level reached.")
for title, name in [
    ("Checks", "integration_checks"),
    ("Deadlines", "integration_deadlines"),
    ("Credentials", "integration_credentials"),
    ("Versions", "integration_versions"),
    ("Planned changes", "integration_changes"),
    ("Known failure modes: risks", "integration_risks"),
    ("Incidents", "integration_incidents"),
]:
    st.subheader(title)
    rows = checks if name == "integration_checks" else ui.query(name, id=chosen)
    if rows.empty:
        st.caption(empty_list_caption(name, table_row, r["stage"] == "retired"))
    else:
        ui.table(rows, f"{name.removeprefix('integration_')}-{chosen}", hide=("check_name",))
staleness.ensure(ui.current()[0])
st.caption(staleness.caption(ui.query("integration_staleness", id=chosen)))
line = r["source_line"]
st.caption(f"Source: {md(r['source_path'])}{'' if line != line or not line else f':{int(line)}'}")
ui.done()

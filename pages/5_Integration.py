"""Integration: one record laid out as the template's one-page record, with its checks, deadlines and risks."""

import streamlit as st

from catalogue_lib import ui
from catalogue_lib.present import md

f = ui.page(
    "Integration", "The one-page record of an integration, as the catalogue template lays it out."
)
wanted = st.query_params.get("id") or st.session_state.get("_record")
search = st.text_input(
    "Find an integration", key="record_search", placeholder="name, id, partner or owner"
)
listing = ui.query_page("integration_search", 200, q=search.strip() or None, id=wanted)
ids = listing["id"].tolist()
labels = {r.id: f"{r.name} — {r.partner} ({r.type}, {r.owner})" for r in listing.itertuples()}
chosen = st.selectbox(
    f"Integration ({len(ids)} shown)",
    ids,
    index=ids.index(wanted) if wanted in ids else None,
    format_func=labels.get,
    placeholder="Choose one of the matches",
)
if chosen is None:
    st.info(
        f"{ui.query_count('integration_list'):,} integrations match the filters. Search, then choose one."
    )
    st.stop()
st.session_state["_record"] = chosen
ui.keep_in_url({"id": chosen}, owned={"id"})
r = ui.query("integration_detail", id=chosen).iloc[0]
checks = ui.query("integration_checks", id=chosen)
score = ui.query("integration_score", id=chosen)
level = ui.query("integration_level", id=chosen)

st.header(md(r["name"]))
passing = int((checks["state"].isin(["pass", "na"])).sum())
cols = st.columns(5)
cols[4].metric(
    "Scorecard level",
    (level["level"].dropna().tolist() or ["none"])[0] if len(level) else "retired",
)
cols[0].metric("Checks passing", f"{passing} of {len(checks)}" if len(checks) else "retired")
cols[1].metric("Risk score", int(score["risk_score"].iloc[0]) if len(score) else 0)
cols[2].metric("Criticality", r["criticality"] or "not set")
cols[3].metric("Stage", r["stage"] or "live")
if r["source_form"] in ("markdown", "csv"):
    st.info(
        "This integration comes from a table row: facts the table cannot state are shown as unknown."
    )

ui.record_sections(r)
needs = level.dropna(subset=["check"])
if len(level) and level["next_level"].notna().any():
    st.subheader(f"What {md(level['next_level'].dropna().iloc[0])} needs")
    ui.table(needs[["check", "state", "fix"]], f"next-level-{chosen}")
elif len(level):
    st.success("Top scorecard level reached.")
st.subheader("Checks")
ui.table(checks, f"checks-{chosen}")
for title, name in [
    ("Deadlines", "integration_deadlines"),
    ("Credentials", "integration_credentials"),
    ("Versions", "integration_versions"),
    ("Planned changes", "integration_changes"),
    ("Known failure modes: risks", "integration_risks"),
    ("Incidents", "integration_incidents"),
]:
    st.subheader(title)
    ui.table(ui.query(name, id=chosen), f"{name.removeprefix('integration_')}-{chosen}")
st.caption(
    f"Source: {md(r['source_path'])}{':' + str(int(r['source_line'])) if r['source_line'] == r['source_line'] and r['source_line'] else ''}"
)

"""Data quality: every problem found while loading the catalogue, counted by kind."""

import streamlit as st

from catalogue_lib import charts, staleness, ui

f = ui.page(
    "Data quality",
    "What could not be read? Every problem found while reading the catalogue files: errors drop a "
    "record or a value, warnings do not.",
)
kinds = ui.query("problem_kinds")
files = ui.query("problem_files").iloc[0]

cols = st.columns(3)
cols[0].metric(
    "Errors", f"{int(kinds.loc[kinds['severity'] == 'error', 'problems'].sum()):,}", border=True
)
cols[1].metric(
    "Warnings", f"{int(kinds.loc[kinds['severity'] == 'warning', 'problems'].sum()):,}", border=True
)
cols[2].metric("Files with problems", f"{int(files.files):,}", border=True)
if kinds.empty:
    st.success("Every catalogue file loaded cleanly.")
else:
    ui.chart(charts.problems_by_kind(kinds, "Problems by kind"), key="kinds")
    ui.big_table("problems")

st.subheader("Ownership gaps")
st.caption(
    "Integrations with no owner, a role word instead of a named owner, or an owner missing from owners.yaml."
)
ui.big_table("owner_gaps")

st.subheader("Untouched for more than a year")
st.caption(
    "Records whose file has had no commit in git for more than a year, next to their review date."
)
staleness.ensure(ui.current()[0])
ui.big_table("stale_records", hide=("integration_id",))
ui.done()

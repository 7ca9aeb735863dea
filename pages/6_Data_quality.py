"""Data quality: every problem found while loading the catalogue, counted by kind."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Data quality",
    "Every problem found while reading the catalogue files: errors drop a record, warnings do not.",
)
problems = ui.query("problems")

cols = st.columns(3)
cols[0].metric("Errors", int((problems["severity"] == "error").sum()))
cols[1].metric("Warnings", int((problems["severity"] == "warning").sum()))
cols[2].metric("Files with problems", problems["path"].nunique())
if problems.empty:
    st.success("Every catalogue file loaded cleanly.")
else:
    ui.chart(charts.problems_by_kind(problems, "Problems by kind"), key="kinds")
ui.table(problems, "load-problems")

owners = ui.query("owner_gaps")
st.subheader(f"Ownership gaps ({len(owners)})")
st.caption(
    "Integrations with no owner, a role word instead of a named owner, or an owner missing from owners.yaml."
)
ui.table(owners, "ownership-gaps", column_config={"integration_id": None})

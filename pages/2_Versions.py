"""Versions: the version support matrix, sunsets and days left."""

import streamlit as st

from catalogue_lib import lifecycle_charts, present, ui

f = ui.page("Versions", "Which partner API versions do we run, and when do they stop working?")
callouts = ui.query("version_callout_counts").iloc[0]

cols = st.columns(3)
cols[0].metric("No current version", f"{int(callouts.no_current):,}", border=True)
cols[1].metric("More than two live versions", f"{int(callouts.too_many):,}", border=True)
cols[2].metric("Past their sunset, still listed", f"{int(callouts.past_sunset):,}", border=True)
matrix = ui.query("version_matrix", limit=30)
choices = present.row_choices(int(matrix["rank"].max()) if not matrix.empty else 0)
limit = present.row_limit_default(choices)
if len(choices) > 1:
    limit = st.select_slider(
        "Integrations in the matrix (no current version first, then soonest sunset)",
        choices,
        value=limit,
    )
matrix = matrix[matrix["rank"] <= limit]
ui.chart(
    lifecycle_charts.version_matrix(
        matrix, "Version support matrix: click a row to open the integration", ui.filtered()
    ),
    key="matrix",
    opens_record=True,
)
with st.expander(f"Integrations that need attention ({int(callouts.integrations):,})"):
    ui.big_table("version_callouts", page_size=25, hide=("no_current", "too_many"))
st.subheader("All versions")
ui.big_table("versions_all", hide=("type",))
ui.done()

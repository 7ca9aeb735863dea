"""Versions: the version support matrix, sunsets and days left."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Versions",
    f"Every partner API version we integrate with, by status, with sunset dates and days left as of {ui.as_of()}.",
)
callouts = ui.query_count("version_callouts")
if callouts == 0:
    st.success("Every integration has a current version and at most two live versions.")
else:
    st.warning(
        f"{callouts} integrations need attention: no current version, or more than two live versions."
    )
    ui.big_table("version_callouts", page_size=50, hide=("integration_id",))

limit = st.slider(
    "Integrations in the matrix (no current version first, then soonest sunset)",
    10,
    200,
    40,
    step=10,
)
matrix = ui.query("version_matrix", limit=limit)
ui.chart(
    charts.version_matrix(
        matrix, "Version support matrix (label: version, sunset date and days left)"
    ),
    key="matrix",
)
st.subheader("All versions")
ui.big_table(
    "versions_all",
    hide=("integration_id",),
    column_config={"days_left": st.column_config.NumberColumn("days left")},
)

"""Versions: the version support matrix, sunsets and days left."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Versions",
    f"Every partner API version we integrate with, by status, with sunset dates and days left as of {ui.as_of()}.",
)
matrix = ui.query("version_matrix")
callouts = ui.query("version_callouts")

if callouts.empty:
    st.success("Every integration has a current version and at most two live versions.")
else:
    st.warning(
        f"{len(callouts)} integrations need attention: no current version, or more than two live versions.",
    )
    ui.table(callouts, "version-callouts", column_config={"integration_id": None})

ui.chart(
    charts.version_matrix(
        matrix, "Version support matrix (label: version, sunset date and days left)"
    ),
    key="matrix",
)
st.subheader("All versions")
ui.table(
    matrix.drop(columns=["position"]),
    "versions",
    column_config={"integration_id": None, "days_left": st.column_config.NumberColumn("days left")},
)

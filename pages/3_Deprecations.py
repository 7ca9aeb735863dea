"""Deprecations: every deadline within a horizon, overdue first."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Deprecations",
    f"Sunsets, deprecations, planned partner changes and credential expiries, as of {ui.as_of()}.",
)
choices = [30, 90, 180, 365]
asked = st.query_params.get("horizon", "90")
horizon = (
    st.segmented_control(
        "Horizon",
        choices,
        default=int(asked) if asked in {"30", "90", "180", "365"} else 90,
        format_func=lambda d: f"{d} days",
        key="horizon",
    )
    or 90
)
ui.keep_in_url({"horizon": str(horizon)}, owned={"horizon"})
timeline = ui.query("timeline", horizon=horizon)
months = ui.query("deadlines_by_month", horizon=horizon)

overdue = timeline[timeline["overdue"]]
unplanned = timeline[timeline["breaking_without_plan"]]
cols = st.columns(3)
cols[0].metric("Overdue", len(overdue))
cols[1].metric(f"Due in {horizon} days", len(timeline) - len(overdue))
cols[2].metric("Breaking changes without a migration plan", len(unplanned))

ui.chart(
    charts.timeline(
        timeline, f"Deadlines in the next {horizon} days, and every overdue one (diamonds)"
    ),
    key="timeline",
)
ui.chart(charts.deadlines_by_month(months, "Deadlines per month"), key="months")
st.subheader("Deadlines, overdue first")
shown = timeline.assign(
    status=timeline["overdue"].map({True: "OVERDUE", False: "upcoming"}),
    attention=timeline["breaking_without_plan"].map(
        {True: "breaking, no migration plan", False: ""}
    ),
)
ui.table(
    shown[
        [
            "status",
            "date",
            "days",
            "name",
            "kind",
            "version",
            "summary",
            "attention",
            "owner",
            "criticality",
        ]
    ],
    "deadlines",
)

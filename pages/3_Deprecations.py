"""Deprecations: what is overdue, what falls due next, and when."""

import streamlit as st

from catalogue_lib import figures, lifecycle_charts, ui

f = ui.page(
    "Deprecations",
    "What is overdue, and what falls due next? Sunsets, deprecations, planned partner changes and "
    "credential expiries.",
)
ui.url_choice("horizon", list(figures.HORIZONS), 90)
horizon = (
    st.segmented_control(
        "Horizon", figures.HORIZONS, format_func=lambda d: f"{d} days", key="horizon"
    )
    or 90
)
ui.choice_in_url("horizon", horizon, 90)
d = figures.deprecations(ui.query, horizon)
upcoming = ui.query("timeline_upcoming", horizon=horizon, limit=25)
months = ui.query("deadlines_by_month", horizon=horizon)
freezes = ui.query("freezes")

cols = st.columns(3)
cols[0].metric("Overdue", f"{d['overdue']:,}", help="Already past and still in use", border=True)
cols[1].metric(f"Due in {horizon} days", f"{d['upcoming']:,}", border=True)
cols[2].metric(
    "Breaking changes without a plan",
    f"{d['breaking_without_plan']:,}",
    help="Breaking partner changes at any date ahead with no migration plan (as the backlog counts them)",
    border=True,
)
shown = upcoming["integration_id"].nunique()
ui.chart(
    lifecycle_charts.timeline(
        upcoming,
        f"Next deadlines of the {shown} integrations due first (click one to open it)",
        ui.as_of(),
        ui.filtered(),
        horizon,
        freezes,
    ),
    key="timeline",
    opens_record=True,
)
ui.chart(
    lifecycle_charts.deadlines_by_month(
        months, f"Deadlines per month, next {horizon} days", ui.as_of(), ui.filtered(), freezes
    ),
    key="months",
)
# the integration first and its due date once (as written: "Due"), so the table reads without
# scrolling sideways at 1440 px
extra = ("date", "type", "overdue", "breaking", "breaking_without_plan")
extra += ("approximate", "written", "derived", "on_sunset", "credential")  # v1.1: see shown_date
extra += ("due_by", "freeze_name") + (() if len(freezes) else ("due_by_freeze",))  # in one column
tab_overdue, tab_all = st.tabs([f"Overdue ({d['overdue']:,})", f"Everything within {horizon} days"])
with tab_overdue:
    ui.big_table(
        "timeline",
        key="overdue",
        horizon=horizon,
        status="overdue",
        hide=("status", "attention", *extra),  # never overdue, a planned change needs no plan here
    )
with tab_all:
    ui.big_table("timeline", key="deadlines", horizon=horizon, status="all", hide=extra)
if len(freezes):
    st.subheader("Change freezes (calendar.yaml): a deadline inside one is due by the day before")
    ui.table(freezes, "freezes")
ui.done()

"""Deprecations: every deadline within a horizon, overdue first."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Deprecations",
    f"Sunsets, deprecations, planned partner changes and credential expiries, as of {ui.as_of()}.",
)
choices = [30, 90, 180, 365]
asked = st.query_params.get("horizon", "90")
default = int(asked) if asked in {"30", "90", "180", "365"} else 90
horizon = (
    st.segmented_control(
        "Horizon", choices, default=default, format_func=lambda d: f"{d} days", key="horizon"
    )
    or 90
)
ui.keep_in_url({"horizon": str(horizon)}, owned={"horizon"})
counts = ui.query("timeline_counts", horizon=horizon).iloc[0]
first = ui.query_page("timeline", 300, horizon=horizon)
months = ui.query("deadlines_by_month", horizon=horizon)

cols = st.columns(3)
cols[0].metric("Overdue", int(counts.overdue))
cols[1].metric(f"Due in {horizon} days", int(counts.upcoming))
cols[2].metric("Breaking changes without a migration plan", int(counts.breaking_without_plan))

title = f"Deadlines in the next {horizon} days, and every overdue one (diamonds)"
if counts.deadlines > len(first):
    title = f"The first {len(first)} of {int(counts.deadlines):,} deadlines (overdue first, then soonest)"
ui.chart(charts.timeline(first, title), key="timeline")
ui.chart(charts.deadlines_by_month(months, "Deadlines per month"), key="months")
st.subheader("Deadlines, overdue first")
columns = [
    "status",
    "shown_date",
    "days",
    "due_by",
    "freeze_name",
    "name",
    "kind",
    "version",
    "summary",
    "attention",
    "owner",
    "criticality",
]
hidden = tuple(c for c in first.columns if c not in columns)
ui.big_table("timeline", hide=hidden, horizon=horizon)
freezes = ui.query("freezes")
if len(freezes):
    st.subheader("Change freezes (calendar.yaml): a deadline inside one is due by the day before")
    ui.table(freezes, "freezes")

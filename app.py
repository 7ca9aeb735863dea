"""Ecosystem health: the headline figures, each leading to the page that explains it."""

import streamlit as st

from catalogue_lib import charts, ui
from catalogue_lib.present import month_table

f = ui.page(
    "Ecosystem health", "How many integrations we run, how well they are governed, and what is due."
)
h = ui.query("health_headline").iloc[0]
by_type = ui.query("coverage_by_group", group="type")
months = ui.query("deadlines_by_month", horizon=365)

must = h.must_haves_passing / h.active if h.active else 0
cols = st.columns(4)
cols[0].metric("Integrations", int(h.integrations), help="Every record, retired ones included")
cols[0].caption(f"{int(h.shops)} shops · {int(h.carriers)} carriers")
cols[0].page_link(ui.PAGES["integration"], label="Open a record")
cols[1].metric(
    "Passing the must-haves",
    f"{must:.0%}",
    help="Named owner, dashboard, alert rules and runbook all pass",
)
cols[1].caption(f"{int(h.must_haves_passing)} of {int(h.active)} active integrations")
cols[1].page_link(ui.PAGES["coverage"], label="See the gaps")
cols[2].metric("Overdue deadlines", int(h.overdue))
cols[2].caption(f"{int(h.due_30)} due in 30 days · {int(h.due_90)} in 90 days")
cols[2].page_link(ui.PAGES["deprecations"], label="See the deadlines")
cols[3].metric(
    "High risks", int(h.high_risks), help="Risks scoring likelihood x impact of 6 or more"
)
cols[3].caption(f"{int(h.incidents_90d)} incidents in the last 90 days")
cols[3].page_link(ui.PAGES["risk"], label="See where risk sits")

left, right = st.columns(2)
with left:
    ui.chart(
        charts.coverage_bars(by_type, "Share passing each check, by partner type"), key="coverage"
    )
with right:
    ui.chart(charts.deadlines_by_month(months, "Deadlines per month, next 12 months"), key="months")
    ui.table(month_table(months), "deadlines-by-month")

ui.level_tabs()

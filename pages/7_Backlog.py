"""Backlog: every gap, deadline, breaking change and high risk, ranked so the first ten are what to do next."""

import streamlit as st

from catalogue_lib import charts, ui
from catalogue_lib.report import SCORING_RULE

f = ui.page(
    "Backlog",
    "The prioritised stability backlog: what to fix first, and why it ranks where it does.",
)
items = ui.query("backlog")
st.info(f"**How items are scored.** {SCORING_RULE}")

cols = st.columns(4)
cols[0].metric("Work items", len(items))
cols[1].metric("Overdue", int((items["kind"] == "overdue").sum()))
cols[2].metric(
    "Breaking changes without a plan", int((items["kind"] == "breaking change without plan").sum())
)
cols[3].metric("Gaps", int((items["kind"] == "gap").sum()))

st.subheader("The ten things to do first")
columns = ["rank", "score", "name", "item", "why", "due", "owner", "action"]
config = {
    "due": st.column_config.DateColumn("due", format="YYYY-MM-DD"),
    "why": st.column_config.TextColumn("why it ranks here", width="large"),
    "item": st.column_config.TextColumn("item", width="medium"),
}
ui.table(items.head(10)[columns], "backlog-top-10", column_config=config)
ui.chart(
    charts.backlog_by_owner(items, "Where the work sits: backlog score per owner"), key="by_owner"
)
st.subheader(f"Every item ({len(items)})")
ui.table(
    items[[*columns, "kind", "criticality", "integration_id"]], "backlog", column_config=config
)

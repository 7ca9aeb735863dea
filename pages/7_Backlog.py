"""Backlog: every gap, deadline, breaking change and high risk, ranked so the first ten are what to do next."""

import streamlit as st

from catalogue_lib import charts, ui
from catalogue_lib.report import SCORING_RULE

f = ui.page(
    "Backlog",
    "The prioritised stability backlog: what to fix first, and why it ranks where it does.",
)
summary = ui.query("backlog_summary").set_index("kind")["items"]
top = ui.query_page("backlog", 10)
by_owner = ui.query("backlog_by_owner")
st.info(f"**How items are scored.** {SCORING_RULE}")

cols = st.columns(4)
cols[0].metric("Work items", int(summary.sum()))
cols[1].metric("Overdue", int(summary.get("overdue", 0)))
cols[2].metric(
    "Breaking changes without a plan", int(summary.get("breaking change without plan", 0))
)
cols[3].metric("Gaps", int(summary.get("gap", 0)))

columns = ["rank", "score", "name", "item", "why", "due", "owner", "action"]
config = {
    "due": st.column_config.DateColumn("due", format="YYYY-MM-DD"),
    "why": st.column_config.TextColumn("why it ranks here", width="large"),
    "item": st.column_config.TextColumn("item", width="medium"),
}
st.subheader("The ten things to do first")
ui.table(top[columns], "backlog-top-10", column_config=config)
ui.chart(
    charts.backlog_by_owner(by_owner, "Where the work sits: backlog score per owner"),
    key="by_owner",
)
st.subheader("Every item")
ui.big_table("backlog", column_config=config, hide=("integration_id",))

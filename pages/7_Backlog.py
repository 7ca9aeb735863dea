"""Backlog: every gap, deadline, breaking change and high risk, ranked so the first ten are what to do next."""

import streamlit as st

from catalogue_lib import charts, figures, ui
from catalogue_lib.present import BACKLOG_KIND_LABELS, top_title
from catalogue_lib.report import SCORING_RULE, TIE_BREAK

f = ui.page("Backlog", "What stability work comes next, and why does it rank where it does?")
b = figures.backlog(ui.query)
top = ui.query_page("backlog", 10)
by_owner = ui.query("backlog_by_owner", top=12)

cols = st.columns(4)
cols[0].metric("Work items", f"{b['items']:,}", border=True)
cols[1].metric("Overdue", f"{b['overdue']:,}", border=True)
with cols[1]:
    ui.rows_link("backlog", "List them", kind="overdue")
cols[2].metric("Breaking changes without a plan", f"{b['breaking_without_plan']:,}", border=True)
with cols[2]:
    ui.rows_link("backlog", "List them", kind="breaking change without plan")
cols[3].metric(
    "Check gaps",
    f"{b['gaps']:,}",
    help=f"Failing or unknown checks, as on Coverage. {b['gaps'] - b['gap_items']:,} of them are the "
    "missing migration plan of a breaking change, listed once as that change.",
    border=True,
)
with st.expander("How items are scored and ordered"):
    st.write(f"{SCORING_RULE} {TIE_BREAK}")

st.subheader("The ten things to do first")
st.caption(TIE_BREAK)
ui.ranked_items(top)
ui.chart(
    charts.backlog_by_owner(
        by_owner,
        top_title("Where the work sits: backlog score per owner", by_owner["owner"], 12),
        ui.filtered(),
    ),
    key="by_owner",
)
st.subheader("Every item")
kinds = ["all", *BACKLOG_KIND_LABELS]
ui.url_choice("kind", kinds, "all")
kind = st.selectbox(
    "Kind of work",
    kinds,
    format_func=lambda k: BACKLOG_KIND_LABELS.get(k, "Every kind"),
    key="kind",
)
ui.choice_in_url("kind", kind, "all")
# the due date as written stands for its parts; the criticality is in "why"; a freeze's due-by
# only where there are freezes; the kind only where the list mixes kinds
hide = ("due", "days", "type", "approximate", "written", "derived", "criticality")
hide += () if len(ui.query("freezes")) else ("due_by",)
ui.big_table("backlog_kind", kind=kind, hide=hide + (() if kind == "all" else ("kind",)))
ui.done()

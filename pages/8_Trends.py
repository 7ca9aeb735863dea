"""Trends: is the ecosystem getting better? The headline figures at every day with a commit."""

import pandas as pd
import streamlit as st

from catalogue_lib import trend_charts as tc
from catalogue_lib import trends, ui
from catalogue_lib.present import plural

f = ui.page(
    "Trends",
    "Each point is the catalogue at the last commit of a day that changed it, as of that day.",
)
hist = ui.history()
if hist.note:
    st.info(hist.note)
frame = trends.figures_frame(hist, f)
change = trends.headline_change(hist=hist, filters=f, as_of=f.as_of)
if frame.empty:
    st.info("No snapshot on or before the as-of date: the catalogue's history starts later.")
    ui.done()
    st.stop()
last = frame.iloc[-1]
cols = st.columns(4)
for col, (key, label) in zip(
    cols,
    [
        ("must_haves_passing", "Passing the must-haves"),
        ("overdue", "Overdue deadlines"),
        ("risk_score", "Risk score"),
        ("active", "Active integrations"),
    ],
    strict=True,
):
    moved = change.get(key)
    col.metric(
        label,
        f"{int(last[key]):,}",
        trends.change_text(moved) if moved else None,
        delta_color=trends.change_color(key, moved),
        delta_arrow="auto" if moved and moved[2] else "off",  # no arrow on "unchanged"
    )
st.caption(
    f"{plural(len(frame), 'snapshot')}, {frame['date'].min():%Y-%m-%d} to "
    f"{frame['date'].max():%Y-%m-%d}."
)
left, right = st.columns(2)
with left:
    ui.chart(
        tc.line(
            frame,
            "must_haves_share",
            "Share of active integrations passing the must-haves",
            "Share",
            share=True,
            as_of=ui.as_of(),
        ),
        key="t_must",
    )
    ui.chart(
        tc.line(frame, "overdue", "Overdue deadlines", "Deadlines", as_of=ui.as_of()),
        key="t_overdue",
    )
with right:
    ui.chart(
        tc.levels(trends.levels_long(frame), "Scorecard levels of active integrations", ui.as_of()),
        key="t_levels",
    )
    ui.chart(
        tc.line(
            frame,
            "risk_score",
            "Risk score (likelihood x impact x criticality)",
            "Score",
            as_of=ui.as_of(),
        ),
        key="t_risk",
    )

st.subheader("By owner and partner type")
group = st.radio("Break down by", ["owner", "partner type"], horizontal=True, key="t_group")
figure = st.radio(
    "Figure", ["must-haves share", "overdue deadlines", "risk score"], horizontal=True, key="t_fig"
)
column = {
    "must-haves share": "must_haves_share",
    "overdue deadlines": "overdue",
    "risk score": "risk_score",
}[figure]
grouped = trends.by_group(hist, "type" if group == "partner type" else "owner", f)
grouped = grouped[grouped["date"] <= pd.Timestamp(f.as_of_date())]
ui.chart(
    tc.by_group(
        grouped,
        column,
        group.capitalize(),
        f"{figure.capitalize()} by {group}",
        share=column == "must_haves_share",
        as_of=ui.as_of(),
        filtered=ui.filtered(),
    ),
    key="t_group_chart",
)

st.subheader("What changed between two dates")
dates = [d for d in hist.dates() if d <= f.as_of_date()]
if len(dates) < 2:
    st.info("One snapshot only: changes appear once the catalogue has a second day with a commit.")
else:
    since, until = st.select_slider(
        "Between",
        options=dates,
        value=(dates[0], dates[-1]),
        format_func=lambda d: d.isoformat(),
        key="t_between",
    )
    titles = ui.query("scorecard_titles")
    ui.table(
        trends.readable_changes(trends.changes(hist, since, until, f), titles),
        "changes",
        column_config={"integration_id": None},
    )
ui.done()

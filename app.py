"""Ecosystem health: the few numbers a leader needs, each against its target, and where to look."""

import streamlit as st

from catalogue_lib import charts, figures, lifecycle_charts, trends, ui
from catalogue_lib.figures import count, percent

f = ui.page("Ecosystem health", "Are our integrations owned, governed and on time?")
h = figures.home(ui.query)
verdict = figures.judged(h)
levels = ui.query("level_overview")
states = ui.query("check_states")
months = ui.query("deadlines_by_month", horizon=365)
freezes = ui.query("freezes")
top = ui.query_page("backlog", 5)
change = trends.headline_change(hist=ui.history(), filters=f, as_of=f.as_of)  # {} without git

if ui.is_sample():
    st.caption(
        "This is the fictional sample catalogue in data/. Its dates are fixed, so as time passes "
        "more of its deadlines fall overdue; pick another **As of** date in the sidebar to move."
    )


def since(key: str) -> str | None:
    """'+3 in 30 days' from the catalogue's git history, when it reaches that far back."""
    text = trends.change_text(change[key]) if key in change else None
    return (
        text.replace(" in ", " passing in ", 1)
        if text and key == "must_haves_passing" and text[0] in "+-"
        else text
    )


# Labels this long leave no room for the help icon in a quarter of the page at 1440 px: their
# explanation goes on the link under the tile instead.
LONG_LABEL = 28


def tile(col, name: str, label: str, value: str, help_text: str, page: str, link: str, **q):
    """A headline number against its target, with a link to the rows behind it."""
    history_key = {"must_have_share": "must_haves_passing", "overdue": "overdue"}.get(name, "")
    long = len(label) > LONG_LABEL
    with col:
        ui.tile(
            st,
            label,
            value,
            verdict[name]["status"],
            verdict[name]["target"],
            None if long else help_text,
            since(history_key),
        )
        ui.rows_link(page, link, help=help_text if long else None, **q)


def plain(col, label: str, value: str, note: str, page: str, link: str) -> None:
    """A headline number without a target."""
    with col:
        st.metric(
            label,
            value,
            delta=note,
            delta_color="gray",
            delta_arrow="off",
            border=True,
        )
        change = since("integrations") if label == "Integrations" else None
        if change:
            st.caption(change)
        ui.rows_link(page, link)


a, b, c, d = st.columns(4)
plain(
    a,
    "Integrations",
    count(h["integrations"]),
    f"{h['shops']:,} shops · {h['carriers']:,} carriers",
    "integration",
    "Browse them all",
)
tile(
    b,
    "must_have_share",
    "Passing the must-haves",
    percent(h["must_have_share"]),
    f"{h['must_haves_passing']:,} of {h['active']:,} active integrations have a named owner, "
    "a dashboard, alert rules and a runbook",
    "coverage",
    "See the gaps",
)
tile(
    c,
    "at_second_level_or_above_share",
    f"At {h['second_level'] or 'level 2'} or above",
    percent(h["at_second_level_or_above_share"]),
    f"{h['at_second_level_or_above']:,} of {h['active']:,} active integrations",
    "coverage",
    "See the levels",
)
tile(
    d,
    "overdue",
    "Overdue deadlines",
    count(h["overdue"]),
    "Sunsets, deprecations and credential expiries already past",
    "deprecations",
    "See what is overdue",
)
a, b, c, d = st.columns(4)
tile(
    a,
    "due_30",
    "Due in the next 30 days",
    count(h["due_30"]),
    f"{h['due_90']:,} due within 90 days",
    "deprecations",
    "See the calendar",
    horizon="30",
)
tile(
    b,
    "breaking_without_plan",
    "Breaking changes without a plan",
    count(h["breaking_without_plan"]),
    "Breaking partner changes still ahead with no migration plan linked",
    "backlog",
    "See them in the backlog",
    kind="breaking change without plan",
)
tile(
    c,
    "high_risks",
    "High risks",
    count(h["high_risks"]),
    "Risks scoring likelihood x impact of 6 or more; the aim is at most one per ten active "
    "integrations",
    "risk",
    "See the high risks",
)
plain(
    d,
    "Incidents, last 90 days",
    count(h["incidents_90d"]),
    f"across {h['active']:,} active integrations",
    "risk",
    "See failure modes",
)

ui.chart(
    charts.level_bars(levels, "Scorecard levels of active integrations", ui.filtered()),
    key="levels",
)
left, right = st.columns(2)
with left:
    ui.chart(
        charts.check_states(states, "Each check across active integrations", ui.filtered()),
        key="checks",
    )
with right:
    st.markdown("**Do these first**")
    ui.ranked_items(top)
    ui.rows_link("backlog", "The whole backlog, and why each item ranks where it does")
ui.chart(
    lifecycle_charts.deadlines_by_month(
        months,
        "Deadlines per month, next 12 months",
        ui.as_of(),
        ui.filtered(),
        freezes,
    ),
    key="months",
)
ui.done()

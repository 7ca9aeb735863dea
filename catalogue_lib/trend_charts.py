"""Charts of the Trends and Initiatives pages: DataFrame -> alt.Chart, in the look of chart_style.py."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from .chart_style import BLUE, GREY, LEVEL_COLORS, ORANGE, empty, today_rule

HEIGHT = 240
LEGEND_COLUMNS = 4
LEGEND_LIMIT = (
    24  # owners named in a legend; past them it says how many more (the tooltip names all)
)
LEGEND_ROW = 30  # pixels per legend row
RAMP = ["#c6dbf2", "#9cc0e8", "#7fa9dc", "#5a8fd0", "#3f7cc2", BLUE]  # as charts.level_bars


def _with_today(chart: alt.Chart, as_of: dt.date | None, **props) -> alt.Chart:
    """Every time axis has a dashed rule at the as-of date, as on the other pages."""
    return (chart + today_rule(as_of) if as_of else chart).properties(**props)


def line(
    df: pd.DataFrame,
    y: str,
    title: str,
    axis: str,
    share: bool = False,
    as_of: dt.date | None = None,
) -> alt.Chart:
    fmt = ".0%" if share else ",d"  # 65,134, as in every figure
    chart = (
        alt.Chart(df)
        .mark_line(point=True, color=BLUE)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y(
                f"{y}:Q",
                title=axis,
                axis=alt.Axis(format=fmt, tickMinStep=0.1 if share else 1),
                scale=alt.Scale(domain=[0, 1]) if share else alt.Undefined,
            ),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d"),
                "commit:N",
                alt.Tooltip(f"{y}:Q", format=fmt if share else ","),
            ],
        )
    )
    return _with_today(chart, as_of, title=title, height=HEIGHT)


def level_label(level: str | None) -> str:
    """A stored level name as the home page says it: 'gold' -> 'Gold', none -> 'No level'."""
    return "No level" if level in (None, "none") else str(level).capitalize()


def levels(df: pd.DataFrame, title: str, as_of: dt.date | None = None) -> alt.Chart:
    """Integrations per level over time (rows: date, level, integrations, level names as stored),
    in the home page's words and colours: 'No level' orange, the levels a blue ramp."""
    df = df.assign(level=df["level"].map(level_label))
    named = [lv for lv in dict.fromkeys(df["level"]) if lv != "No level"]
    known = [lv for lv in LEVEL_COLORS if lv in named]  # Bronze, Silver, Gold: lowest first
    ladder = known + [lv for lv in named if lv not in known]
    order = list(reversed(ladder)) + ["No level"]  # the best level on top of the stack
    colors = [
        LEVEL_COLORS.get(lv, RAMP[min(ladder.index(lv), len(RAMP) - 1)])
        if lv != "No level"
        else ORANGE
        for lv in order
    ]
    chart = (
        alt.Chart(df)
        .mark_area(point=True)  # one snapshot still shows as points
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y(
                "integrations:Q",
                stack=True,
                title="Active integrations",
                axis=alt.Axis(tickMinStep=1),
            ),
            color=alt.Color(
                "level:N", sort=order, scale=alt.Scale(domain=order, range=colors), title="Level"
            ),
            order=alt.Order("level_order:Q"),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "level:N", "integrations:Q"],
        )
        .transform_calculate(level_order=f"indexof({order!r}, datum.level)")
    )
    return _with_today(chart, as_of, title=title, height=HEIGHT)


# Okabe and Ito's eight hues, made to be told apart by colour-blind readers (no red against
# green); the ninth to sixteenth groups reuse them dashed, the next eight dotted, so that every
# group a legend names (LEGEND_LIMIT) has a line of its own; past them, the tooltip names it
GROUP_DASHES = [[1, 0], [7, 3], [2, 2]]
GROUP_HUES = [
    "#0072B2",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#F0E442",
    "#999999",
]


def group_hues(n: int) -> list[str]:
    """The colour of each of n groups, in order."""
    return [GROUP_HUES[i % len(GROUP_HUES)] for i in range(n)]


def group_dashes(n: int) -> list[list[int]]:
    """The dash pattern of each of n groups, in order: a new pattern each time the hues repeat."""
    return [GROUP_DASHES[i // len(GROUP_HUES) % len(GROUP_DASHES)] for i in range(n)]


def by_group(
    df: pd.DataFrame,
    y: str,
    group_title: str,
    title: str,
    share: bool = False,
    as_of: dt.date | None = None,
    filtered: bool = False,
) -> alt.Chart:
    if df.empty:  # no group with an active integration (all retired, or filtered away)
        return empty(title, filtered)
    fmt = ".0%" if share else ",d"  # 65,134, as in every figure
    groups = sorted(df["group"].dropna().unique().tolist())
    legend = alt.Legend(
        orient="bottom",
        columns=LEGEND_COLUMNS,
        labelLimit=220,
        symbolLimit=LEGEND_LIMIT,
        symbolType="stroke",  # a stretch of line, where a dash shows (a dashed dot does not)
        symbolStrokeWidth=2.5,
        symbolSize=400,
    )
    chart = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y(f"{y}:Q", title=None, axis=alt.Axis(format=fmt)),
            # one field, title and legend for both: Vega-Lite draws one legend of dashed lines
            color=alt.Color(
                "group:N",
                title=group_title,
                scale=alt.Scale(domain=groups, range=group_hues(len(groups))),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "group:N",
                title=group_title,
                scale=alt.Scale(domain=groups, range=group_dashes(len(groups))),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d"),
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip(f"{y}:Q", format=fmt if share else ","),
            ],
        )
    )
    # the chart's height holds its legend too: the lines keep a one-line chart's height
    rows = -(-min(df["group"].nunique(), LEGEND_LIMIT) // LEGEND_COLUMNS)
    return _with_today(chart, as_of, title=title, height=HEIGHT + LEGEND_ROW * (rows + 1) + 30)


def burnup(
    points: list[dict],
    due: str,
    title: str | None,
    as_of: dt.date | None = None,
    total: int | None = None,
) -> alt.Chart:
    """Integrations meeting the target per snapshot, against the straight line to the due date:
    to `total`, every integration in scope now (the report's `in_scope`, which its `expected`
    and on-track verdict use), else the last snapshot's scope."""
    df = pd.DataFrame(points)
    df["date"] = pd.to_datetime(df["date"])
    total = df["in_scope"].iloc[-1] if total is None else total
    line_df = pd.DataFrame(
        {"date": [df["date"].iloc[0], pd.Timestamp(due)], "expected": [df["met"].iloc[0], total]}
    )
    met = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(color=BLUE), color=BLUE)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y("met:Q", title="Integrations meeting the target", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "met:Q", "in_scope:Q", "expected:Q"],
        )
    )
    expected = (
        alt.Chart(line_df)
        .mark_line(strokeDash=[6, 4], color=GREY)
        .encode(
            x="date:T",
            y="expected:Q",
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "expected:Q"],
        )
    )
    scope = (
        alt.Chart(df)
        .mark_line(color=GREY, opacity=0.5, interpolate="step-after")
        .encode(
            x="date:T",
            y="in_scope:Q",
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "in_scope:Q"],
        )
    )
    layers = [scope, expected, met] + ([today_rule(as_of)] if as_of else [])
    return alt.layer(*layers).properties(height=HEIGHT, **({"title": title} if title else {}))

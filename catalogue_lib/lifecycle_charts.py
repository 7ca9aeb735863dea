"""The lifecycle charts: deadlines per month, the timeline of the next deadlines (change freezes
drawn as bands) and the version support matrix, in the one look of chart_style.py."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from .chart_style import (
    DUE_COLORS,
    GREY,
    INK,
    KIND_COLORS,
    ROW_PX,
    VERSION_COLORS,
    empty,
    integration_rows,
    legend,
    rows_y,
    scale,
    today_rule,
)
from .present import (
    KIND_LABELS,
    is_missing,
    shown_date,
)

# --------------------------------------------------------------------------- deadlines


def deadlines_by_month(
    df: pd.DataFrame,
    title: str,
    as_of: dt.date,
    filtered: bool = False,
    freezes: pd.DataFrame | None = None,
) -> alt.Chart:
    """Upcoming deadlines per month, stacked by kind, every month shown (rows: month (first
    day), kind, deadlines); a rule marks today; (v1.1) change freezes are shaded bands."""
    if df.empty or df["deadlines"].sum() == 0:
        return empty(title, filtered)
    start = pd.Timestamp(df["month"].min())
    end = pd.Timestamp(df["month"].max()) + pd.offsets.MonthBegin(1)
    df = df.assign(kind_label=df["kind"].map(KIND_LABELS))
    kinds = [k for k in KIND_COLORS if k in set(df["kind_label"].dropna())]
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(month):T",
                title=None,
                axis=alt.Axis(format="%b %Y", labelAngle=-40, tickCount="month"),
                scale=alt.Scale(domain=[start, end]),
            ),
            y=alt.Y(
                "sum(deadlines):Q", title="Deadlines", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=alt.Color(
                "kind_label:N",
                scale=alt.Scale(domain=kinds, range=[KIND_COLORS[k] for k in kinds]),
                legend=legend("Kind", columns=2),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("sum(deadlines):Q", title="Deadlines"),
            ],
        )
    )
    bands = _freeze_bands(freezes, start, end)
    layers = [bars, today_rule(as_of)] if bands is None else [bands, bars, today_rule(as_of)]
    # 400 px in all: legend, title and month labels take about 200 of it (260 left the bars 45)
    return alt.layer(*layers).properties(title=title, height=400)


def timeline(
    df: pd.DataFrame,
    title: str,
    as_of: dt.date,
    filtered: bool = False,
    horizon: int = 365,
    freezes: pd.DataFrame | None = None,
) -> alt.Chart:
    """Deadlines on a date axis, one row per integration, coloured overdue / soon / later and
    shaped by kind; a rule marks today; a click opens the integration. (v1.1) Dates show as
    written (approximate, derived) with the day a frozen deadline is due by, and the change
    freezes (sql/freezes.sql) within the horizon are shaded bands with their names."""
    if df.empty:
        return empty(title, filtered)
    df = df.assign(
        kind_label=df["kind"].map(KIND_LABELS),
        due=[
            "overdue" if o else ("due in 30 days" if d <= 30 else "later")
            for o, d in zip(df["overdue"], df["days"], strict=True)
        ],
        shown_date=[
            shown_date(r["date"], r.get("written"), r.get("derived")) for r in df.to_dict("records")
        ],
        due_by_shown=[
            ""
            if is_missing(r.get("due_by"))
            else f"{pd.Timestamp(r['due_by']):%Y-%m-%d} ({r.get('freeze_name')})"
            for r in df.to_dict("records")
        ],
    )
    start, end = pd.Timestamp(as_of), pd.Timestamp(as_of + dt.timedelta(days=horizon))
    df, names = integration_rows(df)
    pick = alt.selection_point(name="pick", fields=["integration_id"], on="click")
    points = (
        alt.Chart(df)
        .mark_point(filled=True, size=120, opacity=0.9)
        .encode(
            x=alt.X(
                "date:T",
                title=None,
                scale=alt.Scale(domain=[start, end]),
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month", grid=True),
            ),
            y=rows_y("row:N", names),
            color=alt.Color("due:N", scale=scale(DUE_COLORS), legend=legend("Status")),
            shape=alt.Shape("kind_label:N", legend=legend("Kind")),
            tooltip=[
                alt.Tooltip("name:N", title="Integration"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("shown_date:N", title="Date"),
                alt.Tooltip("due_by_shown:N", title="Due by (freeze)"),
                alt.Tooltip("days:Q", title="Days left (negative: overdue)"),
                alt.Tooltip("version:N", title="Version"),
                alt.Tooltip("summary:N", title="Summary"),
                alt.Tooltip("owner:N", title="Owner"),
            ],
        )
        .add_params(pick)
    )
    bands = _freeze_bands(freezes, start, end)
    layers = [points, today_rule(as_of)] if bands is None else [bands, points, today_rule(as_of)]
    return alt.layer(*layers).properties(title=title, height=alt.Step(ROW_PX))


def _freeze_bands(
    freezes: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp
) -> alt.Chart | None:
    """(v1.1) The change freezes that overlap [start, end], cut to it, as grey bands named at
    the top; None when there is none to draw."""
    if freezes is None or freezes.empty:
        return None
    f = freezes.assign(
        from_date=pd.to_datetime(freezes["from_date"]), to_date=pd.to_datetime(freezes["to_date"])
    )
    f = f[(f["to_date"] >= start) & (f["from_date"] <= end)]
    if f.empty:
        return None
    f = f.assign(
        band_from=f["from_date"].clip(lower=start),
        band_to=(f["to_date"] + pd.Timedelta(days=1)).clip(upper=end),
        label=[f"freeze: {n}" for n in f["freeze"]],
        shown_from=f["from_date"].dt.strftime("%Y-%m-%d"),
        shown_to=f["to_date"].dt.strftime("%Y-%m-%d"),
        shown_due_by=(f["from_date"] - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d"),
    )[
        [
            "freeze",
            "from_date",
            "to_date",
            "band_from",
            "band_to",
            "label",
            "shown_from",
            "shown_to",
            "shown_due_by",
        ]
    ]
    base = alt.Chart(f)
    rect = base.mark_rect(color=GREY, opacity=0.15).encode(
        x=alt.X("band_from:T", scale=alt.Scale(domain=[start, end])),
        x2="band_to:T",
        tooltip=[
            alt.Tooltip("freeze:N", title="Change freeze"),
            alt.Tooltip("shown_from:N", title="From"),
            alt.Tooltip("shown_to:N", title="To"),
            alt.Tooltip("shown_due_by:N", title="Deadlines inside are due by"),
        ],
    )
    text = base.mark_text(
        align="left", baseline="top", dx=3, dy=14, color=GREY, fontSize=11
    ).encode(
        x=alt.X("band_from:T", scale=alt.Scale(domain=[start, end])),
        y=alt.value(0),
        text="label:N",
    )
    return rect + text


# --------------------------------------------------------------------------- versions


def version_matrix(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Integration x version slot coloured by status (a version past its sunset has its own
    colour), labelled with the version and the sunset's days left."""
    if df.empty:
        return empty(title, filtered)
    df = df.copy()
    df["shown_status"] = [
        "past sunset" if (s != "retired" and pd.notna(d) and d < 0) else s
        for s, d in zip(df["status"], df["days_left"], strict=True)
    ]
    df["sunset"] = [
        shown_date(s, w, d) if pd.notna(s) else "none"
        for s, w, d in zip(df["sunset_on"], df["sunset_written"], df["sunset_derived"], strict=True)
    ]
    df["vlabel"] = [
        v if pd.isna(d) else (f"{v} · {int(d)}d left" if d >= 0 else f"{v} · {-int(d)}d ago")
        for v, d in zip(df["version"], df["days_left"], strict=True)
    ]
    df["slot"] = df.groupby("integration_id").cumcount().map(lambda i: f"version {i + 1}")
    df, names = integration_rows(df)
    pick = alt.selection_point(name="pick", fields=["integration_id"], on="click")
    base = alt.Chart(df, title=title).encode(
        x=alt.X("slot:N", title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=rows_y("row:N", names),
    )
    rect = (
        base.mark_rect(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color("shown_status:N", scale=scale(VERSION_COLORS), legend=legend("Status")),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.7)),
            tooltip=[
                alt.Tooltip("name:N", title="Integration"),
                alt.Tooltip("version:N", title="Version"),
                alt.Tooltip("shown_status:N", title="Status"),
                alt.Tooltip("sunset:N", title="Sunset"),
                alt.Tooltip("days_left:Q", title="Days left"),
                alt.Tooltip("owner:N", title="Owner"),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(fontSize=11).encode(
        text="vlabel:N",
        color=alt.condition(
            alt.FieldOneOfPredicate("shown_status", ["current", "past sunset"]),
            alt.value("white"),
            alt.value(INK),
        ),
    )
    return (rect + text).properties(height=alt.Step(ROW_PX + 2))

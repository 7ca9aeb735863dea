"""Charts of the Trends and Initiatives pages: DataFrame -> alt.Chart, one look with charts.py."""

from __future__ import annotations

import altair as alt
import pandas as pd

LEVEL_COLORS = {"none": "#8c96a3", "bronze": "#b07a44", "silver": "#9aa7b4", "gold": "#d4a72c"}
HEIGHT = 240


def line(df: pd.DataFrame, y: str, title: str, axis: str, share: bool = False) -> alt.Chart:
    fmt = ".0%" if share else "d"
    return (
        alt.Chart(df, title=title, height=HEIGHT)
        .mark_line(point=True)
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


def levels(df: pd.DataFrame, title: str) -> alt.Chart:
    order = [lv for lv in ["gold", "silver", "bronze"] if lv in set(df["level"])]
    order += [lv for lv in dict.fromkeys(df["level"]) if lv not in order and lv != "none"] + [
        "none"
    ]
    colors = [LEVEL_COLORS.get(lv, "#3f83d1") for lv in order]
    return (
        alt.Chart(df, title=title, height=HEIGHT)
        .mark_area()
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


def by_group(
    df: pd.DataFrame, y: str, group_title: str, title: str, share: bool = False
) -> alt.Chart:
    fmt = ".0%" if share else "d"
    return (
        alt.Chart(df, title=title, height=HEIGHT + 60)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y(f"{y}:Q", title=None, axis=alt.Axis(format=fmt)),
            color=alt.Color("group:N", title=group_title),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d"),
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip(f"{y}:Q", format=fmt if share else ","),
            ],
        )
    )


def burnup(points: list[dict], due: str, title: str) -> alt.Chart:
    """Integrations meeting the target per snapshot, against the straight line to the due date."""
    df = pd.DataFrame(points)
    df["date"] = pd.to_datetime(df["date"])
    total = df["in_scope"].iloc[-1]
    line_df = pd.DataFrame(
        {"date": [df["date"].iloc[0], pd.Timestamp(due)], "expected": [df["met"].iloc[0], total]}
    )
    met = (
        alt.Chart(df)
        .mark_line(point=True, color="#2f9e63")
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y("met:Q", title="Integrations meeting the target", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "met:Q", "in_scope:Q", "expected:Q"],
        )
    )
    expected = (
        alt.Chart(line_df)
        .mark_line(strokeDash=[6, 4], color="#8c96a3")
        .encode(
            x="date:T",
            y="expected:Q",
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "expected:Q"],
        )
    )
    scope = (
        alt.Chart(df)
        .mark_line(color="#3f83d1", opacity=0.5, interpolate="step-after")
        .encode(
            x="date:T",
            y="in_scope:Q",
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "in_scope:Q"],
        )
    )
    return alt.layer(scope, expected, met, title=title, height=HEIGHT)

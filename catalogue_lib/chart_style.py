"""The one look every chart shares: colours with one meaning each (colour-blind safe: blue
against orange, never red against green), row and column steps, axes, legends, titles that fit
a phone, the empty chart and the as-of rule. charts.py, lifecycle_charts.py and trend_charts.py
draw with these."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from .present import STATE_LABELS

BLUE = "#2b6cb0"
LIGHT_BLUE = "#90b8e8"
ORANGE = "#e07b28"
DARK_ORANGE = "#b4480e"
LIGHT_ORANGE = "#f5b77a"
PALE_ORANGE = "#f9d9b8"  # the mildest of a severity ramp
GREY = "#7f8793"
LIGHT_GREY = "#cfd4db"
SLATE = "#51627a"
INK = "#1b1f24"

STATE_COLORS = {
    "pass": BLUE,
    "waived": LIGHT_BLUE,
    "fail": ORANGE,
    "unknown": GREY,
    "na": LIGHT_GREY,
}
# deadlines: overdue is bad (orange), soon is a warning, later is neutral
DUE_COLORS = {"overdue": DARK_ORANGE, "due in 30 days": LIGHT_ORANGE, "later": SLATE}
VERSION_COLORS = {
    "current": BLUE,
    "supported": LIGHT_BLUE,
    "deprecated": LIGHT_ORANGE,
    "past sunset": DARK_ORANGE,
    "retired": LIGHT_GREY,
}
# deadline kinds are categories, not states: hues that no state uses
KIND_COLORS = {
    "Sunset": "#6f4e9c",
    "Deprecation": "#b39ddb",
    "Planned change": "#2f8f8f",
    "Credential expiry": "#8c6d46",
    "Credential rotation": "#c9ad7f",
}
LEVEL_COLORS = {"No level": ORANGE, "Bronze": "#c6dbf2", "Silver": "#7fa9dc", "Gold": BLUE}
BACKLOG_COLORS = {
    "Overdue deadline": DARK_ORANGE,
    "Breaking change without a plan": ORANGE,
    "Upcoming deadline": LIGHT_ORANGE,
    "High risk": "#6f4e9c",
    "Check gap": SLATE,
}
ROW_PX = 20
MAX_ROWS = 30  # rows any one chart draws; the queries cap theirs at this or fewer


def scale(colors: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def rows_y(field: str, sort: list[str] | str | None = None, title: str | None = None) -> alt.Y:
    """A discrete y axis that shows every label (rows get a fixed step, so nothing overlaps)."""
    return alt.Y(field, sort=sort, title=title, axis=alt.Axis(labelOverlap=False, labelLimit=220))


def integration_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The frame with a `row` label per integration, and the labels in the frame's order: the
    name, or "name (id)" where integrations in the frame share a name (a name is display text,
    only the id is unique), so that two integrations never draw on one row."""
    shared = df.groupby("name")["integration_id"].transform("nunique") > 1
    df = df.assign(row=df["name"].where(~shared, df["name"] + " (" + df["integration_id"] + ")"))
    return df, df.drop_duplicates("integration_id")["row"].tolist()


COL_PX = 24  # heatmap columns: a fixed step, so labels never pile up on a narrow screen


# Vega cuts a title longer than its chart is wide off with an ellipsis: at 390 px a chart holds
# about this many characters of title
TITLE_FITS = 44


def fitting_title(title: Any) -> Any:
    """A long chart title as a title and a subtitle, split at its parenthesis or its colon
    ("Share of the risk score per owner" + "15 highest; line: 30%"), else as two lines, so that
    nothing is cut off on a phone."""
    if not isinstance(title, str) or len(title) <= TITLE_FITS:
        return title
    if title.endswith(")") and " (" in title:
        head, tail = title[:-1].split(" (", 1)
        return alt.TitleParams(head, subtitle=tail)
    if ": " in title:
        head, tail = title.split(": ", 1)
        return alt.TitleParams(head, subtitle=tail)
    cut = title.rfind(" ", 0, TITLE_FITS + 1)
    return alt.TitleParams([title[:cut], title[cut + 1 :]]) if cut > 0 else title


def fit_title(c: Any) -> Any:
    """The chart with its title (on it or on its first layer) made to fit a phone's width."""
    parts = [c, *(getattr(c, "layer", None) or [])[:1]]
    for part in parts:
        title = getattr(part, "title", alt.Undefined)
        if isinstance(title, str):
            part.title = fitting_title(title)  # the chart is built for this call only
            break
    return c


def cols_x(field: str, sort: list[str] | None = None, angle: int = -45) -> alt.X:
    return alt.X(
        field,
        sort=sort,
        title=None,
        axis=alt.Axis(labelAngle=angle, orient="top", labelOverlap=False, labelLimit=140),
    )


def legend(title: str | None = None, columns: int = 3) -> alt.Legend:
    """Legends sit above the plot and wrap, so they are never clipped on a narrow chart (long
    labels such as "Credential rotation" take two columns: three are wider than a phone)."""
    return alt.Legend(
        title=title, orient="top", direction="horizontal", columns=columns, labelLimit=220
    )


def state_color() -> alt.Color:
    """Check states in their one colour each, with the vocabulary's labels."""
    return alt.Color(
        "state_label:N",
        scale=alt.Scale(
            domain=[STATE_LABELS[s] for s in STATE_COLORS], range=list(STATE_COLORS.values())
        ),
        legend=legend("State"),
    )


def empty(title: str, filtered: bool) -> alt.Chart:
    """A chart that says why there is nothing to draw, rather than an empty frame."""
    text = "Nothing matches these filters" if filtered else "Nothing to show yet"
    return (
        alt.Chart(pd.DataFrame({"text": [text]}))
        .mark_text(size=14, color=GREY)
        .encode(text="text:N")
        .properties(title=title, height=60)
    )


def today_rule(as_of: dt.date) -> alt.Chart:
    """A dashed rule at the as-of date, labelled."""
    frame = pd.DataFrame({"date": [pd.Timestamp(as_of)], "label": [f"as of {as_of:%Y-%m-%d}"]})
    rule = alt.Chart(frame).mark_rule(strokeDash=[4, 3], color=GREY).encode(x="date:T")
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, dy=-6, color=GREY, fontSize=11)
        .encode(x="date:T", y=alt.value(0), text="label:N")
    )
    return rule + text

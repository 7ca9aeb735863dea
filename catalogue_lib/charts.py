"""Pure functions DataFrame -> alt.Chart sharing one look.

One meaning per colour on every chart, colour-blind safe (blue-orange, never red against
green): blue is passing / on track, orange is failing / overdue, greys are "cannot say" and
"does not apply". Every chart has a title that says what the reader looks at, tooltips with
human labels, whole-number axes where counts are drawn, a bounded height (rows are capped by the
queries), and a rule marking today on every time axis.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from .present import (
    CATEGORY_LABELS,
    KIND_LABELS,
    OTHERS,
    STATE_LABELS,
    is_missing,
    shown_date,
)

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


def _scale(colors: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def _rows_y(field: str, sort: list[str] | str | None = None, title: str | None = None) -> alt.Y:
    """A discrete y axis that shows every label (rows get a fixed step, so nothing overlaps)."""
    return alt.Y(field, sort=sort, title=title, axis=alt.Axis(labelOverlap=False, labelLimit=220))


def _integration_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
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


def _cols_x(field: str, sort: list[str] | None = None, angle: int = -45) -> alt.X:
    return alt.X(
        field,
        sort=sort,
        title=None,
        axis=alt.Axis(labelAngle=angle, orient="top", labelOverlap=False, labelLimit=140),
    )


def _legend(title: str | None = None, columns: int = 3) -> alt.Legend:
    """Legends sit above the plot and wrap, so they are never clipped on a narrow chart (long
    labels such as "Credential rotation" take two columns: three are wider than a phone)."""
    return alt.Legend(
        title=title, orient="top", direction="horizontal", columns=columns, labelLimit=220
    )


def _state_color() -> alt.Color:
    """Check states in their one colour each, with the vocabulary's labels."""
    return alt.Color(
        "state_label:N",
        scale=alt.Scale(
            domain=[STATE_LABELS[s] for s in STATE_COLORS], range=list(STATE_COLORS.values())
        ),
        legend=_legend("State"),
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


def _today(as_of: dt.date) -> alt.Chart:
    """A dashed rule at the as-of date, labelled."""
    frame = pd.DataFrame({"date": [pd.Timestamp(as_of)], "label": [f"as of {as_of:%Y-%m-%d}"]})
    rule = alt.Chart(frame).mark_rule(strokeDash=[4, 3], color=GREY).encode(x="date:T")
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, dy=-6, color=GREY, fontSize=11)
        .encode(x="date:T", y=alt.value(0), text="label:N")
    )
    return rule + text


# --------------------------------------------------------------------------- health


def level_bars(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Integrations per scorecard level as one stacked bar per group (rows: group, level,
    level_position, integrations), each segment labelled with its count."""
    if df.empty or not (df["integrations"] > 0).any():  # zero rows of every level: no bars
        return empty(title, filtered)
    levels = df.sort_values("level_position")["level"].drop_duplicates().tolist()
    ramp = ["#c6dbf2", "#9cc0e8", "#7fa9dc", "#5a8fd0", "#3f7cc2", BLUE]
    colors = [
        LEVEL_COLORS.get(lv, ORANGE if pos < 0 else ramp[min(int(pos), len(ramp) - 1)])
        for lv, pos in df.drop_duplicates("level")
        .sort_values("level_position")[["level", "level_position"]]
        .itertuples(index=False)
    ]
    base = alt.Chart(df, title=title).encode(
        y=_rows_y("group:N", title=None),
        x=alt.X(
            "integrations:Q",
            title="Active integrations",
            stack="zero",
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        order=alt.Order("level_position:Q"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "level:N",
            sort=levels,
            scale=alt.Scale(domain=levels, range=colors),
            legend=_legend("Level"),
        ),
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("level:N", title="Level"),
            alt.Tooltip("integrations:Q", title="Integrations", format=","),
        ],
    )
    labels = (
        base.transform_filter(alt.datum.integrations > 0)
        .mark_text(dx=-4, align="right", fontSize=11, fontWeight="bold")
        .encode(
            text=alt.Text("integrations:Q", format=","),
            color=alt.condition(
                alt.FieldOneOfPredicate("level", ["Gold", "No level"]),
                alt.value("white"),
                alt.value(INK),
            ),
        )
    )
    return (bars + labels).properties(height=alt.Step(34))


def check_states(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """One row per check, a 100% bar split into pass / waived / fail / unknown / n/a, labelled
    with the share passing (rows: title, position, state, integrations, share_passing)."""
    if df.empty:
        return empty(title, filtered)
    df = df.assign(state_label=df["state"].map(STATE_LABELS))
    checks = df.sort_values("position")["title"].drop_duplicates().tolist()
    order = {s: i for i, s in enumerate(STATE_COLORS)}
    df = df.assign(state_order=df["state"].map(order))
    bars = (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("title:N", checks),
            x=alt.X(
                "integrations:Q",
                stack="normalize",
                title="Share of active integrations",
                axis=alt.Axis(format="%"),
            ),
            color=_state_color(),
            order=alt.Order("state_order:Q"),
            tooltip=[
                alt.Tooltip("title:N", title="Check"),
                alt.Tooltip("state_label:N", title="State"),
                alt.Tooltip("integrations:Q", title="Integrations", format=","),
                alt.Tooltip("share_passing:Q", title="Share passing", format=".0%"),
            ],
        )
    )
    share = df.drop_duplicates("title")
    text = (
        alt.Chart(share)
        .mark_text(align="left", dx=4, fontSize=11, color="white", fontWeight="bold")
        .encode(
            y=alt.Y("title:N", sort=checks),
            x=alt.value(0),
            text=alt.Text("share_passing:Q", format=".0%"),
        )
    )
    return (bars + text).properties(height=alt.Step(ROW_PX + 2))


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
                legend=_legend("Kind", columns=2),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("sum(deadlines):Q", title="Deadlines"),
            ],
        )
    )
    bands = _freeze_bands(freezes, start, end)
    layers = [bars, _today(as_of)] if bands is None else [bands, bars, _today(as_of)]
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
    df, names = _integration_rows(df)
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
            y=_rows_y("row:N", names),
            color=alt.Color("due:N", scale=_scale(DUE_COLORS), legend=_legend("Status")),
            shape=alt.Shape("kind_label:N", legend=_legend("Kind")),
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
    layers = [points, _today(as_of)] if bands is None else [bands, points, _today(as_of)]
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


# --------------------------------------------------------------------------- coverage


def check_heatmap(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Integration x check, coloured by state; clicking a row selects the integration."""
    if df.empty:
        return empty(title, filtered)
    df = df.assign(state_label=df["state"].map(STATE_LABELS))
    pick = alt.selection_point(name="pick", fields=["integration_id"], on="click")
    df, order = _integration_rows(df)
    checks = df.drop_duplicates("check").sort_values("position")["check"].tolist()
    return (
        alt.Chart(df, title=title)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=_cols_x("check:N", checks),
            y=_rows_y("row:N", order),
            color=_state_color(),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
            tooltip=[
                alt.Tooltip("name:N", title="Integration"),
                alt.Tooltip("owner:N", title="Owner"),
                alt.Tooltip("check:N", title="Check"),
                alt.Tooltip("state_label:N", title="State"),
                alt.Tooltip("fix:N", title="To pass"),
                alt.Tooltip("not_passing:Q", title="Checks not passing"),
            ],
        )
        .add_params(pick)
        .properties(height=alt.Step(ROW_PX), width=alt.Step(COL_PX))
    )


def share_heatmap(df: pd.DataFrame, group_title: str, title: str, filtered: bool = False):
    """Group x check, coloured by the share of applicable integrations passing (orange 0% to
    blue 100%), each cell labelled in a colour that reads on it."""
    df = df.dropna(subset=["share_passing"])
    if df.empty:
        return empty(title, filtered)
    checks = df.drop_duplicates("title").sort_values("position")["title"].tolist()
    base = alt.Chart(df, title=title).encode(
        x=_cols_x("title:N", checks),
        y=_rows_y("group:N", title=group_title),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "share_passing:Q",
            scale=alt.Scale(scheme="blueorange", reverse=True, domain=[0, 1]),
            legend=alt.Legend(title="Share passing", format="%", orient="top"),
        ),
        tooltip=[
            alt.Tooltip("group:N", title=group_title),
            alt.Tooltip("title:N", title="Check"),
            alt.Tooltip("share_passing:Q", title="Share passing", format=".0%"),
            alt.Tooltip("pass:Q", title="Pass"),
            alt.Tooltip("fail:Q", title="Fail"),
            alt.Tooltip("unknown:Q", title="Unknown"),
            alt.Tooltip("waived:Q", title="Waived"),
            alt.Tooltip("na:Q", title="n/a"),
        ],
    )
    text = base.mark_text(fontSize=12, fontWeight="bold").encode(
        text=alt.Text("share_passing:Q", format=".0%"),
        color=alt.condition(
            (alt.datum.share_passing < 0.2) | (alt.datum.share_passing > 0.8),
            alt.value("white"),
            alt.value(INK),
        ),
    )
    return (rect + text).properties(height=alt.Step(28), width=alt.Step(COL_PX + 14))


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
    df, names = _integration_rows(df)
    pick = alt.selection_point(name="pick", fields=["integration_id"], on="click")
    base = alt.Chart(df, title=title).encode(
        x=alt.X("slot:N", title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=_rows_y("row:N", names),
    )
    rect = (
        base.mark_rect(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color(
                "shown_status:N", scale=_scale(VERSION_COLORS), legend=_legend("Status")
            ),
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


# --------------------------------------------------------------------------- risk


def owner_share(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Each owner's share of the catalogue's risk score (top owners, the rest grouped), with
    the 30% line; bars over the line are orange."""
    if df.empty or not (df["risk_score"] > 0).any():  # no risk to share: every bar would be 0%
        return empty(title, filtered)
    owners = df["owner"].tolist()
    df = df.assign(over=df["risk_share"] > 0.3)
    base = alt.Chart(df).encode(
        x=alt.X(
            "risk_share:Q", title="Share of the catalogue's risk score", axis=alt.Axis(format="%")
        ),
        y=_rows_y("owner:N", owners),
    )
    bars = base.mark_bar().encode(
        color=alt.condition(alt.datum.over, alt.value(ORANGE), alt.value(SLATE)),
        tooltip=[
            alt.Tooltip("owner:N", title="Owner"),
            alt.Tooltip("risk_score:Q", title="Risk score", format=","),
            alt.Tooltip("risk_share:Q", title="Share of risk", format=".1%"),
            alt.Tooltip("integrations:Q", title="Integrations", format=","),
            alt.Tooltip("high_criticality:Q", title="High criticality"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text("risk_share:Q", format=".0%"), color=alt.value(GREY)
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [0.3]}))
        .mark_rule(strokeDash=[4, 4], color=GREY)
        .encode(x="x:Q")
    )
    return (bars + labels + rule).properties(title=title, height=alt.Step(ROW_PX + 2))


def risk_heatmap(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Owner x risk category, coloured by criticality-weighted score (light to dark orange)."""
    if df.empty:
        return empty(title, filtered)
    df = df.assign(category_label=df["category"].map(CATEGORY_LABELS).fillna(df["category"]))
    owners = df.drop_duplicates("owner")["owner"].tolist()
    base = alt.Chart(df, title=title).encode(
        x=_cols_x("category_label:N"),
        y=_rows_y("owner:N", owners),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "risk_score:Q",
            scale=alt.Scale(scheme="oranges"),
            legend=alt.Legend(title="Risk score", format="d", orient="top"),
        ),
        tooltip=[
            alt.Tooltip("owner:N", title="Owner"),
            alt.Tooltip("category_label:N", title="Category"),
            alt.Tooltip("risk_score:Q", title="Risk score", format=","),
            alt.Tooltip("risks:Q", title="Risks"),
        ],
    )
    dark = float(df["risk_score"].max()) * 0.5
    text = base.mark_text(fontSize=11, fontWeight="bold").encode(
        text=alt.Text("risk_score:Q", format=","),
        color=alt.condition(alt.datum.risk_score > dark, alt.value("white"), alt.value(INK)),
    )
    return (rect + text).properties(height=alt.Step(ROW_PX + 2), width=alt.Step(COL_PX + 22))


def incidents_by_mode(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    if df.empty:
        return empty(title, filtered)
    df = df.assign(mode=df["failure_mode"].map(CATEGORY_LABELS).fillna(df["failure_mode"]))
    modes = df.groupby("mode")["incidents"].sum().sort_values(ascending=False).index.tolist()
    # one hue, darker the more severe: blue means passing on every other chart
    sev = {"sev1": DARK_ORANGE, "sev2": ORANGE, "sev3": LIGHT_ORANGE, "sev4": PALE_ORANGE}
    sev["unknown"] = LIGHT_GREY
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("mode:N", modes),
            x=alt.X(
                "sum(incidents):Q", title="Incidents", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=alt.Color("severity:N", scale=_scale(sev), legend=_legend("Severity")),
            tooltip=[
                alt.Tooltip("mode:N", title="Failure mode"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("incidents:Q", title="Incidents"),
                alt.Tooltip("last:T", title="Latest", format="%Y-%m-%d"),
            ],
        )
        .properties(height=alt.Step(ROW_PX + 4))
    )


# --------------------------------------------------------------------------- backlog, quality


def backlog_by_owner(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Summed backlog score per owner (top owners, the rest grouped), split by kind of work."""
    if df.empty:
        return empty(title, filtered)
    from .present import BACKLOG_KIND_LABELS

    df = df.assign(kind_label=df["kind"].map(BACKLOG_KIND_LABELS).fillna(df["kind"]))
    owners = df.groupby("owner")["score"].sum().sort_values(ascending=False).index.tolist()
    if OTHERS in owners:
        owners = [o for o in owners if o != OTHERS] + [OTHERS]
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("owner:N", owners),
            x=alt.X("sum(score):Q", title="Sum of backlog scores", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "kind_label:N", scale=_scale(BACKLOG_COLORS), legend=_legend("Kind of work")
            ),
            tooltip=[
                alt.Tooltip("owner:N", title="Owner"),
                alt.Tooltip("kind_label:N", title="Kind of work"),
                alt.Tooltip("items:Q", title="Items", format=","),
                alt.Tooltip("score:Q", title="Score", format=",.1f"),
            ],
        )
        .properties(height=alt.Step(ROW_PX + 2))
    )


def problems_by_kind(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Load problems per kind (rows: kind, severity, problems)."""
    if df.empty:
        return empty(title, filtered)
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("kind:N", "-x"),
            x=alt.X("sum(problems):Q", title="Problems", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(domain=["error", "warning"], range=[ORANGE, LIGHT_ORANGE]),
                legend=_legend("Severity"),
            ),
            tooltip=[
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("problems:Q", title="Problems", format=","),
                alt.Tooltip("files:Q", title="Files", format=","),
            ],
        )
        .properties(height=alt.Step(ROW_PX + 4))
    )

"""Pure functions DataFrame -> alt.Chart sharing one look.

Colours are mid-tones chosen to read on both Streamlit's light and dark
themes; every chart has a title saying what the reader looks at, and tooltips.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .present import KIND_LABELS

STATE_COLORS = {
    "pass": "#2f9e63",
    "fail": "#d9534f",
    "unknown": "#e0a030",
    "waived": "#3f83d1",
    "na": "#8c96a3",
}
VERSION_COLORS = {
    "current": "#2f9e63",
    "supported": "#3f83d1",
    "deprecated": "#e0a030",
    "retired": "#8c96a3",
}
KIND_COLORS = {
    "sunset": "#d9534f",
    "deprecation": "#e0a030",
    "planned_change": "#3f83d1",
    "auth_expiry": "#9b59b6",
}
SHARE_SCHEME = "redyellowgreen"
HEAT_SCHEME = "orangered"
ROW_PX = 18


def _scale(colors: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def _rows_y(field: str, sort: list[str] | str | None = None, title: str | None = None) -> alt.Y:
    """A discrete y axis that shows every label (rows get a fixed step, so nothing overlaps)."""
    return alt.Y(field, sort=sort, title=title, axis=alt.Axis(labelOverlap=False, labelLimit=200))


def _cols_x(field: str, sort: list[str] | None = None, angle: int = -40) -> alt.X:
    return alt.X(
        field,
        sort=sort,
        title=None,
        axis=alt.Axis(labelAngle=angle, orient="top", labelOverlap=False, labelLimit=140),
    )


def _empty(title: str) -> alt.Chart:
    """A chart that says there is nothing to show, rather than an empty frame."""
    return (
        alt.Chart(pd.DataFrame({"text": ["Nothing to show for these filters"]}))
        .mark_text(size=14, color="#8c96a3")
        .encode(text="text:N")
        .properties(title=title, height=60)
    )


def check_heatmap(df: pd.DataFrame, title: str) -> alt.Chart:
    """Integration x check, coloured by state; clicking a row selects the integration."""
    if df.empty:
        return _empty(title)
    pick = alt.selection_point(name="pick", fields=["integration_id"], on="click")
    order = df.drop_duplicates("integration_id")["name"].tolist()
    checks = df.drop_duplicates("check").sort_values("position")["check"].tolist()
    return (
        alt.Chart(df, title=title)
        .mark_rect(stroke="#ffffff33", strokeWidth=0.5)
        .encode(
            x=_cols_x("check:N", checks),
            y=_rows_y("name:N", order),
            color=alt.Color(
                "state:N", scale=_scale(STATE_COLORS), legend=alt.Legend(title="State")
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[
                alt.Tooltip("name:N", title="Integration"),
                alt.Tooltip("owner:N", title="Owner"),
                alt.Tooltip("check:N", title="Check"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("fix:N", title="To pass"),
                alt.Tooltip("not_passing:Q", title="Checks not passing"),
            ],
        )
        .add_params(pick)
        .properties(height=alt.Step(ROW_PX))
    )


def share_heatmap(df: pd.DataFrame, group_title: str, title: str) -> alt.Chart:
    """Group x check, coloured by the share of applicable integrations passing."""
    df = df.dropna(subset=["share_passing"])
    if df.empty:
        return _empty(title)
    checks = df.drop_duplicates("title").sort_values("position")["title"].tolist()
    base = alt.Chart(df, title=title).encode(
        x=_cols_x("title:N", checks),
        y=_rows_y("group:N", title=group_title),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(
            "share_passing:Q",
            scale=alt.Scale(scheme=SHARE_SCHEME, domain=[0, 1]),
            legend=alt.Legend(title="Share passing", format="%"),
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
    text = base.mark_text(fontSize=10, color="#1b1f24").encode(
        text=alt.Text("share_passing:Q", format=".0%")
    )
    return (rect + text).properties(height=alt.Step(26))


def deadlines_by_month(df: pd.DataFrame, title: str) -> alt.Chart:
    """Stacked bars of deadlines per month by kind, with an 'overdue' bar first."""
    if df.empty:
        return _empty(title)
    df = df.assign(kind_label=df["kind"].map(KIND_LABELS))
    months = df["month"].drop_duplicates().tolist()
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            x=alt.X("month:N", sort=months, title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y(
                "sum(deadlines):Q", title="Deadlines", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=alt.Color(
                "kind_label:N",
                scale=alt.Scale(
                    domain=list(KIND_LABELS.values()), range=list(KIND_COLORS.values())
                ),
                legend=alt.Legend(title=None, orient="top", columns=2),
            ),
            tooltip=[
                alt.Tooltip("month:N", title="Month"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("deadlines:Q", title="Deadlines"),
            ],
        )
        .properties(height=380)  # Streamlit fits title, axes and legend inside this height
    )


def coverage_bars(df: pd.DataFrame, title: str) -> alt.Chart:
    """Share passing per check, one bar per partner type."""
    df = df.dropna(subset=["share_passing"])
    if df.empty:
        return _empty(title)
    checks = df.drop_duplicates("title").sort_values("position")["title"].tolist()
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("title:N", checks),
            x=alt.X(
                "share_passing:Q",
                title="Share passing",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            yOffset="group:N",
            color=alt.Color(
                "group:N", title="Partner type", scale=alt.Scale(range=["#3f83d1", "#e0a030"])
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Partner type"),
                alt.Tooltip("title:N", title="Check"),
                alt.Tooltip("share_passing:Q", title="Share passing", format=".0%"),
                alt.Tooltip("pass:Q", title="Pass"),
                alt.Tooltip("fail:Q", title="Fail"),
                alt.Tooltip("unknown:Q", title="Unknown"),
            ],
        )
        .properties(height=alt.Step(24))
    )


def version_matrix(df: pd.DataFrame, title: str) -> alt.Chart:
    """Integration x version coloured by status, labelled with the sunset date and days left."""
    if df.empty:
        return _empty(title)
    df = df.copy()
    df["label"] = [
        (
            f"{pd.Timestamp(s):%Y-%m-%d} ({int(d)}d left)"
            if d >= 0
            else f"{pd.Timestamp(s):%Y-%m-%d} ({-int(d)}d ago)"
        )
        if pd.notna(s)
        else ""
        for s, d in zip(df["sunset_on"], df["days_left"], strict=True)
    ]
    df["sunset"] = df["sunset_on"].map(
        lambda s: f"{pd.Timestamp(s):%Y-%m-%d}" if pd.notna(s) else "none"
    )
    df["slot"] = df.groupby("integration_id").cumcount().map(lambda i: f"version {i + 1}")
    names = df.drop_duplicates("integration_id")["name"].tolist()
    base = alt.Chart(df, title=title).encode(
        x=alt.X("slot:N", title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=_rows_y("name:N", names),
    )
    rect = base.mark_rect(stroke="#ffffff33").encode(
        color=alt.Color(
            "status:N", scale=_scale(VERSION_COLORS), legend=alt.Legend(title="Status")
        ),
        tooltip=[
            alt.Tooltip("name:N", title="Integration"),
            alt.Tooltip("version:N", title="Version"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("sunset:N", title="Sunset"),
            alt.Tooltip("days_left:Q", title="Days left"),
            alt.Tooltip("owner:N", title="Owner"),
        ],
    )
    text = (
        base.mark_text(fontSize=10, color="#1b1f24")
        .encode(
            text=alt.Text("vlabel:N"),
        )
        .transform_calculate(vlabel="datum.version + (datum.label ? '  ' + datum.label : '')")
    )
    return (rect + text).properties(height=alt.Step(ROW_PX))


def timeline(df: pd.DataFrame, title: str) -> alt.Chart:
    """Deadlines on a date axis, one row per integration; overdue points ringed."""
    if df.empty:
        return _empty(title)
    df = df.assign(
        kind_label=df["kind"].map(KIND_LABELS),
        status=df["overdue"].map({True: "overdue", False: "upcoming"}),
    )
    names = df.drop_duplicates("integration_id")["name"].tolist()
    return (
        alt.Chart(df, title=title)
        .mark_point(filled=True, size=110)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y")),
            y=_rows_y("name:N", names),
            color=alt.Color(
                "kind_label:N",
                scale=alt.Scale(
                    domain=list(KIND_LABELS.values()), range=list(KIND_COLORS.values())
                ),
                legend=alt.Legend(title="Kind", orient="bottom"),
            ),
            shape=alt.Shape(
                "status:N",
                scale=alt.Scale(domain=["overdue", "upcoming"], range=["diamond", "circle"]),
                legend=alt.Legend(title="Status", orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Integration"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("days:Q", title="Days (negative = overdue)"),
                alt.Tooltip("version:N", title="Version"),
                alt.Tooltip("summary:N", title="Summary"),
                alt.Tooltip("breaking_without_plan:N", title="Breaking, no migration plan"),
            ],
        )
        .properties(height=alt.Step(ROW_PX))
    )


def owner_share(df: pd.DataFrame, title: str) -> alt.Chart:
    """Each owner's share of the catalogue's risk score, with the 30% line."""
    if df.empty:
        return _empty(title)
    owners = df["owner"].tolist()
    bars = (
        alt.Chart(df)
        .mark_bar(color="#d9534f")
        .encode(
            x=alt.X(
                "risk_share:Q",
                title="Share of the catalogue's risk score",
                axis=alt.Axis(format="%"),
            ),
            y=_rows_y("owner:N", owners),
            tooltip=[
                alt.Tooltip("owner:N", title="Owner"),
                alt.Tooltip("risk_score:Q", title="Risk score"),
                alt.Tooltip("risk_share:Q", title="Share of risk", format=".1%"),
                alt.Tooltip("integrations:Q", title="Integrations"),
                alt.Tooltip("high_criticality:Q", title="High criticality"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [0.3]}))
        .mark_rule(strokeDash=[4, 4], color="#8c96a3")
        .encode(x="x:Q")
    )
    return (bars + rule).properties(title=title, height=alt.Step(22))


def risk_heatmap(df: pd.DataFrame, title: str) -> alt.Chart:
    """Owner x risk category, coloured by criticality-weighted score."""
    if df.empty:
        return _empty(title)
    base = alt.Chart(df, title=title).encode(
        x=_cols_x("category:N", angle=-35),
        y=_rows_y("owner:N"),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(
            "risk_score:Q",
            scale=alt.Scale(scheme=HEAT_SCHEME),
            legend=alt.Legend(title="Risk score"),
        ),
        tooltip=[
            alt.Tooltip("owner:N", title="Owner"),
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("risk_score:Q", title="Risk score"),
            alt.Tooltip("risks:Q", title="Risks"),
        ],
    )
    dark = float(df["risk_score"].max()) * 0.55
    text = base.mark_text(fontSize=10).encode(
        text="risk_score:Q",
        color=alt.condition(
            alt.datum.risk_score > dark, alt.value("#ffffff"), alt.value("#1b1f24")
        ),
    )
    return (rect + text).properties(height=alt.Step(22))


def incidents_by_mode(df: pd.DataFrame, title: str) -> alt.Chart:
    if df.empty:
        return _empty(title)
    modes = (
        df.groupby("failure_mode")["incidents"].sum().sort_values(ascending=False).index.tolist()
    )
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("failure_mode:N", modes),
            x=alt.X(
                "sum(incidents):Q", title="Incidents", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(
                    domain=["sev1", "sev2", "sev3", "sev4", "unknown"],
                    range=["#b03030", "#d9534f", "#e0a030", "#3f83d1", "#8c96a3"],
                ),
                legend=alt.Legend(title="Severity"),
            ),
            tooltip=[
                alt.Tooltip("failure_mode:N", title="Failure mode"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("incidents:Q", title="Incidents"),
                alt.Tooltip("last:T", title="Latest", format="%Y-%m-%d"),
            ],
        )
        .properties(height=alt.Step(24))
    )


def problems_by_kind(df: pd.DataFrame, title: str) -> alt.Chart:
    """Load problems per kind (rows: kind, severity, problems)."""
    if df.empty:
        return _empty(title)
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("kind:N", "-x"),
            x=alt.X("sum(problems):Q", title="Problems", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(domain=["error", "warning"], range=["#d9534f", "#e0a030"]),
                legend=alt.Legend(title="Severity"),
            ),
            tooltip=["kind:N", "severity:N", "problems:Q", "files:Q"],
        )
        .properties(height=alt.Step(24))
    )


LEVEL_COLORS = {"None": "#8c96a3", "Bronze": "#b0793a", "Silver": "#9fb3c8", "Gold": "#d4a72c"}


def level_distribution(df: pd.DataFrame, group_title: str, title: str) -> alt.Chart:
    """Integrations per scorecard level, one bar per group."""
    if df.empty:
        return _empty(title)
    levels = df.sort_values("level_position")["level"].drop_duplicates().tolist()
    palette = [LEVEL_COLORS.get(lv, "#3f83d1") for lv in levels]
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("group:N", title=group_title),
            x=alt.X(
                "integrations:Q",
                title="Integrations",
                stack="zero",
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "level:N",
                sort=levels,
                scale=alt.Scale(domain=levels, range=palette),
                legend=alt.Legend(title="Level"),
            ),
            order=alt.Order("level_position:Q"),
            tooltip=[
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip("level:N", title="Level"),
                alt.Tooltip("integrations:Q", title="Integrations"),
            ],
        )
        .properties(height=alt.Step(22))
    )


def backlog_by_owner(df: pd.DataFrame, title: str) -> alt.Chart:
    """Summed backlog score per owner, split by kind of work (rows: owner, kind, items, score)."""
    if df.empty:
        return _empty(title)
    owners = df.groupby("owner")["score"].sum().sort_values(ascending=False).index.tolist()
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            y=_rows_y("owner:N", owners),
            x=alt.X("sum(score):Q", title="Sum of backlog scores"),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["overdue", "breaking change without plan", "deadline", "risk", "gap"],
                    range=["#b03030", "#9b59b6", "#e0a030", "#d9534f", "#3f83d1"],
                ),
                legend=alt.Legend(title="Kind", orient="bottom", columns=3),
            ),
            tooltip=[
                alt.Tooltip("owner:N", title="Owner"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("items:Q", title="Items"),
                alt.Tooltip("score:Q", title="Score", format=".1f"),
            ],
        )
        .properties(height=alt.Step(22))
    )

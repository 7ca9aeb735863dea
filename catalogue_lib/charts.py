"""Pure functions DataFrame -> alt.Chart sharing one look.

One meaning per colour on every chart, colour-blind safe (blue-orange, never red against
green): blue is passing / on track, orange is failing / overdue, greys are "cannot say" and
"does not apply". Every chart has a title that says what the reader looks at, tooltips with
human labels, whole-number axes where counts are drawn, a bounded height (rows are capped by the
queries), and a rule marking today on every time axis.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .chart_style import (
    BACKLOG_COLORS,
    BLUE,
    COL_PX,
    DARK_ORANGE,
    GREY,
    INK,
    LEVEL_COLORS,
    LIGHT_GREY,
    LIGHT_ORANGE,
    ORANGE,
    PALE_ORANGE,
    ROW_PX,
    SLATE,
    STATE_COLORS,
    cols_x,
    empty,
    integration_rows,
    legend,
    rows_y,
    scale,
    state_color,
)
from .present import (
    CATEGORY_LABELS,
    OTHERS,
    STATE_LABELS,
)

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
        y=rows_y("group:N", title=None),
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
            legend=legend("Level"),
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
            y=rows_y("title:N", checks),
            x=alt.X(
                "integrations:Q",
                stack="normalize",
                title="Share of active integrations",
                axis=alt.Axis(format="%"),
            ),
            color=state_color(),
            order=alt.Order("state_order:Q"),
            tooltip=[
                alt.Tooltip("title:N", title="Check"),
                alt.Tooltip("state_label:N", title="State"),
                alt.Tooltip("integrations:Q", title="Integrations", format=","),
                alt.Tooltip("share_passing:Q", title="Share passing", format=".0%"),
            ],
        )
    )
    # a check that applies to none of them (n/a throughout) has no share: no label, not "0%"
    share = df.drop_duplicates("title").dropna(subset=["share_passing"])
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


# --------------------------------------------------------------------------- coverage


def check_heatmap(df: pd.DataFrame, title: str, filtered: bool = False) -> alt.Chart:
    """Integration x check, coloured by state; clicking a row selects the integration."""
    if df.empty:
        return empty(title, filtered)
    df = df.assign(state_label=df["state"].map(STATE_LABELS))
    pick = alt.selection_point(name="pick", fields=["integration_id"], on="click")
    df, order = integration_rows(df)
    checks = df.drop_duplicates("check").sort_values("position")["check"].tolist()
    return (
        alt.Chart(df, title=title)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=cols_x("check:N", checks),
            y=rows_y("row:N", order),
            color=state_color(),
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
        x=cols_x("title:N", checks),
        y=rows_y("group:N", title=group_title),
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
        y=rows_y("owner:N", owners),
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
        x=cols_x("category_label:N"),
        y=rows_y("owner:N", owners),
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
            y=rows_y("mode:N", modes),
            x=alt.X(
                "sum(incidents):Q", title="Incidents", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=alt.Color("severity:N", scale=scale(sev), legend=legend("Severity")),
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
            y=rows_y("owner:N", owners),
            x=alt.X("sum(score):Q", title="Sum of backlog scores", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "kind_label:N", scale=scale(BACKLOG_COLORS), legend=legend("Kind of work")
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
            y=rows_y("kind:N", "-x"),
            x=alt.X("sum(problems):Q", title="Problems", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(domain=["error", "warning"], range=[ORANGE, LIGHT_ORANGE]),
                legend=legend("Severity"),
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

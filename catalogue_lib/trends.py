"""Trend figures from the stored history, shaped for the Trends page and the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .filters import Filters
from .history import History, change_over


def figures_frame(hist: History, filters: Filters | None = None) -> pd.DataFrame:
    """One row per snapshot: the headline figures of the filtered integrations."""
    rows = hist.figures(filters, until=filters.as_of if filters else None)
    if not rows:
        return pd.DataFrame(
            columns=[
                "date",
                "commit",
                "integrations",
                "active",
                "must_haves_passing",
                "must_haves_share",
                "overdue",
                "risk_score",
                "errors",
            ]
        )
    df = pd.DataFrame(
        [
            {
                "date": pd.Timestamp(r["date"]),
                "commit": (r["commit"] or "")[:10],
                "integrations": r["integrations"],
                "active": r["active"],
                "must_haves_passing": r["must_haves_passing"],
                # no active integration: no share (a gap in the line, not a point at 0%)
                "must_haves_share": r["must_haves_passing"] / r["active"] if r["active"] else None,
                "overdue": r["overdue"],
                "risk_score": r["risk_score"],
                "errors": len(r["errors"]),
                **{f"level:{k}": v for k, v in r["levels"].items()},
            }
            for r in rows
        ]
    )
    return df


def levels_long(frame: pd.DataFrame) -> pd.DataFrame:
    """date, level, integrations: the level columns of figures_frame, long."""
    cols = [c for c in frame.columns if c.startswith("level:")]
    long = frame[["date", *cols]].melt(
        id_vars=["date"], var_name="level", value_name="integrations"
    )
    long["level"] = long["level"].str.removeprefix("level:")
    return long.fillna({"integrations": 0})


def changes(
    hist: History, since: dt.date, until: dt.date, filters: Filters | None = None
) -> pd.DataFrame:
    params = {**(filters or Filters()).sql_params(), "since": since, "until": until}
    return hist.query("trend_changes", **params)


def titles_of(titles: pd.DataFrame, kind: str) -> dict[str, str]:
    """{name: title} of the scorecard's checks or levels (rows of sql/scorecard_titles.sql)."""
    rows = titles[titles["kind"] == kind]
    return dict(zip(rows["name"], rows["title"], strict=True))


def readable_changes(df: pd.DataFrame, titles: pd.DataFrame) -> pd.DataFrame:
    """The changes table in the words the other pages use: a check's title rather than its
    name ('Reviewed recently', not reviewed_recently) and levels as titles ('Gold -> Silver',
    'No level -> Bronze')."""
    checks, levels = titles_of(titles, "check"), titles_of(titles, "level")

    def level(name: str) -> str:
        return "No level" if name == "none" else levels.get(name, name.capitalize())

    def detail(change: str, text: str) -> str:
        if change in ("check passes", "check fails"):
            return checks.get(text, text)
        if change == "level" and " -> " in text:
            old, new = text.split(" -> ", 1)
            return f"{level(old)} → {level(new)}"
        return text

    return df.assign(detail=[detail(c, d) for c, d in zip(df["change"], df["detail"], strict=True)])


def by_group(hist: History, group: str, filters: Filters | None = None) -> pd.DataFrame:
    """Per snapshot and per owner (group='owner') or partner type (group='type')."""
    df = hist.query("trend_by_group", group=group, **(filters or Filters()).sql_params())
    # a group with no active integration that day (an owner of retired ones only) has no share,
    # and its overdue deadlines and risk are those of no integration: it is not drawn at 0%
    df = df[df["active"] > 0].reset_index(drop=True)
    df["must_haves_share"] = df["must_haves_passing"] / df["active"]
    return df


def headline_change(
    paths: list[str] | None = None,
    days: int = 30,
    filters: Filters | None = None,
    as_of: dt.date | None = None,
    hist: History | None = None,
) -> dict[str, tuple[int, int | None, int | None]]:
    """{figure: (now, `days` days ago, delta)} for the home page's headline numbers, from the
    history of the catalogue's first folder ({} when there is none). Figures: integrations,
    active, must_haves_passing, overdue, risk_score and level_<name> for each level."""
    if hist is None:
        from .catalogue import default_paths
        from .initiatives import history_for

        hist = history_for(list(paths or default_paths()))
        if hist is None:
            return {}
    return change_over(hist, days, filters, as_of)


# figure -> whether a rise is good; a figure not named here is neither (its change is grey)
GOOD_WHEN_UP = {"must_haves_passing": True, "overdue": False, "risk_score": False}


def change_color(figure: str, change: tuple[int, Any, Any] | None) -> str:
    """The colour of a figure's change, in the dashboard's one colour per meaning (never red
    against green): blue for better, orange for worse, grey for unchanged, unknown or neutral."""
    delta = change[2] if change else None
    if not delta or figure not in GOOD_WHEN_UP:
        return "gray"
    return "blue" if (delta > 0) == GOOD_WHEN_UP[figure] else "orange"


def change_text(change: tuple[int, Any, Any], days: int = 30) -> str | None:
    """'+3 in 30 days' for a metric's delta, or None without history that far back."""
    _, _, delta = change
    if delta is None:
        return None
    return f"unchanged in {days} days" if delta == 0 else f"{delta:+d} in {days} days"

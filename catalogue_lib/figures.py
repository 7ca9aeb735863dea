"""The headline figures of each page, and their targets: one source for the pages and the CLI.

Each function takes `run(name, **extra) -> DataFrame`, a query runner with the filters and the
as-of date already bound: the app passes its cached `ui.query`, `catalogue figures` passes the
database directly. A number on a page is therefore the same query as the CLI's JSON for the same
filters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

Run = Callable[..., "pd.DataFrame"]
HORIZONS = (30, 90, 180, 365)


def _ints(row: pd.Series) -> dict[str, int]:
    return {k: int(v) for k, v in row.items()}


def home(run: Run) -> dict[str, Any]:
    h = _ints(run("health_headline").iloc[0])
    levels = run("level_overview")
    total = levels[levels["is_total"] == 1].sort_values("level_position")
    active = h["active"]
    above = total[total["level_position"] >= 1]
    second = total.loc[total["level_position"] == 1, "level"]
    # a scorecard.yaml with one level has no second level to be at: no share, no verdict (as 0
    # of 0 is none), not "0%, off target" for a level nobody can reach
    judged = bool(active) and len(second) > 0
    return {
        **h,
        # a share of no integrations is no share: None, shown as a dash and judged by no target
        "must_have_share": h["must_haves_passing"] / active if active else None,
        "levels": {r.level: int(r.integrations) for r in total.itertuples()},
        "second_level": second.iloc[0] if len(second) else None,
        "at_second_level_or_above": int(above["integrations"].sum()),
        "at_second_level_or_above_share": (
            int(above["integrations"].sum()) / active if judged else None
        ),
    }


def coverage(run: Run) -> dict[str, Any]:
    row = run("coverage_headline").iloc[0]
    out = _ints(row.drop("share_passing"))
    share = row["share_passing"]
    # as the home page's shares: 0 of 0 checks is no share (None), not 0%
    out["share_passing"] = None if share is None or share != share else float(share)
    return out


def deprecations(run: Run, horizon: int = 90) -> dict[str, Any]:
    return {**_ints(run("timeline_counts", horizon=horizon).iloc[0]), "horizon": horizon}


def backlog(run: Run) -> dict[str, Any]:
    kinds = run("backlog_summary").set_index("kind")["items"]
    gaps = coverage(run)["gaps"]
    return {
        "items": int(kinds.sum()),
        "overdue": int(kinds.get("overdue", 0)),
        "breaking_without_plan": int(kinds.get("breaking change without plan", 0)),
        "upcoming_deadlines": int(kinds.get("deadline", 0)),
        "high_risks": int(kinds.get("risk", 0)),
        "gap_items": int(kinds.get("gap", 0)),
        "gaps": gaps,
    }


def risk(run: Run) -> dict[str, Any]:
    return _ints(run("risk_headline").iloc[0])


def all_figures(run: Run, horizon: int = 90) -> dict[str, dict[str, Any]]:
    return {
        "home": home(run),
        "coverage": coverage(run),
        "deprecations": deprecations(run, horizon),
        "backlog": backlog(run),
        "risk": risk(run),
    }


# --------------------------------------------------------------------------- targets


# figure -> (what the target is, a judge returning good | warn | bad); the same targets on every
# page and in `catalogue figures`.
def _at_least(name: str, good: float, near: float) -> Callable[[dict[str, Any]], str | None]:
    """None for a share of nothing: with no active integrations there is nothing to judge."""
    return lambda f: (
        None
        if f[name] is None
        else "good"
        if f[name] >= good
        else "warn"
        if f[name] >= near
        else "bad"
    )


def _none(name: str, otherwise: str = "bad") -> Callable[[dict[str, Any]], str]:
    return lambda f: "good" if f[name] == 0 else otherwise


def _high_risks(f: dict[str, Any]) -> str:
    """At most one high risk per ten active integrations; near up to one per five."""
    n, active = f["high_risks"], f["active"]
    return "good" if n * 10 <= active else "warn" if n * 5 <= active else "bad"


TARGETS: dict[str, tuple[str, Callable[[dict[str, Any]], str | None]]] = {
    "must_have_share": ("aim ≥ 90%", _at_least("must_have_share", 0.9, 0.7)),
    "at_second_level_or_above_share": (
        "aim ≥ 50%",
        _at_least("at_second_level_or_above_share", 0.5, 0.25),
    ),
    "overdue": ("aim 0", _none("overdue")),
    "breaking_without_plan": ("aim 0", _none("breaking_without_plan")),
    "high_risks": ("aim ≤ 1 per 10", _high_risks),  # per 10 active integrations (the help says so)
    "due_30": ("aim 0", _none("due_30", "warn")),
}


def judged(figures: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """Each targeted figure's target text and status (good, warn or bad; None when there is
    nothing to judge)."""
    return {
        name: {"target": text, "status": judge(figures)}
        for name, (text, judge) in TARGETS.items()
        if name in figures
    }


VERDICTS = {"good": "on target", "warn": "near target", "bad": "off target"}  # the tiles' words


def verdict(status: str | None, target: str) -> str:
    """A target's verdict as the home page's tiles word it: "off target · aim ≥ 90%"."""
    word = VERDICTS.get(status or "")
    return f"{word} · {target}" if word else target


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def count(n: int) -> str:
    return f"{n:,}"

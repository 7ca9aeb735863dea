"""Initiatives: campaigns with a target (a level, or checks), a scope and a due date.

Progress now comes from the catalogue (sql/initiative_progress.sql, initiative_short.sql);
the burn-up from the stored history (sql/initiative_burnup.sql), both counting an
integration as done when every check the target asks of it passes, is n/a or is waived.
The page and `catalogue initiatives --format json` print the same `report()`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, _jsonable
from .filters import Filters
from .gitrepo import GitError

Report = dict[str, Any]


def history_for(paths: list[str], cache: str | Path | None = None):  # -> History | None
    """The stored history of the catalogue's first folder, when it is in git."""
    from .history import open_history

    folder = next((p for p in paths if Path(p).is_dir()), None)
    if folder is None:
        return None
    try:
        hist = open_history(folder, cache=cache)
    except GitError:
        return None
    return hist if hist.repo is not None else None


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if value is not None else []


def expected_on(day: dt.date, start: dt.date, start_met: int, due: dt.date, total: int) -> float:
    """The straight line from (start, met then) to (due, every integration in scope)."""
    if day >= due or start >= due:
        return float(total)
    share = max(0.0, (day - start).days / (due - start).days)
    return round(start_met + (total - start_met) * share, 2)


def report(
    cat: Catalogue, as_of: dt.date, hist: Any = None, filters: Filters | None = None
) -> Report:
    """Every initiative's progress, short list and burn-up; with filters (the sidebar's), only
    the integrations in scope that the filters keep (in the burn-up, as Trends keeps them: by
    what each day's records said)."""
    filters = filters or Filters()
    card = cat.scorecard
    level_checks = card.level_checks() if card is not None else {}
    params = filters.sql_params()
    progress = cat.query("initiative_progress", as_of=as_of, **params)
    short = cat.query("initiative_short", as_of=as_of, **params)
    out = []
    for r in progress.to_dict("records"):
        name = r["initiative"]
        due = _jsonable(r["due"])
        due_day = dt.date.fromisoformat(due)
        target: str | list[str] = (
            r["target_level"] if isinstance(r["target_level"], str) else _list(r["target_checks"])
        )
        wanted = level_checks.get(target, []) if isinstance(target, str) else target
        scope = {
            "type": _list(r["scope_types"]),
            "criticality": _list(r["scope_criticality"]),
            "owner": _list(r["scope_owners"]),
            "ids": _list(r["scope_ids"]),
        }
        in_scope, met = int(r["in_scope"]), int(r["met"])
        burnup = _burnup(hist, scope, wanted, as_of, filters)
        if burnup:
            start = dt.date.fromisoformat(burnup[0]["date"])
            for point in burnup:
                point["expected"] = expected_on(
                    dt.date.fromisoformat(point["date"]), start, burnup[0]["met"], due_day, in_scope
                )
        # on track: at or above the straight line from the first snapshot; a first snapshot
        # dated as of today (a folder not in git, a first commit today) draws no line yet, and
        # nothing in scope now is no campaign to be on track with (0 of 0 is no share: a scope
        # whose integrations were all retired read "on track")
        first = dt.date.fromisoformat(burnup[0]["date"]) if burnup else as_of
        expected_now = (
            expected_on(as_of, first, burnup[0]["met"], due_day, in_scope)
            if first < as_of and in_scope
            else None
        )
        rows = short[short["initiative"] == name]
        out.append(
            {
                "name": name,
                "target": target,
                "checks": wanted,
                "scope": scope,
                "due": due,
                "days_left": (due_day - as_of).days,
                "in_scope": in_scope,
                "met": met,
                # 0 of 0 is no share (docs/decisions.md): nothing in scope is not done
                "progress": round(met / in_scope, 4) if in_scope else None,
                "expected_now": expected_now,
                "on_track": None if expected_now is None else met >= expected_now,
                "short": [
                    {
                        "id": s["id"],
                        "name": s["name"],
                        "owner": s["owner"],
                        "needs": [
                            {"check": c["check"], "state": c["state"], "fix": c["fix"]}
                            for c in s["checks"]
                        ],
                    }
                    for s in rows.to_dict("records")
                ],
                "burnup": burnup,
            }
        )
    return {"as_of": as_of.isoformat(), "initiatives": out}


def _burnup(
    hist: Any,
    scope: dict[str, list[str]],
    wanted: list[str],
    as_of: dt.date,
    filters: Filters,
) -> list:
    """Per snapshot: in scope (and in the filters, as that day's records say) and meeting the
    target."""
    if hist is None or not wanted:
        return []
    df = hist.query(
        "initiative_burnup",
        wanted=wanted,
        scope_types=scope["type"],
        scope_criticalities=scope["criticality"],
        scope_owners=scope["owner"],
        scope_ids=scope["ids"],
        as_of=as_of,
        **filters.sql_params(),
    )
    return [
        {"date": _jsonable(r["date"]), "in_scope": int(r["in_scope"]), "met": int(r["met"])}
        for r in df.to_dict("records")
    ]


def as_text(
    data: Report, checks: dict[str, str] | None = None, levels: dict[str, str] | None = None
) -> str:
    """The report for a terminal, naming checks and levels by their titles (`checks`, `levels`:
    {name: title}) as the Initiatives page does: 'Escalation path', not escalation_for_high."""
    checks, levels = checks or {}, levels or {}
    out = [f"Initiatives as of {data['as_of']}"]
    if not data["initiatives"]:
        out.append("No initiatives: add an `initiatives:` section to scorecard.yaml.")
    for n in data["initiatives"]:
        target = (
            levels.get(n["target"], n["target"])
            if isinstance(n["target"], str)
            else ", ".join(checks.get(c, c) for c in n["target"])
        )
        track = track_text(n)
        out += [
            "",
            f"{n['name']}: {target} by {n['due']} ({n['days_left']} days left)",
            f"  {n['met']} of {n['in_scope']} integrations meet it ({progress_text(n)}); {track}",
        ]
        for s in n["short"]:
            needs = ", ".join(checks.get(c["check"], c["check"]) for c in s["needs"])
            out.append(f"  - {s['id']} ({s['owner']}): needs {needs}")
    return "\n".join(out)


def track_text(n: dict[str, Any]) -> str:
    """On track, behind, or why there is no verdict: nothing in scope, or no history yet."""
    if n["on_track"] is None:
        return "nothing to track" if not n["in_scope"] else "no history"
    return "on track" if n["on_track"] else "behind"


def progress_text(n: dict[str, Any]) -> str:
    """An initiative's share of its scope meeting the target; none when nothing is in scope."""
    return "nothing in scope" if n["progress"] is None else f"{n['progress']:.0%}"


def scope_text(scope: dict[str, list[str]]) -> str:
    parts = [f"{k} {', '.join(v)}" for k, v in scope.items() if v]
    return "; ".join(parts) or "every active integration"


def short_table(initiative: dict[str, Any], titles: dict[str, str] | None = None):  # -> DataFrame
    """The integrations still short of an initiative's target, one row each, with what they need
    (each check by its title when `titles` names it: 'Alert rules', not alert_rules)."""
    titles = titles or {}
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "integration_id": s["id"],  # hidden; a click on the name opens the record
                "name": s["name"],
                "owner": s["owner"],
                "needs": ", ".join(titles.get(c["check"], c["check"]) for c in s["needs"]),
                "how to fix": " · ".join(c["fix"] for c in s["needs"] if c["fix"]),
            }
            for s in initiative["short"]
        ],
        columns=["integration_id", "name", "owner", "needs", "how to fix"],
    )

"""Reports built from the queries: the stability backlog and the owner digest."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from .catalogue import Catalogue, _jsonable
from .csv_out import dataframe_csv
from .filters import NO_OWNER, Filters
from .present import CATEGORY_LABELS, KIND_LABELS

BACKLOG_COLUMNS = [
    "rank",
    "score",
    "integration_id",
    "name",
    "owner",
    "type",
    "criticality",
    "kind",
    "item",
    "action",
    "due",
    "days",
    "due_by",
    "approximate",
    "written",
    "derived",
    "why",
]

SCORING_RULE = (
    "score = criticality weight (high 3, medium, not set or unknown 2, low 1) x severity x urgency. "
    "Severity: a failing check's weight from the scorecard (must-haves 3); a sunset by what "
    "happens that day (on_sunset): stops working 3, falls forward to a newer version 2, keeps "
    "working unsupported 1; a credential expiry or rotation 3, a deprecation 2, a breaking change "
    "still ahead without a migration plan 3 (with one 2, non-breaking 1; a change marked done is "
    "history); a risk likelihood x impact / 3. Urgency: overdue 4; a deadline in d days "
    "1 + 2 x max(0, 1 - d/180) to two decimals, so 3 when due today and 1 from 180 days out; "
    "no date 1. The score is rounded to one decimal. "
    "A deadline inside a change freeze (calendar.yaml) that starts after today is due by the day "
    "before the freeze: d counts to that day, and the backlog ranks it by it. An approximate "
    "date (a month or quarter) counts as its first day."
)
TIE_BREAK = (
    "Equal scores are ordered by the day they are due by (the day before a freeze, else the "
    "date; soonest first, undated last), then criticality "
    "(high first), then integration name (then its id, where two share a name)."
)


def backlog(
    cat: Catalogue, as_of: dt.date, filters: Filters | None = None, limit: int | None = None
) -> pd.DataFrame:
    f = filters or Filters()
    df = cat.query("backlog", **f.sql_params(), as_of=as_of)[BACKLOG_COLUMNS]
    return df if limit is None else df.head(limit)


def owner_names(cat: Catalogue, name: str) -> tuple[str, ...]:
    """The owner values in the records that `name` means: the same name in any case, or, with an
    owners.yaml, every name (team or alias) of the team that has `name` as its team or alias.
    "(no owner)", in any case, means the integrations without one, as the sidebar and the error
    listing the owners call them."""
    wanted = {name.casefold()}
    for team in cat.owners or ():
        names = {n.casefold() for n in (team.team, *team.aliases)}
        if name.casefold() in names:
            wanted |= names
    found = {r.owner for r in cat.result.records if r.owner and r.owner.casefold() in wanted}
    if NO_OWNER in wanted and any(r.owner is None for r in cat.result.records):
        found.add(NO_OWNER)
    return tuple(sorted(found))


def _records(df: pd.DataFrame) -> list[dict]:
    out = []
    for row in df.to_dict("records"):
        out.append(
            {
                k: (None if (isinstance(v, float) and v != v) or v is pd.NaT else _jsonable(v))
                for k, v in row.items()
            }
        )
    return out


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return " ".join(str(value).split()).replace("|", "\\|")


def markdown_table(df: pd.DataFrame, columns: list[str], headers: list[str] | None = None) -> str:
    head = headers or columns
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in df[columns].itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _given(value: object) -> bool:
    return _cell(value) != ""


def due_text(row: dict) -> str:
    """A deadline's date for people: as written when approximate, marked derived, and the day it
    is due by when a freeze applies."""
    if not _given(row.get("due")):
        return ""
    text = _cell(row["due"])
    if row.get("approximate") is True and _given(row.get("written")):
        text = f"{row['written']} (approximate)"
    if row.get("derived") is True:
        text += " (derived)"
    if _given(row.get("due_by")):
        text += f", due by {_cell(row['due_by'])}"
    return text


def format_backlog(df: pd.DataFrame, fmt: str, as_of: dt.date) -> str:
    if fmt == "json":
        return json.dumps(
            {
                "as_of": as_of.isoformat(),
                "rule": f"{SCORING_RULE} {TIE_BREAK}",
                "items": _records(df),
            },
            indent=2,
        )
    if fmt == "csv":
        out = df.copy()
        out["due"] = out["due"].map(lambda d: _cell(d))
        out["due_by"] = out["due_by"].map(lambda d: _cell(d))
        return dataframe_csv(out)
    title = f"# Stability backlog as of {as_of.isoformat()}\n\n{SCORING_RULE} {TIE_BREAK}\n\n"
    table = markdown_table(
        df.assign(due=[due_text(r) for r in df.to_dict("records")]),
        ["rank", "score", "name", "owner", "item", "action", "due", "why"],
        ["#", "Score", "Integration", "Owner", "Item", "Action", "Due", "Why it ranks here"],
    )
    return title + table + "\n"


def owner_title(cat: Catalogue, name: str) -> str:
    """The owner as the pages name it: the team of owners.yaml that `name` is a name of, else
    the one owner value `name` matches in any case, else `name` as typed."""
    for team in cat.owners or ():
        if name.casefold() in {n.casefold() for n in (team.team, *team.aliases)}:
            return team.team
    found = owner_names(cat, name)
    return found[0] if len(found) == 1 else name


def digest(cat: Catalogue, owner: str, as_of: dt.date) -> str | None:
    """A Markdown digest for one owner, or None when the owner has no integration."""
    f = Filters(owners=owner_names(cat, owner) or (owner,))
    params = {**f.sql_params(), "as_of": as_of}
    integrations = cat.query("integration_list", **params)
    if integrations.empty:
        return None
    gaps = cat.query("gaps", **params, check="all")
    deadlines = cat.query("timeline", **params, horizon=365, status="all")
    risks = cat.query("owner_risks", **params)
    items = backlog(cat, as_of, f, limit=10)

    title = _cell(owner_title(cat, owner))
    out = [f"# Stability digest: {title}", "", f"As of {as_of.isoformat()}."]
    rows = []
    for r in integrations.itertuples():
        needs = cat.query("integration_level", id=r.id, as_of=as_of)
        # the level's title from the scorecard, and "No level" below the first, as every page
        titles = needs["level"].dropna()
        level_text = str(titles.iloc[0]) if len(titles) else "No level"
        missing = [c for c in needs["check"].dropna()]
        nxt = needs["next_level"].dropna()
        next_text = (
            f"{nxt.iloc[0]}: " + ", ".join(missing) if len(nxt) and missing else "top level reached"
        )
        if needs.empty:  # retired: out of the checks, so neither a level nor a next one
            level_text, next_text = "retired", "—"
        rows.append({"name": r.name, "level": level_text, "next": next_text})
    out += [
        "",
        "## Levels",
        "",
        markdown_table(
            pd.DataFrame(rows),
            ["name", "level", "next"],
            ["Integration", "Level", "Next level needs"],
        ),
    ]

    # the pages' words ("Credential expiry", "Timeouts / 5xx"), not the query's keys
    risks = risks.assign(category=risks["category"].map(lambda c: CATEGORY_LABELS.get(c, c)))
    deadlines = deadlines.assign(
        kind=deadlines["kind"].map(lambda k: KIND_LABELS.get(k, k)),
        status=deadlines["overdue"].map({True: "OVERDUE", False: "upcoming"}),
        due_by=deadlines["due_by_freeze"].fillna(""),
    )
    sections = [
        (
            "Gaps to close",
            gaps,
            {"name": "Integration", "check": "Check", "state": "State", "fix": "How to fix"},
            "No gaps: every check passes, is n/a or is waived.",
        ),
        (
            "Deadlines (overdue, and the next 365 days)",
            deadlines,
            {
                "shown_date": "Date",
                "days": "Days",
                "due_by": "Due by (freeze)",
                "name": "Integration",
                "kind": "Kind",
                "version": "Version",
                "summary": "Summary",
                "status": "Status",
            },
            "No deadlines.",
        ),
        (
            "Risks",
            risks,
            {
                "name": "Integration",
                "category": "Category",
                "summary": "Summary",
                "likelihood": "Likelihood",
                "impact": "Impact",
                "score": "Score",
            },
            "No risks recorded.",
        ),
        (
            "First ten backlog items",
            items,
            {
                "rank": "#",
                "score": "Score",
                "name": "Integration",
                "item": "Item",
                "action": "Action",
                "why": "Why",
            },
            "Nothing in the backlog.",
        ),
    ]
    for heading, df, columns, empty in sections:
        out += ["", f"## {heading}", ""]
        out.append(empty if df.empty else markdown_table(df, list(columns), list(columns.values())))
    return "\n".join(out) + "\n"

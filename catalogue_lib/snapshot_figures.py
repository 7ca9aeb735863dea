"""The figures `history` keeps of each snapshot: one query over per-integration facts.

`catalogue history` stores the facts (sql/snapshot_facts.sql) of every snapshot and aggregates
them with sql/trend_figures.sql, shaped by `shape()`. `catalogue summary` counts the same
headline figures from sql/standing.sql (no lists to build: a third of the time); the history
tests hold every figure of one to the other on each commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from . import db
from .db import CHECK_NAMES
from .filters import Filters

if TYPE_CHECKING:
    import pandas as pd


def facts(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    """One row per integration of a catalogue database (sql/snapshot_facts.sql)."""
    return db.query(con, "snapshot_facts", as_of=as_of)


def facts_table(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pa.Table:
    """facts() as an Arrow table (history keeps and stores these without pandas)."""
    cur = con.cursor()
    try:
        try:
            return cur.sql(db.sql("snapshot_facts"), params={"as_of": as_of}).to_arrow_table()
        except duckdb.OutOfMemoryException:  # as db.execute(): lift the cap and try again
            cur.execute("RESET memory_limit")
            return cur.sql(db.sql("snapshot_facts"), params={"as_of": as_of}).to_arrow_table()
    finally:
        cur.close()


def level_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("SELECT level FROM scorecard_levels ORDER BY position").fetchall()
    ]


def shape(row: dict[str, Any]) -> dict[str, Any]:
    """A trend_figures row as the JSON history prints: every check and every level present."""
    checks = row.get("checks") or {}
    levels = row.get("levels") or {}
    names = list(row.get("level_names") or [])
    leveled = {name: int(levels.get(name, 0)) for name in names}
    active = int(row["active"])
    day = row["date"]
    return {
        "date": (day.date() if isinstance(day, dt.datetime) else day).isoformat(),
        "commit": row.get("commit") if isinstance(row.get("commit"), str) else None,
        "integrations": int(row["integrations"]),
        "active": active,
        "must_haves_passing": int(row["must_haves_passing"]),
        "checks": {c: int(checks.get(c, 0)) for c in CHECK_NAMES},
        "overdue": int(row["overdue"]),
        "levels": {**leveled, "none": active - sum(leveled.values())},
        "risk_score": int(row["risk_score"]),
    }


def figure_rows(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """sql/trend_figures.sql on a connection that sees `snapshots` and `facts`, shaped."""
    params = {**(filters or Filters()).sql_params(), "since": since, "until": until}
    result = db.execute(cur, db.sql("trend_figures"), params)
    names = [d[0] for d in result.description]
    out = []
    for values in result.fetchall():
        r = dict(zip(names, values, strict=True))
        shaped = shape(r)
        shaped["errors"] = list(r.get("errors") or [])
        out.append(shaped)
    return out

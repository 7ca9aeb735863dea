"""The headline figures `summary` and `history` share: one query over per-integration facts.

`catalogue summary` evaluates the facts of the catalogue on disk; `catalogue history` stores
the same facts for every snapshot. Both aggregate them with sql/trend_figures.sql and shape
them with `shape()`, so the two cannot drift apart.
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
    result = cur.execute(db.sql("trend_figures"), params)
    names = [d[0] for d in result.description]
    out = []
    for values in result.fetchall():
        r = dict(zip(names, values, strict=True))
        shaped = shape(r)
        shaped["errors"] = list(r.get("errors") or [])
        out.append(shaped)
    return out


def catalogue_figures(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    commit: str | None = None,
    errors: list[str] | None = None,
    filters: Filters | None = None,
    facts_df: pd.DataFrame | pa.Table | None = None,
) -> dict[str, Any]:
    """The headline figures of one catalogue database as of a date (what history stores)."""
    cur = con.cursor()
    try:
        cur.register("facts", facts_table(con, as_of) if facts_df is None else facts_df)
        cur.register(
            "snapshots",
            pa.table(
                {
                    "snapshot_date": pa.array([as_of], pa.date32()),
                    "commit": pa.array([commit], pa.string()),
                    "level_names": pa.array([level_names(con)], pa.list_(pa.string())),
                    "errors": pa.array([list(errors or [])], pa.list_(pa.string())),
                }
            ),
        )
        return figure_rows(cur, filters)[0]
    finally:
        cur.close()


def figures_and_levels(
    con: duckdb.DuckDBPyConnection, as_of: dt.date
) -> tuple[dict[str, Any], list[tuple[str, str | None]]]:
    """catalogue_figures() and each integration's level (in path order) from one evaluation of
    the facts, kept inside DuckDB (a temporary table: nothing is converted to Python but the
    answer), which is what `catalogue summary` needs."""
    cur = con.cursor()
    try:
        cur.execute(
            f"CREATE TEMP TABLE facts AS {db.sql('snapshot_facts').strip().rstrip(';')}",
            {"as_of": as_of},
        )
        levels = cur.execute("SELECT id, level FROM facts").fetchall()  # in path order
        cur.register(
            "snapshots",
            pa.table(
                {
                    "snapshot_date": pa.array([as_of], pa.date32()),
                    "commit": pa.array([None], pa.string()),
                    "level_names": pa.array([level_names(con)], pa.list_(pa.string())),
                    "errors": pa.array([[]], pa.list_(pa.string())),
                }
            ),
        )
        return figure_rows(cur)[0], levels
    finally:
        cur.close()

"""DuckDB schema and loading. Nothing happens at import time.

`build()` turns a LoadResult into a database; `query()` runs one named
`sql/<name>.sql` file with `$named` parameters (never string formatting).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from .lifecycle import derived_sunsets
from .load import LoadResult, Problem

if TYPE_CHECKING:
    import pandas as pd

SQL_DIR = Path(__file__).parent / "sql"

# name, title, one of the template's must-haves (fix-it texts and weights live in the scorecard)
CHECKS: tuple[tuple[str, str, bool], ...] = (
    ("named_owner", "Named owner", True),
    ("support_contact", "Support contact", False),
    ("dashboard", "Dashboard", True),
    ("alert_rules", "Alert rules", True),
    ("runbook", "Runbook", True),
    ("on_call", "On-call", False),
    ("slo_defined", "SLO defined", False),
    ("idempotency", "Idempotency", False),
    ("webhook_signatures", "Webhook signatures", False),
    ("migration_plan", "Migration plan", False),
    ("test_environment", "Test environment", False),
    ("current_version", "Current version", False),
    ("criticality_set", "Criticality set", False),
    ("reviewed_recently", "Reviewed recently", False),
)
CHECK_NAMES = tuple(c[0] for c in CHECKS)


MEMORY_ENV = "CATALOGUE_DUCKDB_MEMORY"
DEFAULT_MEMORY = "512MB"
_SIZE = re.compile(r"(\d+(\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
_UNITS = {
    **{u: 1000**i for i, u in enumerate(("b", "kb", "mb", "gb", "tb"))},
    **{u: 1024 ** (i + 1) for i, u in enumerate(("kib", "mib", "gib", "tib"))},
}


def bound_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Cap what DuckDB keeps in memory ($CATALOGUE_DUCKDB_MEMORY, default 512MB) and let it
    spill to a temporary folder instead: at 50,000 integrations one page's queries otherwise
    held 500 MB for a moment, which was the app's peak. A query that still cannot fit is run
    again without the cap (execute())."""
    limit = os.environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY
    size = _SIZE.fullmatch(limit)
    if size is None:
        limit = DEFAULT_MEMORY
    elif float(size[1]) * _UNITS[size[3].lower()] < _UNITS["mib"] * 64:
        limit = "64MB"  # below what even the schema needs: a slip for MB or GB, surely
    try:
        con.execute(f"SET memory_limit = '{limit}'")
    except duckdb.Error:  # past what DuckDB can count (99999999999TB): its own default
        pass
    # each database its own spill folder, under a name nobody can take first; DuckDB makes it
    # only when it spills and removes it when the database closes
    spill = os.path.join(tempfile.gettempdir(), f"integrations-catalogue-{uuid.uuid4().hex}")
    con.execute(f"SET temp_directory = '{spill.replace(chr(39), chr(39) * 2)}'")


def execute(cur: duckdb.DuckDBPyConnection, text: str, params: Any = None) -> Any:
    """cur.execute(text, params); when DuckDB runs out of its memory cap, the cap is lifted
    (back to DuckDB's own default, most of the machine's memory) and the query run again."""
    try:
        return cur.execute(text, params)
    except duckdb.OutOfMemoryException as exc:
        try:
            cur.execute("RESET memory_limit")
            return cur.execute(text, params)
        except duckdb.TransactionException:  # inside a transaction it aborted: the real cause
            raise exc from None


@cache
def sql(name: str) -> str:
    """sql/<name>.sql, with each `{{other}}` replaced by the query in sql/other.sql (as dbt's
    ref(): one query builds on another instead of repeating it)."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: _wrapped(m[1]), text)


def query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run sql/<name>.sql on a fresh cursor with only the parameters it names."""
    text = sql(name)
    used = _named(text, params)
    cur = con.cursor()
    try:
        return execute(cur, text, used).df()
    finally:
        cur.close()


def rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict[str, Any]]:
    """query() as a list of dicts with Python values (dates as date), without pandas: what the
    command line's JSON is made of."""
    text = sql(name)
    used = _named(text, params)
    cur = con.cursor()
    try:
        result = execute(cur, text, used)
        names = [d[0] for d in result.description]
        return [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    finally:
        cur.close()


def script(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    """Run sql/<name>.sql statement by statement, each with the parameters it names (DuckDB
    takes parameters for one statement at a time)."""
    for statement in sql(name).split(";\n"):
        if statement.strip():
            execute(con, statement, _named(statement, params))


def _named(text: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters the query names ($name): DuckDB refuses any other."""
    return {k: v for k, v in params.items() if f"${k}" in text}


_EMPTY: dict[str, Any] = {}


def _wrapped(name: str) -> str:
    return sql(name).strip().rstrip(";")


def query_page(
    con: duckdb.DuckDBPyConnection, name: str, limit: int, offset: int = 0, **params: Any
) -> pd.DataFrame:
    """One page of sql/<name>.sql's rows, in the query's own order."""
    text = f"SELECT * FROM ({_wrapped(name)}) LIMIT $_limit OFFSET $_offset"
    used = _named(text, params)
    cur = con.cursor()
    try:
        return execute(cur, text, {**used, "_limit": limit, "_offset": offset}).df()
    finally:
        cur.close()


def query_count(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> int:
    text = f"SELECT count(*) FROM ({_wrapped(name)})"
    used = _named(text, params)
    cur = con.cursor()
    try:
        return int(execute(cur, text, used).fetchone()[0])
    finally:
        cur.close()


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows by column name, each column one list parameter (unnest): a row may leave out
    any column (it is NULL); DATE columns take ISO text. No pyarrow or pandas to import, which
    a cold `catalogue summary` would otherwise spend a third of a second on."""
    if not rows:
        return
    names = list(dict.fromkeys(k for row in rows for k in row))
    quoted = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
    values = ", ".join(f"unnest($c{i})" for i in range(len(names)))
    execute(
        con,
        f"INSERT INTO {table} ({quoted}) SELECT {values}",
        {f"c{i}": [row.get(n) for row in rows] for i, n in enumerate(names)},
    )


def create_schema(con: duckdb.DuckDBPyConnection, scorecard: bool = True) -> None:
    """The record tables and views; with scorecard, also the scorecard's tables (empty until
    configuration fills them: fill_scorecard) and its macros, whose creation DuckDB binds (40 ms
    at every start): made here, they are made on the filling thread while the files parse, or
    while the warm path reads the files' keys, rather than after."""
    con.execute(sql("schema"))
    con.executemany(
        "INSERT INTO checks VALUES (?, ?, ?, ?)",
        [(name, i, title, must) for i, (name, title, must) in enumerate(CHECKS)],
    )
    if scorecard:
        con.execute(sql("scorecard"))


class DatabaseError(Exception):
    """A --db file that cannot be used: locked by another process, or not a DuckDB file."""


_NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
SQLITE_MAGIC = b"SQLite format 3\x00"


def _file_kind(database: Path) -> str:
    """'duckdb', 'empty' or what else the file is, from its first bytes, before DuckDB opens it:
    DuckDB hands a file it does not know to an extension (SQLite's is downloaded on demand)."""
    with open(database, "rb") as fh:
        head = fh.read(16)
    if not head:
        return "empty"
    if head[8:12] == b"DUCK":
        return "duckdb"
    if head.startswith(SQLITE_MAGIC):
        return "an SQLite database"
    return "some other file"


def _open_file(database: Path) -> duckdb.DuckDBPyConnection:
    """Open a database file to be filled anew. An existing file must be a DuckDB database
    nobody else holds: a locked, corrupt or foreign file is an error, never silently replaced.
    Messages name the file as given and the reason, never DuckDB's text (it quotes server paths)."""
    if database.is_dir():
        raise DatabaseError(f"{database} is a folder; choose a file for --db")
    if database.exists():
        try:
            kind = _file_kind(database)
        except OSError as exc:
            raise DatabaseError(
                f"{database} cannot be read ({exc.strerror or type(exc).__name__})"
            ) from None
        if kind not in ("duckdb", "empty"):
            raise DatabaseError(
                f"{database} is not a usable DuckDB database: the file is {kind}, not a DuckDB "
                "database, and is left untouched; remove it or choose another --db file"
            )
        if kind == "duckdb":
            try:
                duckdb.connect(str(database), config=_NO_EXTENSIONS).close()
            except duckdb.Error as exc:
                if "lock" in str(exc).lower():
                    raise DatabaseError(
                        f"{database} is in use by another process (it holds the file's lock); "
                        "close it or choose another --db file"
                    ) from None
                raise DatabaseError(
                    f"{database} is not a usable DuckDB database (damaged, or written by another "
                    "DuckDB version); remove it or choose another --db file"
                ) from None
        for f in (database, Path(f"{database}.wal")):
            f.unlink(missing_ok=True)
    if not database.parent.is_dir():
        raise DatabaseError(f"cannot create {database}: its folder does not exist")
    try:
        return duckdb.connect(str(database), config=_NO_EXTENSIONS)
    except duckdb.Error:
        raise DatabaseError(
            f"cannot create {database}: DuckDB could not open it for writing"
        ) from None


def build(result: LoadResult, database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A new database holding the loaded catalogue (a named file is replaced, unless it is
    locked or not a DuckDB database: then DatabaseError)."""
    con = new_database(database)
    load_records(con, result)
    return con


def new_database(database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """An empty catalogue database: the schema, no records (a named file is replaced, unless
    it is locked or not a DuckDB database: then DatabaseError)."""
    con = (
        duckdb.connect(":memory:", config=_NO_EXTENSIONS)
        if str(database) == ":memory:"
        else _open_file(Path(database))
    )
    bound_memory(con)
    create_schema(con)
    return con


BATCH = 20_000  # records staged at a time: bounds the memory a large catalogue needs


def load_records(con: duckdb.DuckDBPyConnection, result: LoadResult) -> None:
    load_ordered(con, list(enumerate(result.records)))
    add_problems(con, result.problems)


def load_ordered(con: duckdb.DuckDBPyConnection, records: list[tuple[int, Any]]) -> None:
    """Records with their load order (their place in the catalogue), a batch at a time."""
    for start in range(0, len(records), BATCH):
        _load_batch(con, records[start : start + BATCH])


def _load_batch(con: duckdb.DuckDBPyConnection, batch: list[tuple[int, Any]]) -> None:
    """The rows of (load order, record) pairs. The records' JSON is staged as it is and DuckDB
    reads every table's rows out of it (sql/load_records.sql); Python only works out what the
    JSON does not say: the source's check overrides, (v1.1) derived sunsets and the planned
    changes whose `breaking` or `done` could not be read."""
    derived: list[dict[str, Any]] = []
    overrides: list[dict[str, Any]] = []
    unsure: list[tuple[str, int]] = []
    for _, lr in batch:
        if b'"support_months' in lr.json:  # either support window
            derived.extend(_derived(lr))
        if any(u.startswith("lifecycle.planned_changes[") for u in getattr(lr, "unreadable", ())):
            unsure.extend((lr.id, i) for i in _unsure_changes(lr))
        for check, state in lr.overrides.items():
            overrides.append({"integration_id": lr.id, "check_name": check, "state": state})
    script(
        con,
        "load_records",
        **{
            "load_order": [order for order, _ in batch],
            "source_path": [lr.path for _, lr in batch],
            "source_line": [lr.line for _, lr in batch],
            "source_form": [lr.form for _, lr in batch],
            "record_json": [lr.json.decode("utf-8") for _, lr in batch],
            "derived_id": [d["integration_id"] for d in derived],
            "derived_position": [d["position"] for d in derived],
            "derived_sunset_on": [d["sunset_on"] for d in derived],
            "derived_sunset_written": [d["sunset_written"] for d in derived],
            "unsure_id": [rid for rid, _ in unsure],
            "unsure_position": [i for _, i in unsure],
        },
    )
    _insert(con, "check_overrides", overrides)


def _unsure_changes(lr: Any) -> list[int]:
    """(v1.1) Positions of the planned changes whose unreadable `breaking` or `done` might make
    them an open (breaking, not done) change: what they say decides nothing else."""
    life = json.loads(lr.json).get("lifecycle") or _EMPTY
    unreadable = set(getattr(lr, "unreadable", ()))
    found = []
    for i, change in enumerate(life.get("planned_changes") or []):
        bad_breaking = f"lifecycle.planned_changes[{i}].breaking" in unreadable
        bad_done = f"lifecycle.planned_changes[{i}].done" in unreadable
        may_break = bad_breaking or change.get("breaking") is True
        may_be_open = bad_done or change.get("done") is not True
        if (bad_breaking or bad_done) and may_break and may_be_open:
            found.append(i)
    return found


def _derived(lr: Any) -> list[dict[str, Any]]:
    """(v1.1) The sunsets one record's support windows derive (lifecycle.derived_sunsets)."""
    life = json.loads(lr.json).get("lifecycle") or _EMPTY
    listed = life.get("versions") or []
    unreadable = set(getattr(lr, "unreadable", ()))
    found = derived_sunsets(
        listed,
        life.get("support_months"),
        life.get("support_months_after_successor"),
        {i for i in range(len(listed)) if f"lifecycle.versions[{i}].sunset_on" in unreadable},
    )
    return [
        {
            "integration_id": lr.id,
            "position": i,
            "sunset_on": day.isoformat(),
            "sunset_written": written,
        }
        for i, (day, written) in found.items()
    ]


def add_problems(con: duckdb.DuckDBPyConnection, problems: Iterable[Problem]) -> None:
    _insert(
        con,
        "problems",
        [
            {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
            for p in problems
        ],
    )


def load_scorecard(
    con: duckdb.DuckDBPyConnection,
    card: Any,
    custom_failures: list[dict[str, Any]],
    owners: list[Any] | None,
    sources: dict[str, str],
) -> None:
    """Fill the scorecard tables (create_schema made them) from the scorecard in force
    (config.Scorecard)."""
    fill_scorecard(con, card, custom_failures, owners, sources)


SCORECARD_TABLES = (
    "scorecard_checks",
    "scorecard_levels",
    "level_checks",
    "custom_failures",
    "waivers",
    "owner_registry",
    "config_sources",
    "initiatives",
)


def fill_scorecard(
    con: duckdb.DuckDBPyConnection,
    card: Any,
    custom_failures: list[dict[str, Any]],
    owners: list[Any] | None,
    sources: dict[str, str],
) -> None:
    """(Re)fill the scorecard tables: a history replay swaps the scorecard between commits."""
    for table in SCORECARD_TABLES:
        con.execute(f"DELETE FROM {table}")
    titles = {name: (title, "") for name, title, _ in CHECKS}
    checks = []
    for i, name in enumerate(card.all_checks()):
        custom = next((c for c in card.custom_checks if c.name == name), None)
        settings = custom or card.checks.get(name)
        title, fix = titles.get(name, (name.replace("_", " ").capitalize(), ""))
        checks.append(
            {
                "check_name": name,
                "position": i,
                "title": (settings.title if settings and settings.title else title),
                "weight": float(settings.weight) if settings else 1.0,
                "fix": (settings.fix if settings and settings.fix else fix),
                "custom": custom is not None,
                "scope_types": list(settings.scope.type) if settings else [],
                "scope_criticality": list(settings.scope.criticality) if settings else [],
                "scope_directions": list(settings.scope.direction) if settings else [],
            }
        )
    _insert(con, "scorecard_checks", checks)
    _insert(
        con,
        "scorecard_levels",
        [
            {
                "level": lv.name,
                "position": i,
                "title": lv.title or lv.name.capitalize(),
                "description": lv.description,
            }
            for i, lv in enumerate(card.levels)
        ],
    )
    _insert(
        con,
        "level_checks",
        [{"level": lv, "check_name": c} for lv, cs in card.level_checks().items() for c in cs],
    )
    _insert(con, "custom_failures", custom_failures)
    _insert(
        con,
        "waivers",
        [
            {
                "integration_id": w.integration,
                "check_name": w.check,
                "reason": w.reason,
                "approved_by": w.approved_by,
                "expires_on": w.expires_on.isoformat(),
            }
            for w in card.waivers
        ],
    )
    _insert(
        con,
        "owner_registry",
        [
            {
                "team": o.team,
                "lead": o.lead,
                "channel": o.channel,
                "on_call": o.on_call,
                "aliases": list(o.aliases),
            }
            for o in owners or []
        ],
    )
    _insert(con, "config_sources", [{"name": k, "source": v} for k, v in sources.items()])
    _insert(
        con,
        "initiatives",
        [
            {
                "name": n.name,
                "position": i,
                "target_level": n.target if isinstance(n.target, str) else None,
                "target_checks": None if isinstance(n.target, str) else list(n.target),
                "due": n.due.isoformat(),
                "scope_types": list(n.scope.type),
                "scope_criticality": list(n.scope.criticality),
                "scope_owners": list(n.scope.owner),
                "scope_ids": list(n.scope.ids),
            }
            for i, n in enumerate(getattr(card, "initiatives", []))
        ],
    )


def load_freezes(con: duckdb.DuckDBPyConnection, freezes: list[Any]) -> None:
    """(v1.1) The change freezes of calendar.yaml (config.Freeze)."""
    _insert(
        con,
        "freezes",
        [
            {
                "position": i,
                "name": f.name,
                "from_date": f.from_.isoformat(),
                "to_date": f.to.isoformat(),
            }
            for i, f in enumerate(freezes)
        ],
    )

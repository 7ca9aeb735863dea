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
from .model import first_day, is_approximate

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


def _day(value: Any) -> Any:
    """A partner date as stored: its first day (ISO text), approximate or not."""
    day = first_day(value) if is_approximate(value) else value
    return day.isoformat() if hasattr(day, "isoformat") else day


def _written(value: Any) -> str | None:
    return value if is_approximate(value) else None


def _integration_row(lr: Any, order: int) -> tuple[dict[str, Any], dict[str, Any]]:
    d = json.loads(lr.json)  # the validated record; fields that are None are absent
    auth = d.get("auth") or _EMPTY
    contract = d.get("contract") or _EMPTY
    hooks = contract.get("webhooks") or _EMPTY
    ops = d.get("operations") or _EMPTY
    slo = ops.get("slo") or _EMPTY
    life = d.get("lifecycle") or _EMPTY
    env = life.get("test_environment") or _EMPTY
    links = d.get("partner_links") or _EMPTY
    return {
        "id": d["id"],
        "name": d["name"],
        "type": d["type"],
        "partner": d["partner"],
        "direction": d["direction"],
        "criticality": d.get("criticality"),
        "stage": d.get("stage"),
        "business_purpose": d.get("business_purpose"),
        "customers_impacted": d.get("customers_impacted", []),
        "critical_flows": d.get("critical_flows", []),
        "owner": d.get("owner"),
        "support_contact": d.get("support_contact"),
        "reviewed_on": d.get("reviewed_on"),
        "auth_method": auth.get("method"),
        "auth_expires_on": _day(auth.get("expires_on")),
        "auth_expires_written": _written(auth.get("expires_on")),
        "auth_rotate_every_days": auth.get("rotate_every_days"),
        "auth_rotated_on": auth.get("rotated_on"),
        "endpoints": contract.get("endpoints") or [],
        "schema_versioning": contract.get("schema_versioning"),
        "idempotency": contract.get("idempotency"),
        "retry_backoff": contract.get("retry_backoff"),
        "rate_limit": contract.get("rate_limit"),
        "error_mapping": contract.get("error_mapping"),
        "webhook_signature_verification": hooks.get("signature_verification"),
        "webhook_replay": hooks.get("replay"),
        "webhook_delivery": hooks.get("delivery"),
        "webhook_transport": hooks.get("transport"),
        "slo_success_rate_pct": slo.get("success_rate_pct"),
        "slo_latency_p95_ms": slo.get("latency_p95_ms"),
        "slo_freshness_minutes": slo.get("freshness_minutes"),
        "slo_notes": ops.get("slo_notes"),
        "monitoring": ops.get("monitoring"),
        "dashboard": ops.get("dashboard"),
        "alert_rules": ops.get("alert_rules") or [],
        "runbook": ops.get("runbook"),
        "on_call": ops.get("on_call"),
        "escalation": ops.get("escalation"),
        "deprecation_policy": life.get("deprecation_policy"),
        "migration_plan": life.get("migration_plan"),
        "support_months": life.get("support_months"),
        "support_months_after_successor": life.get("support_months_after_successor"),
        "status_page": links.get("status_page"),
        "changelog": links.get("changelog"),
        "deprecations_page": links.get("deprecations"),
        "developer_portal": links.get("developer_portal"),
        "test_environment": env.get("kind"),
        "test_environment_notes": env.get("notes"),
        "load_order": order,
        "source_path": lr.path,
        "source_line": lr.line,
        "source_form": lr.form,
        "record_json": lr.json.decode("utf-8"),
    }, d


_SCHEMAS: dict[str, Any] = {}  # table -> pa.Schema: every database has the same tables


SMALL_INSERT = 64


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Bulk insert through Arrow; a row may leave out any column (it is NULL). A few rows (the
    scorecard's, on every start) go in as parameters: no pyarrow or pandas to import."""
    if not rows:
        return
    if len(rows) <= SMALL_INSERT:
        names = list(dict.fromkeys(k for row in rows for k in row))
        marks = ", ".join("?" * len(names))
        quoted = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
        con.executemany(
            f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
            [[row.get(n) for n in names] for row in rows],
        )
        return
    import pyarrow as pa  # here: a restored catalogue inserts nothing, and needs no pyarrow

    schema = _SCHEMAS.get(table)
    if schema is None:
        types = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
        schema = _SCHEMAS[table] = pa.schema([(name, _arrow_type(kind)) for name, kind in types])
    con.register("_rows", pa.Table.from_pylist(rows, schema=schema))
    try:
        execute(con, f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def _arrow_type(duck: str) -> Any:  # -> pa.DataType
    import pyarrow as pa

    return {
        "VARCHAR": pa.string(),
        "VARCHAR[]": pa.list_(pa.string()),
        "DATE": pa.string(),  # ISO text from the record's JSON; DuckDB casts it on insert
        "BOOLEAN": pa.bool_(),
        "DOUBLE": pa.float64(),
        "BOOLEAN[]": pa.list_(pa.bool_()),
        "INTEGER": pa.int32(),
    }[duck]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("schema"))
    con.executemany(
        "INSERT INTO checks VALUES (?, ?, ?, ?)",
        [(name, i, title, must) for i, (name, title, must) in enumerate(CHECKS)],
    )


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


BATCH = 5000  # records turned into rows at a time: bounds the memory a large catalogue needs


def load_records(con: duckdb.DuckDBPyConnection, result: LoadResult) -> None:
    load_ordered(con, list(enumerate(result.records)))
    add_problems(con, result.problems)


def load_ordered(con: duckdb.DuckDBPyConnection, records: list[tuple[int, Any]]) -> None:
    """Records with their load order (their place in the catalogue), a batch at a time."""
    for start in range(0, len(records), BATCH):
        _load_batch(con, records[start : start + BATCH])


def _load_batch(con: duckdb.DuckDBPyConnection, batch: list[tuple[int, Any]]) -> None:
    """The rows of (load order, record) pairs."""
    integrations, versions, changes, risks, incidents, overrides = [], [], [], [], [], []
    credentials: list[dict[str, Any]] = []
    for order, lr in batch:
        row, d = _integration_row(lr, order)
        integrations.append(row)
        rid = row["id"]
        life = d.get("lifecycle") or _EMPTY
        listed = life.get("versions") or []
        unreadable = set(getattr(lr, "unreadable", ()))
        derived = derived_sunsets(
            listed,
            life.get("support_months"),
            life.get("support_months_after_successor"),
            {i for i in range(len(listed)) if f"lifecycle.versions[{i}].sunset_on" in unreadable},
        )
        for i, v in enumerate(listed):
            sunset, sunset_written, is_derived = v.get("sunset_on"), None, False
            if i in derived:
                sunset, sunset_written, is_derived = derived[i][0], derived[i][1], True
            else:
                sunset_written = _written(sunset)
            versions.append(
                {
                    **v,
                    "integration_id": rid,
                    "position": i,
                    "released_on": _day(v.get("released_on")),
                    "deprecated_on": _day(v.get("deprecated_on")),
                    "sunset_on": _day(sunset),
                    "released_written": _written(v.get("released_on")),
                    "deprecated_written": _written(v.get("deprecated_on")),
                    "sunset_written": sunset_written,
                    "sunset_derived": is_derived,
                    "on_sunset": v.get("on_sunset") or "stops",
                }
            )
        for i, c in enumerate(life.get("planned_changes") or ()):
            changes.append(
                {
                    **c,
                    "integration_id": rid,
                    "position": i,
                    "date": _day(c.get("date")),
                    "date_written": _written(c.get("date")),
                    "done": bool(c.get("done")),
                }
            )
        for i, k in enumerate((d.get("auth") or _EMPTY).get("credentials") or ()):
            credentials.append(
                {
                    **k,
                    "integration_id": rid,
                    "position": i,
                    "expires_on": _day(k.get("expires_on")),
                    "expires_written": _written(k.get("expires_on")),
                }
            )
        for i, k in enumerate(d.get("risks", ())):
            risks.append({"integration_id": rid, "position": i, **k})
        for i, n in enumerate(d.get("incidents", ())):
            incidents.append({"integration_id": rid, "position": i, **n})
        for check, state in lr.overrides.items():
            overrides.append({"integration_id": rid, "check_name": check, "state": state})
    _insert(con, "integrations", integrations)
    _insert(con, "versions", versions)
    _insert(con, "planned_changes", changes)
    _insert(con, "credentials", credentials)
    _insert(con, "risks", risks)
    _insert(con, "incidents", incidents)
    _insert(con, "check_overrides", overrides)


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
    """Create the scorecard tables and fill them from the scorecard in force (config.Scorecard)."""
    con.execute(sql("scorecard"))
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

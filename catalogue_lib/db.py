"""DuckDB schema and loading. Nothing happens at import time.

`build()` turns a LoadResult into a database; `query()` runs one named
`sql/<name>.sql` file with `$named` parameters (never string formatting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .load import LoadResult, Problem

SQL_DIR = Path(__file__).parent / "sql"

# name, title, template must-have, what to add to the record to pass
CHECKS: tuple[tuple[str, str, bool, str], ...] = (
    ("named_owner", "Named owner", True, "Set owner to a team or a person, not a role word"),
    ("support_contact", "Support contact", False, "Set support_contact: how to reach the partner"),
    ("dashboard", "Dashboard", True, "Link operations.dashboard"),
    ("alert_rules", "Alert rules", True, "Add operations.alert_rules with thresholds"),
    ("runbook", "Runbook", True, "Link operations.runbook: first triage steps"),
    ("on_call", "On-call", False, "Set operations.on_call: who responds"),
    ("slo_defined", "SLO defined", False, "Add an operations.slo target"),
    ("idempotency", "Idempotency", False, "Describe contract.idempotency for writes"),
    (
        "webhook_signatures",
        "Webhook signatures",
        False,
        "Verify webhook signatures (contract.webhooks.signature_verification)",
    ),
    (
        "migration_plan",
        "Migration plan",
        False,
        "Link lifecycle.migration_plan for the breaking change",
    ),
    ("test_environment", "Test environment", False, "Record a sandbox or staging environment"),
    ("current_version", "Current version", False, "Mark the version in use as current"),
    ("criticality_set", "Criticality set", False, "Classify criticality: high, medium or low"),
    ("reviewed_recently", "Reviewed recently", False, "Review the record and update reviewed_on"),
)
CHECK_NAMES = tuple(c[0] for c in CHECKS)


@cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run sql/<name>.sql on a fresh cursor with only the parameters it names."""
    text = sql(name)
    used = {k: v for k, v in params.items() if f"${k}" in text}
    cur = con.cursor()
    try:
        return cur.execute(text, used).df()
    finally:
        cur.close()


def _g(obj: Any, *names: str) -> Any:
    for n in names:
        if obj is None:
            return None
        obj = getattr(obj, n)
    return obj


def _integration_row(lr: Any, order: int) -> dict[str, Any]:
    r = lr.record
    slo = _g(r, "operations", "slo")
    return {
        "id": r.id,
        "name": r.name,
        "type": r.type,
        "partner": r.partner,
        "direction": list(r.direction),
        "criticality": r.criticality,
        "stage": r.stage,
        "business_purpose": r.business_purpose,
        "customers_impacted": list(r.customers_impacted),
        "critical_flows": list(r.critical_flows),
        "owner": r.owner,
        "support_contact": r.support_contact,
        "reviewed_on": r.reviewed_on,
        "auth_method": _g(r, "auth", "method"),
        "auth_expires_on": _g(r, "auth", "expires_on"),
        "endpoints": list(_g(r, "contract", "endpoints") or []),
        "schema_versioning": _g(r, "contract", "schema_versioning"),
        "idempotency": _g(r, "contract", "idempotency"),
        "retry_backoff": _g(r, "contract", "retry_backoff"),
        "rate_limit": _g(r, "contract", "rate_limit"),
        "error_mapping": _g(r, "contract", "error_mapping"),
        "webhook_signature_verification": _g(r, "contract", "webhooks", "signature_verification"),
        "webhook_replay": _g(r, "contract", "webhooks", "replay"),
        "webhook_delivery": _g(r, "contract", "webhooks", "delivery"),
        "slo_success_rate_pct": _g(slo, "success_rate_pct"),
        "slo_latency_p95_ms": _g(slo, "latency_p95_ms"),
        "slo_freshness_minutes": _g(slo, "freshness_minutes"),
        "slo_notes": _g(r, "operations", "slo_notes"),
        "monitoring": _g(r, "operations", "monitoring"),
        "dashboard": _g(r, "operations", "dashboard"),
        "alert_rules": list(_g(r, "operations", "alert_rules") or []),
        "runbook": _g(r, "operations", "runbook"),
        "on_call": _g(r, "operations", "on_call"),
        "escalation": _g(r, "operations", "escalation"),
        "deprecation_policy": _g(r, "lifecycle", "deprecation_policy"),
        "migration_plan": _g(r, "lifecycle", "migration_plan"),
        "test_environment": _g(r, "lifecycle", "test_environment", "kind"),
        "test_environment_notes": _g(r, "lifecycle", "test_environment", "notes"),
        "load_order": order,
        "source_path": lr.path,
        "source_line": lr.line,
        "source_form": lr.form,
        "record_json": r.model_dump_json(exclude_none=True),
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall())
    arrow = pa.Table.from_pylist(
        rows, schema=pa.schema([(k, _arrow_type(types[k])) for k in rows[0]])
    )
    con.register("_rows", arrow)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def _arrow_type(duck: str) -> pa.DataType:
    return {
        "VARCHAR": pa.string(),
        "VARCHAR[]": pa.list_(pa.string()),
        "DATE": pa.date32(),
        "BOOLEAN": pa.bool_(),
        "DOUBLE": pa.float64(),
        "INTEGER": pa.int32(),
    }[duck]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("schema"))
    con.executemany(
        "INSERT INTO checks VALUES (?, ?, ?, ?, ?)",
        [(name, i, title, must, fix) for i, (name, title, must, fix) in enumerate(CHECKS)],
    )


def build(result: LoadResult, database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A new database holding the loaded catalogue (a file is replaced when one is named)."""
    if str(database) != ":memory:":
        for f in (Path(database), Path(f"{database}.wal")):
            if f.exists():
                f.unlink()
    con = duckdb.connect(str(database))
    create_schema(con)
    load_records(con, result)
    return con


def load_records(con: duckdb.DuckDBPyConnection, result: LoadResult) -> None:
    integrations, versions, changes, risks, incidents, overrides = [], [], [], [], [], []
    for order, lr in enumerate(result.records):
        r = lr.record
        integrations.append(_integration_row(lr, order))
        lc = r.lifecycle
        for i, v in enumerate(lc.versions if lc else []):
            versions.append({"integration_id": r.id, "position": i, **v.model_dump()})
        for i, c in enumerate(lc.planned_changes if lc else []):
            changes.append({"integration_id": r.id, "position": i, **c.model_dump()})
        for i, k in enumerate(r.risks):
            risks.append({"integration_id": r.id, "position": i, **k.model_dump()})
        for i, n in enumerate(r.incidents):
            incidents.append({"integration_id": r.id, "position": i, **n.model_dump()})
        for check, state in lr.overrides.items():
            overrides.append({"integration_id": r.id, "check_name": check, "state": state})
    _insert(con, "integrations", integrations)
    _insert(con, "versions", versions)
    _insert(con, "planned_changes", changes)
    _insert(con, "risks", risks)
    _insert(con, "incidents", incidents)
    _insert(con, "check_overrides", overrides)
    add_problems(con, result.problems)


def add_problems(con: duckdb.DuckDBPyConnection, problems: Iterable[Problem]) -> None:
    _insert(
        con,
        "problems",
        [
            {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
            for p in problems
        ],
    )


def as_date(value: str | dt.date | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)

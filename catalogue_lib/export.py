"""Records -> the template's twelve-column table (Markdown or CSV) or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .catalogue import Catalogue
from .csv_out import write_csv
from .load import AUTH_LABELS, TABLE_HEADERS
from .model import Integration


def stored_records(cat: Catalogue) -> list[Integration]:
    """Records as DuckDB holds them, in path order."""
    rows = cat.query("export_records")
    return [Integration.model_validate_json(j) for j in rows["record_json"]]


def _slo_cell(r: Integration) -> str:
    ops = r.operations
    if ops is None:
        return ""
    if ops.slo_notes:
        return ops.slo_notes
    parts = []
    slo = ops.slo
    if slo is not None:
        if slo.success_rate_pct is not None:
            parts.append(f"success {slo.success_rate_pct:g}%")
        if slo.latency_p95_ms is not None:
            parts.append(f"p95 {slo.latency_p95_ms:g} ms")
        if slo.freshness_minutes is not None:
            parts.append(f"freshness {slo.freshness_minutes:g} min")
    return ", ".join(parts)


def _monitoring_cell(r: Integration) -> str:
    ops = r.operations
    if ops is None:
        return ""
    if ops.monitoring:
        return ops.monitoring
    parts = []
    if ops.dashboard:
        parts.append("Dashboard")
    if ops.alert_rules:
        parts.append("alerts")
    if ops.runbook:
        parts.append("runbook")
    return " + ".join(parts)


def table_row(r: Integration) -> list[str]:
    versions = r.lifecycle.versions if r.lifecycle else []
    current = [v.version for v in versions if v.status == "current"]
    return [
        r.name,
        r.type.capitalize(),
        r.partner,
        "/".join(d.capitalize() for d in r.direction),
        ", ".join(r.critical_flows),
        AUTH_LABELS.get(r.auth.method, "") if r.auth and r.auth.method else "",
        ", ".join(current),
        _slo_cell(r),
        r.owner or "",
        r.support_contact or "",
        _monitoring_cell(r),
        ", ".join(k.summary or k.category for k in r.risks),
    ]


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(records: Iterable[Integration]) -> str:
    lines = [
        "| " + " | ".join(TABLE_HEADERS) + " |",
        "|" + "---|" * len(TABLE_HEADERS),
    ]
    for r in records:
        lines.append("| " + " | ".join(_md_cell(c) for c in table_row(r)) + " |")
    return "\n".join(lines) + "\n"


def to_csv(records: Iterable[Integration]) -> str:
    return write_csv(TABLE_HEADERS, (table_row(r) for r in records))


def to_json(records: Iterable[Integration]) -> str:
    return json.dumps(
        [r.model_dump(mode="json", exclude_none=True) for r in records],
        indent=2,
        ensure_ascii=False,
    )


FORMATS = {"markdown": to_markdown, "csv": to_csv, "json": to_json}

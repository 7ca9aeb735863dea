"""Records -> the template's twelve-column table (Markdown or CSV) or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .catalogue import Catalogue
from .csv_out import write_csv
from .load import AUTH_LABELS, TABLE_HEADERS
from .model import Integration, Risk
from .source_table import TABLE_FORMS, risk_category, slugify

# A record and whether it was a row of the template's table: such a row's free-text cells
# (Monitoring, SLA/SLO notes) are what its checks were read from, so they are written back as
# they were; a YAML/JSON record's checks come from its fields instead.
Stored = tuple[Integration, bool]


def stored_rows(cat: Catalogue) -> list[Stored]:
    """Records as DuckDB holds them, in path order, each with whether it was a table row."""
    rows = cat.query("export_records")
    return [
        (Integration.model_validate_json(j), form in TABLE_FORMS)
        for j, form in zip(rows["record_json"], rows["source_form"], strict=True)
    ]


def stored_records(cat: Catalogue) -> list[Integration]:
    """Records as DuckDB holds them, in path order."""
    return [r for r, _ in stored_rows(cat)]


def _stored(item: Integration | Stored) -> Stored:
    return item if isinstance(item, tuple) else (item, False)


def _slo_cell(r: Integration, table_row: bool) -> str:
    """A non-empty SLA/SLO cell passes `slo_defined` when read back, so a YAML/JSON record
    without a target writes none, its notes included (they do not pass; docs/decisions.md)."""
    ops = r.operations
    if ops is None:
        return ""
    if table_row:
        return ops.slo_notes or ""
    parts = []
    slo = ops.slo
    if slo is not None:
        if slo.success_rate_pct is not None:
            parts.append(f"success {slo.success_rate_pct:g}%")
        if slo.latency_p95_ms is not None:
            parts.append(f"p95 {slo.latency_p95_ms:g} ms")
        if slo.freshness_minutes is not None:
            parts.append(f"freshness {slo.freshness_minutes:g} min")
    if not parts:
        return ""
    return ops.slo_notes or ", ".join(parts)


# the words a Monitoring cell is read by (source_table.row_to_record), and what each one writes
MONITORING_WORDS = (("dashboard", "Dashboard"), ("alert", "alerts"), ("runbook", "runbook"))


def _monitoring_cell(r: Integration, table_row: bool) -> str:
    """The Monitoring cell read back says what the record's fields say: the words "dashboard",
    "alert" and "runbook" exactly where the record has a dashboard, alert rules and a runbook.
    The record's monitoring text is kept when its words agree, completed when it lacks one, and
    left out when it names one the record does not have (read back, that would pass)."""
    ops = r.operations
    if ops is None:
        return ""
    if table_row:
        return ops.monitoring or ""
    has = {
        "dashboard": bool(ops.dashboard),
        "alert": bool(ops.alert_rules),
        "runbook": bool(ops.runbook),
    }
    text = ops.monitoring or ""
    said = {word for word in has if word in text.lower()}
    if any(not has[word] for word in said):
        text, said = "", set()
    missing = [shown for word, shown in MONITORING_WORDS if has[word] and word not in said]
    return "; ".join(part for part in (text, " + ".join(missing)) if part)


# a risk category as the template's Known risks cell writes it (source_table.RISK_WORDS)
RISK_CELLS = {
    "rate_limiting": "Rate limits",
    "api_changes": "API changes",
    "timeouts_5xx": "Timeout spikes",
    "auth_expiry": "Cert expiry",
    "contract_drift": "Contract drift",
    "schema_drift": "Schema drift",
    "webhook_gaps": "Webhook gaps",
    "peak_load": "Peak load",
}


def _risk_cell(k: Risk) -> str:
    """One risk as one comma-free part of the Known risks cell that reads back as its category:
    the summary where it does (a table row's own words always do), else the category's word."""
    text = " ".join((k.summary or "").replace(",", ";").split())
    if text and risk_category(text) == k.category:
        return text
    if k.category == "other":
        return f"{text} (other)" if text else "other"
    return RISK_CELLS.get(k.category, k.category)


def table_row(item: Integration | Stored) -> list[str]:
    r, from_table = _stored(item)
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
        _slo_cell(r, from_table),
        r.owner or "",
        r.support_contact or "",
        _monitoring_cell(r, from_table),
        ", ".join(_risk_cell(k) for k in r.risks),
    ]


def table_warnings(items: Iterable[Integration | Stored]) -> list[str]:
    """What a table export of YAML/JSON records cannot carry and will read back otherwise: the
    id (a row's id is its name's slug; two records with one name become one), a retired stage
    (a row is live) and versions without a current one (a row has at most a current version,
    so `current_version` fails no more). JSON keeps all of it."""
    out: list[str] = []
    first: dict[str, str] = {}
    for item in items:
        r, from_table = _stored(item)
        slug = slugify(r.name)
        if slug in first:
            out.append(
                f"{r.id}: its name gives the id '{slug}' of {first[slug]} read back; "
                "only the first of the two is kept"
            )
            continue
        first[slug] = r.id
        if from_table:
            continue
        if slug != r.id:
            out.append(f"{r.id}: read back, its id is '{slug}' (a row's id comes from its name)")
        if r.stage == "retired":
            out.append(f"{r.id}: a row cannot say retired; read back, it is live")
        versions = r.lifecycle.versions if r.lifecycle else []
        if versions and not any(v.status == "current" for v in versions):
            out.append(
                f"{r.id}: no current version, and a row holds only a current one; read back, "
                "it has no versions (current_version n/a, not fail)"
            )
    return out


def json_warnings(items: Iterable[Integration | Stored]) -> list[str]:
    """What a JSON export of table rows cannot carry: a record has no "unknown", so read back
    the facts the table could not state are missing (their checks fail), and the Monitoring
    cell's words no longer pass `dashboard`, `alert_rules` and `runbook` (they need links)."""
    return [
        f"{r.id}: a table row; read back as a record, what the table could not state is "
        "missing, not unknown, and its Monitoring words pass no check"
        for r, from_table in map(_stored, items)
        if from_table
    ]


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(records: Iterable[Integration | Stored]) -> str:
    lines = [
        "| " + " | ".join(TABLE_HEADERS) + " |",
        "|" + "---|" * len(TABLE_HEADERS),
    ]
    for r in records:
        lines.append("| " + " | ".join(_md_cell(c) for c in table_row(r)) + " |")
    return "\n".join(lines) + "\n"


def to_csv(records: Iterable[Integration | Stored]) -> str:
    return write_csv(TABLE_HEADERS, (table_row(r) for r in records))


def to_json(records: Iterable[Integration | Stored]) -> str:
    return json.dumps(
        [_stored(r)[0].model_dump(mode="json", exclude_none=True) for r in records],
        indent=2,
        ensure_ascii=False,
    )


FORMATS = {"markdown": to_markdown, "csv": to_csv, "json": to_json}

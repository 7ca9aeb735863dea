"""Presentation helpers that need no Streamlit: one vocabulary, one palette, inert record text.

Every page and chart takes its words and colours from here, so a state, a deadline kind or a
column reads the same everywhere. The palette is colour-blind safe: good is blue, bad is orange,
"cannot say" and "does not apply" are greys, never red against green.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd

from .csv_out import dataframe_csv
from .source_table import AUTH_LABELS, TABLE_FORMS

# an auth method in words, as the template writes it (sql/schema.sql auth_label says the same)
AUTH_SHOWN = {**AUTH_LABELS, "none": "no authentication"}

DASH = "—"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Record text made inert for Markdown: shown verbatim, never rendered as markup or HTML."""
    if is_missing(text):
        return DASH
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def safe_link(url: object) -> str | None:
    """The URL when it is http(s), else None (a link is only ever shown for http/https)."""
    if isinstance(url, str) and re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        return url
    return None


def is_missing(value: object) -> bool:
    """None, NaN, NaT, pandas NA, an empty string or an empty list."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    if isinstance(value, list | tuple) and not value:
        return True
    try:
        return bool(pd.isna(value)) if not hasattr(value, "__len__") else False
    except (TypeError, ValueError):
        return False


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 row', '2 rows', '1,234 rows'."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def row_choices(total: int, options: tuple[int, ...] = (10, 20, 30)) -> list[int]:
    """The row counts a chart's slider offers for a view of `total` rows: the options below it,
    then the total itself where it is under the largest (14 rows: 10 or 14, not a 30 that
    shows no more than 20 does). One choice or none: nothing to choose, so no slider."""
    if total >= options[-1]:
        return list(options)
    return [n for n in options if n < total] + [total] if total > 0 else []


def row_limit_default(choices: list[int], wanted: int = 20) -> int:
    """The slider's first position: `wanted` rows, or all of a smaller view."""
    return min(wanted, choices[-1]) if choices else wanted


OTHERS = "(others)"  # the owners past a chart's top n, grouped (sql: backlog_by_owner, ...)


def top_title(title: str, owners: Iterable[Any], top: int, note: str = "") -> str:
    """A per-owner chart's title: "(12 highest)" only where owners past the top 12 are grouped
    as "(others)" (with two owners, "12 highest" read as if some were left out), then the note."""
    parts = ([f"{top} highest"] if OTHERS in set(owners) else []) + ([note] if note else [])
    return f"{title} ({'; '.join(parts)})" if parts else title


# --------------------------------------------------------------------------- vocabulary

STATE_LABELS = {
    "pass": "pass",
    "fail": "fail",
    "unknown": "unknown",
    "na": "n/a",
    "waived": "waived",
}
KIND_LABELS = {
    "sunset": "Sunset",
    "deprecation": "Deprecation",
    "planned_change": "Planned change",
    "auth_expiry": "Credential expiry",
    "auth_rotation": "Credential rotation",
}
BACKLOG_KIND_LABELS = {
    "overdue": "Overdue deadline",
    "breaking change without plan": "Breaking change without a plan",
    "deadline": "Upcoming deadline",
    "risk": "High risk",
    "gap": "Check gap",
}
CATEGORY_LABELS = {
    "auth_expiry": "Auth expiry",
    "rate_limiting": "Rate limiting",
    "timeouts_5xx": "Timeouts / 5xx",
    "schema_drift": "Schema drift",
    "webhook_gaps": "Webhook gaps",
    "api_changes": "API changes",
    "contract_drift": "Contract drift",
    "peak_load": "Peak load",
    "other": "Other",
}
# column name in a query -> the header a person reads (tables and their CSV downloads alike)
COLUMN_LABELS = {
    "name": "Integration",
    "id": "ID",
    "partner": "Partner",
    "type": "Partner type",
    "owner": "Owner",
    "criticality": "Criticality",
    "stage": "Stage",
    "level": "Level",
    "check": "Check",
    "state": "State",
    "fix": "How to fix",
    "weight": "Weight",
    "waiver": "Waiver",
    "status": "Status",
    "date": "Date",
    "days": "Days left",
    "days_left": "Days left",
    "kind": "Kind",
    "version": "Version",
    "versions": "Versions",
    "summary": "Summary",
    "breaking": "Breaking",
    "attention": "Needs",
    "released_on": "Released",
    "deprecated_on": "Deprecated",
    "sunset_on": "Sunset",
    "issue": "Issue",
    "category": "Category",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "score": "Score",
    "risk_score": "Risk score",
    "risk_share": "Share of risk",
    "high_criticality": "High criticality",
    "high_criticality_share": "Share of high criticality",
    "integrations": "Integrations",
    "rank": "#",
    "item": "Work item",
    "action": "Action",
    "due": "Due",
    "why": "Why it ranks here",
    "reason": "Reason",
    "approved_by": "Approved by",
    "expires_on": "Expires",
    "failure_mode": "Failure mode",
    "severity": "Severity",
    "postmortem": "Postmortem",
    "path": "File",
    "line": "Line",
    "message": "Message",
    "problem": "Problem",
    "not_passing": "Checks not passing",
    "checks_passing": "Checks passing",
    "gaps": "Gaps",
    "next_deadline": "Next deadline",
    "next_deadline_days": "Days to it",
    "overdue": "Overdue",
    "failing": "Failing",
    "unknown": "Unknown",
    "waived": "Waived",
    "pass": "Pass",
    "fail": "Fail",
    "na": "n/a",
    "month": "Month",
    "deadlines": "Deadlines",
    "items": "Items",
    "problems": "Problems",
    "files": "Files",
    # v1.1
    "shown_date": "Due",  # the date as written (a quarter stays a quarter); `date` is its first day
    "due_by": "Due by (freeze)",
    "due_by_freeze": "Due by (freeze)",  # the day, and the freeze's name
    "freeze_name": "Freeze",
    "freeze": "Freeze",
    "on_sunset": "On sunset",
    "credential": "Credential",
    "next_rotation": "Next rotation",
    "rotated_on": "Rotated on",
    "rotate_every_days": "Rotate every (days)",
    "deadlines_inside": "Deadlines inside",
    "from_date": "From",
    "to_date": "To",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "kind": {**KIND_LABELS, **BACKLOG_KIND_LABELS},
    "state": STATE_LABELS,
    "category": CATEGORY_LABELS,
    "failure_mode": CATEGORY_LABELS,
}


def label(column: str) -> str:
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def _cell(value: Any) -> Any:
    if is_missing(value):
        return DASH
    if isinstance(value, pd.Timestamp | dt.datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else DASH
    return value


def shown_date(date: object, written: object = None, derived: object = False) -> str:
    """(v1.1) A deadline's date for people: as written and marked when approximate, marked when
    derived from a support window; a dash when there is none."""
    if is_missing(date):
        return DASH
    text = f"{written} (approximate)" if not is_missing(written) else str(_cell(date))
    return text + (" (derived)" if not is_missing(derived) and bool(derived) else "")


def display_frame(df: pd.DataFrame, hidden: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """A query's rows as a person reads them: human headers and values, dates as YYYY-MM-DD,
    and a dash for every missing value. Columns that hold no missing value and are numbers stay
    numbers (so they sort as numbers); the rest become text."""
    shown = df.drop(columns=[c for c in hidden if c in df.columns])
    out = pd.DataFrame(index=shown.index)
    for col in shown.columns:
        values = shown[col]
        mapping = VALUE_LABELS.get(col)
        if mapping is not None:
            values = values.map(lambda v, m=mapping: m.get(v, v) if isinstance(v, str) else v)
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if numeric and not values.isna().any():
            out[label(col)] = values
        else:
            out[label(col)] = values.map(_cell).astype(object)
    return out.reset_index(drop=True)


def csv_of(df: pd.DataFrame, hidden: list[str] | tuple[str, ...] = ()) -> bytes:
    """The CSV of a table exactly as shown: the same rows, headers and values."""
    return dataframe_csv(display_frame(df, hidden)).encode("utf-8")


# --------------------------------------------------------------------------- the one-page record


def link(text: str, url: object) -> str:
    """Markdown for a link when the URL is http(s); otherwise the value, inert (a dash if none)."""
    safe = safe_link(url)
    if safe is None:
        return md(url)
    return f"[{md(text)}](<{safe.replace('<', '%3C').replace('>', '%3E')}>)"


def value_text(value: object) -> str:
    """Any stored value as inert Markdown text, a dash when it is missing."""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if is_missing(value):
        return DASH
    if isinstance(value, list | tuple):
        return ", ".join(md(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp | dt.date):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return md(value)


def _joined(parts: list[str]) -> str:
    kept = [p for p in parts if p != DASH]
    return "; ".join(kept) if kept else DASH


# The one-page record's fields a row of the template's table has a column for; on a table row
# every other field is unknown (the table cannot say), not missing.
TABLE_STATES = {
    "Partner",
    "Partner type",
    "Direction",
    "Critical flows",
    "Owner",
    "Support contact",
    "Auth",
    "SLA/SLO notes",
    "Monitoring notes",
}
# fields the Monitoring cell speaks to by a word (the spec's table-form rule), and the state its
# absence means: a cell without "dashboard" or "alert" fails, one without "runbook" is unknown
TABLE_UNKNOWN = "unknown (not in the table)"
MONITORING_WORDS = {
    "Dashboard": ("dashboard", DASH),
    "Alert rules": ("alert", DASH),
    "Runbook": ("runbook", TABLE_UNKNOWN),
}


def _as_table_row(
    sections: list[tuple[str, list[tuple[str, str]]]], monitoring: str
) -> list[tuple[str, list[tuple[str, str]]]]:
    """A table row's record: what the table cannot state is unknown, and a monitoring word
    says a dashboard, alert rules or a runbook exists without giving it."""

    def shown(label: str, text: str) -> str:
        if label in TABLE_STATES or text != DASH:
            return text
        word, absent = MONITORING_WORDS.get(label, ("", TABLE_UNKNOWN))
        if word and word in monitoring.lower():
            return "named in the monitoring notes (no link in the table)"
        return absent

    return [(heading, [(k, shown(k, t)) for k, t in pairs]) for heading, pairs in sections]


def is_table_row(r: Any) -> bool:
    """Whether a record (a row of integration_detail.sql) is a row of the template's table."""
    return r.get("source_form") in TABLE_FORMS


# the record page's lists a table row has no column for: empty, they are unknown, not "none"
TABLE_SILENT_LISTS = {"integration_deadlines", "integration_changes", "integration_incidents"}


def empty_list_caption(query: str, table_row: bool, retired: bool) -> str:
    """What the record page says under one of its lists (sql/integration_*.sql) left empty."""
    if retired and query == "integration_checks":
        return "Retired: out of the checks."
    if table_row and query in TABLE_SILENT_LISTS:
        return "Unknown: the table has no column for these."
    return "None recorded."


# the one-page record's fields and the check that reads each
FIELD_CHECKS = {
    "Owner": "named_owner",
    "Support contact": "support_contact",
    "Criticality": "criticality_set",
    "Reviewed on": "reviewed_recently",
    "Idempotency": "idempotency",
    "Webhooks": "webhook_signatures",
    "SLO targets": "slo_defined",
    "Dashboard": "dashboard",
    "Alert rules": "alert_rules",
    "Runbook": "runbook",
    "On-call": "on_call",
    "Migration plan": "migration_plan",
    "Test environment": "test_environment",
}
UNREAD = "unknown (a value could not be read: see Data quality)"


def record_sections(
    r: pd.Series, unknown_checks: Collection[str] = ()
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The template's one-page record (sections 3.1 to 3.4) as (heading, [(label, text)]):
    every value inert, a dash for every missing one, links only when http(s). What the source
    could not state is unknown, not a dash: on a row of a Markdown or CSV table every field the
    table has no column for, and a field whose check (`unknown_checks`, by name) is unknown
    because its value could not be read."""
    sections = _record_sections(r)
    if is_table_row(r):
        monitoring = r.get("monitoring")
        sections = _as_table_row(sections, monitoring if isinstance(monitoring, str) else "")
    return [
        (
            heading,
            [
                (k, UNREAD if t == DASH and FIELD_CHECKS.get(k) in unknown_checks else t)
                for k, t in pairs
            ],
        )
        for heading, pairs in sections
    ]


def _record_sections(r: pd.Series) -> list[tuple[str, list[tuple[str, str]]]]:
    v = {k: r.get(k) for k in r.index}

    def t(key: str) -> str:
        return value_text(v.get(key))

    slo = [
        f"success {v['slo_success_rate_pct']:g}%"
        if not is_missing(v.get("slo_success_rate_pct"))
        else "",
        f"p95 {v['slo_latency_p95_ms']:g} ms"
        if not is_missing(v.get("slo_latency_p95_ms"))
        else "",
        f"freshness {v['slo_freshness_minutes']:g} min"
        if not is_missing(v.get("slo_freshness_minutes"))
        else "",
    ]
    slo_text = md(", ".join(s for s in slo if s)) if any(slo) else DASH
    method = v.get("auth_method")
    auth = _joined(
        [
            md(AUTH_SHOWN[method]) if method in AUTH_SHOWN else t("auth_method"),  # API key
            f"expires {t('auth_expires_written')} (approximate)"
            if t("auth_expires_written") != DASH
            else (f"expires {t('auth_expires_on')}" if t("auth_expires_on") != DASH else DASH),
            f"rotated every {t('auth_rotate_every_days')} days"
            if t("auth_rotate_every_days") != DASH
            else DASH,
        ]
    )
    hooks = _joined(
        [
            f"signature verification {t('webhook_signature_verification')}"
            if t("webhook_signature_verification") != DASH
            else DASH,
            f"replay {t('webhook_replay')}" if t("webhook_replay") != DASH else DASH,
            f"delivery {t('webhook_delivery')}" if t("webhook_delivery") != DASH else DASH,
            f"transport {t('webhook_transport')}" if t("webhook_transport") != DASH else DASH,
        ]
    )
    window = _joined(
        [
            f"{t('support_months')} months after release" if t("support_months") != DASH else DASH,
            f"{t('support_months_after_successor')} months after the next version"
            if t("support_months_after_successor") != DASH
            else DASH,
        ]
    )
    env = t("test_environment")
    if env != DASH and t("test_environment_notes") != DASH:
        env = f"{env} ({t('test_environment_notes')})"
    return [
        (
            "Overview",
            [
                ("Partner", t("partner")),
                ("Partner type", t("type")),
                ("Direction", t("direction")),
                ("Business purpose", t("business_purpose")),
                ("Criticality", t("criticality")),
                ("Customers/sites impacted", t("customers_impacted")),
                ("Critical flows", t("critical_flows")),
                ("Owner", t("owner")),
                ("Support contact", t("support_contact")),
                ("Reviewed on", t("reviewed_on")),
            ],
        ),
        (
            "Contracts & endpoints",
            [
                ("Auth", auth),
                ("Key endpoints/events", t("endpoints")),
                ("Payload schema versioning", t("schema_versioning")),
                ("Idempotency", t("idempotency")),
                ("Retry/backoff", t("retry_backoff")),
                ("Rate limit behaviour (429)", t("rate_limit")),
                ("Error mapping", t("error_mapping")),
                ("Webhooks", hooks),
            ],
        ),
        (
            "Operational expectations",
            [
                ("SLO targets", slo_text),
                ("SLA/SLO notes", t("slo_notes")),
                ("Monitoring notes", t("monitoring")),
                ("Dashboard", link("open dashboard", v.get("dashboard"))),
                ("Alert rules", t("alert_rules")),
                ("Runbook", link("open runbook", v.get("runbook"))),
                ("On-call", t("on_call")),
                ("Escalation", t("escalation")),
            ],
        ),
        (
            "Lifecycle",
            [
                ("Deprecation policy", t("deprecation_policy")),
                ("Migration plan", link("open migration plan", v.get("migration_plan"))),
                ("Test environment", env),
                ("Support window", window),
            ],
        ),
        (
            "Partner links",
            [
                ("Status page", link("status page", v.get("status_page"))),
                ("Changelog", link("changelog", v.get("changelog"))),
                ("Deprecations", link("deprecation notices", v.get("deprecations_page"))),
                ("Developer portal", link("developer portal", v.get("developer_portal"))),
            ],
        ),
    ]

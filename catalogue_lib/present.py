"""Presentation helpers that need no Streamlit: escaping record text, safe links, labels."""

from __future__ import annotations

import re

import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Record text made inert for Markdown: shown verbatim, never rendered as markup or HTML."""
    if text is None:
        return "—"
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def safe_link(url: object) -> str | None:
    """The URL when it is http(s), else None (a link is only ever shown for http/https)."""
    if isinstance(url, str) and re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        return url
    return None


STATE_LABELS = {
    "pass": "pass",
    "fail": "fail",
    "na": "n/a",
    "unknown": "unknown",
    "waived": "waived",
}


KIND_LABELS = {
    "sunset": "Version sunset",
    "deprecation": "Version deprecation",
    "planned_change": "Planned change",
    "auth_expiry": "Credential expiry",
}


def month_table(months: pd.DataFrame) -> pd.DataFrame:
    """Deadlines per month (rows) and kind (columns), overdue first, as the chart shows them."""
    if months.empty:
        return pd.DataFrame(columns=["month", *KIND_LABELS.values()])
    labelled = months.assign(kind=months["kind"].map(KIND_LABELS))
    wide = labelled.pivot_table(
        index="month", columns="kind", values="deadlines", fill_value=0, sort=False
    )
    return wide.reindex(
        columns=[k for k in KIND_LABELS.values() if k in wide.columns]
    ).reset_index()

"""Presentation helpers that need no Streamlit: escaping record text, safe links, labels."""

from __future__ import annotations

import re

import pandas as pd

from .csv_out import dataframe_csv

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


def csv_of(df: pd.DataFrame, hidden: list[str] | tuple[str, ...] = ()) -> bytes:
    """The CSV of a table as shown: the same rows, without hidden columns, dates as YYYY-MM-DD."""
    shown = df.drop(columns=[c for c in hidden if c in df.columns])
    for col in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[col]):
            shown[col] = shown[col].dt.strftime("%Y-%m-%d").where(shown[col].notna(), None)
    return dataframe_csv(shown).encode("utf-8")

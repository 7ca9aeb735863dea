"""Presentation helpers that need no Streamlit: escaping record text, safe links, labels."""

from __future__ import annotations

import re

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


STATE_LABELS = {"pass": "pass", "fail": "fail", "na": "n/a", "unknown": "unknown"}
STATE_ICONS = {"pass": "✅", "fail": "❌", "na": "➖", "unknown": "❔"}

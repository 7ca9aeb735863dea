"""Credentials never enter the catalogue.

A value that looks like a credential (a cloud or SaaS API key, a bearer token,
a JWT, a private key block, a password inside a URL, an assignment such as
`password=...`) anywhere in a record is an error that names the field and the
kind of credential, and never the value itself. The record is not loaded, so
the value is never stored or displayed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

PATTERNS: tuple[tuple[str, str], ...] = (
    ("private key block", r"-----BEGIN (?:[A-Z0-9 ]+ )?PRIVATE KEY(?: BLOCK)?-----"),
    ("AWS access key", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"),
    ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("Stripe key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("JSON web token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("bearer token", r"(?i:\bbearer\s+[A-Za-z0-9._~+/=-]{16,})"),
    ("password in a URL", r"(?i:\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@)"),
    (
        "credential assignment",
        r"(?i:\b(?:password|passwd|pwd|secret|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token)"
        r"\s*[:=]\s*['\"]?[^\s'\"]{8,})",
    ),
)
_COMPILED = tuple((kind, re.compile(rx)) for kind, rx in PATTERNS)
_ANY = re.compile("|".join(f"(?:{rx})" for _, rx in PATTERNS))


# Literal fragments every pattern needs: substring tests run at C speed, so the regular expressions
# (which try at every word boundary) only run on the rare file that holds one of them.
_CASED_HINTS = (
    "PRIVATE KEY",
    "AKIA",
    "ASIA",
    "AGPA",
    "AIDA",
    "AROA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "k_live_",
    "k_test_",
    "AIza",
    "eyJ",
)
_LOWER_HINTS = (
    "password",
    "passwd",
    "pwd",
    "secret",
    "api_key",
    "api-key",
    "apikey",
    "access_token",
    "access-token",
    "auth_token",
    "auth-token",
)


def may_contain_secrets(text: str) -> bool:
    """A quick test on a whole file: False means no value in it can be a credential."""
    if any(h in text for h in _CASED_HINTS) or ("://" in text and "@" in text):
        return _ANY.search(text) is not None
    lower = text.lower()
    if "bearer" in lower:
        return _ANY.search(text) is not None
    for hint in _LOWER_HINTS:  # password=..., api_key: ... (but not "method: api_key")
        at = lower.find(hint)
        while at != -1:
            after = lower[at + len(hint) : at + len(hint) + 8].lstrip(" \t")
            if after[:1] in (":", "=") and _ANY.search(text) is not None:
                return True
            at = lower.find(hint, at + len(hint))
    return False


def credential_kind(value: str) -> str | None:
    for kind, rx in _COMPILED:
        if rx.search(value):
            return kind
    return None


def find_secrets(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, kind) for every string value (or key) in data that looks like a credential."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and (kind := credential_kind(key)):
                yield (*path, key), kind
            elif isinstance(key, str) and isinstance(value, str) and not credential_kind(value):
                if kind := credential_kind(f"{key}={value}"):  # password: hunter2...
                    yield (*path, key), kind
                    continue
            yield from find_secrets(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from find_secrets(value, (*path, i))
    elif isinstance(data, str) and (kind := credential_kind(data)):
        yield path, kind

"""Credentials never enter the catalogue.

A value that looks like a credential (a cloud or SaaS API key, a bearer token,
a JWT, a private key block, a password inside a URL, an assignment such as
`password=...`) anywhere in a record or a configuration file is an error that
names the field and the kind of credential, and never the value itself. The
record is not loaded, so the value is never stored or displayed.

The rules: the provider token formats maintained by detect-secrets (its
plugins' patterns, so new formats arrive with the library), plus the formats
it does not cover yet and the assignment and URL forms below. Every pattern is
compiled with google-re2, which matches in time linear in the input (files of
up to 2 MiB are accepted, and Python's `re` backtracks super-linearly on some
of these patterns). Values are scanned after decoding, so YAML `"\\x41KIA..."`
or JSON `"gh\\u0070_..."` are seen as the credentials they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import re2

# detect-secrets plugin -> the kind named in the problem line
_DETECT_SECRETS = {
    "aws.AWSKeyDetector": "AWS access key",
    "azure_storage_key.AzureStorageKeyDetector": "Azure account key",
    "github_token.GitHubTokenDetector": "GitHub token",
    "gitlab_token.GitLabTokenDetector": "GitLab token",
    "mailchimp.MailchimpDetector": "Mailchimp key",
    "npm.NpmDetector": "npm token",
    "openai.OpenAIDetector": "OpenAI key",
    "private_key.PrivateKeyDetector": "private key block",
    "pypi_token.PypiTokenDetector": "PyPI token",
    "sendgrid.SendGridDetector": "SendGrid key",
    "slack.SlackDetector": "Slack token",
    "square_oauth.SquareOAuthDetector": "Square OAuth secret",
    "stripe.StripeDetector": "Stripe key",
    "telegram_token.TelegramBotTokenDetector": "Telegram bot token",
}

# Formats detect-secrets 1.5 misses, and the assignment and URL forms.
_OWN: tuple[tuple[str, str], ...] = (
    ("private key block", r"-----BEGIN (?:[A-Z0-9 ]+ )?PRIVATE KEY(?: BLOCK)?-----"),
    ("AWS access key", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b"),
    ("GitLab token", r"\bgl(?:pat|dt|ft|soat|rt|cbt|ptt)-[A-Za-z0-9_-]{20,}"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("Slack webhook", r"hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{16,}"),
    ("Stripe key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b"),
    ("Stripe webhook secret", r"\bwhsec_[A-Za-z0-9+/=]{24,}"),
    ("Shopify token", r"\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b"),
    (
        "OpenAI or Anthropic key",
        r"\bsk-(?:proj-|ant-[a-z]+[0-9]*-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}",
    ),
    ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("Google OAuth token", r"\bya29\.[0-9A-Za-z_-]{20,}"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("SendGrid key", r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"),
    ("Azure account key", r"(?i:\b(?:account|shared ?access)key\s*=\s*[A-Za-z0-9+/]{20,}={0,2})"),
    ("JSON web token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("basic auth header", r"(?i:\bauthorization\s*:\s*basic\s+[A-Za-z0-9+/]{8,}={0,2})"),
    ("bearer token", r"(?i:\bbearer\s+[A-Za-z0-9._~+/=-]{16,})"),
    ("password in a URL", r"(?i:\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@)"),
    (
        "token in a URL",
        r"(?i:[?&#](?:token|access_token|refresh_token|id_token|auth_token|api_key|apikey|"
        r"client_secret|password|sig|signature)=[^&#\s]{8,})",
    ),
    (
        "credential assignment",
        r"(?i:(?:\b|_)(?:password|passwd|pwd|secret|client_secret|secret_access_key|"
        r"api[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key)"
        r"\s*[:=]\s*['\"]?[^\s'\"]{8,})",
    ),
)

_WORDS = re2.compile(r"^[a-z]+(?:[ ._/-]+[a-z]+)*$")


def _value_of(match: str) -> str:
    """The credential-like part of an assignment or bearer match (after `=`, `:` or a space)."""
    for sep in ("=", ":"):
        if sep in match and not match.lower().startswith("bearer"):
            return match.split(sep, 1)[1].strip().strip("'\"")
    return match.split(None, 1)[-1]


def _random_looking(match: str) -> bool:
    """A value, not a description of one: "stored-in-vault", "client-credentials-grant" or a
    link ("forgot password: https://.../reset") are words, not credentials."""
    value = _value_of(match)
    if value.lower().startswith(("http://", "https://", "${", "{{", "<", "vault:", "env:")):
        return False
    return _WORDS.match(value) is None


def _has_digit(match: str) -> bool:
    return any(c.isdigit() for c in match)


# kind -> an extra test on the matched text (for the forms where prose can match too)
_CHECKS: dict[str, Callable[[str], bool]] = {
    "credential assignment": _random_looking,
    "bearer token": _random_looking,
    "OpenAI or Anthropic key": _has_digit,
}


_LONG_REPEAT = re2.compile(r"\{(\d+),\d{4,}\}")
_QUIET = re2.Options()
_QUIET.log_errors = False


def _detect_secrets_patterns() -> list[tuple[str, str]]:
    """The maintained patterns of detect-secrets' provider plugins that RE2 can compile
    (a trailing `(?!\\w)` lookahead becomes `\\b`; a pattern RE2 still refuses is left out,
    and our own rule for that provider covers it)."""
    import importlib

    out: list[tuple[str, str]] = []
    for ref, kind in _DETECT_SECRETS.items():
        module, cls = ref.rsplit(".", 1)
        try:  # a plugin renamed in a later release: our own rules still cover its provider
            plugin = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), cls)
        except (ImportError, AttributeError):
            continue
        for rx in getattr(plugin, "denylist", ()):
            pattern = rx.pattern.replace(r"(?!\w)", r"\b")
            pattern = _LONG_REPEAT.sub(r"{\1,}", pattern)  # RE2 counts to 1,000 at most
            try:
                re2.compile(pattern, _QUIET)
            except re2.error:
                continue
            out.append((kind, pattern))
    return out


PATTERNS: tuple[tuple[str, str], ...] = (*_OWN, *_detect_secrets_patterns())
COMPILED = tuple((kind, re2.compile(rx), _CHECKS.get(kind)) for kind, rx in PATTERNS)
_ANY = re2.compile("|".join(f"(?:{rx})" for _, rx in PATTERNS))


# Escapes that can spell any character (YAML \\x41, \\u0041, \\U..., JSON \\u0070, \\/) or join
# two lines of a quoted YAML scalar without a space: only decoding shows what they hide.
_ESCAPES = ("\\x", "\\u", "\\U", "\\/", "\\\n", "\\\r")
_SHORTEST = 8  # no pattern matches fewer characters


def may_contain_secrets(text: str) -> bool:
    """A quick test on a whole file: False means no value in it can be a credential. A file
    with escapes is always scanned value by value, after decoding."""
    escaped = "\\" in text and any(e in text for e in _ESCAPES)  # every escape has a backslash
    return escaped or _ANY.search(text) is not None


def credential_kind(value: str) -> str | None:
    if len(value) < _SHORTEST or _ANY.search(value) is None:  # one pass for the common case
        return None
    for kind, rx, check in COMPILED:
        if check is None:
            if rx.search(value):
                return kind
        elif any(check(m.group(0)) for m in rx.finditer(value)):
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

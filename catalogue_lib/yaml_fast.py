"""The YAML fast path: plain record files parsed by yaml-rs (Rust), ten times libyaml's speed.

yaml-rs reads YAML 1.2; our careful loader (source_yaml.py, libyaml) reads YAML 1.1 with dates
kept as text. The two agree on a file whose plain scalars are all unambiguous, so a cheap scan
first decides whether the fast path may vouch for a file; anything it cannot vouch for goes to
the careful path, which also gives every problem its line and message:

- anchors, aliases, merge keys (`<<`), tags, very deep nesting (yaml_guards._suspicious);
- a plain scalar that YAML 1.1 and 1.2 could read differently, or whose value would lose its
  written text: `yes`/`no`/`on`/`off` (also as keys), `True`, octal `012`/`0o12`, hex,
  sexagesimal `1:20`, `1_000`, exponents, `.inf`/`.nan`, `+1`, `-0`, `2.40` (a trailing zero),
  more than 15 digits. Left on the fast path: `true`/`false`/`null`/`~`, plain decimal integers
  and decimals that Python writes back exactly as written (`99.5`, `800`), and dates
  `YYYY-MM-DD` (text on both paths);
- document markers (`---`, `...`, `%`), complex keys (`?`, a flow collection as a key), tabs,
  backslashes, characters outside YAML 1.1's printable set (controls, NEL, LS/PS, a BOM inside
  the text), lines of 1,024 characters or more;
- any error yaml-rs raises (duplicate keys among them), and a document that is not one mapping.

A scalar is only checked where a plain scalar may start (after indentation, `- `, `: `, `[`,
`{`, `,`), so words inside prose ("runs on weekdays") do not count; the scan may send a file to
the careful path that did not need it, never the other way round.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

from .yaml_guards import MAX_DEPTH

_parser: Any = None  # the yaml_rs module once imported (None: not installed)
_imported = False
_lock = threading.Lock()


def _import() -> Any:
    try:  # an optional speed-up: without it every file takes the careful path
        import yaml_rs
    except ImportError:  # pragma: no cover - yaml-rs is a dependency; a broken install still works
        return None
    return yaml_rs


def _yaml_rs() -> Any:
    """yaml_rs, imported on first use in the main thread or in a thread that never ends.

    yaml-rs 0.1.6 crashes the whole process (a segmentation fault) when it is called after the
    thread that imported it has ended. Streamlit runs every script run in a new thread, so a
    record edited while the app ran killed the server. Imported in a thread that outlives every
    caller, it is safe from any thread."""
    global _parser, _imported
    if not _imported:
        with _lock:
            if not _imported:
                if threading.current_thread() is threading.main_thread():
                    _parser = _import()
                else:
                    _parser = _import_in_a_keeper()
                _imported = True
    return _parser


def _import_in_a_keeper() -> Any:
    got: list[Any] = []
    ready = threading.Event()

    def keep() -> None:
        got.append(_import())
        ready.set()
        threading.Event().wait()  # lives as long as the process

    threading.Thread(target=keep, name="yaml-rs-keeper", daemon=True).start()
    ready.wait()
    return got[0]


# Where a token ends the whole plain scalar: an optional key indicator, then a separator.
_END = r"(?=[ \t]*(?::(?:\s|\Z)|[,\[\]{}#\r\n]|\Z))"
# Tokens that both readings agree on and keep as written (see the module docstring).
_AGREED = (
    r"(?:true|false|null|~"
    r"|0|-?[1-9][0-9]{0,14}"
    r"|-?(?:0|[1-9][0-9]{0,5})\.(?:0|(?!0000)[0-9]{0,7}[1-9])"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2})"
)
# A superset of every token that either reading may turn into something other than text.
_SPECIAL = (
    r"(?:(?i:y|yes|n|no|on|off|true|false|null)|~|<<|="
    r"|[-+]?\.?[0-9][^\s,\[\]{}]*|[-+]?\.(?i:inf|nan)|[!&*][^\s,\[\]{}]*)"
)
_TOKEN = f"(?=[-+.0-9yYnNoOtTfF~<=!&*])(?!{_AGREED}{_END}){_SPECIAL}{_END}"
# One pattern per place a plain scalar may start, each beginning with a literal so that the
# regex engine skips ahead quickly: after `: `; at a line's start (keys, `- ` items); in flow.
_AMBIGUOUS_VALUE = re.compile(r":[ \t]+" + _TOKEN)
_AMBIGUOUS_AT_LINE_START = re.compile(r"\n[ \t]*(?:[-?:][ \t]+)*" + _TOKEN)
_AMBIGUOUS_IN_FLOW = re.compile(r"[\[{,][ \t]*" + _TOKEN)

_DOCUMENT_MARKERS = ("\n---", "\n...", "\n%")
_COMPLEX_KEY = re.compile(r"\n[ \t]*(?:-[ \t]+)*[?:](?:[ \t\r\n]|\Z)")
_FLOW_KEY = re.compile(r"[\]}][ \t]*:(?:\s|\Z)")
# tags, and characters no plain scalar may start with, where a scalar may start
_INDICATOR = re.compile(r"[!%@`](?<=[\s\[{,].)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OUTSIDE_YAML11 = re.compile(
    r"[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)
_ANCHOR_OR_ALIAS = re.compile(r"[&*](?<=[\s\[{,:-].)[^\s\[\]{},]")
_FIRST_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_MAX_LINE = 1023  # libyaml refuses a simple key longer than 1,024 characters


def _nests_past(lined: str, limit: int) -> bool:
    """yaml_guards._nests_past on "\n" + text, with a literal-led pattern."""
    brackets = lined.count("[") + lined.count("{")
    if brackets > limit:
        return True
    return _indented_past(limit - brackets).search(lined) is not None


@cache
def _indented_past(width: int) -> re.Pattern[str]:
    """A line indented (by spaces, tabs, `- `, `? `, `: `) more than width characters."""
    return re.compile(r"\n[ \-?:\t]{" + str(width + 1) + ",}")


# Lines already scanned and found plain. Every check but the nesting depth looks at one line at a
# time, so a line seen before (`  status: current`, `- inbound`) need not be scanned again.
_PLAIN_LINES: set[str] = set()
_PLAIN_LINES_LIMIT = 200_000  # about 10 MB; past it new lines are scanned every time


def _lines_plain(lined: str) -> bool:
    """The line-by-line checks on "\n" + some lines joined by "\n"."""
    text = lined[1:]
    if (_CONTROL if text.isascii() else _OUTSIDE_YAML11).search(text) is not None:
        return False
    if any(m in lined for m in _DOCUMENT_MARKERS):
        return False
    if (
        ("?" in text or ":" in text)
        and _COMPLEX_KEY.search(lined) is not None
        or ("]" in text or "}" in text)
        and _FLOW_KEY.search(text) is not None
        or ("!" in text or "%" in text or "@" in text or "`" in text)
        and _INDICATOR.search(lined) is not None
        or ("&" in text or "*" in text)
        and _ANCHOR_OR_ALIAS.search(lined) is not None
    ):
        return False
    return not (
        _AMBIGUOUS_VALUE.search(text) is not None
        or _AMBIGUOUS_AT_LINE_START.search(lined) is not None
        or ("[" in text or "{" in text)
        and _AMBIGUOUS_IN_FLOW.search(text) is not None
    )


def eligible(text: str) -> bool:
    """Whether the fast path may vouch for this text (a cheap, conservative scan)."""
    if _yaml_rs() is None or "\t" in text or "\\" in text:
        return False
    new = set(text.split("\n")) - _PLAIN_LINES
    if new:
        if max(map(len, new)) > _MAX_LINE or not _lines_plain("\n" + "\n".join(new)):
            return False
        if len(_PLAIN_LINES) < _PLAIN_LINES_LIMIT:
            _PLAIN_LINES.update(new)
    return not _nests_past("\n" + text, MAX_DEPTH)


def fast_load(text: str) -> tuple[dict[str, Any], int] | None:
    """(the record's mapping, its first line), or None when the careful path must read it."""
    if not eligible(text):
        return None
    try:
        parser = _yaml_rs()
        data = parser.loads(
            text, parse_datetime=False, duplicate_key_policy=parser.DuplicateKeyPolicy.Error
        )
    except Exception:  # any error: the careful path reports it with its line
        return None
    if not isinstance(data, dict):
        return None
    first = _FIRST_CONTENT.search(text)
    line = text.count("\n", 0, first.start()) + 1 if first else 1
    return data, line

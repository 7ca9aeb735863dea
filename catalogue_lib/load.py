"""Sources -> validated records + readable problems.

Reads YAML, JSON, the template's Markdown table and CSV. Every problem is one
`path:line: error|warning: message` line; a broken record never stops the
valid ones beside it from loading, and nothing in a file is ever executed
(YAML is read with a safe loader that also refuses alias bombs).
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .model import Integration, known_keys
from .secrets import find_secrets, may_contain_secrets

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 20_000  # expanded YAML nodes per document (aliases counted every time they are used)
MAX_DEPTH = 40
RECORD_SUFFIXES = {".yaml", ".yml", ".json", ".md", ".txt", ".csv"}
CONFIG_FILES = {"scorecard.yaml", "scorecard.yml", "owners.yaml", "owners.yml"}

TABLE_HEADERS = (
    "Integration",
    "Type",
    "Partner",
    "Direction",
    "Critical flows",
    "Auth",
    "Version",
    "SLA/SLO notes",
    "Owner",
    "Support contact",
    "Monitoring",
    "Known risks",
)

# Checks that no column of the table forms speaks to.
TABLE_UNKNOWN_CHECKS = (
    "on_call",
    "idempotency",
    "migration_plan",
    "test_environment",
    "criticality_set",
    "reviewed_recently",
)

AUTH_WORDS = {
    "oauth": "oauth",
    "oauth2": "oauth",
    "oauth20": "oauth",
    "apikey": "api_key",
    "mtls": "mtls",
    "mutualtls": "mtls",
    "token": "token",
    "bearertoken": "token",
    "basic": "basic",
    "basicauth": "basic",
    "none": "none",
}
AUTH_LABELS = {
    "oauth": "OAuth",
    "api_key": "API key",
    "mtls": "mTLS",
    "token": "Token",
    "basic": "Basic",
    "none": "None",
}
RISK_WORDS = {
    "ratelimits": "rate_limiting",
    "ratelimit": "rate_limiting",
    "ratelimiting": "rate_limiting",
    "apichanges": "api_changes",
    "apichange": "api_changes",
    "timeoutspikes": "timeouts_5xx",
    "timeoutspike": "timeouts_5xx",
    "timeouts5xx": "timeouts_5xx",
    "certexpiry": "auth_expiry",
    "authexpiry": "auth_expiry",
    "contractdrift": "contract_drift",
    "schemadrift": "schema_drift",
    "webhookgaps": "webhook_gaps",
    "peakload": "peak_load",
}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass(eq=False)
class LoadedRecord:
    """A validated record, kept compact: its JSON (a tenth of the memory of the pydantic model,
    which matters at 50,000 records) plus the fields every load needs."""

    json: bytes  # the validated record, None fields left out
    id: str
    owner: str | None
    path: str
    line: int | None
    form: str  # yaml | json | markdown | csv
    # check name -> state forced by the source (table forms: unknown / from the Monitoring cell)
    overrides: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        record: Integration,
        path: str,
        line: int | None,
        form: str,
        overrides: dict[str, str] | None = None,
    ) -> LoadedRecord:
        return cls(
            record.__pydantic_serializer__.to_json(record, exclude_none=True),
            record.id,
            record.owner,
            path,
            line,
            form,
            dict(overrides or {}),
        )

    @property
    def record(self) -> Integration:
        """The pydantic record, rebuilt on demand."""
        return Integration.model_validate_json(self.json)


@dataclass
class LoadResult:
    records: list[LoadedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class _ScanFlag(threading.local):
    on = True  # whether the file being read may hold a credential (see secrets.py)


_scan = _ScanFlag()


class _FileProblem(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


# --------------------------------------------------------------------------- files


def catalogue_files(
    paths: Iterable[str | Path],
) -> tuple[list[tuple[Path, str, bool]], list[Problem]]:
    """(file, display path, named explicitly) in path order, plus problems for missing paths."""
    out: list[tuple[Path, str, bool]] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            out.append((p, str(raw), True))
        elif p.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                rel_dir = os.path.relpath(dirpath, p)
                top = rel_dir == "."
                for name in filenames:
                    if (
                        name.startswith(".")
                        or os.path.splitext(name)[1].lower() not in RECORD_SUFFIXES
                    ):
                        continue
                    if top and name.lower() in CONFIG_FILES:
                        continue
                    rel = name if top else f"{rel_dir}/{name}".replace(os.sep, "/")
                    found.append((rel, Path(dirpath, name)))
            for rel_s, f in sorted(found):
                out.append((f, str(p / rel_s) if str(raw) not in ("", ".") else rel_s, False))
        elif p.exists():
            problems.append(Problem(str(raw), None, "error", "not a regular file or folder"))
        else:
            problems.append(Problem(str(raw), None, "error", "no such file or folder"))
    return out, problems


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading allocates millions of small objects and no cycles: the cyclic collector would
    only walk them again and again (it cost a third of the load time), so it waits until the
    load is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_paths(paths: Iterable[str | Path]) -> LoadResult:
    files, problems = catalogue_files(paths)
    with gc_paused():
        loaded = [load_file(f, shown, explicit=explicit) for f, shown, explicit in files]
    return assemble(files, loaded, problems)


def assemble(
    files: list[tuple[Path, str, bool]],
    loaded: list[tuple[list[LoadedRecord], list[Problem]]],
    path_problems: list[Problem],
) -> LoadResult:
    """Each file's records and problems, in path order, into one result: the first record with
    an id is kept, a later one is an error naming both places."""
    result = LoadResult(problems=list(path_problems))
    seen: dict[str, LoadedRecord] = {}
    for (_, shown, _), (records, problems) in zip(files, loaded, strict=True):
        result.files.append(shown)
        result.problems.extend(problems)
        for rec in records:
            first = seen.get(rec.id)
            if first is not None:
                where = f"{first.path}:{first.line}" if first.line else first.path
                result.problems.append(
                    Problem(
                        rec.path,
                        rec.line,
                        "error",
                        f"duplicate id '{rec.id}': already defined at {where}; "
                        "this record is ignored",
                    )
                )
                continue
            seen[rec.id] = rec
            result.records.append(rec)
    return result


def sniff_form(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".md", ".txt", ".markdown"):
        return "markdown"
    if suffix == ".csv":
        return "csv"
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return "json"
    if _find_table_header(text.splitlines()) is not None:
        return "markdown"
    first = stripped.splitlines()[0] if stripped else ""
    if _norm_header_cells(next(csv.reader([first]), [])) == _EXPECTED:
        return "csv"
    return "yaml"


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _FileProblem(f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    data = path.read_bytes()
    if b"\x00" in data:
        raise _FileProblem("binary file (contains NUL bytes), not a catalogue record")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(f"not UTF-8 text (bad byte at offset {exc.start})", line) from None


def load_file(
    path: Path, shown: str | None = None, explicit: bool = True
) -> tuple[list[LoadedRecord], list[Problem]]:
    shown = shown or str(path)
    try:
        text = read_text(path)
        form = sniff_form(path, text)
        _scan.on = may_contain_secrets(text)
        if form == "yaml":
            return _load_yaml(text, shown)
        if form == "json":
            return _load_json(text, shown)
        if form == "csv":
            return _load_csv(text, shown)
        return _load_markdown(
            text, shown, explicit=explicit or path.suffix.lower() not in (".md", ".txt")
        )
    except _FileProblem as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    except OSError as exc:
        return [], [Problem(shown, None, "error", f"cannot read file: {exc.strerror or exc}")]
    except RecursionError:
        return [], [Problem(shown, None, "error", "nesting is too deep to read")]
    except Exception as exc:  # last resort: a problem line, never a traceback
        return [], [Problem(shown, None, "error", f"cannot read file: {type(exc).__name__}: {exc}")]


# --------------------------------------------------------------------------- YAML


class _StrictMappings:
    """Refuses a key that appears twice in one mapping (PyYAML would silently keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep)  # type: ignore[misc]
        if len(mapping) == len(node.value):  # the common case costs one comparison
            return mapping
        if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
            return mapping  # keys brought in by a << merge may be overridden
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = getattr(key_node, "value", None)
            if isinstance(key_node, yaml.ScalarNode) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (also on line {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return mapping


def _no_timestamps(resolvers: dict) -> dict:
    return {
        ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
        for ch, rs in resolvers.items()
    }


class _PyLoader(_StrictMappings, yaml.SafeLoader):
    """Pure-Python safe loader (bounded by Python's recursion limit): for suspicious input."""


_PyLoader.yaml_implicit_resolvers = _no_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

# libyaml's parser when PyYAML was built with it (the usual wheels are): parsing is the floor of
# the load time, and the C parser is ~10x the pure-Python one. Its composer recurses in C (a
# 100,000-deep document crashes the process), so input that may nest deeply is first measured
# on the event stream (see _too_deep).
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_StrictMappings, _SafeBase):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text (the model parses them strictly)."""

    # No path resolvers are registered, so the per-node bookkeeping PyYAML does for them is skipped.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                candidates = self.yaml_implicit_resolvers.get(value[:1] if value else "", [])
                for tag, regexp in candidates + self._anywhere:
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


_Loader.yaml_implicit_resolvers = _no_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)
_Loader._anywhere = _Loader.yaml_implicit_resolvers.get(None, [])


_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s\[\]{},]", re.MULTILINE)


def _nests_past(text: str, limit: int) -> bool:
    """Whether the text may nest deeper than limit: flow brackets plus the deepest indent (a
    cheap upper bound, computed by C-speed string operations)."""
    brackets = text.count("[") + text.count("{")
    if brackets > limit:
        return True
    pattern = r"^[ \-?:\t]{" + str(limit - brackets + 1) + ",}"
    return re.search(pattern, text, re.MULTILINE) is not None


def _too_deep(text: str) -> int | None:
    """The line where the text first nests past MAX_DEPTH, read from libyaml's event stream
    (iterative, and stopped at once), or None. Syntax errors are left to the real parse."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_SafeBase):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:  # newer libyaml builds stop deep input themselves
        return (_mark_line(exc) or 1) if "nesting" in str(exc) else None
    return None


def _suspicious(text: str) -> bool:
    """True when the text may use aliases or nest past MAX_DEPTH: then every node is inspected."""
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text) is not None:
        return True
    return _nests_past(text, MAX_DEPTH)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = {
    "tag:yaml.org,2002:null": lambda loader, node: None,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": yaml.constructor.SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.constructor.SafeConstructor.construct_yaml_float,
}


def _fast_construct(loader: Any, node: yaml.Node) -> Any:
    """Plain YAML (no anchors, no merge keys, no custom tags, shallow) to Python objects, several
    times faster than PyYAML's generic constructor. Anything else goes to the safe constructor."""
    if node.__class__ is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        build = _SCALARS.get(node.tag)
        return build(loader, node) if build else loader.construct_document(node)
    if node.__class__ is yaml.MappingNode and node.tag == _MAP:
        out = {}
        for key_node, value_node in node.value:
            if (
                key_node.tag == "tag:yaml.org,2002:merge"
                or key_node.__class__ is not yaml.ScalarNode
            ):
                return loader.construct_document(node)
            out[_fast_construct(loader, key_node)] = _fast_construct(loader, value_node)
        if len(out) != len(node.value):
            return loader.construct_document(node)  # reports the duplicate key with its line
        return out
    if node.__class__ is yaml.SequenceNode and node.tag == _SEQ:
        return [_fast_construct(loader, v) for v in node.value]
    return loader.construct_document(node)


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _inspect_node(root: yaml.Node) -> tuple[dict[tuple, int], list[tuple[int, str]]]:
    """Line of every key path; refuses alias bombs, deep nesting and duplicate keys."""
    lines: dict[tuple, int] = {(): root.start_mark.line + 1}
    errors: list[tuple[int, str]] = []
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int, active: set[int]) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise _FileProblem(
                f"nesting is deeper than {MAX_DEPTH} levels", node.start_mark.line + 1
            )
        if key in active:
            raise _FileProblem("recursive alias", node.start_mark.line + 1)
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1, active) + size(v, depth + 1, active)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                total += size(v, depth + 1, active)
        active.discard(key)
        if total > MAX_NODES:
            raise _FileProblem(
                f"document expands to more than {MAX_NODES:,} values (alias bomb?); refused",
                node.start_mark.line + 1,
            )
        sizes[key] = total
        return total

    size(root, 0, set())

    def walk(node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else None
                line = k.start_mark.line + 1
                if name is not None:
                    if name in seen:
                        where = ".".join(str(p) for p in (*path, name))
                        errors.append(
                            (line, f"duplicate key '{where}' (also on line {seen[name]})")
                        )
                    seen[name] = line
                    lines.setdefault((*path, name), line)
                    walk(v, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                lines.setdefault((*path, i), v.start_mark.line + 1)
                walk(v, (*path, i))

    walk(root, ())
    return lines, errors


def _load_yaml(text: str, shown: str) -> tuple[list[LoadedRecord], list[Problem]]:
    records: list[LoadedRecord] = []
    problems: list[Problem] = []
    suspicious = _suspicious(text)
    if suspicious and _nests_past(text, MAX_DEPTH):
        deep_at = _too_deep(text)  # before libyaml's composer, which recurses in C
        if deep_at is not None:
            return [], [
                Problem(shown, deep_at, "error", f"nesting is deeper than {MAX_DEPTH} levels")
            ]
    loader = _Loader(text)
    documents = 0
    try:
        while True:
            try:
                if not loader.check_node():
                    break
                node = loader.get_node()
            except yaml.YAMLError as exc:
                problems.append(Problem(shown, _mark_line(exc), "error", _yaml_message(exc)))
                break
            if node is None:
                continue
            documents += 1
            if suspicious:
                try:
                    _inspect_node(node)  # alias bombs and deep nesting, before anything expands
                except _FileProblem as exc:
                    problems.append(Problem(shown, exc.line, "error", exc.message))
                    continue
            try:
                data = (
                    loader.construct_document if suspicious else partial(_fast_construct, loader)
                )(node)
            except yaml.YAMLError as exc:
                problems.append(Problem(shown, _mark_line(exc), "error", _yaml_message(exc)))
                continue
            for item, line, item_lines in _split_records(data, node):
                rec, probs = build_record(item, shown, item_lines, "yaml", line=line)
                problems.extend(probs)
                if rec is not None:
                    records.append(rec)
    finally:
        loader.dispose()
    if documents == 0 and not problems:
        problems.append(Problem(shown, None, "warning", "empty file: no record in it"))
    return records, problems


def _yaml_message(exc: yaml.YAMLError) -> str:
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc).splitlines()[0]
    if "could not determine a constructor" in text:
        text = "YAML tags that construct objects are not allowed: " + text
    return f"invalid YAML: {text}"


LineMap = dict[tuple, int]


def _split_records(
    data: Any, node: yaml.Node | None, lines: Callable[[], LineMap] | None = None
) -> Iterator[tuple[Any, int | None, Callable[[], LineMap]]]:
    """A document holds one record (a mapping) or a list of them: (record, line, line map)."""
    full = lines or (lambda: _inspect_node(node)[0] if node is not None else {})
    if isinstance(data, list) and not all(isinstance(item, dict) for item in data):
        kinds = sorted({type(item).__name__ for item in data if not isinstance(item, dict)})
        data = f"a list holding {', '.join(kinds)}"  # reported once, as not a record
    if isinstance(data, list):
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        for i, item in enumerate(data):
            line = items[i].start_mark.line + 1 if i < len(items) else None

            def sub(i: int = i) -> LineMap:
                return {k[1:]: v for k, v in full().items() if k[:1] == (i,)}

            yield item, line, sub
    else:
        yield data, (node.start_mark.line + 1 if node is not None else 1), full


# --------------------------------------------------------------------------- JSON


def _load_json(text: str, shown: str) -> tuple[list[LoadedRecord], list[Problem]]:
    if not text.strip():
        return [], [Problem(shown, None, "warning", "empty file: no record in it")]
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append(k)
            out[k] = v
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        return [], [Problem(shown, exc.lineno, "error", f"invalid JSON: {exc.msg}")]
    if duplicates:
        return [], [Problem(shown, None, "error", f"duplicate key '{duplicates[0]}' in JSON")]

    def lines() -> LineMap:
        try:  # JSON is (nearly) YAML: borrow the YAML composer for line numbers, when needed
            node = yaml.compose(text, Loader=_PyLoader)
            return _inspect_node(node)[0] if node is not None else {}
        except Exception:
            return {}

    records: list[LoadedRecord] = []
    problems: list[Problem] = []
    first_line = 1
    for item, _, item_lines in _split_records(data, None, lines):
        rec, probs = build_record(item, shown, item_lines, "json", line=first_line)
        problems.extend(probs)
        if rec is not None:
            records.append(rec)
    return records, problems


# --------------------------------------------------------------------------- records


def _line_for(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def unknown_keys(
    data: Any, model: type[BaseModel], path: tuple = ()
) -> Iterator[tuple[tuple, str]]:
    """(path, suggestion) for every key the model does not know, at any depth."""
    if not isinstance(data, dict):
        return
    known = known_keys(model)
    for key, value in data.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            yield (*path, key), close[0] if close else ""
            continue
        nested = known[key]
        if nested is None:
            continue
        if isinstance(value, dict):
            yield from unknown_keys(value, nested, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from unknown_keys(item, nested, (*path, key, i))


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeio" else "a"


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def build_record(
    data: Any,
    shown: str,
    lines: LineMap | Callable[[], LineMap],
    form: str,
    overrides: dict[str, str] | None = None,
    line: int | None = None,
) -> tuple[LoadedRecord | None, list[Problem]]:
    """Validate one record; the line map is only worked out when a problem needs a line."""
    resolved: list[LineMap] = []

    def at(loc: tuple) -> int | None:
        if not resolved:
            resolved.append(lines() if callable(lines) else lines)
        return _line_for(loc, resolved[0]) or line

    if line is None and not callable(lines):
        line = lines.get(())
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        if isinstance(data, str) and data.startswith("a list holding"):
            kind = data
        return None, [
            Problem(
                shown,
                line,
                "error",
                f"expected a record (a mapping) or a list of records, got {kind}",
            )
        ]
    if _scan.on:
        found = list(find_secrets(data))
        if found:
            return None, [
                Problem(
                    shown,
                    at(loc),
                    "error",
                    f"{_dotted(loc) or 'record'}: looks like {_article(kind)} {kind}; credentials must not be kept "
                    "in the catalogue, so this record is not loaded (the value is not shown)",
                )
                for loc, kind in found
            ]
    problems: list[Problem] = []
    label = str(data.get("id") or data.get("name") or "record")[:80]
    for key_path, suggestion in unknown_keys(data, Integration):
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        problems.append(
            Problem(
                shown,
                at(key_path),
                "warning",
                f"{label}: unknown key '{_dotted(key_path)}'{hint}",
            )
        )
    try:
        record = Integration.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        missing = [
            _dotted(e["loc"]) for e in errors if e["type"] == "missing" and len(e["loc"]) == 1
        ]
        if missing:
            names = ", ".join(f"'{m}'" for m in missing)
            plural = "s" if len(missing) > 1 else ""
            problems.append(
                Problem(shown, line, "error", f"{label}: missing required field{plural} {names}")
            )
        for err in errors:
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            if err["type"] == "missing" and len(loc) == 1:
                continue
            if err["type"] == "missing":
                msg = f"missing required field '{_dotted(loc)}'"
            else:
                text = err["msg"].removeprefix("Value error, ")
                got = ""
                if err["type"] != "value_error" and not isinstance(err.get("input"), dict | list):
                    got = f" (got {_short(err.get('input'))})"
                msg = f"{_dotted(loc) or 'record'}: {text}{got}"
            problems.append(Problem(shown, at(loc), "error", f"{label}: {msg}"))
        return None, problems
    return LoadedRecord.of(record, shown, line, form, overrides), problems


# --------------------------------------------------------------------------- tables


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


_EXPECTED = [_norm(h) for h in TABLE_HEADERS]


def _norm_header_cells(cells: list[str]) -> list[str]:
    return [_norm(c) for c in cells]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def risk_category(text: str) -> str:
    return RISK_WORDS.get(re.sub(r"[^a-z0-9]", "", text.lower()), "other")


def row_to_record(
    cells: dict[str, str], shown: str, line: int, form: str
) -> tuple[LoadedRecord | None, list[Problem]]:
    """One template row -> a record. What a row cannot say stays unknown."""
    get = {k: (v or "").strip() for k, v in cells.items()}
    problems: list[Problem] = []
    name = get["integration"]
    directions = re.findall(r"inbound|outbound", get["direction"].lower())
    data: dict[str, Any] = {
        "id": slugify(name) if name else None,
        "name": name or None,
        "type": get["type"].lower() or None,
        "partner": get["partner"] or None,
        "direction": directions or ([get["direction"]] if get["direction"] else []),
        "critical_flows": _split_list(get["criticalflows"]),
        "owner": get["owner"] or None,
        "support_contact": get["supportcontact"] or None,
        "operations": {
            "slo_notes": get["sla/slonotes"] or None,
            "monitoring": get["monitoring"] or None,
        },
        "risks": [
            {"category": risk_category(part), "summary": part}
            for part in _split_list(get["knownrisks"])
        ],
    }
    if data["id"] is None:
        data.pop("id")
    if get["auth"]:
        method = AUTH_WORDS.get(re.sub(r"[^a-z0-9]", "", get["auth"].lower()))
        if method:
            data["auth"] = {"method": method}
        else:
            problems.append(
                Problem(shown, line, "warning", f"{name}: unknown auth method '{get['auth']}'")
            )
    if get["version"]:
        data["lifecycle"] = {"versions": [{"version": get["version"], "status": "current"}]}

    monitoring = get["monitoring"].lower()
    overrides = {check: "unknown" for check in TABLE_UNKNOWN_CHECKS}
    if "inbound" in directions:
        overrides["webhook_signatures"] = "unknown"
    overrides["dashboard"] = "pass" if "dashboard" in monitoring else "fail"
    overrides["alert_rules"] = "pass" if "alert" in monitoring else "fail"
    overrides["runbook"] = "pass" if "runbook" in monitoring else "unknown"
    overrides["slo_defined"] = "pass" if get["sla/slonotes"] else "fail"
    rec, probs = build_record(data, shown, {(): line}, form, overrides)
    return rec, problems + probs


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [c.strip().replace("\\|", "|") for c in cells]


def _find_table_header(lines: list[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if (
            lines[i].lstrip().startswith("|")
            and _norm_header_cells(_split_row(lines[i])) == _EXPECTED
        ):
            return i
    return None


def _load_markdown(
    text: str, shown: str, explicit: bool = False
) -> tuple[list[LoadedRecord], list[Problem]]:
    lines = text.splitlines()
    records: list[LoadedRecord] = []
    problems: list[Problem] = []
    header = _find_table_header(lines)
    if header is None:
        if explicit:
            problems.append(
                Problem(
                    shown, None, "warning", "no catalogue table (the template's 12 columns) found"
                )
            )
        return records, problems
    while header is not None:
        i = header + 1
        if i < len(lines) and re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", lines[i]) and "-" in lines[i]:
            i += 1
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            cells = _split_row(lines[i])
            if all(not c for c in cells):
                i += 1
                continue
            if len(cells) != len(TABLE_HEADERS):
                problems.append(
                    Problem(
                        shown,
                        i + 1,
                        "error",
                        f"table row has {len(cells)} cells, the template has {len(TABLE_HEADERS)}",
                    )
                )
            else:
                rec, probs = row_to_record(
                    dict(zip(_EXPECTED, cells, strict=True)), shown, i + 1, "markdown"
                )
                problems.extend(probs)
                if rec is not None:
                    records.append(rec)
            i += 1
        header = _find_table_header(lines, i)
    return records, problems


def _load_csv(text: str, shown: str) -> tuple[list[LoadedRecord], list[Problem]]:
    if not text.strip():
        return [], [Problem(shown, None, "warning", "empty file: no record in it")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        return [], [Problem(shown, 1, "error", f"invalid CSV: {exc}")]
    normalised = _norm_header_cells(header)
    missing = [h for h, n in zip(TABLE_HEADERS, _EXPECTED, strict=True) if n not in normalised]
    if missing:
        return [], [
            Problem(
                shown,
                1,
                "error",
                "CSV header is not the template's: missing column(s) " + ", ".join(missing),
            )
        ]
    problems: list[Problem] = []
    extra = [h for h, n in zip(header, normalised, strict=True) if n not in _EXPECTED]
    if extra:
        problems.append(
            Problem(shown, 1, "warning", "unknown column(s) ignored: " + ", ".join(extra))
        )
    records: list[LoadedRecord] = []
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(c.strip() for c in row):
                if len(row) != len(header):
                    problems.append(
                        Problem(
                            shown,
                            line,
                            "error",
                            f"row has {len(row)} cells, the header has {len(header)}",
                        )
                    )
                else:
                    cells = {n: v for n, v in zip(normalised, row, strict=True) if n in _EXPECTED}
                    rec, probs = row_to_record(cells, shown, line, "csv")
                    problems.extend(probs)
                    if rec is not None:
                        records.append(rec)
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(shown, line, "error", f"invalid CSV: {exc}"))
    return records, problems


def fingerprint(paths: Iterable[str | Path]) -> tuple:
    """What changes when any catalogue file (configuration included) is added, removed or
    edited: each file's path, modification time and size."""
    paths = list(paths)
    files, problems = catalogue_files(paths)
    config = [
        (p / name, str(p / name), False)
        for p in map(Path, paths)
        if p.is_dir()
        for name in sorted(CONFIG_FILES)
        if (p / name).is_file()
    ]
    out: list[tuple] = []
    for f, shown, _ in files + config:
        try:
            st = f.stat()
            out.append((shown, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((shown, None, None))
    out.extend((str(p), None, None) for p in problems)
    return tuple(out)

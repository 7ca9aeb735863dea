"""Records and their problems: one validated record, compact, and readable problem lines."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from .badvalues import (
    TEXT,
    _fields,
    bad_value_overrides,
    kept_unreadable,
    tolerant_validate,
)
from .model import Integration, known_keys, number_text
from .secrets import find_secrets

LineMap = dict[tuple, int]


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

    # the validated record, None fields left out; None for a record restored with its database
    # (dbcache.py), whose JSON is in the database (integrations.record_json)
    json: bytes | None
    id: str
    owner: str | None
    path: str
    line: int | None
    form: str  # yaml | json | markdown | csv
    # check name -> state forced by the source (table forms: unknown / from the Monitoring cell),
    # or (v1.1) "unknown_if_fail" / "unknown_unless_pass" where a bad value was dropped (see badvalues)
    overrides: dict[str, str] = field(default_factory=dict)
    # (v1.1) dotted paths of the values dropped as unreadable from the record as kept
    unreadable: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        record: Integration,
        path: str,
        line: int | None,
        form: str,
        overrides: dict[str, str] | None = None,
        unreadable: tuple[str, ...] = (),
    ) -> LoadedRecord:
        return cls(
            record.__pydantic_serializer__.to_json(record, exclude_none=True),
            record.id,
            record.owner,
            path,
            line,
            form,
            dict(overrides or {}),
            tuple(unreadable),
        )

    @property
    def record(self) -> Integration:
        """The pydantic record, rebuilt on demand."""
        if self.json is None:
            raise ValueError(f"{self.id}: a restored record; read integrations.record_json")
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


def _line_for(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


_UNKNOWN = object()


def key_findings(
    data: Any, model: type[BaseModel]
) -> tuple[list[tuple[tuple, str]], list[tuple[tuple, str]]]:
    """(unknown keys, numbers written as text) of a record, in one walk: (path, suggestion) for
    every key the model does not know, at any depth, and (path, text as written) for every
    number written where the model expects text. badvalues._fields has the names and nested
    models of known_keys (a test asserts it), so one table serves both; tests/
    test_fast_equivalents.py holds the walk to two plain recursive definitions."""
    unknown: list[tuple[tuple, str]] = []
    numbers: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        _walk(data, model, (), unknown, numbers)
    return unknown, numbers


def _walk(
    data: dict,
    model: type[BaseModel],
    path: tuple,
    unknown: list[tuple[tuple, str]],
    numbers: list[tuple[tuple, str]],
) -> None:
    table = _fields(model)
    for key, value in data.items():
        kind = table.get(key, _UNKNOWN)
        if kind is None:
            continue
        if kind is TEXT:
            if type(value) is str:
                continue
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if (
                        type(v) is not str
                        and isinstance(v, int | float)
                        and not isinstance(v, bool)
                    ):
                        numbers.append(((*path, key, i), number_text(v)))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                numbers.append(((*path, key), number_text(value)))
        elif kind is _UNKNOWN:
            unknown.append(((*path, key), _suggestion(str(key), model)))
        elif isinstance(value, dict):
            _walk(value, kind, (*path, key), unknown, numbers)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _walk(item, kind, (*path, key, i), unknown, numbers)


def _suggestion(key: str, model: type[BaseModel]) -> str:
    """What an unknown key probably meant: the field of that name one level down (`runbook` ->
    `operations.runbook`), else a field of this level spelled alike (`owners` -> `owner`), else
    one a level down spelled alike (`runbok` -> `operations.runbook`); "" when nothing is close."""
    homes = _homes(model)
    if key in homes:
        return homes[key]
    close = difflib.get_close_matches(key, list(known_keys(model)), n=1, cutoff=0.6)
    if close:
        return close[0]
    below = difflib.get_close_matches(key, list(homes), n=1, cutoff=0.8)
    return homes[below[0]] if below else ""


@cache
def _homes(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> where it lives one level down (status_page -> partner_links.status_page),
    for a key written at the wrong level; only names with a single home."""
    found: dict[str, list[str]] = {}
    for name, nested in known_keys(model).items():
        if nested is not None:
            for inner in known_keys(nested):
                found.setdefault(inner, []).append(f"{name}.{inner}")
    return {k: v[0] for k, v in found.items() if len(v) == 1 and k not in known_keys(model)}


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
    label = str(number_text(data.get("id")) or number_text(data.get("name")) or "record")[:80]
    unknown, numbers = key_findings(data, Integration)
    for key_path, suggestion in unknown:
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        problems.append(
            Problem(
                shown,
                at(key_path),
                "warning",
                f"{label}: unknown key '{_dotted(key_path)}'{hint}",
            )
        )
    problems.extend(
        Problem(
            shown,
            at(loc),
            "warning",
            f"{label}: {_dotted(loc)}: the number {raw} is read as the text '{raw}'; "
            f'quote it ("{raw}") to say so',
        )
        for loc, raw in numbers
    )
    data, dropped, fatal = tolerant_validate(data)
    if fatal is not None:
        return None, problems + _validation_problems(fatal, shown, at, line, label)
    record, bad = dropped
    for loc, err, target in bad:
        problems.append(_bad_value_problem(shown, at(loc), label, loc, err, target))
    if record is not None and record.lifecycle is not None:
        for i, change in enumerate(record.lifecycle.planned_changes):
            loc = ("lifecycle", "planned_changes", i)
            if change.date is None and not any(t[:3] == loc for *_, t in bad):
                problems.append(
                    Problem(
                        shown,
                        at(loc),
                        "error",
                        f"{label}: {_dotted(loc)}: missing required field 'date'; "
                        "the change is kept without a date (no deadline)",
                    )
                )
    if record is not None and record.auth is not None:
        holders = [(("auth",), record.auth)] + [
            (("auth", "credentials", i), c) for i, c in enumerate(record.auth.credentials)
        ]
        dropped = {t for _, _, t in bad}
        for loc, holder in holders:
            if (holder.rotate_every_days is None) != (holder.rotated_on is None):
                has, lacks = (
                    ("rotate_every_days", "rotated_on")
                    if holder.rotated_on is None
                    else ("rotated_on", "rotate_every_days")
                )
                if (*loc, lacks) in dropped:
                    continue  # it was given, but unreadable: its own error says so
                problems.append(
                    Problem(
                        shown,
                        at((*loc, has)),
                        "warning",
                        f"{label}: {_dotted(loc)}: {has} without {lacks}: "
                        "no rotation deadline until both are given",
                    )
                )
    if not bad:  # what the two calls below give for no dropped value
        return LoadedRecord.of(record, shown, line, form, overrides), problems
    overrides = {**bad_value_overrides([t for _, _, t in bad]), **(overrides or {})}
    return LoadedRecord.of(
        record, shown, line, form, overrides, kept_unreadable([t for _, _, t in bad], data)
    ), problems


def _bad_value_problem(
    shown: str, line: int | None, label: str, loc: tuple, err: dict, target: tuple
) -> Problem:
    if err["type"] == "missing":
        text = f"missing required field '{loc[-1]}'"
    else:
        text = err["msg"].removeprefix("Value error, ")
        if err["type"] != "value_error" and not isinstance(err.get("input"), dict | list):
            text += f" (got {_short(err.get('input'))})"
    if len(target) >= 3 and target[-3] == "planned_changes" and target[-1] == "date":
        kept = "the change is kept without a date (no deadline)"
    elif target == loc:
        kept = "the record is loaded without this value"
    else:
        kept = f"the record is loaded without {_dotted(target)}"
    where = _dotted(loc[:-1]) if err["type"] == "missing" else _dotted(loc)
    return Problem(shown, line, "error", f"{label}: {where or 'record'}: {text}; {kept}")


def _validation_problems(
    exc: ValidationError,
    shown: str,
    at: Callable[[tuple], int | None],
    line: int | None,
    label: str,
) -> list[Problem]:
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    if errors:
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
                if err["type"] == "string_type" and isinstance(err.get("input"), bool):
                    # YAML 1.1 reads unquoted yes/no/on/off/true/false (any case) as booleans
                    text = 'expected text, but YAML read an unquoted yes/no/on/off/true/false here as a boolean; put the value in quotes ("NO") to keep it as text'
                    got = ""
                msg = f"{_dotted(loc) or 'record'}: {text}{got}"
            problems.append(Problem(shown, at(loc), "error", f"{label}: {msg}"))
    return problems

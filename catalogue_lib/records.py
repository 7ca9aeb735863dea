"""Records and their problems: one validated record, compact, and readable problem lines."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .model import Integration, known_keys
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
                if err["type"] == "string_type" and isinstance(err.get("input"), bool):
                    # YAML 1.1 reads unquoted yes/no/on/off/true/false (any case) as booleans
                    text = 'expected text, but YAML read an unquoted yes/no/on/off/true/false here as a boolean; put the value in quotes ("NO") to keep it as text'
                    got = ""
                msg = f"{_dotted(loc) or 'record'}: {text}{got}"
            problems.append(Problem(shown, at(loc), "error", f"{label}: {msg}"))
        return None, problems
    return LoadedRecord.of(record, shown, line, form, overrides), problems

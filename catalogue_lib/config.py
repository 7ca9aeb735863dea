"""Catalogue configuration: the scorecard (levels, check weights and scopes, custom checks,
waivers) and the owner registry. A file with a mistake is reported and the default stays in force.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import sandbox
from .db import CHECK_NAMES
from .files import _inside
from .load import (
    MAX_DEPTH,
    Problem,
    _FileProblem,
    _inspect_node,
    _line_for,
    _Loader,
    _mark_line,
    _nests_past,
    _too_deep,
    _yaml_message,
    decode_text,
    read_text,
)
from .model import Date, Direction, Level3, PartnerType, number_text
from .sandbox import check_custom_sql, run_custom_checks  # noqa: F401 (re-exported)
from .secrets import find_secrets

SECTIONS = ("levels", "checks", "custom_checks", "waivers", "initiatives")
Slug = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Scope(_Strict):
    type: list[PartnerType] = Field(
        default_factory=list, description="Partner types it applies to."
    )
    criticality: list[Level3] = Field(
        default_factory=list, description="Criticalities it applies to."
    )
    direction: list[Direction] = Field(
        default_factory=list, description="Directions it applies to."
    )


class Level(_Strict):
    name: Slug
    title: str | None = None
    description: str | None = None
    extends: str | None = None
    checks: list[str] = Field(default_factory=list)


class CheckSettings(_Strict):
    weight: Annotated[float, Field(gt=0, le=5)] = 1
    scope: Scope = Field(default_factory=Scope)
    fix: str | None = None
    title: str | None = None


class CustomCheck(CheckSettings):
    name: Slug
    sql: str
    level: str | None = None  # default: the last (highest) level


class Waiver(_Strict):
    integration: str
    check: str
    reason: str
    approved_by: str
    expires_on: Date


class InitiativeScope(_Strict):
    type: list[PartnerType] = Field(default_factory=list)
    criticality: list[Level3] = Field(default_factory=list)
    owner: list[str] = Field(default_factory=list)
    ids: list[str] = Field(default_factory=list)


class Initiative(_Strict):
    """A campaign: every integration in scope reaches a level (or passes a list of checks) by
    a date."""

    name: Annotated[str, Field(min_length=1)]
    target: str | list[str] = Field(description="A level name, or a list of checks.")
    scope: InitiativeScope = Field(default_factory=InitiativeScope)
    due: Date
    description: str | None = None


class Scorecard(_Strict):
    levels: list[Level]
    checks: dict[str, CheckSettings] = Field(default_factory=dict)
    custom_checks: list[CustomCheck] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)

    def all_checks(self) -> list[str]:
        return [*CHECK_NAMES, *(c.name for c in self.custom_checks)]

    def level_checks(self) -> dict[str, list[str]]:
        """Each level's checks: its own, the custom checks assigned to it (default: the highest
        level), and every check of the level it extends. Cycles are refused before this runs."""
        by_name = {lv.name: lv for lv in self.levels}
        top = self.levels[-1].name
        memo: dict[str, list[str]] = {}

        def resolve(name: str) -> list[str]:
            if name not in memo:
                lv = by_name[name]
                inherited = resolve(lv.extends) if lv.extends else []
                own = lv.checks + [c.name for c in self.custom_checks if (c.level or top) == name]
                memo[name] = inherited + [c for c in dict.fromkeys(own) if c not in inherited]
            return memo[name]

        return {lv.name: resolve(lv.name) for lv in self.levels}


class Freeze(_Strict):
    """(v1.1) A change freeze: deadlines inside it must be met before it starts."""

    name: Annotated[str, BeforeValidator(number_text)] = Field(
        min_length=1, description="The freeze's name.", examples=["Peak 2026"]
    )
    from_: Date = Field(alias="from", description="First day (exact).", examples=["2026-11-16"])
    to: Date = Field(description="Last day (exact), included.", examples=["2027-01-04"])


class Calendar(_Strict):
    freezes: list[Freeze] = Field(default_factory=list)


class Owner(_Strict):
    team: str
    lead: str | None = None
    channel: str | None = None
    on_call: str | None = None
    aliases: list[str] = Field(default_factory=list)


def default_scorecard_data() -> dict[str, Any]:
    text = resources.files("catalogue_lib").joinpath("scorecard_default.yaml").read_text("utf-8")
    return yaml.load(text, Loader=_Loader)


def _read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """A configuration file, read as safely as a record (size, nesting and alias limits), and
    like a record only when it is a regular file inside the catalogue folder: a FIFO would block
    every command, a link to /dev/zero read forever, a link to /proc or ~ echo a secret's keys."""
    if not os.path.isfile(path):
        raise _FileProblem("not a regular file (a FIFO, socket, device, folder or broken link)")
    if not _inside(str(path), os.path.realpath(path.parent)):
        raise _FileProblem("a link to a file outside the catalogue folder is not read")
    return _parse_yaml(read_text(path))


def _parse_yaml(text: str) -> tuple[Any, dict[tuple, int]]:
    deep_at = _too_deep(text) if _nests_past(text, MAX_DEPTH) else None
    if deep_at is not None:
        raise _FileProblem(f"nesting is deeper than {MAX_DEPTH} levels", deep_at)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines, dups = _inspect_node(node)
        if dups:
            raise _FileProblem(dups[0][1], dups[0][0])
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _FileProblem(_yaml_message(exc), _mark_line(exc)) from None
    finally:
        loader.dispose()
    for loc, kind in find_secrets(data):  # a token in a waiver reason must reach no report
        where = ".".join(map(str, loc)) or "file"
        raise _FileProblem(
            f"{where}: looks like {'an' if kind[:1].lower() in 'aeio' else 'a'} {kind}; "
            "credentials must not be kept in the catalogue, so this file is not used "
            "(the value is not shown)",
            _line_for(loc, lines),
        )
    return data, lines


def _semantic_errors(
    card: Scorecard, budget: sandbox.Budget | None = None
) -> list[tuple[tuple, str]]:
    """(location, message) for mistakes pydantic cannot see: unknown names, cycles, bad SQL."""
    errors: list[tuple[tuple, str]] = []
    known = set(card.all_checks())
    names = [lv.name for lv in card.levels]
    if not card.levels:
        errors.append((("levels",), "at least one level is needed"))
    if len(set(names)) != len(names):
        errors.append((("levels",), "level names must be unique"))
    customs = [c.name for c in card.custom_checks]
    for i, name in enumerate(customs):
        if name in CHECK_NAMES or customs.index(name) != i:
            errors.append((("custom_checks", i, "name"), f"check name '{name}' is already taken"))
    for i, lv in enumerate(card.levels):
        for check in lv.checks:
            if check not in known:
                errors.append(
                    (("levels", i, "checks"), f"unknown check '{check}' in level '{lv.name}'")
                )
        if lv.extends is not None and lv.extends not in names:
            errors.append(
                (
                    ("levels", i, "extends"),
                    f"level '{lv.name}' extends unknown level '{lv.extends}'",
                )
            )
    by_name = {lv.name: lv for lv in card.levels}
    for i, lv in enumerate(card.levels):
        seen = {lv.name}
        node = by_name.get(lv.extends) if lv.extends else None
        while node is not None:
            if node.name in seen:
                errors.append(
                    (("levels", i, "extends"), f"levels extend each other in a cycle ({lv.name})")
                )
                break
            seen.add(node.name)
            node = by_name.get(node.extends) if node.extends else None
    for name in card.checks:
        if name not in known:
            errors.append((("checks", name), f"unknown check '{name}'"))
    deadline = time.monotonic() + sandbox.TOTAL_SECONDS  # checking, like running, is time-bounded
    for i, c in enumerate(card.custom_checks):
        if c.level is not None and c.level not in names:
            errors.append((("custom_checks", i, "level"), f"unknown level '{c.level}'"))
        problem = check_custom_sql(
            c.sql, min(sandbox.CHECK_SECONDS, deadline - time.monotonic()), budget
        )
        if problem:
            errors.append((("custom_checks", i, "sql"), f"custom check '{c.name}': {problem}"))
    for i, w in enumerate(card.waivers):
        if w.check not in known:
            errors.append((("waivers", i, "check"), f"waiver for unknown check '{w.check}'"))
    errors.extend(_initiative_errors(card, known, names))
    return errors


def _initiative_errors(card: Scorecard, known: set[str], levels: list[str]) -> list[tuple]:
    errors: list[tuple[tuple, str]] = []
    seen: set[str] = set()
    for i, n in enumerate(card.initiatives):
        if n.name in seen:
            errors.append((("initiatives", i, "name"), f"initiative '{n.name}' is named twice"))
        seen.add(n.name)
        if isinstance(n.target, str):
            if n.target not in levels:
                errors.append(
                    (
                        ("initiatives", i, "target"),
                        f"initiative '{n.name}': unknown level '{n.target}' "
                        f"(levels: {', '.join(levels)}; or give a list of checks)",
                    )
                )
        elif not n.target:
            errors.append(
                (("initiatives", i, "target"), f"initiative '{n.name}': the target lists no check")
            )
        else:
            for check in n.target:
                if check not in known:
                    errors.append(
                        (
                            ("initiatives", i, "target"),
                            f"initiative '{n.name}': unknown check '{check}'",
                        )
                    )
    return errors


def load_scorecard(folder: Path | None) -> tuple[Scorecard, list[Problem], str]:
    """The scorecard in force: the folder's scorecard.yaml merged over the default, or the
    default alone (with problems) when that file has a mistake. Returns (scorecard, problems, source)."""
    path = _config_file(folder, "scorecard")
    if path is None:
        return Scorecard.model_validate(default_scorecard_data()), [], "default"
    return read_scorecard(lambda: _read_yaml(path), str(path))


def scorecard_from_bytes(
    data: bytes | None, shown: str, budget: sandbox.Budget | None = None
) -> tuple[Scorecard, list[Problem], str]:
    """The scorecard in force given scorecard.yaml's content (None: there is no such file).
    `budget`: custom-check time shared with the other days of a history replay."""
    if data is None:
        return Scorecard.model_validate(default_scorecard_data()), [], "default"
    return read_scorecard(lambda: _parse_yaml(decode_text(data)), shown, budget)


def read_scorecard(
    reader: Callable[[], tuple[Any, dict[tuple, int]]],
    shown: str,
    budget: sandbox.Budget | None = None,
) -> tuple[Scorecard, list[Problem], str]:
    default = Scorecard.model_validate(default_scorecard_data())
    try:
        data, lines = reader()
    except _FileProblem as exc:
        return (
            default,
            [
                Problem(
                    shown, exc.line, "error", f"{exc.message}; the default scorecard is in force"
                )
            ],
            "default",
        )
    if data is None:
        return default, [], "default"
    if not isinstance(data, dict):
        return (
            default,
            [
                Problem(
                    shown, 1, "error", "a scorecard is a mapping; the default scorecard is in force"
                )
            ],
            "default",
        )
    unknown = [k for k in data if k not in SECTIONS]
    defaults = default_scorecard_data()
    merged = {**defaults, **{k: v for k, v in data.items() if k in SECTIONS}}
    if isinstance(data.get("checks"), dict):  # per check, per setting: over the defaults
        merged["checks"] = _merge_checks(defaults["checks"], data["checks"])
    problems = [
        Problem(
            shown,
            lines.get((k,)),
            "error",
            f"unknown section '{k}' (known: {', '.join(SECTIONS)}); the default scorecard is in force",
        )
        for k in unknown
    ]
    if problems:
        return default, problems, "default"
    try:
        card = Scorecard.model_validate(merged)
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc)
            line = _line_for(loc, lines) if loc and loc[0] in data else None
            out.append(
                Problem(
                    shown,
                    line,
                    "error",
                    f"{where}: {err['msg']}; the default scorecard is in force",
                )
            )
        return default, out, "default"
    errors = _semantic_errors(card, budget)
    if errors:
        return (
            default,
            [
                Problem(
                    shown,
                    _line_for(loc, lines),
                    "error",
                    f"{msg}; the default scorecard is in force",
                )
                for loc, msg in errors
            ],
            "default",
        )
    return card, [], shown


def _merge_checks(defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The `checks` section: each check the file names keeps the default settings it does not
    name (weight, scope, fix, title); checks it does not name keep theirs entirely."""
    out = dict(defaults)
    for name, settings in given.items():
        base = defaults.get(name)
        if isinstance(settings, dict) and isinstance(base, dict):
            out[name] = {**base, **settings}
        else:
            out[name] = settings
    return out


def waiver_warnings(card: Scorecard, ids: set[str], shown: str) -> list[Problem]:
    """A warning for each waiver whose integration the catalogue does not hold (a typo, or an
    integration since removed): such a waiver waives nothing."""
    return [
        Problem(
            shown,
            None,
            "warning",
            f"waivers[{i}]: waiver for unknown integration '{w.integration}' (check "
            f"'{w.check}'); it waives nothing",
        )
        for i, w in enumerate(card.waivers)
        if w.integration not in ids
    ]


def initiative_warnings(
    card: Scorecard, ids: set[str], owners: set[str], shown: str
) -> list[Problem]:
    """A warning for each id or owner an initiative's scope names that no integration has (a
    typo, a removed integration, an owner spelled otherwise in the records): it brings nothing
    into scope, and an initiative whose scope holds nothing would read as done."""
    said = []
    for i, n in enumerate(card.initiatives):
        said += [
            f"initiatives[{i}] ({n.name}): scope names unknown integration '{rid}'"
            for rid in n.scope.ids
            if rid not in ids
        ]
        said += [
            f"initiatives[{i}] ({n.name}): no integration is owned by '{owner}' (a scope's "
            "owners are matched as the records write them)"
            for owner in n.scope.owner
            if owner not in owners
        ]
    return [Problem(shown, None, "warning", message) for message in said]


def _config_file(folder: Path | None, stem: str) -> Path | None:
    if folder is None:
        return None
    for suffix in (".yaml", ".yml"):
        p = folder / f"{stem}{suffix}"
        if os.path.lexists(p):  # whatever it is: one that cannot be read is reported, not ignored
            return p
    return None


def load_owners(folder: Path | None) -> tuple[list[Owner] | None, list[Problem]]:
    """The owner registry (None when there is no owners.yaml)."""
    path = _config_file(folder, "owners")
    if path is None:
        return None, []
    return read_owners(lambda: _read_yaml(path), str(path))


def owners_from_bytes(data: bytes | None, shown: str) -> tuple[list[Owner] | None, list[Problem]]:
    if data is None:
        return None, []
    return read_owners(lambda: _parse_yaml(decode_text(data)), shown)


def read_owners(
    reader: Callable[[], tuple[Any, dict[tuple, int]]], shown: str
) -> tuple[list[Owner] | None, list[Problem]]:
    try:
        data, lines = reader()
    except _FileProblem as exc:
        return None, [Problem(shown, exc.line, "error", exc.message)]
    if isinstance(data, dict) and "owners" in data:
        data = data["owners"]
        lines = {k[1:]: v for k, v in lines.items() if k[:1] == ("owners",)}
    if not isinstance(data, list):
        return None, [
            Problem(
                shown,
                1,
                "error",
                "owners.yaml holds a list of teams, each {team, lead, channel, on_call, aliases}, "
                "alone or under 'owners:'",
            )
        ]
    owners, problems = [], []
    for i, item in enumerate(data):
        try:
            owners.append(Owner.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = (i, *err["loc"])
                problems.append(
                    Problem(
                        shown,
                        _line_for(loc, lines),
                        "error",
                        f"owners[{i}]: {'.'.join(map(str, err['loc']))}: {err['msg']}",
                    )
                )
    return owners, problems


CALENDAR_FALLBACK = "no freezes are in force"


def load_calendar(folder: Path | None) -> tuple[list[Freeze], list[Problem]]:
    """(v1.1) The change freezes of the folder's calendar.yaml, read like scorecard.yaml: a file
    with a mistake is reported (errors naming the file and line) and then no freeze is in force."""
    path = _config_file(folder, "calendar")
    if path is None:
        return [], []
    shown = str(path)

    def fail(line: int | None, message: str) -> tuple[list[Freeze], list[Problem]]:
        return [], [Problem(shown, line, "error", f"{message}; {CALENDAR_FALLBACK}")]

    try:
        data, lines = _read_yaml(path)
    except _FileProblem as exc:
        return fail(exc.line, exc.message)
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return fail(1, "a calendar is a mapping with a 'freezes' list")
    if data.get("freezes", ()) is None:
        data = {**data, "freezes": []}  # `freezes:` with nothing under it: no freeze
    try:
        calendar = Calendar.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc)
            problems.append(
                Problem(
                    shown,
                    _line_for(loc, lines),
                    "error",
                    f"{where}: {err['msg'].removeprefix('Value error, ')}; {CALENDAR_FALLBACK}",
                )
            )
        return [], problems
    backwards = [(i, f) for i, f in enumerate(calendar.freezes) if f.to < f.from_]
    if backwards:
        return [], [
            Problem(
                shown,
                _line_for(("freezes", i), lines),
                "error",
                f"freezes[{i}] ({f.name}): 'to' ({f.to}) is before 'from' ({f.from_}); "
                f"{CALENDAR_FALLBACK}",
            )
            for i, f in backwards
        ]
    return calendar.freezes, []

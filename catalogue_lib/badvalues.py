"""(v1.1) Values the record format reads leniently: numbers where text is expected, and bad
optional values, which are dropped (an error) while the record is kept.

A bad value in an optional field is left out and every check whose outcome depends on it is
*unknown*; the record is refused only when a required field (id, name, type, partner,
direction) is missing or invalid. Inside a list, an item whose own required field is bad
(a version without a status, a credential without a name) is left out as a whole, except a
planned change, which is kept without its date.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from .model import Integration, PlannedChange

Loc = tuple[Any, ...]
MAX_PASSES = 6  # validation passes; each drops every value the previous one refused


def _leaf_types(annotation: Any) -> set[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _leaf_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        out: set[Any] = set()
        for arg in typing.get_args(annotation):
            out |= _leaf_types(arg)
        return out
    if origin is typing.Literal:
        return {typing.Literal}
    return {annotation}


@cache
def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """Field name -> TEXT (text, or a list of text: a number there means its text), the nested
    model it holds (or a list of), or None."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        leaves = _leaf_types(info.annotation)
        nested = next((x for x in leaves if isinstance(x, type) and issubclass(x, BaseModel)), None)
        if nested is not None:
            out[name] = nested
        elif str in leaves and not leaves & {int, float, bool, dt.date, typing.Literal}:
            out[name] = TEXT
        else:
            out[name] = None
    if model is Integration:
        out["id"] = TEXT  # a slug, but text: 1451 is read as "1451"
    return out


TEXT = "text"


def _nested(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    kind = _fields(model).get(name)
    return kind if isinstance(kind, type) else None


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model that holds the last key of loc (None when loc leads through a scalar)."""
    model: type[BaseModel] | None = Integration
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        model = _nested(model, part) if model is not None else None
        if model is None:
            return None
    return model


def _required(loc: Loc) -> bool:
    if not loc or isinstance(loc[-1], int):
        return False
    model = _model_at(loc)
    if model is None:
        return False
    info = model.model_fields.get(loc[-1])
    return info is not None and info.is_required()


def _target(loc: Loc) -> Loc | None:
    """What to drop for an error at loc: the value, or the list item it is a required part of.
    None when the record itself must go (a required top-level field)."""
    while _required(loc):
        if len(loc) == 1:
            return None
        loc = loc[:-1]
        if isinstance(loc[-1], int):
            return loc
    if len(loc) >= 1 and loc[0] in _TOP_REQUIRED:
        return None  # an item of a required list (direction)
    return loc


_TOP_REQUIRED = frozenset(n for n, f in Integration.model_fields.items() if f.is_required())
_DROP = object()


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def _drop(data: Any, target: Loc) -> None:
    node = data
    for part in target[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    last = target[-1]
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = _DROP
    elif isinstance(node, dict) and last in node:
        del node[last]


def _sweep(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _sweep(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_sweep(v) for v in data if v is not _DROP]
    return data


def _clean(loc: tuple) -> Loc:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def _remap(paths: list[Loc], removed: list[Loc]) -> list[Loc]:
    """Paths after the list items in `removed` were taken out (later indices move up)."""
    out = []
    for p in paths:
        q = list(p)
        for n in range(len(p)):
            if isinstance(p[n], int):
                q[n] -= sum(
                    1
                    for r in removed
                    if len(r) == n + 1 and r[:n] == p[:n] and isinstance(r[n], int) and r[n] < p[n]
                )
        out.append(tuple(q))
    return out


def tolerant_validate(
    data: dict,
) -> tuple[dict, tuple[Integration | None, list[tuple[Loc, dict, Loc]]], ValidationError | None]:
    """Validate, dropping bad optional values until the record is valid: (data as kept,
    (record, [(loc, error, dropped target)]), None), or (data, (None, []), the error) when a
    required field is missing or invalid."""
    bad: list[tuple[Loc, dict, Loc]] = []
    current = data
    first_error: ValidationError | None = None
    for _ in range(MAX_PASSES):
        try:
            record = Integration.model_validate(current)
        except ValidationError as exc:
            first_error = first_error or exc
            errors = exc.errors(include_url=False)
            targets = []
            for err in errors:
                loc = _clean(err["loc"])
                target = _target(loc)
                if target is None:
                    return data, (None, []), exc if first_error is exc else first_error
                targets.append((loc, err, target))
            if current is data:
                current = _copy(data)
            seen: set[Loc] = set()
            for loc, err, target in targets:
                if any(target[: len(s)] == s for s in seen):
                    continue  # inside something already dropped
                seen.add(target)
                bad.append((loc, err, target))
                _drop(current, target)
            current = _sweep(current)
            continue
        return current, (record, bad), None
    return data, (None, []), first_error


def kept_unreadable(targets: list[Loc], data: Any) -> tuple[str, ...]:
    """Dotted paths of values dropped from items that are still in the record (list items taken
    out are not listed; later items' indices are those of the record as kept)."""
    removed = [t for t in targets if isinstance(t[-1], int)]
    kept = [t for t in targets if not isinstance(t[-1], int)]
    alive = [t for t in kept if not any(t[: len(r)] == r for r in removed)]
    return tuple(dotted(t) for t in _remap(alive, removed))


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


# A dropped value -> the checks it decides. "unknown_if_fail": the check is unknown where it
# would fail (it might have passed); "unknown_unless_pass": unknown unless it passes anyway (the
# value might also have made it n/a). `True`: the rule also covers values below the path.
_W = "*"
CHECK_RULES: tuple[tuple[Loc, str, str, bool], ...] = (
    (("owner",), "named_owner", "unknown_if_fail", True),
    (("support_contact",), "support_contact", "unknown_if_fail", True),
    (("operations", "dashboard"), "dashboard", "unknown_if_fail", True),
    (("operations", "alert_rules"), "alert_rules", "unknown_if_fail", True),
    (("operations", "runbook"), "runbook", "unknown_if_fail", True),
    (("operations", "on_call"), "on_call", "unknown_if_fail", True),
    (("operations", "slo"), "slo_defined", "unknown_if_fail", True),
    (("contract", "idempotency"), "idempotency", "unknown_if_fail", True),
    (("contract", "webhooks"), "webhook_signatures", "unknown_if_fail", True),
    (("lifecycle", "migration_plan"), "migration_plan", "unknown_if_fail", True),
    (("lifecycle", "planned_changes"), "migration_plan", "unknown_unless_pass", False),
    (("lifecycle", "planned_changes", _W), "migration_plan", "unknown_unless_pass", False),
    # (v1.1) an unreadable `breaking` or `done` is not a rule here: whether it can change the
    # outcome depends on the change's date and the as-of date (planned_changes.unsure, schema.sql)
    (("lifecycle", "test_environment"), "test_environment", "unknown_if_fail", True),
    (("lifecycle", "versions"), "current_version", "unknown_unless_pass", False),
    (("lifecycle", "versions", _W), "current_version", "unknown_unless_pass", False),
    (("lifecycle", "versions", _W, "status"), "current_version", "unknown_unless_pass", True),
    (("criticality",), "criticality_set", "unknown_if_fail", True),
    (("reviewed_on",), "reviewed_recently", "unknown_if_fail", True),
)
_STRENGTH = {"unknown_if_fail": 1, "unknown_unless_pass": 2}


def _prefix(short: Loc, long: Loc) -> bool:
    return len(short) <= len(long) and all(
        a == b or a == _W or (b == _W and isinstance(a, int))
        for a, b in zip(short, long, strict=False)
    )


def bad_value_overrides(targets: list[Loc]) -> dict[str, str]:
    """check name -> how a dropped value makes it unknown."""
    out: dict[str, str] = {}
    for target in targets:
        for pattern, check, mode, below in CHECK_RULES:
            hit = _prefix(target, pattern) or (below and _prefix(pattern, target))
            if hit and _STRENGTH[mode] > _STRENGTH.get(out.get(check, ""), 0):
                out[check] = mode
    return out


# A planned change's date is optional in the model (v1.1) so that a change with an
# unreadable date is kept without it.
assert not PlannedChange.model_fields["date"].is_required()

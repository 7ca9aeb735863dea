"""The cheaper paths of the record walk and the date validators give the answers of the careful
ones they stand beside, on a sweep of inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel, BeforeValidator, TypeAdapter, ValidationError

from catalogue_lib import values
from catalogue_lib.badvalues import TEXT, _fields
from catalogue_lib.model import Integration, RawFloat, RawInt, known_keys
from catalogue_lib.records import _suggestion, key_findings
from catalogue_lib.values import number_text

from .test_properties import records as record_strategy


def _models() -> list[type]:
    seen: list[type] = []
    todo: list[type] = [Integration]
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.append(model)
            todo.extend(m for m in known_keys(model).values() if m is not None)
    return seen


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_one_table_serves_both_walks(model):
    fields, known = _fields(model), known_keys(model)
    assert list(fields) == list(known)
    for name, nested in known.items():
        if nested is not None:
            assert fields[name] is nested
        else:
            assert fields[name] in (None, TEXT)


NAMES = sorted({n for m in _models() for n in known_keys(m)} | {"ownr", "x", "status_page"})
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False),
    st.builds(RawInt, st.sampled_from(["012", "1_000", "7"])),
    st.builds(RawFloat, st.sampled_from(["2.40", "1e3", "0.5"])),
    st.text(max_size=5),
    st.sampled_from(["2026-01-01", "2027-Q2", " "]),
)
keys = st.one_of(st.sampled_from(NAMES), st.integers(0, 3), st.none())
nested = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)


def unknown_keys(
    data: Any, model: type[BaseModel], path: tuple = ()
) -> Iterator[tuple[tuple, str]]:
    """The reference: (path, suggestion) for every key the model does not know, at any depth."""
    if not isinstance(data, dict):
        return
    known = known_keys(model)
    for key, value in data.items():
        if key not in known:
            yield (*path, key), _suggestion(str(key), model)  # the walk is under test, not this
            continue
        nested = known[key]
        if nested is None:
            continue
        if isinstance(value, dict):
            yield from unknown_keys(value, nested, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from unknown_keys(item, nested, (*path, key, i))


def numbers_in_text(
    data: Any, model: type[BaseModel], path: tuple = ()
) -> Iterator[tuple[tuple, str]]:
    """The reference: (path, text as written) of every number written where text is expected."""
    if not isinstance(data, dict):
        return
    fields = _fields(model)
    for key, value in data.items():
        kind = fields.get(key)
        if kind is None:
            continue
        if kind is TEXT:
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        yield (*path, key, i), number_text(v)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                yield (*path, key), number_text(value)
        elif isinstance(value, dict):
            yield from numbers_in_text(value, kind, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from numbers_in_text(item, kind, (*path, key, i))


def _both(data: Any) -> None:
    got = key_findings(data, Integration)
    assert got == (list(unknown_keys(data, Integration)), list(numbers_in_text(data, Integration)))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, nested, max_size=12))
def test_one_walk_finds_what_the_two_walks_find(data):
    _both(data)


@settings(max_examples=100, deadline=None)
@given(record_strategy)
def test_one_walk_agrees_on_the_property_records(data):
    _both(data)


def _date_only_before(value: Any) -> Any:
    """values._date_only before its common-case shortcut (the reference)."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date YYYY-MM-DD without a time")
    if isinstance(value, str):
        value = value.strip()
        if values._MONTH_RE.match(value) or values._QUARTER_RE.match(value):
            raise ValueError(
                f"must be an exact date YYYY-MM-DD, got {value!r} (a month or quarter is "
                "accepted only in a partner's dates)"
            )
        if (
            len(value) != 10
            or value[4] != "-"
            or value[7] != "-"
            or not value.replace("-", "").isdigit()
        ):
            raise ValueError(f"must be a date YYYY-MM-DD, got {value!r}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
    if value is not None and not isinstance(value, dt.date):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


def _partner_date_before(value: Any) -> Any:
    """values._partner_date before its common-case shortcut (the reference)."""
    if isinstance(value, str):
        text = value.strip()
        month = values._MONTH_RE.match(text)
        if month:
            if not 1 <= int(month.group(2)) <= 12:
                raise ValueError(f"{text!r} is not a real month")
            return text
        quarter = values._QUARTER_RE.match(text)
        if quarter:
            return f"{quarter.group(1)}-Q{quarter.group(2)}"
        if len(text) != 10:
            raise ValueError("must be a date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("must be a date")
    try:
        return _date_only_before(value)
    except ValueError as exc:
        if "not a real date" in str(exc):
            raise
        raise ValueError("must be a date") from None


def _outcome(fn: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(value)
    except ValueError as exc:
        return "error", str(exc)


date_like = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.text(alphabet="0123456789-Qq \n\t٣²", min_size=6, max_size=12),
    st.from_regex(r"\s*\d{4}-(\d{2}-\d{2}|\d{2}|[Qq]\d)\s*", fullmatch=True),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "2026-1-011", "2026-01-0١"]),
    st.dates(),
    st.datetimes(),
    st.integers(),
    st.none(),
)


@settings(max_examples=600, deadline=None)
@given(date_like)
def test_dates_read_as_before(value):
    assert _outcome(values._date_only, value) == _outcome(_date_only_before, value)
    new, old = _outcome(values._partner_date, value), _outcome(_partner_date_before, value)
    assert new[0] == old[0]
    if new[0] == "ok" or "not a real date" in old[1]:
        assert new == old


OLD_OPT_TEXT = Annotated[values.Text | None, BeforeValidator(values._strip_none)]
OLD_LINK = Annotated[
    values.Text | None, BeforeValidator(values._strip_none), AfterValidator(values._check_link)
]
text_like = st.one_of(
    scalars,
    st.text(max_size=12),
    st.sampled_from(["https://a.example.com/x", "HTTP://b", "ftp://c", " https://d.example.com "]),
    st.just("x" * (values.MAX_TEXT + 1)),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def _validated(adapter: TypeAdapter, value: Any) -> Any:
    try:
        return "ok", adapter.validate_python(value)
    except ValidationError as exc:
        return "error", [  # an error's ctx holds the exception itself: compared by its text
            {**e, "ctx": {k: str(v) for k, v in e.get("ctx", {}).items()}}
            for e in exc.errors(include_url=False)
        ]


@pytest.mark.parametrize(
    ("new", "old"), [(values.OptText, OLD_OPT_TEXT), (values.Link, OLD_LINK)], ids=["text", "link"]
)
@settings(max_examples=300, deadline=None)
@given(value=text_like)
def test_optional_text_and_links_read_as_with_two_steps(new, old, value):
    assert values._text_or_none(value) == values.number_text(values._strip_none(value))
    assert _validated(TypeAdapter(new), value) == _validated(TypeAdapter(old), value)

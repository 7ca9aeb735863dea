"""Value types of the record: text (numbers read as written), links, exact dates and (v1.1)
partners' approximate dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema


def _strip_none(value: Any) -> Any:
    """Blank strings mean "not set"."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


_LINK_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _check_link(value: str | None) -> str | None:
    if value is None:
        return None
    if not _LINK_RE.match(value):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _as_list(value: Any) -> Any:
    """A single value where a list is expected is read as a one-item list: a text, or (v1.1) a
    number, which the item then reads as the text written (`alert_rules: 5` is `["5"]`, as the
    number warning says, not an error that drops the value)."""
    if value is None:
        return []
    if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        return [value]
    return value


class SchemaAlso:
    """JSON Schema: a list that also takes what its BeforeValidator reads as one (a single item,
    as _as_list reads it; nothing, as none_as_empty and _as_list read it), so an editor checking
    the schema (docs/record.schema.json) accepts what the loader accepts without a word."""

    def __init__(self, one: bool = False, null: bool = False) -> None:
        self.one, self.null = one, null

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        listed = handler(core_schema)
        options = [listed["items"], listed] if self.one else [listed]
        if self.null:
            options.append({"type": "null"})
        return {"anyOf": options}


def none_as_empty(value: Any) -> Any:
    """A list key with nothing under it (`credentials:`) is an empty list, as for text lists."""
    return [] if value is None else value


def number_text(value: Any) -> Any:
    """(v1.1) A number where text is expected is the text written in the file: the YAML and JSON
    readers hand numbers over as RawInt / RawFloat, which remember that text (2.40 stays "2.40")."""
    if type(value) is str or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return getattr(value, "raw", None) or str(value)


class RawInt(int):
    """An integer read from a file, with the text it was written as."""

    raw: str = ""

    def __new__(cls, text: str, value: int | None = None) -> RawInt:
        obj = super().__new__(cls, int(text) if value is None else value)
        obj.raw = text
        return obj

    def __getnewargs__(self) -> tuple[str, int]:  # pickling keeps the text
        return (self.raw, int(self))


class RawFloat(float):
    """A float read from a file, with the text it was written as."""

    raw: str = ""

    def __new__(cls, text: str, value: float | None = None) -> RawFloat:
        obj = super().__new__(cls, float(text) if value is None else value)
        obj.raw = text
        return obj

    def __getnewargs__(self) -> tuple[str, float]:  # pickling keeps the text
        return (self.raw, float(self))


def _text_or_none(value: Any) -> Any:
    """_strip_none, then number_text: the optional text's one Python step where it had two
    (a number is never blank, and a blank text is None)."""
    if type(value) is str:
        return value if value.strip() else None
    return number_text(_strip_none(value))


MAX_TEXT = 10_000  # characters in one text value; a longer one is an error, not a silent cut
_Str = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Text = Annotated[_Str, BeforeValidator(number_text)]
# Annotated[Text | None, BeforeValidator(_strip_none)], with both steps in one call
OptText = Annotated[_Str | None, BeforeValidator(_text_or_none)]
# the JSON Schema says what _check_link says (JSON Schema patterns have no case flag)
_LINK_SCHEMA = {
    "type": "string",
    "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#]\S*$",
    "maxLength": MAX_TEXT,
    "description": "an http:// or https:// URL",
}
Link = Annotated[
    _Str | None,
    BeforeValidator(_text_or_none),
    AfterValidator(_check_link),
    WithJsonSchema({"anyOf": [_LINK_SCHEMA, {"type": "null"}]}),
]
TextList = Annotated[list[Text], BeforeValidator(_as_list), SchemaAlso(one=True, null=True)]


# ASCII digits, as the JSON Schema's pattern (ECMA \d) and the database's partner_day read them
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_QUARTER_RE = re.compile(r"^([0-9]{4})-[Qq]([1-4])$")


def _date_only(value: Any) -> Any:
    """Dates are ISO YYYY-MM-DD, nothing more: a time or time zone is refused."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date YYYY-MM-DD without a time")
    if isinstance(value, str):
        value = value.strip()
        if _iso_shaped(value):  # the common case first: a month or quarter is 7 long
            return _iso_date(value)
        if _MONTH_RE.match(value) or _QUARTER_RE.match(value):
            raise ValueError(
                f"must be an exact date YYYY-MM-DD, got {value!r} (a month or quarter is "
                "accepted only in a partner's dates)"
            )
        raise ValueError(f"must be a date YYYY-MM-DD, got {value!r}")
    if value is not None and not isinstance(value, dt.date):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


def _iso_shaped(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit()


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None


Date = Annotated[dt.date, BeforeValidator(_date_only)]
OptDate = Annotated[dt.date | None, BeforeValidator(_date_only)]

PARTNER_DATE_FORMS = "YYYY-MM-DD, a month YYYY-MM or a quarter YYYY-Qn"


def _partner_date(value: Any) -> Any:
    """(v1.1) A partner's date: exact (a date), or approximate, kept as written ("2027-03",
    "2027-Q2"); see first_day()."""
    if isinstance(value, str):
        text = value.strip()
        if _iso_shaped(text):  # what _date_only(value) gives: a month or quarter is 7 long
            return _iso_date(text)
        month = _MONTH_RE.match(text)
        if month:
            if not 1 <= int(month.group(2)) <= 12 or month.group(1) == "0000":
                raise ValueError(f"{text!r} is not a real month (accepted: {PARTNER_DATE_FORMS})")
            return text
        quarter = _QUARTER_RE.match(text)
        if quarter:
            if quarter.group(1) == "0000":  # the calendar has no year 0
                raise ValueError(f"{text!r} is not a real quarter (accepted: {PARTNER_DATE_FORMS})")
            return f"{quarter.group(1)}-Q{quarter.group(2)}"
        if len(text) != 10:
            raise ValueError(f"must be a date {PARTNER_DATE_FORMS}, got {text!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"must be a date {PARTNER_DATE_FORMS}, got {number_text(value)!r}")
    try:
        return _date_only(value)
    except ValueError as exc:
        if "not a real date" in str(exc):
            raise
        raise ValueError(f"must be a date {PARTNER_DATE_FORMS}, got {_shown(value)}") from None


def _shown(value: Any) -> str:
    return repr(value.strip() if isinstance(value, str) else value)


def first_day(value: dt.date | str | None) -> dt.date | None:
    """The day an exact or approximate partner date counts as: the first day it can mean."""
    if value is None or isinstance(value, dt.date):
        return value
    month = _MONTH_RE.match(value)
    if month:
        return dt.date(int(month.group(1)), int(month.group(2)), 1)
    quarter = _QUARTER_RE.match(value)
    if quarter:
        return dt.date(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 1)
    return dt.date.fromisoformat(value)


def is_approximate(value: Any) -> bool:
    return isinstance(value, str) and bool(_MONTH_RE.match(value) or _QUARTER_RE.match(value))


_PARTNER_DATE_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}-(\d{2}-\d{2}|\d{2}|[Qq][1-4])$",
    "description": "YYYY-MM-DD; or approximate (v1.1): a month YYYY-MM or a quarter YYYY-Qn",
}
PartnerDate = Annotated[
    dt.date | str | None,
    BeforeValidator(_partner_date),
    WithJsonSchema({"anyOf": [_PARTNER_DATE_SCHEMA, {"type": "null"}]}),
]


def _not_a_boolean(value: Any) -> Any:
    """A count of days or months is a number: pydantic would read YAML's `true` as 1 (a rotation
    due the day after it was made, a support window of one month) without a word."""
    if isinstance(value, bool):
        raise ValueError(
            "must be a whole number, not a boolean (YAML reads an unquoted"
            " yes/no/on/off/true/false as one)"
        )
    return value


# Field first: the JSON Schema keeps exclusiveMinimum/maximum
Days = Annotated[int, Field(gt=0, le=36_500), BeforeValidator(_not_a_boolean)]
Months = Annotated[int, Field(gt=0, le=1_200), BeforeValidator(_not_a_boolean)]

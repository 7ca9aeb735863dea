"""The dashboard's filters: plain data, to and from the URL's query string, and SQL parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# field name -> query-string key
LIST_KEYS = {
    "types": "type",
    "owners": "owner",
    "partners": "partner",
    "criticalities": "criticality",
    "directions": "direction",
}
NOT_SET = "not set"  # a record without criticality
UNKNOWN = "unknown"  # a table row: no column states its criticality
NO_OWNER = "(no owner)"  # the owner value of integrations without one (the sidebar's)


def strict_date(text: str) -> dt.date | None:
    """A date written exactly YYYY-MM-DD, else None (Python 3.11's fromisoformat also takes
    20261128, 2026-W48-6 and more, which nobody means in a link or on the command line)."""
    if (
        len(text) != 10
        or text[4] != "-"
        or text[7] != "-"
        or not (text[:4] + text[5:7] + text[8:]).isdigit()
        or not text.isascii()
    ):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    criticalities: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()
    search: str = ""
    as_of: dt.date | None = None  # None: today

    def as_of_date(self, today: dt.date | None = None) -> dt.date:
        return self.as_of or today or dt.date.today()

    def sql_params(self) -> dict[str, Any]:
        """Parameters for the filtered_integrations() macro (lists are never formatted into SQL)."""
        params: dict[str, Any] = {f: list(getattr(self, f)) for f in LIST_KEYS}
        params["search"] = self.search.strip() or None
        return params

    def narrowed(self) -> bool:
        """Whether any filter (not the date) narrows the catalogue."""
        return any(getattr(self, name) for name in LIST_KEYS) or bool(self.search.strip())

    def key(self) -> tuple:
        """A hashable form for query caches."""
        return tuple(getattr(self, f.name) for f in fields(self))

    def to_query(self, today: dt.date | None = None) -> dict[str, str | list[str]]:
        """Only what differs from the defaults, so a shared link stays short."""
        out: dict[str, str | list[str]] = {}
        for name, key in LIST_KEYS.items():
            values = getattr(self, name)
            if values:
                out[key] = list(values)
        if self.search.strip():
            out["q"] = self.search.strip()
        if self.as_of and self.as_of != (today or dt.date.today()):
            out["as_of"] = self.as_of.isoformat()
        return out

    @classmethod
    def from_query(cls, query: Mapping[str, list[str]]) -> Filters:
        """Read a query string ({key: [values]}); values that make no sense are dropped."""
        kwargs: dict[str, Any] = {}
        for name, key in LIST_KEYS.items():
            values = [v for v in query.get(key, []) if v]
            kwargs[name] = tuple(dict.fromkeys(values))
        search = query.get("q", [])
        kwargs["search"] = search[0] if search else ""
        as_of = query.get("as_of", [])
        if as_of and (day := strict_date(as_of[0])) is not None:
            kwargs["as_of"] = day
        return cls(**kwargs)

    def restricted_to(self, options: Mapping[str, list[str]]) -> Filters:
        """Drop values the current catalogue does not have (an old link, a renamed owner)."""
        changes = {
            name: tuple(v for v in getattr(self, name) if v in options.get(name, ()))
            for name in LIST_KEYS
            if name in options
        }
        return replace(self, **changes)

"""(v1.1) Support windows: derived sunsets from support_months and support_months_after_successor."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from .model import first_day, is_approximate


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or that month's last day where it does not
    exist (2026-08-31 + 6 months = 2027-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _written(written: str, months: int) -> str:
    """An approximate release moved by whole months, in the form it was written where it can be."""
    start = first_day(written)
    assert start is not None
    moved = add_months(start, months)
    if "Q" in written and months % 3 == 0:
        return f"{moved.year}-Q{(moved.month - 1) // 3 + 1}"
    return f"{moved.year}-{moved.month:02d}"


def derived_sunsets(
    versions: list[dict[str, Any]],
    support_months: int | None,
    after_successor: int | None,
    unreadable_sunsets: set[int] = frozenset(),  # type: ignore[assignment]
) -> dict[int, tuple[dt.date, str | None]]:
    """Position -> (derived sunset, the approximate form or None) for every version that gets
    one: it has a released_on, no sunset_on (not even an unreadable one), is not retired. With
    both windows the later date counts; the newest version has no successor-based one."""
    if not support_months and not after_successor:
        return {}
    released = {
        i: (first_day(v["released_on"]), v["released_on"])
        for i, v in enumerate(versions)
        if v.get("released_on") is not None
    }
    out: dict[int, tuple[dt.date, str | None]] = {}
    for i, v in enumerate(versions):
        if (
            i not in released
            or v.get("sunset_on") is not None
            or i in unreadable_sunsets
            or v.get("status") == "retired"
        ):
            continue
        start, written = released[i]
        found: list[tuple[dt.date, str | None] | None] = []
        if support_months:
            found.append(_moved(start, written, support_months))
        if after_successor:
            later = [r for j, r in released.items() if r[0] > start and j != i]
            if later:
                s_start, s_written = min(later, key=lambda r: r[0])
                found.append(_moved(s_start, s_written, after_successor))
        if None in found:  # a window ends after 9999-12-31: the later end has no date
            continue
        candidates = [c for c in found if c is not None]
        if candidates:
            out[i] = max(candidates, key=lambda c: c[0])
    return out


def _moved(start: Any, written: Any, months: int) -> tuple[dt.date, str | None] | None:
    """The window's end, or None when it is past the last date there is (9999-12-31)."""
    if (start.year * 12 + start.month - 1 + months) // 12 > dt.MAXYEAR:
        return None
    if is_approximate(written):
        return add_months(start, months), _written(written, months)
    return add_months(start, months), None

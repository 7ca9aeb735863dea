"""`catalogue history` between two full evaluations: a record that nobody edits still changes
its figures when one of its dates passes, and that includes (v1.1) approximate partner dates
("2026-03", "2026-Q1", counted as their first day) and sunsets derived from a support window.
Every snapshot must equal `catalogue summary --as-of DAY` on a checkout of its commit."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from catalogue_lib.cli import main

from .gitcat import GitCatalogue


def _record(rid: str, lifecycle: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rid,
        "name": rid,
        "type": "carrier",
        "partner": "P",
        "direction": ["outbound"],
        "owner": "Team Clock",
        "lifecycle": lifecycle,
    }


def _ticker(n: int) -> dict[str, Any]:
    """Another record, edited on every snapshot day so that each day has a commit."""
    return {**_record("ticker", {}), "business_purpose": f"edit {n}"}


# (record, days on which it is (re)written; None = only on the first day)
CASES = {
    "approximate sunset (month)": _record(
        "approx-month",
        {"versions": [{"version": "v1", "status": "current", "sunset_on": "2026-03"}]},
    ),
    "approximate sunset (quarter)": _record(
        "approx-quarter",
        {"versions": [{"version": "v1", "status": "current", "sunset_on": "2026-Q2"}]},
    ),
    "approximate credential expiry": {
        **_record("approx-expiry", {}),
        "auth": {"method": "token", "expires_on": "2026-03"},
    },
    "rotation due": {
        **_record("rotation", {}),
        "auth": {"method": "token", "rotated_on": "2026-02-01", "rotate_every_days": 28},
    },
    "credential rotation due": {
        **_record("credential-rotation", {}),
        "auth": {
            "credentials": [{"name": "k", "rotated_on": "2026-02-02", "rotate_every_days": 30}]
        },
    },
    "derived sunset": _record(
        "derived",
        {
            "support_months": 12,
            "versions": [{"version": "v1", "status": "current", "released_on": "2025-03-01"}],
        },
    ),
    "derived sunset at a month's end": _record(
        "derived-month-end",
        {
            "support_months": 6,
            "versions": [{"version": "v1", "status": "current", "released_on": "2025-08-28"}],
        },
    ),
}

# the first day is evaluated in full; the later ones between two full evaluations
DAYS = [
    dt.date(2026, 2, 20),
    dt.date(2026, 2, 28),
    dt.date(2026, 3, 1),
    dt.date(2026, 3, 2),
    dt.date(2026, 3, 5),
    dt.date(2026, 4, 2),
]


def _build(tmp_path: Path, record: dict[str, Any], added_on: int) -> GitCatalogue:
    g = GitCatalogue(tmp_path / "repo")
    for n, day in enumerate(DAYS):
        g.write("ticker.yaml", _ticker(n))
        if n == added_on:
            g.write("clock.yaml", record)
        g.commit(day, f"day {n}")
    return g


@pytest.mark.parametrize("added_on", [0, 1], ids=["in the first snapshot", "added later"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_passing_date_changes_the_overdue_count_as_summary_does(
    case: str, added_on: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    g = _build(tmp_path, CASES[case], added_on)
    assert main(["history", str(g.dir), "--format", "json", "--cache", str(tmp_path / "c")]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["date"] for r in rows] == [d.isoformat() for d in DAYS]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(g.root), str(clone)], check=True)
    got, expected = {}, {}
    for row in rows:
        subprocess.run(["git", "-C", str(clone), "checkout", "-q", row["commit"]], check=True)
        args = ["summary", str(clone / "catalogue"), "--as-of", row["date"], "--format", "json"]
        assert main([*args, "--no-cache"]) == 0
        s = json.loads(capsys.readouterr().out)
        got[row["date"]] = row["overdue"]
        expected[row["date"]] = sum(d["overdue"] for d in s["deadlines"])
    assert got == expected
    assert any(expected.values())  # the date does pass inside the replayed days

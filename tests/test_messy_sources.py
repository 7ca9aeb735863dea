"""Catalogues as real teams keep them: spreadsheet exports, hand-written Markdown tables, and
the machine output a user reads back. Each case is what a user would notice."""

from __future__ import annotations

import csv
import io

from catalogue_lib.cli import main

from .conftest import SEED_COPY


def test_backlog_csv_leaves_a_missing_number_empty(capsys):
    # a gap has no deadline, so no `days`: pandas' <NA> must not reach the spreadsheet
    assert main(["backlog", str(SEED_COPY), "--as-of", "2026-11-29", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    gaps = [r for r in rows if r["kind"] == "gap"]
    assert gaps and all(r["days"] == "" for r in gaps)
    assert not any("<NA>" in cell for r in rows for cell in r.values())

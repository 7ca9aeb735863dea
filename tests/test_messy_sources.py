"""Catalogues as real teams keep them: spreadsheet exports, hand-written Markdown tables, and
the machine output a user reads back. Each case is what a user would notice."""

from __future__ import annotations

import csv
import io

import pytest

from catalogue_lib.cli import main
from catalogue_lib.load import TABLE_HEADERS, load_paths

from .conftest import SEED_COPY


def test_backlog_csv_leaves_a_missing_number_empty(capsys):
    # a gap has no deadline, so no `days`: pandas' <NA> must not reach the spreadsheet
    assert main(["backlog", str(SEED_COPY), "--as-of", "2026-11-29", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    gaps = [r for r in rows if r["kind"] == "gap"]
    assert gaps and all(r["days"] == "" for r in gaps)
    assert not any("<NA>" in cell for r in rows for cell in r.values())


HEADER = ",".join(TABLE_HEADERS)
CSV_ROWS = [
    'Café Connect,Shop,Café GmbH,Inbound/Outbound,"Orders, cancellations",OAuth,v1,'
    'p95 < 2 s (€ penalty),Team Café,Partner portal,Dashboard + alerts,"Rate limits, API changes"',
    'Carrier Ä,Carrier,Carrier Ä,Outbound,"Label create,\nmanifests",API key,v2,99.5%,'
    "Team Fulfilment,ticketing,Alerts + runbook,Timeout spikes",
]


def _semicolons(text: str) -> str:
    # European Excel: `;` between cells, commas left inside the (quoted) cells
    out = []
    for row in csv.reader(io.StringIO(text, newline="")):
        buf = io.StringIO()
        csv.writer(buf, delimiter=";", lineterminator="\r\n").writerow(row)
        out.append(buf.getvalue())
    return "".join(out)


def _tabs(text: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(
        csv.reader(io.StringIO(text, newline=""))
    )
    return buf.getvalue()


def _last_first(header: str, rows: list[str]) -> str:
    """The rows with their last cell moved first, under the header given."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    for row in csv.reader(io.StringIO("\n".join(rows), newline="")):
        out.writerow([row[-1], *row[:-1]])
    return header + "\n" + buf.getvalue()


SPREADSHEET_EXPORTS = {
    "utf-8 with BOM, CRLF": "\r\n".join([HEADER, *CSV_ROWS]).encode("utf-8-sig"),
    "utf-16 (Excel's Unicode text), tabs": _tabs("\n".join([HEADER, *CSV_ROWS])).encode("utf-16"),
    "utf-16 big-endian with BOM": b"\xfe\xff" + "\n".join([HEADER, *CSV_ROWS]).encode("utf-16-be"),
    "semicolons (European Excel)": _semicolons("\n".join([HEADER, *CSV_ROWS])).encode("utf-8-sig"),
    "trailing empty columns and rows (Google Sheets)": "\r\n".join(
        [HEADER + ",,", *(r + ",," for r in CSV_ROWS), "," * 13, "," * 13]
    ).encode(),
    "headers in another case, order and spacing": _last_first(
        " known RISKS ," + HEADER.upper().rsplit(",", 1)[0], CSV_ROWS
    ).encode(),
}


@pytest.mark.parametrize("data", SPREADSHEET_EXPORTS.values(), ids=SPREADSHEET_EXPORTS.keys())
def test_a_spreadsheet_export_loads_every_row(tmp_path, data):
    (tmp_path / "catalogue.csv").write_bytes(data)
    res = load_paths([tmp_path])
    assert res.errors == [], [str(p) for p in res.problems]
    by_id = {r.id: r.record for r in res.records}
    assert sorted(by_id) == ["cafe-connect", "carrier-a"]
    cafe, carrier = by_id["cafe-connect"], by_id["carrier-a"]
    assert cafe.owner == "Team Café" and cafe.partner == "Café GmbH"
    assert cafe.critical_flows == ["Orders", "cancellations"]
    assert [r.category for r in cafe.risks] == ["rate_limiting", "api_changes"]
    assert carrier.name == "Carrier Ä" and carrier.critical_flows == ["Label create", "manifests"]


def test_an_unnamed_column_with_something_in_it_is_said(tmp_path):
    (tmp_path / "c.csv").write_text(HEADER + ",\n" + CSV_ROWS[1] + ",see ticket 42\n")
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == ["carrier-a"] and res.errors == []
    assert [(p.line, p.severity) for p in res.problems] == [(2, "warning")]
    assert "column without a header" in res.problems[0].message

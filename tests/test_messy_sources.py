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


MD_HEAD = " | ".join(TABLE_HEADERS)
MD_ROW = "Carrier A | Carrier | Carrier A | Outbound | labels | API key | v2 | 99.5% | Team Fulfilment | portal | Dashboard + alerts | rate limits"
MD_TABLES = {
    "without outer pipes": f"# Catalogue\n\n{MD_HEAD}\n" + "---|" * 11 + f"---\n{MD_ROW}\n",
    "outer pipes on the rows only": f"| {MD_HEAD} |\n|" + "---|" * 12 + f"\n{MD_ROW}\n",
    "alignment colons": f"| {MD_HEAD} |\n|:---|" + ":---:|" * 10 + f"---:|\n| {MD_ROW} |\n",
    "an extra column": f"| {MD_HEAD} | Notes |\n|" + "---|" * 13 + f"\n| {MD_ROW} | see ticket |\n",
    "columns in another order": "| Known risks | "
    + " | ".join(TABLE_HEADERS[:-1])
    + " |\n|"
    + "---|" * 12
    + "\n| rate limits | "
    + MD_ROW.rsplit(" | ", 1)[0]
    + " |\n",
}


@pytest.mark.parametrize("text", MD_TABLES.values(), ids=MD_TABLES.keys())
def test_a_markdown_table_a_renderer_shows_loads_its_rows(tmp_path, text):
    (tmp_path / "catalogue.md").write_text(text)
    res = load_paths([tmp_path])
    assert res.errors == [], [str(p) for p in res.problems]
    assert [r.id for r in res.records] == ["carrier-a"]
    rec = res.records[0].record
    assert (rec.owner, rec.support_contact) == ("Team Fulfilment", "portal")
    assert [r.category for r in rec.risks] == ["rate_limiting"]
    assert (
        res.records[0].line
        == text.splitlines().index(
            next(line for line in text.splitlines() if "Team Fulfilment" in line)
        )
        + 1
    )


def test_an_extra_markdown_column_is_named_as_ignored(tmp_path):
    (tmp_path / "catalogue.md").write_text(MD_TABLES["an extra column"])
    res = load_paths([tmp_path])
    assert [(p.line, p.severity, p.message) for p in res.problems] == [
        (1, "warning", "unknown column(s) ignored: Notes")
    ]


def test_a_markdown_header_naming_a_column_twice_is_an_error(tmp_path):
    text = f"| {MD_HEAD} | Owner |\n|" + "---|" * 13 + f"\n| {MD_ROW} | Team B |\n"
    (tmp_path / "catalogue.md").write_text(text)
    res = load_paths([tmp_path])
    assert res.records == []
    assert [(p.line, p.severity) for p in res.problems] == [(1, "error")]
    assert "Owner" in res.problems[0].message


def test_a_table_missing_a_template_column_is_not_silently_skipped(tmp_path):
    head = " | ".join(h for h in TABLE_HEADERS if h != "Known risks")
    row = MD_ROW.rsplit(" | ", 1)[0]
    (tmp_path / "catalogue.md").write_text(f"| {head} |\n|" + "---|" * 11 + f"\n| {row} |\n")
    res = load_paths([tmp_path])
    assert res.records == []
    assert [(p.line, p.severity) for p in res.problems] == [(1, "warning")]
    assert "Known risks" in res.problems[0].message


def test_excels_sep_line_names_the_separator(tmp_path):
    text = "sep=;\n" + _semicolons("\n".join([HEADER, *CSV_ROWS]))
    (tmp_path / "c.csv").write_text(text)
    res = load_paths([tmp_path])
    assert res.problems == [] and sorted(r.id for r in res.records) == ["cafe-connect", "carrier-a"]
    assert [r.line for r in res.records] == [3, 4]


def test_a_header_problem_after_a_sep_line_names_the_header_line(tmp_path):
    (tmp_path / "c.csv").write_text("sep=,\n" + HEADER + ",Owner\n")
    res = load_paths([tmp_path])
    assert [(p.line, p.severity) for p in res.problems] == [(2, "error")]


@pytest.mark.parametrize("above", [["Catalogue export 2026-11-28"], ["Title", "", ""]])
def test_a_title_above_a_csv_header_says_where_the_header_is(tmp_path, above):
    """A report's title rows above the header used to give "missing column(s)" naming all twelve
    headers that are plainly there, two lines down."""
    (tmp_path / "c.csv").write_text("\n".join([*above, HEADER, *CSV_ROWS]) + "\n")
    (problem,) = load_paths([tmp_path]).problems
    assert (problem.line, problem.severity) == (1, "error")
    assert f"header row is line {len(above) + 1}, not line 1" in problem.message
    assert "missing column" not in problem.message


def test_a_csv_without_the_templates_header_still_names_the_missing_columns(tmp_path):
    (tmp_path / "c.csv").write_text("Name,Owner\nX,Team A\n")
    (problem,) = load_paths([tmp_path]).problems
    assert "missing column(s) Integration, Type, Partner" in problem.message


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_short_csv_header_names_only_the_columns_it_lacks_whatever_its_separator(tmp_path, sep):
    """European Excel writes semicolons, its Unicode text tabs: a header holding only some of
    the template's columns is read with the separator that finds most of them, so the error
    does not call the ones it has missing."""
    (tmp_path / "c.csv").write_text(
        sep.join(["Integration", "Type", "Foo"]) + "\nA" + sep + "shop\n"
    )
    (problem,) = load_paths([tmp_path]).problems
    missing = problem.message.split("missing column(s) ", 1)[1].split(", ")
    assert missing == [h for h in TABLE_HEADERS if h not in ("Integration", "Type")]


def test_a_windows_1252_export_is_named_with_its_line_and_what_to_do(tmp_path):
    text = "\n".join([HEADER, CSV_ROWS[1].replace("Ä", "A"), CSV_ROWS[0]])
    (tmp_path / "c.csv").write_bytes(text.encode("cp1252"))
    res = load_paths([tmp_path])
    assert res.records == []
    [problem] = res.problems
    assert (problem.line, problem.severity) == (4, "error")
    assert "0xE9" in problem.message and "save it as UTF-8" in problem.message


@pytest.mark.parametrize(
    "text, line",
    [
        ("id: tabs\nname: Tabs\ntype: shop\npartner: T\ndirection:\n\t- inbound\n", 6),
        (
            "id: tabs\nname: Tabs\ntype: shop\npartner: T\nauth:\n\tmethod: oauth\ndirection: [inbound]\n",
            6,
        ),
    ],
    ids=["list item", "mapping"],
)
def test_a_tab_indent_in_yaml_is_named_as_a_tab(tmp_path, text, line):
    (tmp_path / "r.yaml").write_text(text)
    res = load_paths([tmp_path])
    assert res.records == []
    [problem] = res.problems
    assert (problem.line, problem.severity) == (line, "error")
    assert "a tab: YAML indents with spaces only" in problem.message


def test_excels_unicode_text_saved_as_txt_is_not_skipped_silently(tmp_path):
    # Excel's "Unicode Text (*.txt)": UTF-16, tab-separated, under a name the Markdown form owns
    (tmp_path / "catalogue.txt").write_bytes(_tabs("\n".join([HEADER, *CSV_ROWS])).encode("utf-16"))
    res = load_paths([tmp_path])
    assert res.records == []
    assert [(p.line, p.severity) for p in res.problems] == [(1, "warning")]
    assert "save it as .csv" in res.problems[0].message


def _table(form: str, header: list[str], rows: list[list[str]]) -> tuple[str, str]:
    """(file name, text) of a table in the given form: Markdown with outer pipes, or CSV."""
    if form == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header, *rows])
        return "c.csv", buf.getvalue()
    lines = [header, ["---"] * len(header), *rows]
    return "c.md", "".join("| " + " | ".join(cells) + " |\n" for cells in lines)


ROW = [c.strip() for c in MD_ROW.split("|")]

HEADER_CASES = {
    # name: (extra header cells, extra row cells, rows read, [(severity, words)])
    "two blank header cells (an editor's padding)": (["", ""], ["", ""], 1, []),
    "a blank header cell over something": (
        [""],
        ["see ticket 42"],
        1,
        [("warning", "without a header")],
    ),
    "an unknown column": (["Notes"], ["x"], 1, [("warning", "ignored: Notes")]),
    "a column named twice": (["owner"], ["Team B"], 0, [("error", "owner appear twice")]),
}


@pytest.mark.parametrize("form", ["markdown", "csv"])
@pytest.mark.parametrize("case", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_both_table_forms_read_an_odd_header_alike(tmp_path, form, case):
    """A blank header cell is no column in either form. The Markdown reader used to count two
    blank cells as a column named twice, so "column(s)  appear twice" dropped every row."""
    head_extra, row_extra, read, expected = case
    name, text = _table(form, [*TABLE_HEADERS, *head_extra], [[*ROW, *row_extra]])
    (tmp_path / name).write_text(text)
    res = load_paths([tmp_path])
    assert len(res.records) == read
    got = [(p.severity, p.message) for p in res.problems]
    assert len(got) == len(expected), got
    for (severity, message), (want_severity, words) in zip(got, expected, strict=True):
        assert severity == want_severity and words in message, message

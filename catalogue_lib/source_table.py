"""The template's table forms: the Markdown table (section 2) and a CSV with the same twelve headers."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from functools import cache, partial
from typing import Any

from slugify import slugify as _slugify

from .records import LoadedRecord, Problem, build_record

# the source forms of a record read from a row of the template's table (sql: table_row())
TABLE_FORMS = ("markdown", "csv")
TABLE_HEADERS = (
    "Integration",
    "Type",
    "Partner",
    "Direction",
    "Critical flows",
    "Auth",
    "Version",
    "SLA/SLO notes",
    "Owner",
    "Support contact",
    "Monitoring",
    "Known risks",
)

# Checks that no column of the table forms speaks to.
TABLE_UNKNOWN_CHECKS = (
    "on_call",
    "idempotency",
    "migration_plan",
    "test_environment",
    "criticality_set",
    "reviewed_recently",
)

AUTH_WORDS = {
    "oauth": "oauth",
    "oauth2": "oauth",
    "oauth20": "oauth",
    "apikey": "api_key",
    "mtls": "mtls",
    "mutualtls": "mtls",
    "token": "token",
    "bearertoken": "token",
    "basic": "basic",
    "basicauth": "basic",
    "none": "none",
}
AUTH_LABELS = {
    "oauth": "OAuth",
    "api_key": "API key",
    "mtls": "mTLS",
    "token": "Token",
    "basic": "Basic",
    "none": "None",
}
RISK_WORDS = {
    "ratelimits": "rate_limiting",
    "ratelimit": "rate_limiting",
    "ratelimiting": "rate_limiting",
    "apichanges": "api_changes",
    "apichange": "api_changes",
    "timeoutspikes": "timeouts_5xx",
    "timeoutspike": "timeouts_5xx",
    "timeouts5xx": "timeouts_5xx",
    "certexpiry": "auth_expiry",
    "authexpiry": "auth_expiry",
    "contractdrift": "contract_drift",
    "schemadrift": "schema_drift",
    "webhookgaps": "webhook_gaps",
    "peakload": "peak_load",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


_EXPECTED = [_norm(h) for h in TABLE_HEADERS]


def _norm_header_cells(cells: list[str]) -> list[str]:
    return [_norm(c) for c in cells]


def slugify(text: str) -> str:
    """An id from a name: python-slugify transliterates any script (日本郵便 -> ri-ben-you-bian,
    Почта России -> pochta-rossii) where dropping non-ASCII letters left nothing, or a
    different word. A name with no letter or digit in any script gets a stable short hash."""
    slug = _slugify(text, max_length=100, word_boundary=True)
    if slug:
        return slug
    digest = hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode()).hexdigest()
    return f"id-{digest[:10]}" if text.strip() else ""


def confusable_warning(name: str) -> str | None:
    """Why a name mixes scripts in a way meant to look like another word (Cyrillic а in Cаrrier),
    or None. Uses the Unicode confusables data of confusable-homoglyphs (imported here: only a
    table row's non-ASCII name needs it, and its data takes 60 ms to import)."""
    from confusable_homoglyphs import confusables

    found = confusables.is_dangerous(name) and confusables.is_confusable(
        name, greedy=True, preferred_aliases=["latin"]
    )
    if not found:
        return None
    parts = []
    for item in found:
        char = item["character"]
        alias = item["alias"].capitalize()
        looks = ", ".join(f"'{h['c']}'" for h in item["homoglyphs"][:2])
        parts.append(f"{alias} '{char}' looks like Latin {looks}")
    return f"name '{name}' mixes scripts: " + "; ".join(parts)


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def risk_category(text: str) -> str:
    return RISK_WORDS.get(re.sub(r"[^a-z0-9]", "", text.lower()), "other")


def row_to_record(
    cells: dict[str, str], shown: str, line: int, form: str
) -> tuple[LoadedRecord | None, list[Problem]]:
    """One template row -> a record. What a row cannot say stays unknown."""
    get = {k: (v or "").strip() for k, v in cells.items()}
    problems: list[Problem] = []
    name = get["integration"]
    directions = re.findall(r"inbound|outbound", get["direction"].lower())
    data: dict[str, Any] = {
        "id": slugify(name) if name else None,
        "name": name or None,
        "type": get["type"].lower() or None,
        "partner": get["partner"] or None,
        "direction": directions or ([get["direction"]] if get["direction"] else []),
        "critical_flows": _split_list(get["criticalflows"]),
        "owner": get["owner"] or None,
        "support_contact": get["supportcontact"] or None,
        "operations": {
            "slo_notes": get["sla/slonotes"] or None,
            "monitoring": get["monitoring"] or None,
        },
        "risks": [
            {"category": risk_category(part), "summary": part}
            for part in _split_list(get["knownrisks"])
        ],
    }
    if data["id"] is None:
        data.pop("id")
    if name and not name.isascii() and (why := confusable_warning(name)):
        problems.append(Problem(shown, line, "warning", f"{why}; check the id '{data['id']}'"))
    if get["auth"]:
        method = AUTH_WORDS.get(re.sub(r"[^a-z0-9]", "", get["auth"].lower()))
        if method:
            data["auth"] = {"method": method}
        else:
            problems.append(
                Problem(shown, line, "warning", f"{name}: unknown auth method '{get['auth']}'")
            )
    if get["version"]:
        data["lifecycle"] = {"versions": [{"version": get["version"], "status": "current"}]}

    monitoring = get["monitoring"].lower()
    overrides = {check: "unknown" for check in TABLE_UNKNOWN_CHECKS}
    if "inbound" in directions:
        overrides["webhook_signatures"] = "unknown"
    overrides["dashboard"] = "pass" if "dashboard" in monitoring else "fail"
    overrides["alert_rules"] = "pass" if "alert" in monitoring else "fail"
    overrides["runbook"] = "pass" if "runbook" in monitoring else "unknown"
    overrides["slo_defined"] = "pass" if get["sla/slonotes"] else "fail"
    rec, probs = build_record(data, shown, {(): line}, form, overrides)
    return rec, problems + probs


# A CSV cell marked as text: apostrophes before a character a spreadsheet would run
# (defusedcsv's = + - @ | %, a pipe as defusedcsv writes it, `\|`, a tab or a line break).
# Reading takes one apostrophe off.
MARKED = re.compile(r"'+([=+\-@%\t\r\n]|\\?\|)")


def unmarked(cell: str) -> str:
    """A CSV cell without the apostrophe a spreadsheet (and our own CSV writer, csv_out) puts
    before text that would otherwise run as a formula; defusedcsv also wrote its pipes as
    `\\|`. The apostrophe is how the cell is shown as text, not part of the value."""
    if not MARKED.match(cell):
        return cell
    cell = cell[1:]
    formula = cell[:1] in "=+-@|%" or cell.startswith("\\|")
    return cell.replace("\\|", "|") if formula else cell


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [c.strip().replace("\\|", "|") for c in cells]


_PIPE = re.compile(r"(?<!\\)\|")


def _header_cells(lines: list[str], i: int) -> list[str] | None:
    """The normalised cells of a table header at line i holding all twelve of the template's
    headers (any order, other columns beside them), or None. A header without a leading pipe
    (GFM allows leaving the outer pipes off) counts only with its delimiter row under it."""
    line = lines[i]
    if "|" not in line:
        return None
    cells = _norm_header_cells(_split_row(line))
    if not set(_EXPECTED) <= set(cells):
        return None
    if line.lstrip().startswith("|") or (i + 1 < len(lines) and _is_separator(lines[i + 1])):
        return cells
    return None


def _find_table_header(lines: list[str], start: int = 0, stop: int | None = None) -> int | None:
    for i in range(start, len(lines) if stop is None else min(stop, len(lines))):
        if _header_cells(lines, i) is not None:
            return i
    return None


def _near_miss(lines: list[str], start: int, stop: int) -> tuple[int, list[str]] | None:
    """A table header (with its delimiter row) naming most but not all of the template's
    columns, and which are missing: a catalogue table someone trimmed, not prose."""
    for i in range(start, min(stop, len(lines)) - 1):
        if "|" in lines[i] and _is_separator(lines[i + 1]):
            cells = set(_norm_header_cells(_split_row(lines[i])))
            have = [h for h, n in zip(TABLE_HEADERS, _EXPECTED, strict=True) if n in cells]
            if len(have) >= _NEAR_MISS and len(have) < len(TABLE_HEADERS):
                return i, [h for h in TABLE_HEADERS if h not in have]
    return None


_NEAR_MISS = 8  # of the template's 12 headers


def _is_separator(line: str) -> bool:
    """The table's delimiter row (| --- | :-: |), tested without a regular expression: the
    pattern it replaces backtracked for seconds on a 16 KB line."""
    body = line.strip()
    return "-" in body and not set(body) - _SEPARATOR_CHARS


_SEPARATOR_CHARS = set("|:- \t")


# Markdown block structure (CommonMark, HTML blocks on): which lines are ordinary paragraphs. A
# table is a paragraph to a CommonMark parser; lines inside a code fence, an indented code
# block, an HTML block or comment, a list or a quote are not, so a template table shown there
# as an example is no record. Inline parsing is off: only the blocks matter here.
@cache
def _blocks() -> Any:  # -> MarkdownIt, made on the first Markdown file: YAML loads never need it
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).disable(
        ["inline", "text_join"], ignoreInvalid=True
    )


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [
        (t.map[0], t.map[1])
        for t in _blocks().parse(text)
        if t.type == "paragraph_open" and t.level == 0 and t.map
    ]


_UNNAMED_CELL = "a cell in a column without a header is ignored"


def _odd_columns(raw: list[str], names: list[str]) -> tuple[list[str], list[str]]:
    """(columns named twice, unknown columns) of a table's header, as written: raw cells and
    their normalised names. A blank header cell (a spreadsheet's trailing empty column, an
    editor's padding) is no column: its cells are ignored, with a warning where one holds
    something, in both table forms."""
    twice = sorted({h for h, n in zip(raw, names, strict=True) if n and names.count(n) > 1})
    extra = [h for h, n in zip(raw, names, strict=True) if n and n not in _EXPECTED]
    return twice, extra


def _header_problems(
    shown: str, line: int, twice: list[str], extra: list[str], what: str
) -> list[Problem]:
    """A header naming a column twice is an error (no row is read: which to read is unclear);
    else unknown columns are a warning (they are ignored)."""
    if twice:
        return [
            Problem(
                shown,
                line,
                "error",
                f"column(s) {', '.join(twice)} appear twice in the {what}; it is not clear "
                "which to read, so no row of this table is loaded",
            )
        ]
    if extra:
        return [Problem(shown, line, "warning", "unknown column(s) ignored: " + ", ".join(extra))]
    return []


def _load_markdown(
    text: str, shown: str, explicit: bool = False
) -> tuple[list[LoadedRecord], list[Problem]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    records: list[LoadedRecord] = []
    problems: list[Problem] = []
    found = False
    for first, stop in _paragraphs(text):
        header = _find_table_header(lines, first, stop)
        if header is None and (miss := _near_miss(lines, first, stop)) is not None:
            problems.append(
                Problem(
                    shown,
                    miss[0] + 1,
                    "warning",
                    "this table looks like the catalogue table but lacks the template's "
                    f"column(s) {', '.join(miss[1])}; its rows are not read",
                )
            )
        while header is not None:
            found = True
            names = _header_cells(lines, header) or []
            raw = _split_row(lines[header])
            twice, extra = _odd_columns(raw, names)
            unnamed = [k for k, n in enumerate(names) if not n]
            problems.extend(_header_problems(shown, header + 1, twice, extra, "table header"))
            i = header + 1
            if i < stop and _is_separator(lines[i]):
                i += 1
            while i < stop and _PIPE.search(lines[i]):
                cells = _split_row(lines[i])
                if twice or all(not c for c in cells):
                    i += 1
                    continue
                if len(cells) != len(names):
                    problems.append(
                        Problem(
                            shown,
                            i + 1,
                            "error",
                            f"table row has {len(cells)} cells, the header has {len(names)}",
                        )
                    )
                else:
                    if any(cells[k] for k in unnamed):
                        problems.append(Problem(shown, i + 1, "warning", _UNNAMED_CELL))
                    row = {n: c for n, c in zip(names, cells, strict=True) if n in _EXPECTED}
                    rec, probs = row_to_record(row, shown, i + 1, "markdown")
                    problems.extend(probs)
                    if rec is not None:
                        records.append(rec)
                i += 1
            header = _find_table_header(lines, i, stop)
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if not found and first is not None and (sep := _separator_of(lines[first])):
        problems.append(
            Problem(
                shown,
                first + 1,
                "warning",
                f"the template's columns separated by {_SEPARATORS[sep]}: a spreadsheet "
                "export, not a Markdown table; its rows are not read (save it as .csv)",
            )
        )
    elif not found and explicit:
        problems.append(
            Problem(shown, None, "warning", "no catalogue table (the template's 12 columns) found")
        )
    return records, problems


_SEP_LINE = re.compile(r"sep=(.)\r?$")


def _delimiter(text: str) -> tuple[str, bool]:
    """The cell separator, and whether the first line only names it: Excel's `sep=;` line,
    else whichever of a comma, European Excel's semicolon or the tab of Excel's "Unicode
    text" makes the header row hold the template's twelve headers; failing that, the one that
    finds most of them (so the error names only the headers really missing), a comma on a tie."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if named := _SEP_LINE.match(first):
        return named.group(1), True
    return _separator_of(first) or max(_SEPARATORS, key=partial(_headers_found, first)), False


def _headers_found(line: str, sep: str) -> int:
    return len(set(_EXPECTED) & set(_norm_header_cells(next(csv.reader([line], delimiter=sep)))))


_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _separator_of(line: str) -> str | None:
    """The separator that makes this line a header row holding the template's twelve
    headers, or None."""
    for sep in _SEPARATORS:
        if set(_EXPECTED) <= set(_norm_header_cells(next(csv.reader([line], delimiter=sep)))):
            return sep
    return None


_HEADER_SEARCH = 10  # lines below the first where a misplaced header row is looked for


def _header_below(text: str, head: int) -> int | None:
    """The line (1-based) of a row holding the template's headers among the few below line
    `head`, as a spreadsheet's title rows above the header push it down; None if none does."""
    lines = text.lstrip("\ufeff").split("\n", head + _HEADER_SEARCH)[: head + _HEADER_SEARCH]
    for n, line in enumerate(lines[head:], head + 1):
        if _separator_of(line.rstrip("\r")):
            return n
    return None


def _load_csv(text: str, shown: str) -> tuple[list[LoadedRecord], list[Problem]]:
    if not text.strip():
        return [], [Problem(shown, None, "warning", "empty file: no record in it")]
    sep, sep_line = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    head = 2 if sep_line else 1  # the header row's line
    try:
        if sep_line:
            next(reader)
        header = next(reader, [])
    except csv.Error as exc:
        return [], [Problem(shown, head, "error", f"invalid CSV: {exc}")]
    normalised = _norm_header_cells(header)
    # A column without a header (a spreadsheet's trailing empty columns) is no column: its
    # cells are ignored, with a warning on a row that has something in one.
    unnamed = [i for i, n in enumerate(normalised) if not n]
    missing = [h for h, n in zip(TABLE_HEADERS, _EXPECTED, strict=True) if n not in normalised]
    if missing:
        later = _header_below(text, head)
        message = (
            f"the CSV's header row is line {later}, not line {head}: delete the line(s) above "
            "it (a title?) so that the template's headers come first"
            if later
            else "CSV header is not the template's: missing column(s) " + ", ".join(missing)
        )
        return [], [Problem(shown, head, "error", message)]
    twice, extra = _odd_columns(header, normalised)
    problems = _header_problems(shown, head, twice, extra, "CSV header")
    if twice:
        return [], problems
    records: list[LoadedRecord] = []
    line = reader.line_num + 1
    try:
        for row in reader:
            if len(row) > len(header) and not any(c.strip() for c in row[len(header) :]):
                row = row[: len(header)]  # a spreadsheet's trailing empty cells
            if any(c.strip() for c in row):
                if any(row[i].strip() for i in unnamed if i < len(row)):
                    problems.append(Problem(shown, line, "warning", _UNNAMED_CELL))
                if len(row) != len(header):
                    problems.append(
                        Problem(
                            shown,
                            line,
                            "error",
                            f"row has {len(row)} cells, the header has {len(header)}",
                        )
                    )
                else:
                    cells = {
                        n: unmarked(v)
                        for n, v in zip(normalised, row, strict=True)
                        if n in _EXPECTED
                    }
                    rec, probs = row_to_record(cells, shown, line, "csv")
                    problems.extend(probs)
                    if rec is not None:
                        records.append(rec)
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(shown, line, "error", f"invalid CSV: {exc}"))
    return records, problems

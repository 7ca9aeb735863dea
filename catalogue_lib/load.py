"""Sources -> validated records + readable problems.

Reads YAML, JSON, the template's Markdown table and CSV. Every problem is one
`path:line: error|warning: message` line; a broken record never stops the
valid ones beside it from loading, and nothing in a file is ever executed
(YAML is read with a safe loader that also refuses alias bombs).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from .files import (  # noqa: F401 (re-exported)
    CONFIG_FILES,
    MAX_FILE_BYTES,
    RECORD_SUFFIXES,
    catalogue_files,
    decode_text,
    fingerprint,
    gc_paused,
    read_text,
)
from .records import (  # noqa: F401 (re-exported)
    LoadedRecord,
    LoadResult,
    Problem,
    _FileProblem,
    _line_for,
    _scan,
    build_record,
)
from .secrets import may_contain_secrets
from .source_json import _load_json
from .source_table import (  # noqa: F401 (re-exported)
    _EXPECTED,
    AUTH_LABELS,
    TABLE_HEADERS,
    _find_table_header,
    _load_csv,
    _load_markdown,
    _norm_header_cells,
    slugify,
)
from .source_yaml import _load_yaml, _Loader, _yaml_message  # noqa: F401 (re-exported)
from .yaml_guards import (  # noqa: F401 (re-exported)
    MAX_DEPTH,
    MAX_NODES,
    _inspect_node,
    _mark_line,
    _nests_past,
    _too_deep,
)


def load_paths(paths: Iterable[str | Path]) -> LoadResult:
    files, problems = catalogue_files(paths)
    with gc_paused():
        loaded = [load_file(f, shown, explicit=explicit) for f, shown, explicit in files]
    return assemble(files, loaded, problems)


def assemble(
    files: list[tuple[Path, str, bool]],
    loaded: list[tuple[list[LoadedRecord], list[Problem]]],
    path_problems: list[Problem],
) -> LoadResult:
    """Each file's records and problems, in path order, into one result: the first record with
    an id is kept, a later one is an error naming both places."""
    result = LoadResult(problems=list(path_problems))
    seen: dict[str, LoadedRecord] = {}
    for (_, shown, _), (records, problems) in zip(files, loaded, strict=True):
        result.files.append(shown)
        result.problems.extend(problems)
        for rec in records:
            first = seen.get(rec.id)
            if first is not None:
                where = f"{first.path}:{first.line}" if first.line else first.path
                result.problems.append(
                    Problem(
                        rec.path,
                        rec.line,
                        "error",
                        f"duplicate id '{rec.id}': already defined at {where}; "
                        "this record is ignored",
                    )
                )
                continue
            seen[rec.id] = rec
            result.records.append(rec)
    return result


def sniff_form(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".md", ".txt", ".markdown"):
        return "markdown"
    if suffix == ".csv":
        return "csv"
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return "json"
    if _find_table_header(text.splitlines()) is not None:
        return "markdown"
    first = stripped.splitlines()[0] if stripped else ""
    if _norm_header_cells(next(csv.reader([first]), [])) == _EXPECTED:
        return "csv"
    return "yaml"


def load_file(
    path: Path, shown: str | None = None, explicit: bool = True
) -> tuple[list[LoadedRecord], list[Problem]]:
    shown = shown or str(path)
    try:
        text = read_text(path)
    except _FileProblem as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    except OSError as exc:
        return [], [Problem(shown, None, "error", f"cannot read file: {exc.strerror or exc}")]
    return load_text(text, path, shown, explicit)


def load_bytes(
    data: bytes, path: Path, shown: str, explicit: bool = False
) -> tuple[list[LoadedRecord], list[Problem]]:
    """One file's content (a git blob, say) read exactly as load_file reads the file at `path`."""
    try:
        text = decode_text(data)
    except _FileProblem as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    return load_text(text, path, shown, explicit)


def load_text(
    text: str, path: Path, shown: str, explicit: bool
) -> tuple[list[LoadedRecord], list[Problem]]:
    try:
        form = sniff_form(path, text)
        _scan.on = may_contain_secrets(text)
        if form == "yaml":
            return _load_yaml(text, shown)
        if form == "json":
            return _load_json(text, shown)
        if form == "csv":
            return _load_csv(text, shown)
        return _load_markdown(
            text, shown, explicit=explicit or path.suffix.lower() not in (".md", ".txt")
        )
    except _FileProblem as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    except RecursionError:
        return [], [Problem(shown, None, "error", "nesting is too deep to read")]
    except Exception as exc:  # last resort: a problem line, never a traceback
        return [], [Problem(shown, None, "error", f"cannot read file: {type(exc).__name__}: {exc}")]

"""Sources -> validated records + readable problems.

Reads YAML, JSON, the template's Markdown table and CSV. Every problem is one
`path:line: error|warning: message` line; a broken record never stops the
valid ones beside it from loading, and nothing in a file is ever executed
(YAML is read with a safe loader that also refuses alias bombs).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .cache import RecordCache, entry_key
from .files import (  # noqa: F401 (re-exported)
    CONFIG_FILES,
    MAX_FILE_BYTES,
    RECORD_SUFFIXES,
    FilePath,
    catalogue_files,
    decode_text,
    fingerprint,
    gc_paused,
    read_bytes,
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
from .workers import pool
from .workers import start as start_parsing
from .yaml_guards import (  # noqa: F401 (re-exported)
    MAX_DEPTH,
    MAX_NODES,
    _inspect_node,
    _mark_line,
    _nests_past,
    _too_deep,
)

Entry = tuple[list[LoadedRecord], list[Problem]]
Progress = Callable[[int, int], None]  # (files read, of total)
CHUNK = 500  # files read, looked up in the cache and reported on at a time


def load_paths(
    paths: Iterable[str | Path],
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> LoadResult:
    """Every catalogue file under paths, read (through the cache, when given) into one result."""
    files, problems = catalogue_files(paths)
    return assemble(files, load_files(files, cache, progress, workers=workers), problems)


def load_files(
    files: list[tuple[FilePath, str, bool]],
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    keys: list[bytes | str] | None = None,
    keys_out: list[bytes | str] | None = None,
    workers: int = 1,
    each: Callable[[list[Entry]], None] | None = None,
) -> list[Entry]:
    """Each file's records and problems, in order; progress(done, total) after every chunk.
    keys: read_keys(files), when the caller has them (a cache hit then reads no file again);
    keys_out receives each file's key as loaded (see read_keys). workers: processes that may
    parse at once (workers.available()); a large load then uses every core. each(entries):
    every chunk's entries, in order, as soon as they are ready (the next chunk is parsing);
    they are then each's alone (the list returned is empty)."""
    out: list[Entry] = []
    total = len(files)
    if progress is not None:
        progress(0, total)

    def finish(entries: list[Entry | None], misses: list, parsed: Callable, done: int) -> None:
        new: dict[bytes, Entry] = {}
        for (i, key, _), entry in zip(misses, parsed(), strict=True):
            entries[i] = entry
            new[key] = entry
        if each is None:
            out.extend(entries)  # type: ignore[arg-type]
        else:
            each(entries)  # type: ignore[arg-type]
        if cache is not None:
            cache.put_many(new)
        if progress is not None:
            progress(done, total)

    with gc_paused(), pool(workers, total) as parsers:
        waiting: tuple | None = None  # the chunk being parsed while the next one is read
        for start in range(0, total, CHUNK):
            chunk = files[start : start + CHUNK]
            if keys is None:
                raw: list[bytes | Entry | None] = [_read(f, shown) for f, shown, _ in chunk]
                known = (
                    [
                        _key(f, shown, explicit, data)
                        for (f, shown, explicit), data in zip(chunk, raw, strict=True)
                    ]
                    if cache is not None or keys_out is not None
                    else [""] * len(chunk)  # keys only serve the cache
                )
            else:
                raw = [None] * len(chunk)
                known = keys[start : start + len(chunk)]
            wanted = (k for k in known if isinstance(k, bytes))
            hits = cache.get_many(wanted) if cache is not None else {}
            entries: list[Entry | None] = []
            misses: list[tuple[int, bytes | str, tuple[bytes, FilePath, str, bool]]] = []
            for (f, shown, explicit), data, key in zip(chunk, raw, known, strict=True):
                if isinstance(key, bytes) and key in hits:
                    entries.append(hits[key])
                else:
                    if data is None:  # read now: it may have changed since it was hashed
                        data = _read(f, shown)
                        key = _key(f, shown, explicit, data)
                    if isinstance(data, bytes):
                        misses.append((len(entries), key, (data, f, shown, explicit)))
                        entries.append(None)
                    else:
                        entries.append(data)
                if keys_out is not None:
                    keys_out.append(key)
            parsing = start_parsing(parsers, _parse_one, [args for *_, args in misses])
            if waiting is not None:
                finish(*waiting)
            waiting = (entries, misses, parsing, start + len(chunk))
        if waiting is not None:
            finish(*waiting)
    return out


# a file's size, modification and change time (ns), inode, and whether it was named explicitly
Stat = str
Known = dict[str, tuple[Stat, bytes]]  # display path -> its Stat, its key


def read_keys(
    files: list[tuple[FilePath, str, bool]],
    known: Known | None = None,
    trusted_before_ns: int = 0,
) -> tuple[list[bytes | str], Known, int]:
    """Each file's cache key (cache.entry_key of its bytes), or for a file that cannot be read
    the text of its problem: together they say whether the catalogue changed. Plus what to
    remember for next time, and how many files were read.

    known: what a previous call returned. As git's index does, a file whose size, times and
    inode are those it had then is not read again, provided it had not changed since
    trusted_before_ns (its change time is earlier: a later write, even one that restores the
    modification time, always moves the change time on)."""
    known = known or {}
    keys: list[bytes | str] = []
    seen: Known = {}
    read = 0
    for (f, shown, explicit), (sig, changed) in zip(files, _stats(files), strict=True):
        old = known.get(shown)
        if sig is not None and old is not None and old[0] == sig and changed < trusted_before_ns:
            keys.append(old[1])
            seen[shown] = old
            continue
        key = _key(f, shown, explicit, _read(f, shown))
        read += 1
        keys.append(key)
        if sig is not None and isinstance(key, bytes):
            seen[shown] = (sig, key)
    return keys, seen, read


def stat_files(files: list[tuple[FilePath, str, bool]]) -> list[Stat | None]:
    """Each file's Stat (None: it cannot be read), taken before it is read."""
    return [sig for sig, _ in _stats(files)]


def _stats(files: list[tuple[FilePath, str, bool]]) -> list[tuple[Stat | None, int]]:
    out: list[tuple[Stat | None, int]] = []
    for f, _, explicit in files:
        try:
            st = os.stat(f)
        except OSError:
            out.append((None, 0))
            continue
        sig = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{int(explicit)}"
        out.append((sig, st.st_ctime_ns))
    return out


def remember(
    files: list[tuple[FilePath, str, bool]],
    stats: list[Stat | None],
    keys: list[bytes | str],
) -> Known:
    """What read_keys would have returned for a load that read every file (stat_files before)."""
    return {
        shown: (sig, key)
        for (_, shown, _), sig, key in zip(files, stats, keys, strict=True)
        if sig is not None and isinstance(key, bytes)
    }


def _key(f: FilePath, shown: str, explicit: bool, data: bytes | Entry) -> bytes | str:
    if isinstance(data, bytes):
        return entry_key(data, shown, os.path.splitext(f)[1], explicit)
    return "\n".join(map(str, data[1]))


def _read(path: FilePath, shown: str) -> bytes | Entry:
    try:
        return read_bytes(path)
    except _FileProblem as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    except OSError as exc:
        return [], [Problem(shown, None, "error", f"cannot read file: {exc.strerror or exc}")]


def assemble(
    files: list[tuple[FilePath, str, bool]],
    loaded: list[tuple[list[LoadedRecord], list[Problem]]],
    path_problems: list[Problem],
) -> LoadResult:
    """Each file's records and problems, in path order, into one result: the first record with
    an id is kept, a later one is an error naming both places."""
    assembler = Assembler(path_problems)
    for (_, shown, _), entry in zip(files, loaded, strict=True):
        assembler.add(shown, entry)
    return assembler.result


class Assembler:
    """assemble(), a file at a time, so that a load may use each file's kept records (their
    place in result.records is their load order) while later files are still parsing."""

    def __init__(self, path_problems: list[Problem]) -> None:
        self.result = LoadResult(problems=list(path_problems))
        self._seen: dict[str, LoadedRecord] = {}

    def add(self, shown: str, entry: Entry) -> list[LoadedRecord]:
        """One file's records and problems; the records kept (each id's first record)."""
        records, problems = entry
        result = self.result
        result.files.append(shown)
        result.problems.extend(problems)
        kept: list[LoadedRecord] = []
        for rec in records:
            first = self._seen.get(rec.id)
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
            self._seen[rec.id] = rec
            kept.append(rec)
        result.records.extend(kept)
        return kept


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
    path: Path,
    shown: str | None = None,
    explicit: bool = True,
    cache: RecordCache | None = None,
) -> Entry:
    shown = shown or str(path)
    return load_files([(path, shown, explicit)], cache)[0]


def load_bytes(
    data: bytes,
    path: Path,
    shown: str,
    explicit: bool = False,
    cache: RecordCache | None = None,
) -> Entry:
    """One file's content (a git blob, say) read exactly as load_file reads the file at `path`;
    through the cache when given, so the same bytes under the same name are parsed once."""
    if cache is None:
        return _parse(data, path, shown, explicit)
    key = entry_key(data, shown, path.suffix, explicit)
    hit = cache.get_many([key]).get(key)
    if hit is not None:
        return hit
    entry = _parse(data, path, shown, explicit)
    cache.put_many({key: entry})
    return entry


def _parse_one(args: tuple[bytes, FilePath, str, bool]) -> Entry:
    return _parse(*args)


def _parse(data: bytes, path: FilePath, shown: str, explicit: bool) -> Entry:
    path = Path(path)
    try:
        text = decode_text(data)
    except _FileProblem as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    return load_text(text, path, shown, explicit)


def load_text(text: str, path: Path, shown: str, explicit: bool) -> Entry:
    """One file's text to its records and problems (never raises)."""
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

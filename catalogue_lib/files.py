"""The catalogue files: which paths are records, bounded reads, and what changed."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .records import Problem, _FileProblem

MAX_FILE_BYTES = 2 * 1024 * 1024
RECORD_SUFFIXES = {".yaml", ".yml", ".json", ".md", ".txt", ".csv"}
CONFIG_FILES = {
    "scorecard.yaml",
    "scorecard.yml",
    "owners.yaml",
    "owners.yml",
    "calendar.yaml",  # (v1.1) change freezes
    "calendar.yml",
}


def catalogue_files(
    paths: Iterable[str | Path],
) -> tuple[list[tuple[Path, str, bool]], list[Problem]]:
    """(file, display path, named explicitly) in path order, plus problems for missing paths."""
    out: list[tuple[Path, str, bool]] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            out.append((p, str(raw), True))
        elif p.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                rel_dir = os.path.relpath(dirpath, p)
                top = rel_dir == "."
                for name in filenames:
                    if (
                        name.startswith(".")
                        or os.path.splitext(name)[1].lower() not in RECORD_SUFFIXES
                    ):
                        continue
                    if top and name.lower() in CONFIG_FILES:
                        continue
                    rel = name if top else f"{rel_dir}/{name}".replace(os.sep, "/")
                    found.append((rel, Path(dirpath, name)))
            for rel_s, f in sorted(found):
                out.append((f, str(p / rel_s) if str(raw) not in ("", ".") else rel_s, False))
        elif p.exists():
            problems.append(Problem(str(raw), None, "error", "not a regular file or folder"))
        else:
            problems.append(Problem(str(raw), None, "error", "no such file or folder"))
    return out, problems


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading allocates millions of small objects and no cycles: the cyclic collector would
    only walk them again and again (it cost a third of the load time), so it waits until the
    load is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _FileProblem(f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    return decode_text(path.read_bytes())


def decode_text(data: bytes) -> str:
    """A file's bytes as text, or the problem that makes it no catalogue record."""
    if len(data) > MAX_FILE_BYTES:
        raise _FileProblem(
            f"file is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})"
        )
    if b"\x00" in data:
        raise _FileProblem("binary file (contains NUL bytes), not a catalogue record")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(f"not UTF-8 text (bad byte at offset {exc.start})", line) from None


def fingerprint(paths: Iterable[str | Path]) -> tuple:
    """What changes when any catalogue file (configuration included) is added, removed or
    edited: each file's path, modification time and size."""
    paths = list(paths)
    files, problems = catalogue_files(paths)
    config = [
        (p / name, str(p / name), False)
        for p in map(Path, paths)
        if p.is_dir()
        for name in sorted(CONFIG_FILES)
        if (p / name).is_file()
    ]
    out: list[tuple] = []
    for f, shown, _ in files + config:
        try:
            st = f.stat()
            out.append((shown, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((shown, None, None))
    out.extend((str(p), None, None) for p in problems)
    return tuple(out)

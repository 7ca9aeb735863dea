"""The catalogue files: which paths are records, bounded reads, and what changed."""

from __future__ import annotations

import errno
import gc
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .records import Problem, _FileProblem

MAX_FILE_BYTES = 2 * 1024 * 1024
RECORD_SUFFIXES = {".yaml", ".yml", ".json", ".md", ".txt", ".csv"}
FilePath = str | Path  # a walk gives plain strings, a file named on the command line a Path
CONFIG_FILES = {
    "scorecard.yaml",
    "scorecard.yml",
    "owners.yaml",
    "owners.yml",
    "calendar.yaml",  # (v1.1) change freezes
    "calendar.yml",
}


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def shown_name(text: str) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 (kept by Python as
    lone surrogates) become \\xNN escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long for the file system"
    return exc.strerror or type(exc).__name__


def _inside(path: str, real_root: str) -> bool:
    """Whether a link resolves to a file inside the catalogue folder (a repository's link to
    ~/.aws/credentials or /proc must not be read as a record)."""
    try:
        return os.path.commonpath([os.path.realpath(path), real_root]) == real_root
    except ValueError:
        return False


def _walk(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(relative path, file) of every record file under root, and a problem for every path that
    is skipped. Iterative (os.walk recurses once per folder level in Python 3.11), does not
    follow links to folders, and reads only names that are valid UTF-8."""
    found: list[tuple[str, str]] = []  # plain strings: a Path apiece cost a tenth of a load
    problems: list[Problem] = []

    def shown(rel: str) -> str:
        return shown_name(str(root / rel) if rel else str(root))

    real_root = os.path.realpath(root)
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        folder = os.path.join(root, rel_dir) if rel_dir else str(root)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Problem(
                    shown(rel_dir),
                    None,
                    "error",
                    f"cannot read folder: {_reason(exc)}; records in it are not loaded",
                )
            )
            continue
        top = rel_dir == ""
        prefix = folder if folder.endswith(os.sep) else folder + os.sep  # join, 10,000 times
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                # Dot-folders (.git, .github) are tooling. A dot-file with a record suffix is
                # not read either (editors and macOS leave `._x.yaml` copies), but it is named,
                # so a record hidden by a leading dot is never lost without a word.
                if os.path.splitext(name)[1].lower() in RECORD_SUFFIXES and not _is_dir(entry):
                    problems.append(
                        Problem(
                            shown(f"{rel_dir}/{name}" if rel_dir else name),
                            None,
                            "warning",
                            "a hidden file (its name starts with a dot) is not read; "
                            "rename it without the dot to load its records",
                        )
                    )
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError as exc:
                problems.append(Problem(shown(rel), None, "error", f"skipped: {_reason(exc)}"))
                continue
            record_like = os.path.splitext(name)[1].lower() in RECORD_SUFFIXES
            if not _is_utf8(name):
                if is_dir or record_like:
                    problems.append(
                        Problem(
                            shown(rel),
                            None,
                            "error",
                            "the name is not valid UTF-8; skipped (rename it)",
                        )
                    )
                continue
            if is_dir:
                stack.append(rel)
                continue
            if not record_like or (top and name.lower() in CONFIG_FILES):
                continue
            if name.lower() in CONFIG_FILES:
                # read as a record it only gave "missing required fields 'id', 'name'..."
                problems.append(
                    Problem(
                        shown(rel),
                        None,
                        "warning",
                        f"{name} is configuration, read only at the top of the catalogue "
                        "folder; this one is not read (move it there, or rename it if it "
                        "holds records)",
                    )
                )
                continue
            try:
                # the directory entry's type says "regular file" without a stat; a link is
                # followed and checked
                regular = (not is_link and entry.is_file(follow_symlinks=False)) or (
                    entry.is_file(follow_symlinks=True)
                    and stat.S_ISREG(entry.stat(follow_symlinks=True).st_mode)
                )
            except OSError as exc:
                problems.append(Problem(shown(rel), None, "error", f"skipped: {_reason(exc)}"))
                continue
            if not regular:
                what = "a link to a folder" if is_link and entry.is_dir() else "not a regular file"
                if what == "a link to a folder":
                    problems.append(
                        Problem(shown(rel), None, "warning", "a link to a folder is not followed")
                    )
                else:
                    problems.append(
                        Problem(
                            shown(rel),
                            None,
                            "error",
                            "not a regular file (a FIFO, socket, device or broken link); skipped",
                        )
                    )
                continue
            if is_link and not _inside(os.path.join(folder, name), real_root):
                problems.append(
                    Problem(
                        shown(rel),
                        None,
                        "error",
                        "a link to a file outside the catalogue folder; skipped",
                    )
                )
                continue
            found.append((rel, prefix + name))
    found.sort()
    problems.sort(key=lambda p: p.path)
    return found, problems


def catalogue_files(
    paths: Iterable[str | Path],
) -> tuple[list[tuple[FilePath, str, bool]], list[Problem]]:
    """(file, display path, named explicitly) in path order, plus problems for missing paths and
    for every path inside a folder that is skipped."""
    out: list[tuple[FilePath, str, bool]] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if not _is_utf8(str(raw)):
            problems.append(
                Problem(shown_name(str(raw)), None, "error", "the name is not valid UTF-8")
            )
        elif p.is_file():
            out.append((p, str(raw), True))
        elif p.is_dir():
            found, skipped = _walk(p)
            problems.extend(skipped)
            top = str(p)
            top = top if top.endswith(os.sep) else top + os.sep
            bare = top == "." + os.sep  # "", ".", "./": shown as found, as Path("./") / x was
            for rel_s, f in found:
                out.append((f, rel_s if bare else top + rel_s, False))
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


def read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file only (a FIFO would block, a device never ends), read to
    at most MAX_FILE_BYTES + 1 bytes whatever its size says (it may grow meanwhile; decode_text
    refuses it then)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _FileProblem("not a regular file (a FIFO, socket or device); not read")
        if st.st_size > MAX_FILE_BYTES:
            raise _FileProblem(
                f"file is too large ({st.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
            )
        chunks, left = [], MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_text(data: bytes) -> str:
    """A file's bytes as text, or the problem that makes it no catalogue record."""
    if len(data) > MAX_FILE_BYTES:
        raise _FileProblem(
            f"file is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte order mark: what Excel's "Unicode text" and some Windows
        # editors save. Its NUL bytes are text; a NUL character after decoding is not.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise _FileProblem(f"not UTF-16 text (bad bytes at offset {exc.start})", line) from None
        if "\x00" in text:
            raise _FileProblem("binary file (contains NUL characters), not a catalogue record")
        return text
    if b"\x00" in data:
        raise _FileProblem("binary file (contains NUL bytes), not a catalogue record")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(
            f"not UTF-8 text (bad byte 0x{data[exc.start]:02X} at offset {exc.start}); a "
            "spreadsheet or editor saved it in another encoding: save it as UTF-8",
            line,
        ) from None


def read_text(path: Path) -> str:
    return decode_text(read_bytes(path))


def fingerprint(
    paths: Iterable[str | Path],
    walked: tuple[list[tuple[FilePath, str, bool]], list[Problem]] | None = None,
) -> tuple:
    """What changes when any catalogue file (configuration included) is added, removed or
    edited: each file's path, modification time and size. walked: catalogue_files(paths),
    when the caller has it already (one walk instead of two)."""
    paths = list(paths)
    files, problems = walked if walked is not None else catalogue_files(paths)
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
            st = os.stat(f)
            out.append((shown, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((shown, None, None))
    out.extend((str(p), None, None) for p in problems)
    return tuple(out)

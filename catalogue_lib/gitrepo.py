"""Read a catalogue's git history without running anything from the repository.

Every call is a plain `git` subprocess (never a shell) with hooks, fsmonitor and signature
checks switched off and the system configuration ignored; blobs are read with `git cat-file
--batch`, which applies no filters and no textconv, and nothing is ever checked out.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SAFE_CONFIG = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.quotePath=false",
)


class GitError(Exception):
    """git is missing, or refused a command; the message says which."""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        LC_ALL="C",
    )
    return env


def git(cwd: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    proc = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        [exe, *SAFE_CONFIG, *args],
        cwd=cwd,
        env=_env(),
        input=input_bytes,
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return proc.stdout


@dataclass(frozen=True)
class Repo:
    root: Path  # the work tree's top folder
    prefix: str  # the catalogue folder inside it, '' for the top, else 'a/b/'

    def pathspec(self) -> list[str]:
        return ["--", self.prefix] if self.prefix else []


def find_repo(path: str | Path) -> Repo | None:
    """The git repository holding a catalogue folder, or None when it is not in one."""
    folder = Path(path).resolve()
    if not folder.is_dir() or shutil.which("git") is None:
        return None
    try:
        top = git(folder, "rev-parse", "--show-toplevel").decode().strip()
        git(folder, "rev-parse", "--verify", "--quiet", "HEAD")
    except GitError:
        return None
    root = Path(top).resolve()
    rel = folder.relative_to(root).as_posix()
    return Repo(root, "" if rel == "." else rel + "/")


@dataclass(frozen=True)
class DayCommit:
    day: dt.date
    commit: str


def day_commits(
    repo: Repo, since: dt.date | None = None, until: dt.date | None = None
) -> list[DayCommit]:
    """One commit per day that has a commit touching the catalogue folder on the first-parent
    line of HEAD: the day's last commit on that line (the newest, which holds every earlier
    commit of the day), oldest day first. The day is the committer date in the committer's own
    time zone. Committer times need not grow along the line (a skewed clock, or two zones far
    apart sharing a calendar day): picking the latest time could pick an ancestor of the day's
    last commit, whose snapshot lacks what its descendants changed that day."""
    out = git(repo.root, "log", "--first-parent", "--format=%H %cI", "HEAD", *repo.pathspec())
    best: dict[dt.date, str] = {}
    for line in out.decode().splitlines():  # newest first, along the first-parent line
        sha, iso = line.split(" ")
        day = dt.date.fromisoformat(iso[:10])
        if (since and day < since) or (until and day > until):
            continue
        best.setdefault(day, sha)
    return [DayCommit(d, best[d]) for d in sorted(best)]


@dataclass(frozen=True)
class TreeEntry:
    rel: str  # path relative to the catalogue folder, '/'-separated
    blob: str
    size: int


def ls_tree(repo: Repo, commit: str) -> list[TreeEntry]:
    """Every regular file under the catalogue folder at a commit (symlinks and submodules are
    left out: they are not records in the repository)."""
    out = git(repo.root, "ls-tree", "-r", "-z", "--long", "--full-tree", commit, *repo.pathspec())
    entries = []
    for item in out.split(b"\0"):
        if not item:
            continue
        meta, path = item.split(b"\t", 1)
        mode, kind, blob, size = meta.split()
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            continue
        rel = path.decode("utf-8", "surrogateescape")[len(repo.prefix) :]
        entries.append(TreeEntry(rel, blob.decode(), int(size)))
    return entries


class BlobReader:
    """One `git cat-file --batch` process answering blob ids with their bytes."""

    def __init__(self, repo: Repo):
        exe = shutil.which("git")
        if exe is None:
            raise GitError("git is not installed")
        self._proc = subprocess.Popen(  # noqa: S603
            [exe, *SAFE_CONFIG, "cat-file", "--batch"],
            cwd=repo.root,
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, blob: str) -> bytes:
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(blob.encode() + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().split()
        if len(header) != 3:
            raise GitError(f"cannot read blob {blob}")
        data = self._proc.stdout.read(int(header[2]))
        self._proc.stdout.read(1)  # the newline after the content
        return data

    def read_many(self, blobs: list[str], chunk: int = 256) -> dict[str, bytes]:
        """Many blobs, asked for a chunk at a time (a chunk of ids fits in the pipe's buffer,
        so git never waits on us while we write)."""
        assert self._proc.stdin and self._proc.stdout
        out: dict[str, bytes] = {}
        for start in range(0, len(blobs), chunk):
            part = blobs[start : start + chunk]
            self._proc.stdin.write(b"".join(b.encode() + b"\n" for b in part))
            self._proc.stdin.flush()
            for blob in part:
                header = self._proc.stdout.readline().split()
                if len(header) != 3:
                    raise GitError(f"cannot read blob {blob}")
                out[blob] = self._proc.stdout.read(int(header[2]))
                self._proc.stdout.read(1)
        return out

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin
            self._proc.stdin.close()
            self._proc.wait(timeout=10)

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def last_commits(repo: Repo) -> dict[str, tuple[dt.date, str]]:
    """Each file's last commit under the catalogue folder: {relative path: (day, commit)}."""
    out = git(
        repo.root,
        "log",
        "--first-parent",
        "--no-renames",
        "-z",
        "--name-only",
        "--format=%x01%H %cI",
        "HEAD",
        *repo.pathspec(),
    ).decode("utf-8", "surrogateescape")
    seen: dict[str, tuple[dt.date, str]] = {}
    for chunk in out.split("\x01")[1:]:
        head, _, names = chunk.partition("\n")
        sha, iso = head.split(" ")
        day = dt.date.fromisoformat(iso[:10])
        for name in names.split("\0"):
            name = name.strip("\n")
            if name and name.startswith(repo.prefix):
                seen.setdefault(name[len(repo.prefix) :], (day, sha))
    return seen


@dataclass(frozen=True)
class Change:
    rel: str
    blob: str | None  # None: the file was deleted (or is no regular file any more)


def first_parent_changes(repo: Repo) -> list[tuple[str, list[Change]]]:
    """Every first-parent commit touching the catalogue folder, oldest first, with the files it
    changed there (renames as a delete and an add), from one `git log --raw`."""
    out = git(
        repo.root,
        "log",
        "--first-parent",
        "--no-renames",
        "--raw",
        "-z",
        "--no-abbrev",
        "--format=%x01%H",
        "HEAD",
        *repo.pathspec(),
    )
    commits: list[tuple[str, list[Change]]] = []
    for chunk in out.split(b"\x01")[1:]:
        head, _, raw = chunk.partition(b"\n")
        changes: list[Change] = []
        fields = raw.lstrip(b"\n").split(b"\0")
        i = 0
        while i + 1 < len(fields):
            meta = fields[i].strip(b"\n")
            if not meta.startswith(b":"):
                i += 1
                continue
            _old_mode, new_mode, _old, new, _status = meta[1:].split(b" ")
            path = fields[i + 1].decode("utf-8", "surrogateescape")
            i += 2
            if not path.startswith(repo.prefix):
                continue
            regular = new_mode in (b"100644", b"100755")
            changes.append(Change(path[len(repo.prefix) :], new.decode() if regular else None))
        commits.append((head.decode().strip().strip("\x00"), changes))
    commits.reverse()
    return commits

"""A persistent cache of parsed and validated records, so a restart does not parse again.

One SQLite file (`records-v2.sqlite`) in a per-user cache folder, outside the catalogue:
`--cache DIR` on the command line, else `$CATALOGUE_CACHE`, else
`$XDG_CACHE_HOME/integrations-catalogue` (`~/.cache/...`). `CATALOGUE_CACHE=off` (or
`--no-cache`) switches it off.

Each entry is one file's records and problems, keyed by a hash of the file's bytes, its display
path and what else decides how it is read (its suffix, whether it was named explicitly), and
the software: the package version, a hash of the record's JSON Schema, of the loader's own
source and the parsers' versions. So an edit, a new version or a moved file simply misses, and
the same bytes at another commit (git history) hit.

Never trusted: every entry carries a checksum of its bytes and is checked when read (a bad one
is a miss, and is written again); a file that is not our SQLite database (corrupt, truncated,
foreign) is set aside and rebuilt. Two processes may share the file: SQLite locks it, a writer
waits for the other, and a cache that cannot be written only costs speed, never a load.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from .codetag import DISTRIBUTIONS
from .records import LoadedRecord, Problem

ENV_VAR = "CATALOGUE_CACHE"
OFF = {"off", "0", "no", "false", "none"}
FILE_NAME = "records-v2.sqlite"
MAGIC = "integrations-catalogue record cache v2"
BUSY_SECONDS = 30.0  # how long to wait for another process's write
RETRY_SECONDS = 60.0  # a cache that could not be opened is tried again after this
MAX_ENTRIES = 200_000  # about 2.5 KB each; past this the oldest entries are dropped
_LOADER_MODULES = (  # every module the loader reads a file with (a test holds the list)
    "badvalues.py",
    "files.py",
    "load.py",
    "model.py",
    "records.py",
    "secrets.py",
    "source_json.py",
    "source_table.py",
    "source_yaml.py",
    "values.py",
    "yaml_fast.py",
    "yaml_guards.py",
    "yaml_lines.py",
)

Entry = tuple[list[LoadedRecord], list[Problem]]
_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(LoadedRecord) if f.name != "json")
_PROBLEM_FIELDS = tuple(f.name for f in dataclasses.fields(Problem))


def default_dir() -> Path | None:
    """$CATALOGUE_CACHE (None when it says off), else the per-user cache folder."""
    env = os.environ.get(ENV_VAR)
    if env is not None and env.strip():
        return None if env.strip().lower() in OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "integrations-catalogue"


@cache
def software_tag() -> bytes:
    """What the cached results depend on besides the file: a change here misses every entry."""
    from .model import json_schema

    h = hashlib.blake2b(digest_size=16)
    for dist in DISTRIBUTIONS:
        try:
            h.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=;".encode())
    h.update(json.dumps(json_schema(), sort_keys=True).encode())
    here = Path(__file__).resolve().parent
    for name in _LOADER_MODULES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.digest()


def entry_key(data: bytes, shown: str, suffix: str, explicit: bool) -> bytes:
    h = hashlib.blake2b(software_tag(), digest_size=20)
    h.update(f"{shown}\0{suffix.lower()}\0{int(explicit)}\0".encode())
    h.update(data)
    return h.digest()


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


def encode(entry: Entry) -> bytes | None:
    """One line of JSON for everything but the records' JSON, then each record's JSON on its own
    line (compact JSON holds no raw newline), so a hit parses only the small first line."""
    records, problems = entry
    if any(b"\n" in r.json for r in records):
        return None  # never happens with compact JSON; such an entry is simply not cached
    try:
        head = json.dumps(
            [
                [[getattr(r, name) for name in _RECORD_FIELDS] for r in records],
                [[getattr(p, name) for name in _PROBLEM_FIELDS] for p in problems],
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
    except (TypeError, ValueError):  # a field JSON cannot hold: not cached, read every time
        return None
    return b"\n".join([head, *(r.json for r in records)])


def decode(payload: bytes) -> Entry:
    head, *jsons = payload.split(b"\n")
    records, problems = json.loads(head)
    if len(records) != len(jsons):
        raise ValueError("records and their JSON do not match")
    return (
        [
            LoadedRecord(json=j, **dict(zip(_RECORD_FIELDS, values, strict=True)))
            for j, values in zip(jsons, records, strict=True)
        ],
        [Problem(**dict(zip(_PROBLEM_FIELDS, p, strict=True))) for p in problems],
    )


class RecordCache:
    """The cache file; safe to share between threads and processes."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        self.rebuilt = False  # the file was unusable and was set aside
        self._retry_at = 0.0  # after a failure to open, when to try again (time.monotonic)

    # ------------------------------------------------------------------ the file

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(
            self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        try:
            con.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                con.execute(
                    "CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, sum BLOB NOT "
                    "NULL, payload BLOB NOT NULL)"
                )
                row = con.execute("SELECT v FROM meta WHERE k = 'magic'").fetchone()
                if row is None:
                    if con.execute("SELECT count(*) FROM entries").fetchone()[0]:
                        raise sqlite3.DatabaseError("entries without our magic: a foreign file")
                    con.execute("INSERT INTO meta VALUES ('magic', ?)", (MAGIC,))
                elif row[0] != MAGIC:
                    raise sqlite3.DatabaseError("not our cache file")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except BaseException:
            con.close()
            raise
        return con

    def _open(self) -> sqlite3.Connection | None:
        if self._con is not None or time.monotonic() < self._retry_at:
            return self._con
        try:
            self._con = self._connect()
        except OSError:
            self._con = None
        except sqlite3.Error as exc:
            self._con = None
            if not _transient(exc):  # not a database, malformed, not ours: rebuilt
                self._set_aside()
                try:
                    self._con = self._connect()
                except (sqlite3.Error, OSError):
                    self._con = None
        if self._con is None:
            self._retry_at = time.monotonic() + RETRY_SECONDS
        return self._con

    def _set_aside(self) -> None:
        """An unusable file is replaced (moved out of the way, never read again)."""
        self.rebuilt = True
        for suffix in ("", "-wal", "-shm"):
            try:
                os.replace(f"{self.path}{suffix}", f"{self.path}{suffix}.broken")
            except OSError:
                pass

    def _failed(self) -> None:
        """A read or write failed on an open file: start again from a fresh file."""
        if self._con is not None:
            self._con.close()
            self._con = None
        self._set_aside()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # ------------------------------------------------------------------ entries

    def get_many(self, keys: Iterable[bytes]) -> dict[bytes, Entry]:
        keys = list(dict.fromkeys(keys))
        found: dict[bytes, Entry] = {}
        with self._lock:
            con = self._open()
            if con is None or not keys:
                self.misses += len(keys)
                return found
            try:
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = con.execute(
                        f"SELECT key, sum, payload FROM entries WHERE key IN ({marks})", chunk
                    ).fetchall()
                    for key, checksum, payload in rows:
                        if _checksum(payload) != checksum:
                            continue  # damaged: a miss, written again
                        try:
                            found[key] = decode(payload)
                        except (ValueError, TypeError):
                            continue
            except sqlite3.Error as exc:
                if not _transient(exc):
                    self._failed()
                found = {}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, entries: dict[bytes, Entry]) -> None:
        if not entries:
            return
        rows = []
        for key, entry in entries.items():
            payload = encode(entry)
            if payload is not None:
                rows.append((key, _checksum(payload), payload))
        with self._lock:
            con = self._open()
            if con is None:
                return
            try:
                con.execute("BEGIN IMMEDIATE")
                con.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
                con.execute(
                    "DELETE FROM entries WHERE rowid <= (SELECT max(rowid) FROM entries) - ?",
                    (MAX_ENTRIES,),
                )
                con.execute("COMMIT")
            except sqlite3.Error as exc:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if not _transient(exc):
                    self._failed()


_TRANSIENT = {
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_READONLY",
    "SQLITE_CANTOPEN",
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_PERM",
    "SQLITE_INTERRUPT",
    "SQLITE_NOMEM",
}


def _transient(exc: sqlite3.Error) -> bool:
    """Locked, read-only, full, out of memory: worth another try later, and no reason to throw
    the file away (unlike a file that is not a database, is malformed or is not ours)."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return "_".join(name.split("_")[:2]) in _TRANSIENT  # SQLITE_IOERR_SHORT_READ -> SQLITE_IOERR


def open_cache(folder: str | Path | None = None, enabled: bool = True) -> RecordCache | None:
    """The cache in folder, else the default one; None when switched off."""
    if not enabled:
        return None
    where = Path(folder).expanduser() if folder else default_dir()
    return RecordCache(where) if where is not None else None

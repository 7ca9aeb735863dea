"""The built database of an unchanged catalogue, kept so a restart neither parses nor builds.

The record cache (cache.py) saves parsing, but a warm start still turned 50,000 cached records
into DuckDB rows: that cost more than libyaml parsing the files. So beside it, in the same cache
folder, we keep the database the records built (its record tables and the load's problems), as
one DuckDB file per catalogue state:

- **Key.** A hash of every catalogue file's cache key (its bytes, display path and how it is
  read, cache.entry_key), the walk's own problems, and the software (codetag.code_tag: every
  module and SQL file of this package, DuckDB's version). Configuration (scorecard.yaml,
  owners.yaml, calendar.yaml) is not in it: it is applied to the restored database every time,
  as on a cold load.
- **Never trusted.** A file is used only when DuckDB opens it read-only and its `_meta` row
  holds our magic and the very key asked for; anything else (garbage, a truncated copy, another
  program's database) is a miss and is deleted.
- **Shared.** A snapshot is written to a temporary file and renamed into place, so another
  process sees a whole file or none. Only the newest KEEP snapshots are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from .codetag import code_tag
from .records import LoadedRecord, LoadResult, Problem

if TYPE_CHECKING:
    from .load import Known

MAGIC = "integrations-catalogue database snapshot v1"
KEEP = 4  # snapshots kept per cache folder (a few checkouts or catalogues side by side)
STALE_SECONDS = 3600.0
TABLES = (
    "integrations",
    "versions",
    "planned_changes",
    "credentials",
    "risks",
    "incidents",
    "check_overrides",
    "problems",
)
_PROBLEM_FIELDS = ("path", "line", "severity", "message")
_NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def catalogue_key(keys: list[bytes | str], path_problems: list[Problem]) -> str:
    """The key of a catalogue state: per file its cache key, or (a file that could not be read)
    the text of its problems; then the walk's problems."""
    h = hashlib.blake2b(code_tag(), digest_size=20)
    for k in keys:
        h.update(b"k" + k if isinstance(k, bytes) else b"p" + k.encode("utf-8", "replace"))
        h.update(b"\0")
    for p in path_problems:
        h.update(str(p).encode("utf-8", "replace") + b"\0")
    return h.hexdigest()


def _paths_file(folder: Path, paths: list[str]) -> Path:
    where = "\0".join(os.path.abspath(p) for p in paths)
    return (
        folder
        / f"files-{hashlib.blake2b(where.encode('utf-8', 'replace'), digest_size=12).hexdigest()}.json"
    )


RACY_NS = 2_000_000_000  # file systems that keep times to the second or two (FAT, some NFS)


def known_keys(folder: Path, paths: list[str]) -> tuple[Known, int, str | None]:
    """What the last load of these paths read (load.read_keys), the change time before which a
    file it saw is trusted unread, and the key of the catalogue it loaded; nothing when there
    is no such record or it is not ours."""
    try:
        saved = json.loads(_paths_file(folder, paths).read_bytes())
        if saved["magic"] != MAGIC or saved["tag"] != code_tag().hex():
            return {}, 0, None
        known = {
            shown: (str(sig), bytes.fromhex(key)) for shown, (sig, key) in saved["files"].items()
        }
        last = saved.get("catalogue")
        return known, int(saved["at"]) - RACY_NS, last if isinstance(last, str) else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}, 0, None


def save_keys(
    folder: Path, paths: list[str], seen: Known, at_ns: int, catalogue: str | None = None
) -> None:
    """Remember a load's files (load.read_keys) as of at_ns, the time it started reading, and
    the key of the catalogue they make (the base of the next load's database, see build)."""
    path = _paths_file(folder, paths)
    tmp = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    data = {
        "magic": MAGIC,
        "tag": code_tag().hex(),
        "at": at_ns,
        "catalogue": catalogue,
        "files": {shown: [sig, key.hex()] for shown, (sig, key) in seen.items()},
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, ValueError):
        _remove(tmp)


def kept_any(folder: Path) -> bool:
    """Whether any database is kept here (else a load need not look for one)."""
    try:
        return any(folder.glob("database-*.duckdb"))
    except OSError:
        return False


def _file(folder: Path, key: str) -> Path:
    return folder / f"database-{key}.duckdb"


def _exists(path: Path) -> bool:
    """A kept file is there (a cache folder this user may not read has none)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _quoted(path: Path) -> str:
    """A path for ATTACH: absolute, so that no spelling of the cache folder (`sqlite:x`) reads
    as an extension's prefix, and quoted."""
    return "'" + os.path.abspath(path).replace("'", "''") + "'"


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    name = con.execute("SELECT current_database()").fetchone()[0]
    return '"' + name.replace('"', '""') + '"'


def restore(
    folder: Path, key: str, con: duckdb.DuckDBPyConnection, copy: bool = False
) -> LoadResult | None:
    """Fill con (its schema created, its record tables empty) from the snapshot for key, and
    return the load's result; None (con untouched) when there is no usable snapshot.

    An in-memory database keeps the snapshot attached, read-only, and its record tables become
    views of the snapshot's: nothing is copied, and the records stay on disk (DuckDB pages in
    what a query reads), which is what makes a restart at 50,000 cheap in time and memory.
    copy: copy the tables instead (a database file written for later use must stand alone).
    The records of the result carry no JSON: it is in the database (integrations.record_json)."""
    path = _file(folder, key)
    if not _exists(path):
        return None
    here, kept = _catalog(con), _alias()
    try:
        con.execute(f"ATTACH {_quoted(path)} AS {kept} (READ_ONLY)")
    except duckdb.Error:
        _discard(path)
        return None
    try:
        meta = con.execute(f"SELECT magic, key, result FROM {kept}._meta").fetchall()
        if len(meta) != 1 or meta[0][0] != MAGIC or meta[0][1] != key:
            raise ValueError("not our snapshot")
        problems, files, extra = _parse_saved(meta[0][2])
        con.execute("BEGIN")
        try:
            for table in TABLES:
                if copy or table == "problems":  # problems: configuration adds its own
                    con.execute(f"INSERT INTO {here}.{table} SELECT * FROM {kept}.{table}")
                else:
                    con.execute(f"DROP TABLE {here}.{table}")
                    con.execute(f"CREATE VIEW {here}.{table} AS SELECT * FROM {kept}.{table}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        rows = con.execute(
            "SELECT id, owner, source_path, source_line, source_form "
            f"FROM {here}.integrations ORDER BY load_order"
        ).fetchall()
    except (duckdb.Error, ValueError, TypeError, KeyError):
        _detach(con, kept)
        _discard(path)
        return None
    if copy:
        _detach(con, kept)
    try:
        os.utime(path)  # the newest used: the last to be pruned
    except OSError:
        pass
    records = []
    for order, (rid, owner, where, line, form) in enumerate(rows):
        overrides, unreadable = extra.get(str(order), ({}, ()))
        records.append(
            LoadedRecord(None, rid, owner, where, line, form, overrides, tuple(unreadable))
        )
    return LoadResult(records=records, problems=problems, files=files)


def _parse_saved(text: str) -> tuple[list[Problem], list[str], dict[str, tuple[dict, list]]]:
    """The load's problems, files and per-record extras as kept; ValueError for anything else."""
    saved = json.loads(text)
    if not isinstance(saved, dict):
        raise ValueError("not a kept result")
    problems = [Problem(**dict(zip(_PROBLEM_FIELDS, p, strict=True))) for p in saved["problems"]]
    if not all(isinstance(p.path, str) and isinstance(p.message, str) for p in problems):
        raise ValueError("not a kept problem")
    files = saved["files"]
    extra = {
        str(order): (dict(overrides), list(unreadable))
        for order, (overrides, unreadable) in saved["extra"].items()
    }
    if not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
        raise ValueError("not a kept file list")
    if not all(
        all(isinstance(k, str) and isinstance(v, str) for k, v in o.items())
        and all(isinstance(u, str) for u in un)
        for o, un in extra.values()
    ):
        raise ValueError("not a kept extra")
    return problems, files, extra


def build(
    folder: Path,
    key: str,
    result: LoadResult,
    keys: list[bytes | str],
    base: str | None = None,
) -> bool:
    """Build the database of result straight into the kept file for key (then restore() it):
    building in memory and copying it out held the records three times over at once, which
    was the peak memory of a first start. False (nothing kept) when it cannot be written.

    keys: each file's cache key (result.files' order). base: the key of the catalogue loaded
    before (an edit later). The rows of every record whose file has the same key as in that
    snapshot are copied from it (a record's rows depend on its file alone), and only the
    records of changed files are built: a reload after one edit at 50,000 builds one record,
    not 50,000. Without a usable base snapshot everything is built."""
    path = _file(folder, key)
    if _exists(path):
        return True
    tmp = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for start_from in (base, None):  # a base that fails half-way: build everything
            _remove(tmp)
            try:
                _write(tmp, folder, key, result, keys, start_from)
                break
            except (duckdb.Error, TypeError, ValueError, KeyError):
                if start_from is None:
                    raise
        os.replace(tmp, path)
    except (duckdb.Error, OSError, TypeError, ValueError, KeyError):
        _remove(tmp)
        return False
    except BaseException:  # Ctrl-C (or DuckDB's 'Query interrupted'): nothing half-written stays
        _remove(tmp)
        raise
    _prune(folder)
    return True


def _write(
    tmp: Path,
    folder: Path,
    key: str,
    result: LoadResult,
    keys: list[bytes | str],
    base: str | None,
) -> None:
    """The snapshot for key, written to tmp in one transaction (a commit per statement would
    wait for the disk each time)."""
    from . import db

    con = open_snapshot(tmp)
    try:
        copied = _copy_unchanged(con, folder, base, result, keys) if base else set()
        db.load_ordered(
            con, [(order, r) for order, r in enumerate(result.records) if order not in copied]
        )
        seal_snapshot(con, key, result, keys)
    finally:
        con.close()


def open_snapshot(tmp: Path) -> duckdb.DuckDBPyConnection:
    """A new snapshot file at tmp, its schema created, its one transaction begun."""
    from . import db

    con = duckdb.connect(os.path.abspath(tmp), config=_NO_EXTENSIONS)
    try:
        con.execute("BEGIN")
        db.create_schema(con, scorecard=False)  # configuration is never kept
    except BaseException:
        con.close()
        raise
    return con


def seal_snapshot(
    con: duckdb.DuckDBPyConnection, key: str, result: LoadResult, keys: list[bytes | str]
) -> None:
    """End a snapshot whose records are in: the load's problems and what restore() checks."""
    from . import db

    db.add_problems(con, result.problems)
    con.execute("CREATE TABLE _meta (magic VARCHAR, key VARCHAR, result VARCHAR)")
    con.execute("INSERT INTO _meta VALUES (?, ?, ?)", [MAGIC, key, _saved(result, keys)])
    con.execute("COMMIT")


class Pending:
    """A snapshot filled while the files of a first load parse (filler.py), before its key (the
    hash of every file) is known: written to a temporary file, then kept under its key, or
    removed. Writing it failing only costs the next start its speed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tmp = folder / f".database-pending.{os.getpid()}.{threading.get_ident()}.tmp"
        self.con: duckdb.DuckDBPyConnection | None = None  # filled, its transaction open

    def open(self) -> duckdb.DuckDBPyConnection:
        self.folder.mkdir(parents=True, exist_ok=True)
        _remove(self.tmp)
        return open_snapshot(self.tmp)

    def keep(
        self,
        key: str,
        result: LoadResult,
        keys: list[bytes | str],
        into: duckdb.DuckDBPyConnection,
    ) -> LoadResult | None:
        """Seal it as the snapshot for key and restore() it into `into`; None (into untouched)
        when it cannot be kept. It is discarded either way."""
        path = _file(self.folder, key)
        try:
            if not _exists(path) and self.con is not None:  # else kept by another process
                seal_snapshot(self.con, key, result, keys)
                self.con.close()
                os.replace(self.tmp, path)
        except (duckdb.Error, OSError, TypeError, ValueError):
            return None
        finally:
            self.discard()
        _prune(self.folder)
        return restore(self.folder, key, into)

    def discard(self) -> None:
        if self.con is not None:
            try:
                self.con.close()
            except duckdb.Error:
                pass
            self.con = None
        _remove(self.tmp)


def _copy_unchanged(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    base: str,
    result: LoadResult,
    keys: list[bytes | str],
) -> set[int]:
    """Copy into con (empty record tables) the rows of every record of result that the base
    snapshot holds from a file with the same key; the load order of each, as copied."""
    path = _file(folder, base)
    if not _exists(path):
        return set()
    kept = _alias()
    try:
        con.execute(f"ATTACH {_quoted(path)} AS {kept} (READ_ONLY)")
    except duckdb.Error:
        return set()
    try:
        return _copy_from(con, kept, base, result, keys)
    finally:
        _detach(con, kept)


def _copy_from(
    con: duckdb.DuckDBPyConnection,
    kept: str,
    base: str,
    result: LoadResult,
    keys: list[bytes | str],
) -> set[int]:
    meta = con.execute(f"SELECT magic, key, result FROM {kept}._meta").fetchall()
    if len(meta) != 1 or meta[0][0] != MAGIC or meta[0][1] != base:
        return set()
    saved = json.loads(meta[0][2])
    if not isinstance(saved, dict) or saved.get("tag") != code_tag().hex():
        return set()  # rows built by other software: build them all again
    before = saved.get("keys")
    if not isinstance(before, dict):
        return set()
    same = {
        shown
        for shown, k in zip(result.files, keys, strict=True)
        if isinstance(k, bytes) and before.get(shown) == k.hex()
    }
    wanted = [(order, r) for order, r in enumerate(result.records) if r.path in same]
    if not wanted:
        return set()
    con.execute(
        "CREATE TEMP TABLE _same AS SELECT unnest($id) AS id, unnest($path) AS source_path, "
        "unnest($order)::INTEGER AS load_order",
        {
            "id": [r.id for _, r in wanted],
            "path": [r.path for _, r in wanted],
            "order": [order for order, _ in wanted],
        },
    )
    # the same id from the same unchanged file: the very record the snapshot built
    con.execute(
        "INSERT INTO integrations BY NAME SELECT i.* REPLACE (s.load_order AS load_order) "
        f"FROM {kept}.integrations i JOIN _same s USING (id, source_path)"
    )
    for table in TABLES:
        if table not in ("integrations", "problems"):
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT t.* FROM {kept}.{table} t "
                "SEMI JOIN integrations i ON t.integration_id = i.id"
            )
    con.execute("DROP TABLE _same")
    return {order for (order,) in con.execute("SELECT load_order FROM integrations").fetchall()}


def _saved(result: LoadResult, keys: list[bytes | str] | None = None) -> str:
    return json.dumps(
        {
            "tag": code_tag().hex(),
            "files": result.files,
            "keys": {
                shown: k.hex()
                for shown, k in zip(result.files, keys or (), strict=False)
                if isinstance(k, bytes)
            },
            "problems": [[getattr(p, f) for f in _PROBLEM_FIELDS] for p in result.problems],
            "extra": {
                str(order): [r.overrides, list(r.unreadable)]
                for order, r in enumerate(result.records)
                if r.overrides or r.unreadable
            },
        },
        ensure_ascii=False,
    )


def store(
    folder: Path,
    key: str,
    con: duckdb.DuckDBPyConnection,
    result: LoadResult,
    keys: list[bytes | str] | None = None,
) -> None:
    """Keep con's record tables (built from result alone) under key. Failing to write only costs
    the next start its speed."""
    path = _file(folder, key)
    if _exists(path):
        return
    tmp = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    here, kept = _catalog(con), _alias()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove(tmp)
        con.execute(f"ATTACH {_quoted(tmp)} AS {kept}")
        try:
            for table in TABLES:
                con.execute(f"CREATE TABLE {kept}.{table} AS SELECT * FROM {here}.{table}")
            con.execute(f"CREATE TABLE {kept}._meta (magic VARCHAR, key VARCHAR, result VARCHAR)")
            con.execute(
                f"INSERT INTO {kept}._meta VALUES (?, ?, ?)",
                [MAGIC, key, _saved(result, keys)],
            )
        finally:
            _detach(con, kept)
        os.replace(tmp, path)
    except (duckdb.Error, OSError, TypeError, ValueError):
        _remove(tmp)
        return
    except BaseException:
        _remove(tmp)
        raise
    _prune(folder)


def _alias() -> str:
    """A name for the attached file no database of the user's can have (a --db file's name is
    its stem: `snapshot.duckdb` is `snapshot`)."""
    return f"kept_{uuid.uuid4().hex}"


def _detach(con: duckdb.DuckDBPyConnection, kept: str) -> None:
    try:
        con.execute(f"DETACH {kept}")
    except duckdb.Error:
        pass


def _remove(path: Path) -> None:
    for suffix in ("", ".wal"):
        try:
            os.remove(f"{path}{suffix}")
        except OSError:
            pass


def _discard(path: Path) -> None:
    """A file that is not a snapshot of ours: never read again."""
    _remove(path)


def _prune(folder: Path) -> None:
    """Keep the newest KEEP databases, and drop what a build that was killed left (a temporary
    file untouched for an hour: no build takes that long)."""
    try:
        found = sorted(
            folder.glob("database-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        stale = time.time() - STALE_SECONDS
        left = [p for p in folder.glob(".*.tmp") if p.stat().st_mtime < stale]
    except OSError:
        return
    for old in found[KEEP:] + left:
        _remove(old)

"""One loaded catalogue: files -> records -> DuckDB, and the figures every report shares."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from . import db, dbcache
from .cache import RecordCache
from .config import (
    Freeze,
    Owner,
    Scorecard,
    initiative_warnings,
    load_calendar,
    load_owners,
    load_scorecard,
    run_custom_checks,
    waiver_warnings,
)
from .filler import Filler, load_filling
from .filters import NO_OWNER
from .load import (
    FilePath,
    LoadResult,
    Problem,
    Progress,
    assemble,
    catalogue_files,
    gc_paused,
    load_files,
    read_keys,
    remember,
    stat_files,
)
from .paths import ENV_VAR, REPO_DATA, default_paths  # noqa: F401 (re-exported)


@dataclass
class Catalogue:
    con: duckdb.DuckDBPyConnection
    result: LoadResult
    paths: list[str]
    scorecard: Scorecard | None = None
    owners: list[Owner] | None = None
    freezes: list[Freeze] | None = None

    def query(self, name: str, **params: Any):  # -> pd.DataFrame
        return db.query(self.con, name, **params)


def config_folder(paths: list[str]) -> Path | None:
    """Where scorecard.yaml and owners.yaml are read from: the first folder among the paths."""
    return next((Path(p) for p in paths if Path(p).is_dir()), None)


def owner_warnings(result: LoadResult, owners: list[Owner] | None, registry: str) -> list[Problem]:
    """A warning for each record whose owner the registry does not know."""
    if owners is None:
        return []
    known = {name.casefold() for o in owners for name in (o.team, *o.aliases)}
    return [
        Problem(
            r.path,
            r.line,
            "warning",
            f"{r.id}: owner '{r.owner}' is not in {registry}",
        )
        for r in result.records
        if r.owner and r.owner.casefold() not in known
    ]


def open_catalogue(
    paths: list[str] | None = None,
    database: str | Path = ":memory:",
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    walked: tuple[list[tuple[FilePath, str, bool]], list[Problem]] | None = None,
    workers: int = 1,
) -> Catalogue:
    """Load and build a catalogue. With a cache (cache.open_cache()), files parsed before are not
    parsed again, and an unchanged catalogue's database is restored whole (dbcache.py).
    walked: catalogue_files(paths), when the caller has it already. workers: processes that
    may parse at once (workers.available(), in a process without threads)."""
    paths = list(paths) if paths else default_paths()
    if cache is None:
        return _open_uncached(paths, database, progress, workers)
    with gc_paused():  # tens of thousands of small objects and no cycles (see gc_paused)
        return _open_cached(paths, database, cache, progress, walked, workers)


def _open_uncached(
    paths: list[str], database: str | Path, progress: Progress | None, workers: int
) -> Catalogue:
    """build_catalogue(load_paths(...)), row for row, with the database filled while the files
    parse (filler.py) instead of after the last one."""
    files, path_problems = catalogue_files(paths)
    result, con = load_filling(
        files,
        path_problems,
        Filler(partial(db.new_database, database), at_end=str(database) != ":memory:"),
        progress,
        workers,
    )
    assert con is not None  # no error is tolerated: a failed fill has raised
    db.add_problems(con, result.problems)
    return configure(con, result, paths)


def _first_start(
    files: list[tuple[FilePath, str, bool]],
    path_problems: list[Problem],
    cache: RecordCache,
    progress: Progress | None,
    workers: int,
    keys_out: list[bytes | str],
) -> tuple[LoadResult, dbcache.Pending | None]:
    """A first load through the cache, its snapshot (dbcache.py) filled while the files parse
    (filler.py): the result and the filled snapshot, or None when it could not be written."""
    pending = dbcache.Pending(cache.folder)
    try:
        result, pending.con = load_filling(
            files,
            path_problems,
            Filler(pending.open),
            progress,
            workers,
            # as build(): a snapshot that cannot be written only costs the next start its speed
            tolerate=(duckdb.Error, OSError, TypeError, ValueError, KeyError),
            cache=cache,
            keys_out=keys_out,
        )
    except BaseException:  # Ctrl-C too: the half-written snapshot goes now, not in an hour
        pending.discard()
        raise
    if pending.con is None:
        pending.discard()
        return result, None
    return result, pending


def _open_cached(
    paths: list[str],
    database: str | Path,
    cache: RecordCache,
    progress: Progress | None,
    walked: tuple[list[tuple[FilePath, str, bool]], list[Problem]] | None,
    workers: int,
) -> Catalogue:
    # the empty database is made on a thread while this one walks the folder and reads the
    # files' keys (its schema and macros cost DuckDB 70 ms of a 0.4 s warm start); it is joined
    # before anything else happens, so no thread runs when a load forks its workers
    making = _Making(database)
    try:
        files, path_problems = walked if walked is not None else catalogue_files(paths)
        known, trusted_before, last = dbcache.known_keys(cache.folder, paths)
        started = time.time_ns()
        in_memory = str(database) == ":memory:"
        result, keys = None, None
        if known or dbcache.kept_any(cache.folder):  # read what changed, restore if unchanged
            keys, seen, read = read_keys(files, known, trusted_before)
            key = dbcache.catalogue_key(keys, path_problems)
            if read or seen.keys() != known.keys() or key != last:
                dbcache.save_keys(cache.folder, paths, seen, started, key)
        else:  # a first load: each file is read once, by the load itself
            stats = stat_files(files)
    except BaseException:  # Ctrl-C, an unreadable cache: the database made meanwhile is closed
        making.discard()
        raise
    con = making.join()
    if keys is not None:
        result = dbcache.restore(cache.folder, key, con, copy=not in_memory)
    if result is None:
        loaded_keys: list[bytes | str] = []
        pending = None
        if keys is None and in_memory:  # a first start: its snapshot fills while files parse
            result, pending = _first_start(
                files, path_problems, cache, progress, workers, loaded_keys
            )
        else:
            result = assemble(
                files, load_files(files, cache, progress, keys, loaded_keys, workers), path_problems
            )
        try:
            key = dbcache.catalogue_key(loaded_keys, path_problems)
            if keys is None:
                seen = remember(files, stats, loaded_keys)
                dbcache.save_keys(cache.folder, paths, seen, started, key)
            kept = None
            if pending is not None:
                kept = pending.keep(key, result, loaded_keys, con)
            # built from the last catalogue's database where files did not change (see build)
            elif in_memory and dbcache.build(cache.folder, key, result, loaded_keys, last):
                kept = dbcache.restore(cache.folder, key, con)
        finally:
            if pending is not None:
                pending.discard()
        if kept is not None:
            result = kept
        else:
            db.load_records(con, result)
            dbcache.store(cache.folder, key, con, result, loaded_keys)
    elif progress is not None:
        progress(len(files), len(files))
    return configure(con, result, paths)


class _Making:
    """db.new_database(database) on a thread of its own, from now until join()."""

    def __init__(self, database: str | Path) -> None:
        self._database = database
        self._con: duckdb.DuckDBPyConnection | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._make, name="catalogue-new-db")
        self._thread.start()

    def _make(self) -> None:
        try:
            self._con = db.new_database(self._database)
        except BaseException as exc:  # raised in the caller's thread by join()
            self._error = exc

    def join(self) -> duckdb.DuckDBPyConnection:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._con is not None
        return self._con

    def discard(self) -> None:
        """Wait for the thread and close what it made; its own error, if any, is dropped (the
        caller is raising another)."""
        self._thread.join()
        if self._con is not None:
            self._con.close()


def build_catalogue(
    result: LoadResult, paths: list[str], database: str | Path = ":memory:"
) -> Catalogue:
    """Loaded records -> a DuckDB catalogue with the scorecard and owner registry in force."""
    with gc_paused():
        con = db.build(result, database)
    return configure(con, result, paths)


def configure(con: duckdb.DuckDBPyConnection, result: LoadResult, paths: list[str]) -> Catalogue:
    """A database of the loaded records, with the configuration in force: the scorecard, the
    owner registry and the calendar, read afresh (they are never cached), and their problems."""
    folder = config_folder(paths)
    card, card_problems, card_source = load_scorecard(folder)
    owners, owner_problems = load_owners(folder)
    freezes, calendar_problems = load_calendar(folder)
    registry = str(folder / "owners.yaml") if folder else "owners.yaml"
    found = (
        card_problems
        + owner_problems
        + calendar_problems
        + owner_warnings(result, owners, registry)
    )
    if card_source != "default":
        ids = {r.id for r in result.records}
        found.extend(waiver_warnings(card, ids, card_source))
        owned = {r.owner or NO_OWNER for r in result.records}
        found.extend(initiative_warnings(card, ids, owned, card_source))
    result.problems.extend(found)
    db.add_problems(con, found)
    shown_card = card_source if card_source != "default" else "scorecard.yaml"
    failures, custom_problems = run_custom_checks(con, card, shown_card)
    result.problems.extend(custom_problems)
    db.add_problems(con, custom_problems)
    db.load_scorecard(con, card, failures, owners, {"scorecard": card_source})
    db.load_freezes(con, freezes)
    return Catalogue(con, result, paths, card, owners, freezes)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # pandas hands DATE columns back as timestamps
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _present(value: Any) -> bool:
    """Not missing: None, NaN and pandas' NaT (whose name is the one way to know it without
    importing pandas) are missing."""
    return (
        value is not None
        and type(value).__name__ != "NaTType"
        and not (isinstance(value, float) and value != value)
    )


def _deadline(r: dict[str, Any]) -> dict[str, Any]:
    """One deadline of the summary: the v1 keys, (v1.1) the approximate and derived flags, the
    form as written of an approximate date, and due_by (with the freeze) where a freeze applies."""
    out: dict[str, Any] = {
        "id": r["id"],
        "kind": r["kind"],
        "date": _jsonable(r["date"]),
        "days": int(r["days"]),
        "overdue": bool(r["overdue"]),
        "approximate": bool(r["approximate"]),
        "derived": bool(r["derived"]),
    }
    if r["approximate"]:
        out["written"] = r["written"]
    if _present(r["due_by"]):
        out["due_by"] = _jsonable(r["due_by"])
        out["freeze"] = r["freeze_name"]
    if _present(r["credential"]):
        out["credential"] = r["credential"]
    return out


def summary(cat: Catalogue, as_of: dt.date) -> dict[str, Any]:
    """The figures of `catalogue summary --format json`, computed as the spec says."""
    # the queries are independent: two at a time, as DuckDB lets go of Python's lock, the
    # longest first. active and must-haves passing are counted as history counts them
    # (trend_figures.sql); tests/test_history.py holds every figure of history to summary's
    queries: dict[str, dict[str, Any]] = {
        "standing": {"as_of": as_of},
        "summary_checks": {"as_of": as_of},
        "summary_deadlines": {"as_of": as_of},
        "summary_by_type": {},
        "owners": {},
        "problem_counts": {},
    }
    with ThreadPoolExecutor(2, thread_name_prefix="catalogue-summary") as pool:
        running = {name: pool.submit(db.rows, cat.con, name, **p) for name, p in queries.items()}
        try:
            got = {name: future.result() for name, future in running.items()}
        except BaseException:  # Ctrl-C, a failed query: the queries not yet started never start
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    standing, checks, deadlines = got["standing"], got["summary_checks"], got["summary_deadlines"]
    by_type, owners, counts = got["summary_by_type"], got["owners"], got["problem_counts"][0]
    return {
        "integrations": sum(int(r["integrations"]) for r in by_type),
        "active": sum(1 for r in standing if r["active"]),
        "must_haves_passing": sum(1 for r in standing if r["active"] and r["must_ok"]),
        "by_type": {r["type"]: int(r["integrations"]) for r in by_type},
        "checks": {
            r["check_name"]: {k: int(r[k]) for k in ("pass", "fail", "na", "unknown")}
            for r in checks
        },
        "deadlines": [_deadline(r) for r in deadlines],
        "owners": [
            {
                "owner": r["owner"] if isinstance(r["owner"], str) else None,
                "integrations": int(r["integrations"]),
                "high_criticality": int(r["high_criticality"]),
                "risk_score": int(r["risk_score"]),
                "risk_share": float(r["risk_share"]),
            }
            for r in owners
        ],
        "problems": {"errors": int(counts["errors"]), "warnings": int(counts["warnings"])},
        "levels": {r["id"]: r["level"] if isinstance(r["level"], str) else None for r in standing},
    }

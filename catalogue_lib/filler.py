"""A database filled while the files are still parsing.

A load used to parse every file and only then fill DuckDB: a third of a second at 10,000 records
without a cache (on one core, the other idle), and 2.8 s at 50,000 on an app's first start (which
parses in one process and writes the kept snapshot, dbcache.py). The filler takes the kept records
a batch at a time on a thread of its own. DuckDB lets go of Python's lock while it works, so the
batch goes in while the next files parse, and only the last batch is left when they are done.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import duckdb

from . import db, load
from .files import gc_paused
from .load import Assembler, Entry, FilePath, Problem, Progress
from .records import LoadResult

BATCH = 2_000  # records a batch: each costs about 25 ms of statements, whatever its size


class Filler:
    """A database from open_db() (called on the filling thread, with the first batch) filled
    with db.load_ordered: fed in load order with add(), ended with finish(); close() abandons it
    (an error elsewhere)."""

    def __init__(
        self, open_db: Callable[[], duckdb.DuckDBPyConnection], at_end: bool = False
    ) -> None:
        self._open_db = open_db
        # at_end: open and fill the database in finish() alone (a --db file is replaced only
        # once every file is parsed, as before: a load stopped on the way, Ctrl-C, leaves the
        # last catalogue written there, not a part of the new one)
        self._at_end = at_end
        self._pending: list[tuple[int, Any]] = []
        self._count = 0  # records added so far: the next one's load order
        self._con: duckdb.DuckDBPyConnection | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._fills: list[Future[None]] = []
        self._failed: BaseException | None = None  # the error a batch met: the rest wait
        self._threads: int | None = None  # DuckDB's threads, to set back once the files are parsed

    def add(self, records: list[Any]) -> None:
        """The next kept records, in load order."""
        self._pending.extend(enumerate(records, self._count))
        self._count += len(records)
        while len(self._pending) >= BATCH and not self._at_end:
            self._send(BATCH)

    def flush(self) -> None:
        """Send what was added, however little: near the end of a load, where the last batch
        is all that is left to fill once the last file is parsed."""
        if not self._at_end:
            self._send()

    def finish(self) -> duckdb.DuckDBPyConnection:
        """The filled database: every batch is in, or the first error a batch met is raised."""
        self._send()
        for fill in self._fills:
            fill.result()
        if self._failed is not None:
            raise self._failed
        con = self._connection()
        self._stop()
        if self._threads is not None:  # the queries that follow use every core again
            con.execute(f"SET threads = {self._threads}")
        return con

    def close(self) -> None:
        """Stop, waiting for the batch in progress; the database is closed."""
        for fill in self._fills:
            fill.cancel()
        self._stop()
        if self._con is not None:
            self._con.close()

    def _send(self, most: int | None = None) -> None:
        """Send the first `most` records added (all of them by default) as a batch."""
        if self._failed is not None:  # stop the load now: it cannot end well
            raise self._failed
        if not self._pending:
            return
        most = len(self._pending) if most is None else most
        batch, self._pending = self._pending[:most], self._pending[most:]
        if self._thread is None:
            # started after the first records, so after the load's workers are forked: a forked
            # process must not copy a thread (nor DuckDB's) that may hold a lock
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="catalogue-fill")
        self._fills.append(self._thread.submit(self._fill, batch))

    def _fill(self, batch: list[tuple[int, Any]]) -> None:
        if self._failed is not None:
            return
        try:
            db.load_ordered(self._connection(), batch)
        except BaseException as exc:
            self._failed = exc
            raise

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self._open_db()
            if not self._at_end:
                # one thread while the files parse: they need the other cores, and DuckDB's
                # second thread cost more CPU than it saved (0.73 s against 0.62 s at 10,000)
                self._threads = int(
                    self._con.execute("SELECT current_setting('threads')").fetchone()[0]
                )
                self._con.execute("SET threads = 1")
        return self._con

    def _stop(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None


def load_filling(
    files: list[tuple[FilePath, str, bool]],
    path_problems: list[Problem],
    filler: Filler,
    progress: Progress | None = None,
    workers: int = 1,
    tolerate: tuple[type[BaseException], ...] = (),
    **load_args: Any,
) -> tuple[LoadResult, duckdb.DuckDBPyConnection | None]:
    """assemble(files, load_files(files, ...)), with filler's database filled on the way (the
    records only: the caller adds the problems). Filling that fails with an error in tolerate
    is given up (the database is None) and the load goes on; any other error ends the load.
    load_args: load_files' cache and keys_out."""
    assembler = Assembler(path_problems)
    shown = iter([s for _, s, _ in files])
    done = 0
    live: Filler | None = filler

    def each(entries: list[Entry]) -> None:
        nonlocal done, live
        kept = []
        for entry in entries:
            kept.extend(assembler.add(next(shown), entry))
        done += len(entries)
        if live is None:
            return
        try:
            live.add(kept)
            if done >= len(files) - 2 * load.CHUNK:  # the last chunks: each a batch of its own
                live.flush()
        except tolerate:
            live.close()
            live = None

    con = None
    with gc_paused():
        try:
            load.load_files(files, progress=progress, workers=workers, each=each, **load_args)
            if live is not None:
                try:
                    con = live.finish()
                except tolerate:
                    live.close()
        except BaseException:
            if live is not None:
                live.close()
            raise
    return assembler.result, con

"""A database filled while the files are still parsing.

A load without a cache used to parse every file and only then fill DuckDB: a third of a second at
10,000 records on one core, with the other core idle. The filler takes the kept records a batch at
a time on a thread of its own. DuckDB lets go of Python's lock while it works, so the batch goes
in while the workers parse the next files, and only the last batch is left when they finish.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb

from . import db

BATCH = 2_000  # records a batch: each costs about 25 ms of statements, whatever its size


class Filler:
    """db.new_database(database) and db.load_ordered, fed in load order with add(), finished
    with finish(); close() abandons it (an error elsewhere). A database file is created and
    filled by finish() alone."""

    def __init__(self, database: str | Path = ":memory:") -> None:
        self._database = database
        self._pending: list[tuple[int, Any]] = []
        self._count = 0  # records added so far: the next one's load order
        self._con: duckdb.DuckDBPyConnection | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._fills: list[Future[None]] = []
        self._failed: BaseException | None = None  # the error a batch met: the rest wait
        # a named file is replaced only once every file is parsed, as before: a load stopped on
        # the way (Ctrl-C) leaves the last catalogue written there, not a part of a new one
        self._at_end = str(database) != ":memory:"

    def add(self, records: list[Any]) -> None:
        """The next kept records, in load order."""
        self._pending.extend(enumerate(records, self._count))
        self._count += len(records)
        if len(self._pending) >= BATCH and not self._at_end:
            self._send()

    def flush(self) -> None:
        """Send what was added, however little: near the end of a load, where the last batch
        is all that is left to fill once the last file is parsed."""
        if not self._at_end:
            self._send()

    def finish(self, problems: list[Any]) -> duckdb.DuckDBPyConnection:
        """The filled database, with these load problems: every batch is in, or the first
        error a batch met is raised here."""
        self._send()
        for fill in self._fills:
            fill.result()
        if self._failed is not None:
            raise self._failed
        con = self._connection()
        db.add_problems(con, problems)
        self._stop()
        return con

    def close(self) -> None:
        """Stop, waiting for the batch in progress; the database is closed."""
        for fill in self._fills:
            fill.cancel()
        self._stop()
        if self._con is not None:
            self._con.close()

    def _send(self) -> None:
        if self._failed is not None:  # stop the load now: it cannot end well
            raise self._failed
        if not self._pending:
            return
        batch, self._pending = self._pending, []
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
            self._con = db.new_database(self._database)
        return self._con

    def _stop(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None

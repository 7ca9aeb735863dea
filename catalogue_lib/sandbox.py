"""The custom-SQL sandbox: the scorecard's own SQL runs here, and scorecard.yaml is attacker-written.

A separate in-memory database holding only a copy of the integrations table, with:
- no file or network access (external access off, no allowed directories, its own fresh empty
  temp directory rather than DuckDB's default `.tmp` relative to the working directory, which
  stays readable after external access is switched off), no extension loading or installing;
- its configuration locked, one thread and a memory limit;
- a time limit per check (the query is interrupted) and for all checks together;
- a row cap: only ids of integrations in the catalogue are kept;
- error messages that name the kind of failure and never echo data, settings or paths.
A check that fails at run time is reported and counts as unknown for every integration.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from .records import Problem

CHECK_SECONDS = 10.0  # one custom check, at check time or run time
TOTAL_SECONDS = 30.0  # every custom check of one load together
HISTORY_SECONDS = 60.0  # every custom check of one history replay together (all days)
MEMORY_LIMIT = "256MB"


class Budget:
    """Time for the custom checks of many evaluations in one run (a history replay, where each
    day would otherwise get the full limits again, so a slow check cost days x limit): `seconds`
    for all of them together, and a check stopped at the time limit is not run again."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds
        self.stopped: set[str] = set()  # SQL texts stopped at the time limit once

    def allows(self, seconds: float) -> float:
        return min(seconds, self.left)

    def spend(self, sql: str, elapsed: float, stopped: bool) -> None:
        self.left -= elapsed
        if stopped:
            self.stopped.add(sql)

    def why_not(self, sql: str) -> str | None:
        """Why the check must not run (None: it may)."""
        if sql in self.stopped:
            return "not run: it was stopped at the time limit on an earlier day"
        if self.left <= 0:
            return f"not run: the history's custom-check time ({self.seconds:g} s) is spent"
        return None


# DuckDB error class -> what a person is told. Only the parser's, binder's and catalog's first
# line is shown (they quote the SQL and the table's column names, never a value).
_SHOWN = (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException)
_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (duckdb.InterruptException, "stopped at the time limit ({seconds:g} s)"),
    (duckdb.PermissionException, "file, network and settings access is not allowed"),
    (duckdb.OutOfMemoryException, f"over the memory limit ({MEMORY_LIMIT})"),
    (duckdb.ConversionException, "a value could not be converted (the value is not shown)"),
    (duckdb.InvalidInputException, "invalid input at run time (the value is not shown)"),
)


def describe_error(exc: BaseException, seconds: float = CHECK_SECONDS, detail: bool = True) -> str:
    """A DuckDB error as a message that shows no data, setting or server path. `detail`: show the
    parser's, binder's or catalog's first line (only when checking against an empty table: at
    run time even those could quote a value)."""
    if isinstance(exc, _SHOWN) and detail:
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "/" not in line and "\\" not in line:
            return line
        return line.split(":", 1)[0] + " (details not shown)"
    for kind, text in _KINDS:
        if isinstance(exc, kind):
            return text.format(seconds=round(seconds, 1))
    if "Permission Error" in str(exc):
        return _KINDS[1][1]
    return f"{type(exc).__name__.removesuffix('Exception')} error at run time (details not shown)"


def strip_statement(sql: str) -> str:
    """One statement without its trailing `;` (comments after it are dropped too)."""
    tokens = duckdb.tokenize(sql)
    code = [pos for pos, kind in tokens if kind != duckdb.token_type.comment]
    if code and sql[code[-1] : code[-1] + 1] == ";":
        return sql[: code[-1]]
    return sql


def _wrap(sql: str) -> str:
    """The check's SELECT as a subquery; the newlines end any trailing `--` comment."""
    return f"(\n{strip_statement(sql)}\n)"


@contextmanager
def _sandbox_dir() -> Iterator[str]:
    path = tempfile.mkdtemp(prefix="catalogue-sandbox-")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _sandbox(
    source: duckdb.DuckDBPyConnection | None, temp_dir: str = ""
) -> duckdb.DuckDBPyConnection:
    """The sandbox database, holding a copy of `source`'s integrations table (or an empty one).
    With no temp_dir DuckDB spills nothing to disk (the memory limit is then a hard limit)."""
    if source is None:
        from .db import build
        from .records import LoadResult

        source = build(LoadResult())
    table = source.cursor().sql("SELECT * FROM integrations").to_arrow_table()
    box = duckdb.connect(
        ":memory:",
        config={
            "threads": 1,
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": temp_dir,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    box.register("_integrations", table)
    box.execute("CREATE TABLE integrations AS SELECT * FROM _integrations")
    box.unregister("_integrations")
    box.execute("SET allowed_directories = []")
    box.execute("SET allowed_paths = []")
    box.execute("SET enable_external_access = false")
    box.execute("SET lock_configuration = true")
    return box


def _run(box: duckdb.DuckDBPyConnection, sql: str, seconds: float) -> list[tuple[Any, ...]]:
    """Run a query in a worker thread; past `seconds` (or on Ctrl-C) the waiting thread calls
    box.interrupt(), which stops DuckDB mid-query. (An Event, not Thread.join: a join cut short
    by Ctrl-C can return early the second time in Python 3.11.)"""
    out: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            out["rows"] = box.execute(sql).fetchall()
        except BaseException as exc:  # handed to the caller's thread
            out["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, daemon=True, name="custom-check").start()
    try:
        finished = done.wait(max(seconds, 0.0))
    except KeyboardInterrupt:
        box.interrupt()
        done.wait()
        raise
    if not finished:
        box.interrupt()
        done.wait()
    if "error" in out:
        raise out["error"]
    if "rows" not in out or not finished:  # finished just as it was interrupted: same thing
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
    return out["rows"]


def check_custom_sql(
    sql: str, seconds: float = CHECK_SECONDS, budget: Budget | None = None
) -> str | None:
    """None when the query is one SELECT that runs against the integrations table; else why not.
    `seconds`: how long the trial run may take (0 or less: not tried, an error); `budget`: the
    time shared with other evaluations of the same run."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        return f"SQL does not parse: {describe_error(exc)}"
    if len(statements) != 1:
        return "SQL must be exactly one SELECT statement"
    if statements[0].type != duckdb.StatementType.SELECT:
        return "SQL must be a SELECT statement"
    if budget is not None:
        if budget.why_not(sql):  # not tried now, nor run later: unknown, with the reason then
            return None
        seconds = budget.allows(seconds)
    if seconds <= 0:
        return "not checked: the custom checks' total time limit is spent"
    box = _sandbox(None)
    started = time.monotonic()
    stopped = False
    try:
        _run(box, f"SELECT * FROM {_wrap(sql)} LIMIT 0", seconds)
        cols = [d[0] for d in box.description or ()]
    except duckdb.Error as exc:
        stopped = isinstance(exc, duckdb.InterruptException)
        return f"SQL fails: {describe_error(exc, seconds)}"
    finally:
        box.close()
        if budget is not None:
            budget.spend(sql, time.monotonic() - started, stopped)
    if "id" not in cols:
        return "SQL must return the failing integrations' id column"
    return None


def run_custom_checks(
    con: duckdb.DuckDBPyConnection,
    card: Any,
    shown: str = "scorecard.yaml",
    budget: Budget | None = None,
) -> tuple[list[dict[str, str]], list[Problem]]:
    """(integration_id, check_name, state) rows of every custom check: 'fail' for the ids it
    returns; 'unknown' for every integration when the check errs or runs out of time. `shown`:
    the scorecard's path as problems name it; `budget`: time shared with other evaluations."""
    if not card.custom_checks:
        return [], []
    rows: list[dict[str, str]] = []
    problems: list[Problem] = []
    left = TOTAL_SECONDS
    # (module globals are read at call time, so a test can lower the limits)
    with _sandbox_dir() as temp_dir:
        box = _sandbox(con, temp_dir)
        try:
            ids = [i for (i,) in box.execute("SELECT id FROM integrations").fetchall()]
            for c in card.custom_checks:
                seconds = min(CHECK_SECONDS, left)
                skipped = budget.why_not(c.sql) if budget is not None else None
                if budget is not None:
                    seconds = budget.allows(seconds)
                started = time.monotonic()
                stopped = False
                query = (
                    f"SELECT DISTINCT f.id::VARCHAR FROM {_wrap(c.sql)} AS f "
                    "WHERE f.id::VARCHAR IN (SELECT id FROM integrations) "
                    f"LIMIT {len(ids)}"
                )
                try:
                    if seconds <= 0 or skipped:
                        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
                    failing = _run(box, query, seconds)
                except duckdb.Error as exc:
                    stopped = isinstance(exc, duckdb.InterruptException) and not skipped
                    why = describe_error(exc, seconds, detail=False)
                    if skipped:
                        why = skipped
                    elif seconds <= 0:
                        why = f"not run: the custom checks' total time limit ({TOTAL_SECONDS:g} s) is spent"
                    problems.append(
                        Problem(
                            shown,
                            None,
                            "error",
                            f"custom check '{c.name}' failed: {why}; its result is unknown "
                            "for every integration",
                        )
                    )
                    rows.extend(
                        {"integration_id": i, "check_name": c.name, "state": "unknown"} for i in ids
                    )
                    continue
                finally:
                    elapsed = time.monotonic() - started
                    left -= elapsed
                    if budget is not None:
                        budget.spend(c.sql, elapsed, stopped and seconds > 0)
                rows.extend(
                    {"integration_id": str(i), "check_name": c.name, "state": "fail"}
                    for (i,) in failing
                )
        finally:
            box.close()
    return rows, problems

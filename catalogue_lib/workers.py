"""Parsing on every core: a pool of forked worker processes for a large cold load.

Parsing and validating a record is Python work that holds the interpreter's lock, so only
processes use a second core. Workers are forked (they start in milliseconds with the package
already imported), and only from a process that runs no other Python thread: forking a process
with threads (Streamlit's server) may copy a lock another thread holds. The command line is
such a process; the app loads in one process and keeps its restart fast with the kept database
(dbcache.py) instead.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any

PARALLEL_MIN = 1000  # files to parse before a pool pays for itself (forks, pickling)
ENV_VAR = "CATALOGUE_WORKERS"  # a number of processes; 1 turns the pool off


def available() -> int:
    """How many worker processes a load may fork here: the cores this process may use (or
    CATALOGUE_WORKERS), and 1 where forking is not safe or not possible."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get(ENV_VAR, "").strip()
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            pass
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _quiet() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers say nothing
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def pool(workers: int, files: int) -> Iterator[Pool | None]:
    """A pool of `workers` forked processes for a load of `files` files, or None when one
    process is enough (one worker, or too few files for the forks to pay)."""
    if workers <= 1 or files < PARALLEL_MIN:
        yield None
        return
    p = multiprocessing.get_context("fork").Pool(workers, initializer=_quiet)
    try:
        yield p
        p.close()
    finally:
        p.terminate()
        p.join()


def run(p: Pool | None, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """fn over items, in order: in the pool when there is one and items enough to share."""
    if p is None or len(items) < 2:
        return [fn(item) for item in items]
    return p.map(fn, items, chunksize=max(1, len(items) // 8))  # a few tasks per worker

"""Parsing on every core: a pool of forked worker processes for a large cold load.

Parsing and validating a record is Python work that holds the interpreter's lock, so only
processes use a second core. Workers are forked (they start in milliseconds with the package
already imported), and only from a process that runs no other Python thread: forking a process
with threads (Streamlit's server) may copy a lock another thread holds. The command line is
such a process; the app loads in one process and keeps its restart fast with the kept database
(dbcache.py) instead.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

Pool = ProcessPoolExecutor

PARALLEL_MIN = 1000  # files to parse before a pool pays for itself (forks, pickling)
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
ENV_VAR = "CATALOGUE_WORKERS"  # a number of processes; 1 turns the pool off


CGROUP_CPU_MAX = "/sys/fs/cgroup/cpu.max"  # cgroup v2: "<quota> <period>" or "max <period>"
MAX_PER_CORE = 4  # CATALOGUE_WORKERS above this many per core is surely a slip


def available() -> int:
    """How many worker processes a load may fork here: the cores this process may use (its
    CPU affinity and its container's CPU quota), or CATALOGUE_WORKERS up to 4 per such core;
    and 1 where forking is not safe or not possible."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = _cores()
    wanted = os.environ.get(ENV_VAR, "").strip()
    if wanted:
        try:
            return min(max(1, int(wanted)), MAX_PER_CORE * cores)
        except ValueError:
            pass
    return cores


def _cores() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _cgroup_quota()
    return max(1, min(cores, quota) if quota else cores)


def _cgroup_quota() -> int | None:
    """The cores a cgroup v2 CPU quota allows (rounded up), or None without a quota: a
    container limited to 2 CPUs on a 64-core host gains nothing from 64 workers."""
    try:
        with open(CGROUP_CPU_MAX, encoding="ascii") as fh:
            quota, period = fh.read().split()[:2]
        if quota == "max" or int(quota) <= 0 or int(period) <= 0:
            return None  # no quota, or none that means anything
        return max(1, -(-int(quota) // int(period)))
    except (OSError, ValueError):
        return None


def _quiet(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers say nothing
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held while forking: _held()
    # a parent killed outright (SIGTERM, SIGKILL) takes its workers with it: an executor's
    # worker, unlike a multiprocessing.Pool's, would otherwise wait on its queue for ever
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the line above
        os._exit(0)


@contextmanager
def pool(workers: int, files: int) -> Iterator[Pool | None]:
    """A pool of `workers` forked processes for a load of `files` files, or None when one
    process is enough (one worker, or too few files for the forks to pay)."""
    if workers <= 1 or files < PARALLEL_MIN:
        yield None
        return
    # an executor, not multiprocessing.Pool: a worker that dies (the OOM killer, a crash in a
    # C extension) breaks it, where a Pool silently replaces the worker and waits forever for
    # the task it lost
    p = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_quiet,
        initargs=(os.getpid(),),
    )
    try:
        yield p
    finally:
        processes = list((getattr(p, "_processes", None) or {}).values())
        for proc in processes:  # Ctrl-C or an error: the workers stop now, not after their tasks
            if proc.is_alive():
                proc.terminate()
        _unblock(p)
        p.shutdown(wait=True, cancel_futures=True)
        for proc in processes:
            proc.join()


def _unblock(p: Pool) -> None:
    """Close the end of the results pipe this process holds but never writes to. A worker
    stopped halfway through handing back its results (a task's records are larger than a pipe
    holds) leaves the pool's own thread reading the rest of them, and shutdown waiting for that
    thread, for ever: with every writer gone it reads the pipe's end instead, finds the pool
    broken, and stops (closing the task pipe, which frees the thread that feeds the workers)."""
    results = getattr(p, "_result_queue", None)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        try:
            writer.close()
        except OSError:
            pass


@contextmanager
def _held() -> Iterator[None]:
    """Ctrl-C held back for a moment: while the pool forks, Python runs its after-fork hooks in
    this process (logging's lock), and a KeyboardInterrupt raised in one of them is printed as
    "Exception ignored" and dropped, so the load went on to the end and exited 0. Held, the
    Ctrl-C arrives as the forks are done, and stops the load as any other does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def start(p: Pool | None, fn: Callable[[Any], Any], items: list[Any]) -> Callable[[], list[Any]]:
    """Start fn over items (in the pool when there is one and items enough to share); the
    returned function gives the results, in order, waiting for them. Meanwhile this process
    may read the next files: the workers never wait for it."""
    if p is None or len(items) < 2:
        done = [fn(item) for item in items]
        return lambda: done
    # a quarter of a chunk a task: few tasks, as the executor costs the parent time per task
    # (a 32nd cost 0.15 s at 10,000 files), yet no worker waits long for the other at the end
    try:
        with _held():  # the first map forks the workers
            results = p.map(fn, items, chunksize=max(1, len(items) // 4))
    except BrokenProcessPool:
        done = [fn(item) for item in items]
        return lambda: done

    def collect() -> list[Any]:
        try:
            return list(results)
        except BrokenProcessPool:  # a worker died: this process parses, as one process would
            return [fn(item) for item in items]

    return collect

"""Parsing on every core: a load shared among forked workers gives exactly the records and
problems one process gives, in the same order, on every source form and every hostile file;
workers are forked only where that is safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from catalogue_lib import cli, workers
from catalogue_lib.files import MAX_FILE_BYTES, catalogue_files
from catalogue_lib.generate import synthetic_records, write_records
from catalogue_lib.load import _parse_one, load_files

from .conftest import FIXTURES, ROOT

HOSTILE = Path(__file__).resolve().parent / "hostile"


def view(entries):
    return [
        (
            [
                (r.json, r.id, r.owner, r.path, r.line, r.form, r.overrides, r.unreadable)
                for r in recs
            ],
            [str(p) for p in probs],
        )
        for recs, probs in entries
    ]


@pytest.fixture
def always_parallel(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_MIN", 0)


def generated(tmp_path: Path) -> Path:
    folder = tmp_path / "gen"
    write_records(synthetic_records(300, seed=3), folder)
    return folder


@pytest.mark.parametrize(
    "source",
    ["data", "hostile", "fixtures/catalogue", "fixtures/seed-template.txt", "generated"],
)
def test_two_workers_load_what_one_process_loads(source, tmp_path, always_parallel):
    path = {
        "data": ROOT / "data",
        "hostile": HOSTILE,
        "fixtures/catalogue": FIXTURES / "catalogue",
        "fixtures/seed-template.txt": FIXTURES / "seed-template.txt",
    }.get(source) or generated(tmp_path)
    files, _ = catalogue_files([str(path)])
    assert files
    assert view(load_files(files, workers=2)) == view(load_files(files, workers=1))


def test_files_a_worker_cannot_read_give_the_problems_one_process_gives(tmp_path, always_parallel):
    """Without a cache the workers read the files themselves: a file deleted after the walk and
    an over-large file are each named with the same problem, in the same place."""
    folder = generated(tmp_path)
    (folder / "huge.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 10))
    (folder / "gone.yaml").write_text("id: gone\n")
    files, _ = catalogue_files([str(folder)])
    (folder / "gone.yaml").unlink()
    parallel, single = view(load_files(files, workers=2)), view(load_files(files, workers=1))
    assert parallel == single
    problems = [p for _, probs in single for p in probs]
    assert len(problems) == 2 and all(": error: " in p for p in problems), problems


def test_a_load_uses_the_workers_it_is_given(tmp_path, always_parallel, monkeypatch):
    started = []
    real = workers.multiprocessing.get_context

    def spy(method):
        started.append(method)
        return real(method)

    monkeypatch.setattr(workers.multiprocessing, "get_context", spy)
    files, _ = catalogue_files([str(ROOT / "data")])
    load_files(files, workers=2)
    assert started == ["fork"]
    started.clear()
    load_files(files, workers=1)
    assert started == []


def test_a_small_load_forks_nothing(monkeypatch):
    monkeypatch.setattr(workers.multiprocessing, "get_context", lambda m: pytest.fail("forked"))
    files, _ = catalogue_files([str(ROOT / "data")])
    assert len(files) < workers.PARALLEL_MIN
    assert load_files(files, workers=2)


def test_no_fork_while_another_thread_runs(monkeypatch):
    monkeypatch.delenv(workers.ENV_VAR, raising=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers.available() == 1  # as in the app: Streamlit's server runs threads
    finally:
        stop.set()
        other.join()


@pytest.mark.parametrize(
    "setting,expected", [("1", 1), ("3", 3), ("0", 1), ("8", 8), ("9", 8), ("1000", 8)]
)
def test_workers_setting_up_to_four_per_core(setting, expected, monkeypatch):
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(workers, "CGROUP_CPU_MAX", "/nonexistent/cpu.max")
    monkeypatch.setenv(workers.ENV_VAR, setting)
    assert workers.available() == expected


@pytest.mark.parametrize(
    "cpu_max,expected",
    [
        ("max 100000\n", 16),  # no quota: the cores this process may use
        ("200000 100000\n", 2),
        ("150000 100000\n", 2),  # 1.5 CPUs: a second worker still has half a core
        ("50000 100000\n", 1),
        ("garbled\n", 16),
        ("100000 0\n", 16),  # a period of 0 is no quota (it failed every command)
        ("-1 100000\n", 16),  # cgroup v1's "no limit", should one be found here
        (None, 16),  # no cgroup v2 file
    ],
)
def test_a_container_cpu_quota_bounds_the_workers(cpu_max, expected, tmp_path, monkeypatch):
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: set(range(16)))
    monkeypatch.delenv(workers.ENV_VAR, raising=False)
    path = tmp_path / "cpu.max"
    if cpu_max is not None:
        path.write_text(cpu_max, encoding="ascii")
    monkeypatch.setattr(workers, "CGROUP_CPU_MAX", str(path))
    assert workers.available() == expected
    monkeypatch.setenv(workers.ENV_VAR, "100")
    assert workers.available() == workers.MAX_PER_CORE * expected


def test_a_setting_that_is_no_number_leaves_it_to_the_cores(monkeypatch):
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    monkeypatch.setattr(workers, "CGROUP_CPU_MAX", "/nonexistent/cpu.max")
    monkeypatch.setenv(workers.ENV_VAR, "many")
    assert workers.available() == 3


def test_the_command_shares_a_load_and_prints_the_same_summary(
    tmp_path, always_parallel, monkeypatch, capsys
):
    folder = generated(tmp_path)
    args = ["summary", str(folder), "--as-of", "2026-11-28", "--format", "json", "--no-cache"]
    monkeypatch.setattr(workers, "available", lambda: 1)
    assert cli.main(args) == 0
    alone = json.loads(capsys.readouterr().out)
    forks = []
    real = workers.multiprocessing.get_context
    monkeypatch.setattr(workers, "available", lambda: 2)
    monkeypatch.setattr(
        workers.multiprocessing, "get_context", lambda m: forks.append(m) or real(m)
    )
    assert cli.main(args) == 0
    assert forks == ["fork"]
    assert json.loads(capsys.readouterr().out) == alone


def test_ctrl_c_during_a_shared_load_stops_the_workers_and_says_so(
    tmp_path, always_parallel, monkeypatch, capsys
):
    import multiprocessing

    from catalogue_lib import load

    real = load.start_parsing

    def interrupted(p, fn, items):
        real(p, fn, items)  # the workers are busy: Ctrl-C arrives now
        assert multiprocessing.active_children()
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "available", lambda: 2)
    monkeypatch.setattr(load, "start_parsing", interrupted)
    assert cli.main(["validate", str(ROOT / "data"), "--no-cache"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert multiprocessing.active_children() == []  # no worker is left behind


def test_a_worker_that_dies_neither_hangs_the_load_nor_changes_it(always_parallel, monkeypatch):
    """A worker killed mid-load (the kernel's OOM killer, a crash in a C extension) lost its
    task: the load must still end, with what one process loads, never wait for it forever."""
    import os
    import signal

    from catalogue_lib import load

    files, _ = catalogue_files([str(FIXTURES / "catalogue")])
    alone = view(load_files(files, workers=1))
    monkeypatch.setattr(_Dying, "parent", os.getpid())

    def hung(signum, frame):
        raise TimeoutError("the load waits forever for a dead worker")

    monkeypatch.setattr(load, "_parse_one", _dying)
    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        shared = view(load_files(files, workers=2))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert shared == alone
    assert multiprocessing_children() == []


class _Dying:
    parent = 0


def _dying(args):  # at module level: a worker is handed it by name
    import os

    if os.getpid() != _Dying.parent and str(args[2]).endswith("alpha-shop.yaml"):
        os._exit(9)
    return _parse_one(args)


def multiprocessing_children():
    import multiprocessing

    return multiprocessing.active_children()


ORPHAN_SCRIPT = """
import os, sys, time
from catalogue_lib import load, workers
from catalogue_lib.files import MAX_FILE_BYTES, catalogue_files
workers.PARALLEL_MIN = 0
def slow(args):
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: two workers' lines never mix
    time.sleep(60)
load._parse_one = slow
load.load_files(catalogue_files([sys.argv[1]])[0], workers=2)
"""


def test_workers_end_with_a_parent_killed_outright(tmp_path):
    """SIGKILL (or SIGTERM) ends the command without a word: its workers must end too, not wait
    on their queue for ever."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "load.py"
    script.write_text(ORPHAN_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, str(script), str(FIXTURES / "catalogue")],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        pids = {int(parent.stdout.readline()) for _ in range(2)}
    finally:
        parent.kill()
        parent.wait()

    def alive(pid):  # a zombie (not yet reaped by whoever adopted it) has ended
        try:
            with open(f"/proc/{pid}/stat") as fh:
                return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 120  # generous: a busy machine only delays the end
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in pids if alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert left == []


def test_ctrl_c_during_a_database_query_says_interrupted(monkeypatch, capsys, ctrl_c_raises):
    """DuckDB turns Ctrl-C during a query into RuntimeError('Query interrupted'): building,
    restoring and every figure is a query, so that too must end with 'catalogue: interrupted'
    and 130, not a traceback."""
    import os
    import signal

    from catalogue_lib import catalogue

    def slow_summary(cat, as_of):
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        cat.con.execute(
            "SELECT sum(hash(a.range * b.range)) FROM range(40000) a, range(40000) b"
        ).fetchall()
        return {}

    monkeypatch.setattr(catalogue, "summary", slow_summary)
    assert cli.main(["summary", str(ROOT / "data"), "--no-cache", "--format", "json"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err


TORN = """
import os, signal, struct, sys, time
from pathlib import Path
from catalogue_lib import workers

marker = Path(sys.argv[1])

def torn(item):
    # a worker stopped halfway through handing back a chunk's records: the first bytes only
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:
        frame = frame.f_back
    pipe = frame.f_locals["result_queue"]._writer
    os.write(pipe.fileno(), struct.pack("!i", 1 << 24) + bytes(1024))
    marker.write_text("written")
    signal.pause()  # the load's Ctrl-C stops it here

try:
    with workers.pool(2, workers.PARALLEL_MIN) as p:
        results = workers.start(p, torn, list(range(8)))
        while not marker.exists():  # a worker is halfway through its results
            time.sleep(0.01)
        raise KeyboardInterrupt
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_ends_a_load_while_a_worker_is_halfway_through_its_results(tmp_path):
    """A chunk's records are larger than a pipe holds: a worker stopped while handing them back
    left the pool's own thread waiting for the rest, and Ctrl-C hung the command for ever."""
    script = tmp_path / "torn.py"
    script.write_text(TORN)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "marker")],
        capture_output=True,
        text=True,
        timeout=120,  # a hang fails the test instead of the suite
        env=env,
    )
    assert done.stdout.strip() == "interrupted"
    assert done.returncode == 0


FORKING = """
import os, signal, sys
from catalogue_lib import workers
from catalogue_lib.files import MAX_FILE_BYTES, catalogue_files
from catalogue_lib.load import load_files

signal.signal(signal.SIGINT, signal.default_int_handler)  # as from a terminal (see ctrl_c_raises)

sent = []

def ctrl_c_as_the_pool_forks():
    if not sent:  # the first fork only, as a user's Ctrl-C would land on one moment
        sent.append(True)
        os.kill(os.getpid(), signal.SIGINT)

os.register_at_fork(after_in_parent=ctrl_c_as_the_pool_forks)
files, _ = catalogue_files([sys.argv[1]])
try:
    entries = load_files(files, workers=2)
    print("finished", len(entries))
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_as_the_workers_fork_stops_the_load(tmp_path):
    """A Ctrl-C that lands while the pool forks reached Python inside its after-fork hooks,
    which print it as "Exception ignored" and drop it: the load ran on and the command exited 0."""
    folder = tmp_path / "gen"
    write_records(synthetic_records(workers.PARALLEL_MIN, seed=5), folder)
    script = tmp_path / "forking.py"
    script.write_text(FORKING)
    done = subprocess.run(
        [sys.executable, str(script), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.strip() == "interrupted", done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.returncode == 0

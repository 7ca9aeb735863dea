"""Parsing on every core: a load shared among forked workers gives exactly the records and
problems one process gives, in the same order, on every source form and every hostile file;
workers are forked only where that is safe."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from catalogue_lib import cli, workers
from catalogue_lib.files import catalogue_files
from catalogue_lib.generate import synthetic_records, write_records
from catalogue_lib.load import load_files

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


@pytest.mark.parametrize("setting,expected", [("1", 1), ("3", 3), ("0", 1), ("many", None)])
def test_workers_setting(setting, expected, monkeypatch):
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setenv(workers.ENV_VAR, setting)
    got = workers.available()
    if expected is None:  # not a number: ignored, the cores decide
        assert got >= 1
    else:
        assert got == expected


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

    real = load.run

    def interrupted(p, fn, items):
        real(p, fn, items)  # the workers are busy: Ctrl-C arrives now
        assert multiprocessing.active_children()
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "available", lambda: 2)
    monkeypatch.setattr(load, "run", interrupted)
    assert cli.main(["validate", str(ROOT / "data"), "--no-cache"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert multiprocessing.active_children() == []  # no worker is left behind

"""The live catalogue: never reloads an unchanged catalogue, re-parses only what changed."""

from __future__ import annotations

import shutil
import time

import pytest

from catalogue_lib import live
from catalogue_lib.live import LiveCatalogue

from .conftest import CATALOGUE


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "cat"
    shutil.copytree(CATALOGUE, target)
    return target


def wait_for(condition, seconds: float = 120.0) -> None:
    """Until `condition` holds, within a generous bound (a busy machine is slow, never wrong)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize("watch", [True, False], ids=["watcher", "polling"])
def test_unchanged_catalogue_is_never_reloaded(folder, monkeypatch, watch):
    monkeypatch.setattr(live, "FALLBACK_CHECK_SECONDS", 0.0)
    lc = LiveCatalogue([str(folder)], watch=watch)
    first, _, version = lc.current()
    for _ in range(20):
        cat, _, v = lc.current()
        assert cat is first and v == version
    assert lc.stats.reloads == 1
    assert lc.stats.files_parsed == 6  # five YAML files and the Markdown table
    lc.close()


@pytest.mark.parametrize("watch", [True, False], ids=["watcher", "polling"])
def test_one_changed_file_is_the_only_one_parsed_again(folder, monkeypatch, watch):
    monkeypatch.setattr(live, "FALLBACK_CHECK_SECONDS", 0.0)
    lc = LiveCatalogue([str(folder)], watch=watch)
    _, _, version = lc.current()
    path = folder / "beta-carrier.yaml"
    path.write_text(path.read_text().replace("Beta Carrier", "Beta Renamed"))
    wait_for(lambda: lc.current()[2] != version)
    cat, broken, new_version = lc.current()
    assert new_version == version + 1 and broken == []
    assert lc.stats.reloads == 2 and lc.stats.files_parsed == 1
    names = {name for (name,) in cat.con.execute("SELECT name FROM integrations").fetchall()}
    assert "Beta Renamed" in names and len(names) == 6
    lc.close()


def test_a_broken_edit_keeps_the_last_good_catalogue(folder):
    lc = LiveCatalogue([str(folder)], watch=False)
    good, _, version = lc.current()
    (folder / "alpha-shop.yaml").write_text("id: alpha-shop\nname: [\n")
    live_check = time.monotonic()
    while lc.current()[1] == [] and time.monotonic() - live_check < 5:
        time.sleep(0.1)
    cat, broken, v = lc.current()
    assert cat is good and v == version
    assert len(broken) == 1 and "alpha-shop.yaml" in str(broken[0])


def test_a_scorecard_edit_counts_as_a_change(folder, monkeypatch):
    monkeypatch.setattr(live, "FALLBACK_CHECK_SECONDS", 0.0)
    lc = LiveCatalogue([str(folder)], watch=False)
    _, _, version = lc.current()
    (folder / "scorecard.yaml").write_text("levels:\n  - name: bronze\n    checks: [runbook]\n")
    cat, _, v = lc.current()
    assert v == version + 1
    assert lc.stats.files_parsed == 0  # no record file changed
    assert cat.scorecard.levels[0].checks == ["runbook"]


def test_reading_the_catalogue_does_not_wake_the_watcher(folder):
    """Another process reading every file (`catalogue summary` in CI, git, a backup) is no
    change: the kernel is not even asked to tell the app's watcher, whose thread would otherwise
    take CPU from that reader for every file it opens and closes."""
    lc = LiveCatalogue([str(folder)], watch=True, cache=None)
    lc.current()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for _ in range(20):
        for path in files:
            path.read_bytes()
    marker = folder / "marker.txt"  # a real change, delivered after every read before it
    marker.write_text("written last\n")
    wait_for(lambda: lc._events > 0)
    assert lc._events > 0
    # the marker's own events (created, modified, closed) only, not 2 per file read
    assert lc.events_delivered < len(files) * 2
    assert lc.events_delivered <= 6
    lc.close()

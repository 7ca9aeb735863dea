"""The persistent record cache: a warm load gives exactly the cold load's records and problems
without parsing; an edit misses; a damaged, truncated or foreign cache file is rebuilt, never
trusted; two processes share it; it lives outside the catalogue and can be switched off."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue_lib import cache as cache_mod
from catalogue_lib import load
from catalogue_lib.cache import FILE_NAME, RecordCache, default_dir, open_cache
from catalogue_lib.live import LiveCatalogue
from catalogue_lib.load import load_bytes, load_file, load_paths

from .conftest import AS_OF, CATALOGUE, ROOT
from .helpers import damage_garbage, damage_truncate

HOSTILE = Path(__file__).resolve().parent / "hostile"


def view(result) -> tuple:
    return (
        [(r.json, r.id, r.owner, r.path, r.line, r.form, r.overrides) for r in result.records],
        [str(p) for p in result.problems],
        result.files,
    )


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "cat"
    shutil.copytree(CATALOGUE, target)
    for name in ("duplicate-keys.yaml", "impossible-date.yaml", "ragged-table.md"):
        shutil.copy(HOSTILE / name, target / name)  # problems are cached too
    return target


def no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a file was parsed although the cache holds it")

    monkeypatch.setattr(load, "_parse", refuse)


def test_a_warm_load_gives_the_cold_loads_records_and_problems_without_parsing(
    folder, tmp_path, monkeypatch
):
    cold = load_paths([str(folder)], open_cache(tmp_path / "c"))
    assert cold.problems  # the hostile files' problems are part of what is cached
    warm_cache = open_cache(tmp_path / "c")
    no_parsing(monkeypatch)
    warm = load_paths([str(folder)], warm_cache)
    assert view(warm) == view(cold)
    assert warm_cache.misses == 0 and warm_cache.hits == len(cold.files)


def test_an_edited_file_misses_and_the_others_hit(folder, tmp_path):
    load_paths([str(folder)], open_cache(tmp_path / "c"))
    edited = folder / "alpha-shop.yaml"
    edited.write_text(edited.read_text().replace("Alpha Shop", "Alpha Renamed"))
    c = open_cache(tmp_path / "c")
    result = load_paths([str(folder)], c)
    assert c.misses == 1 and c.hits == len(result.files) - 1
    assert view(result) == view(load_paths([str(folder)]))
    assert b"Alpha Renamed" in next(r.json for r in result.records if r.id == "alpha-shop")


def test_the_same_bytes_under_another_name_miss(folder, tmp_path):
    """Records and problems name their file, so a moved file is read again."""
    load_paths([str(folder)], open_cache(tmp_path / "c"))
    (folder / "alpha-shop.yaml").rename(folder / "moved.yaml")
    c = open_cache(tmp_path / "c")
    result = load_paths([str(folder)], c)
    assert c.misses == 1
    assert any(p.startswith(str(folder / "moved.yaml")) for p in result.files)


def test_a_new_software_version_misses_every_entry(folder, tmp_path, monkeypatch):
    load_paths([str(folder)], open_cache(tmp_path / "c"))
    monkeypatch.setattr(cache_mod, "software_tag", lambda: b"another version")
    c = open_cache(tmp_path / "c")
    load_paths([str(folder)], c)
    assert c.hits == 0


def damage_foreign(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE entries (key BLOB PRIMARY KEY, sum BLOB, payload BLOB)")
    con.execute("INSERT INTO entries VALUES (x'00', x'00', x'00')")
    con.commit()
    con.close()


def damage_other_schema(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (name TEXT, value TEXT)")
    con.commit()
    con.close()


def damage_other_magic(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET v = 'someone else''s cache' WHERE k = 'magic'")
    con.commit()
    con.close()


def damage_entries(path: Path) -> None:
    """Every payload changed, its checksum not: what bit rot inside the file looks like."""
    con = sqlite3.connect(path)
    rows = con.execute("SELECT key, payload FROM entries").fetchall()
    for key, payload in rows:
        forged = payload.replace(b"Alpha", b"Evil!").replace(b"error", b"fine!")
        con.execute("UPDATE entries SET payload = ? WHERE key = ?", (forged + b" ", key))
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "damage",
    [
        damage_garbage,
        damage_truncate,
        damage_foreign,
        damage_other_schema,
        damage_other_magic,
        damage_entries,
    ],
    ids=["garbage", "truncated", "foreign", "another schema", "another magic", "damaged entries"],
)
def test_a_damaged_cache_is_detected_and_rebuilt_never_trusted(folder, tmp_path, damage):
    first = open_cache(tmp_path / "c")
    cold = load_paths([str(folder)], first)
    first.close()  # the last connection closed: everything is in the file itself
    cache_file = tmp_path / "c" / FILE_NAME
    damage(cache_file)
    c = open_cache(tmp_path / "c")
    result = load_paths([str(folder)], c)
    assert view(result) == view(cold)
    assert c.hits == 0
    c.close()
    again = open_cache(tmp_path / "c")  # and the rebuilt file serves the next load
    assert view(load_paths([str(folder)], again)) == view(cold)
    assert again.hits == len(cold.files)


def test_a_cache_another_process_holds_is_waited_for_then_skipped_never_thrown_away(
    folder, tmp_path, monkeypatch
):
    first = open_cache(tmp_path / "c")
    cold = load_paths([str(folder)], first)
    first.close()
    monkeypatch.setattr(cache_mod, "BUSY_SECONDS", 0.05)
    holder = sqlite3.connect(tmp_path / "c" / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a long write
    try:
        c = open_cache(tmp_path / "c")
        assert view(load_paths([str(folder)], c)) == view(cold)
        c.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list((tmp_path / "c").glob("*.broken"))
    again = open_cache(tmp_path / "c")
    load_paths([str(folder)], again)
    assert again.hits == len(cold.files)  # the entries written before are all still there


def test_a_cache_that_cannot_be_written_only_costs_speed(folder, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    c = RecordCache(blocker / "cache")
    assert view(load_paths([str(folder)], c)) == view(load_paths([str(folder)]))


def test_load_bytes_reads_bytes_once_per_name(tmp_path, monkeypatch):
    """What git history replays through: the same blob under the same name is parsed once."""
    path = CATALOGUE / "alpha-shop.yaml"
    data = path.read_bytes()
    c = open_cache(tmp_path / "c")
    first = load_bytes(data, path, "catalogue/alpha-shop.yaml", cache=c)
    no_parsing(monkeypatch)
    second = load_bytes(data, path, "catalogue/alpha-shop.yaml", cache=c)
    assert [r.json for r in first[0]] == [r.json for r in second[0]] and first[0]
    assert c.hits == 1


def test_load_bytes_through_the_cache_reads_as_load_file_does(tmp_path):
    c = open_cache(tmp_path / "c")
    for path in sorted(HOSTILE.iterdir()):
        if path.stat().st_size > 2 * 1024 * 1024:
            continue
        a = load_file(path, path.name, explicit=False)
        b = load_bytes(path.read_bytes(), path, path.name, explicit=False, cache=c)
        assert [r.json for r in a[0]] == [r.json for r in b[0]], path.name
        assert [str(p) for p in a[1]] == [str(p) for p in b[1]], path.name


def test_the_default_cache_folder_is_per_user_and_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.delenv("CATALOGUE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "integrations-catalogue"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_dir() == Path.home() / ".cache" / "integrations-catalogue"
    monkeypatch.setenv("CATALOGUE_CACHE", str(tmp_path / "mine"))
    assert default_dir() == tmp_path / "mine"
    for off in ("off", "OFF", "0", "none"):
        monkeypatch.setenv("CATALOGUE_CACHE", off)
        assert default_dir() is None and open_cache() is None
    assert open_cache(tmp_path / "x", enabled=False) is None


def test_the_app_uses_the_cache_across_a_restart(folder, tmp_path, monkeypatch):
    first = LiveCatalogue([str(folder)], watch=False, cache=open_cache(tmp_path / "c"))
    cat, _, _ = first.current()
    first.close()
    no_parsing(monkeypatch)
    restarted = LiveCatalogue([str(folder)], watch=False, cache=open_cache(tmp_path / "c"))
    again, _, _ = restarted.current()
    # the database is restored whole (test_dbcache.py): each record's JSON stays in it
    assert [r.json for r in again.result.records] == [None] * len(cat.result.records)
    assert view(again.result)[1:] == view(cat.result)[1:]
    assert [v[1:] for v in view(again.result)[0]] == [v[1:] for v in view(cat.result)[0]]
    query = "SELECT * FROM integrations ORDER BY load_order"
    assert again.con.execute(query).fetchall() == cat.con.execute(query).fetchall()
    assert restarted.stats.files_parsed == 0
    restarted.close()


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "catalogue_lib.cli", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_share_one_cache(folder, tmp_path):
    args = ("summary", str(folder), "--as-of", AS_OF.isoformat(), "--format", "json")
    procs = [run_cli(*args, "--cache", str(tmp_path / "shared")) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    reference = run_cli(*args, "--no-cache").communicate(timeout=300)[0]
    assert outs[0][0] == outs[1][0] == reference
    c = open_cache(tmp_path / "shared")
    load_paths([str(folder)], c)
    assert c.misses == 0  # both wrote, and what they wrote is whole


def test_the_cli_keeps_its_cache_outside_the_catalogue(folder, tmp_path):
    before = sorted(p.name for p in folder.rglob("*"))
    out, err = run_cli("validate", str(folder), "--cache", str(tmp_path / "c")).communicate(
        timeout=300
    )
    assert (tmp_path / "c" / FILE_NAME).is_file()
    assert sorted(p.name for p in folder.rglob("*")) == before
    nothing = tmp_path / "unused"
    run_cli("validate", str(folder), "--no-cache", "--cache", str(nothing)).communicate(timeout=300)
    assert not nothing.exists()
    assert json.loads(
        run_cli("validate", str(folder), "--format", "json").communicate(timeout=300)[0]
    )["records"] == len(load_paths([str(folder)]).records)


def test_every_module_a_file_is_read_with_is_in_the_software_tag():
    """A cached record is served only to the code that computed it: an edit to any module the
    loader reads a file with misses every entry. values.py and badvalues.py (the value types and
    the bad-value rules) were left out, so a record that today's code refuses (a partner month in
    Arabic-Indic digits) kept coming out of a warm cache and failed the load."""
    import ast

    package = ROOT / "catalogue_lib"
    # where and how files are read and kept, not what they read as
    bookkeeping = {"cache.py", "codetag.py", "workers.py"}

    def imported(name: str) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse((package / name).read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0] + ".py")
                else:
                    found.update(alias.name + ".py" for alias in node.names)
        return found

    seen: set[str] = set()
    todo = ["load.py"]
    while todo:
        name = todo.pop()
        if name not in seen and (package / name).exists():
            seen.add(name)
            todo.extend(imported(name))
    assert {"values.py", "badvalues.py"} <= seen
    assert sorted(seen - bookkeeping) == sorted(cache_mod._LOADER_MODULES)

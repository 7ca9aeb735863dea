"""The kept database (dbcache.py): a restart on an unchanged catalogue restores the database the
records built, with exactly the figures, problems and pages a cold load gives; any change to a
file (even one that keeps its size and modification time), a file added or removed, or a new
scorecard is seen; a damaged, truncated or foreign snapshot is rebuilt, never trusted."""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest
import yaml

from catalogue_lib import dbcache, load
from catalogue_lib.cache import open_cache
from catalogue_lib.catalogue import open_catalogue, summary
from catalogue_lib.generate import synthetic_records, write_records

from .conftest import AS_OF, CATALOGUE, ROOT, valid_record
from .helpers import damage_garbage, damage_truncate

HOSTILE = Path(__file__).resolve().parent / "hostile"
TEMPLATE = ROOT / "tests" / "fixtures" / "seed-template.txt"
DAY = AS_OF


def figures(paths: list[str], cache_dir: Path | None) -> tuple:
    """What a user sees of a load: the summary, every problem line, the files and record ids."""
    c = open_cache(cache_dir) if cache_dir is not None else None
    cat = open_catalogue(paths, cache=c)
    try:
        problems = cat.con.execute(
            "SELECT path, line, severity, message FROM problems ORDER BY ALL"
        ).fetchall()
        rows = cat.con.execute("SELECT * FROM integrations ORDER BY load_order").fetchall()
        return (
            summary(cat, DAY),
            [str(p) for p in cat.result.problems],
            problems,
            cat.result.files,
            [(r.id, r.owner, r.path, r.line, r.form, r.overrides) for r in cat.result.records],
            rows,
        )
    finally:
        cat.con.close()
        if c is not None:
            c.close()


def snapshots(cache_dir: Path) -> list[str]:
    return sorted(glob.glob(str(cache_dir / "database-*.duckdb")))


def served_from_a_kept_file(paths: list[str], cache_dir: Path) -> bool:
    """Whether the catalogue's records are read from a kept database (views of it), not memory."""
    c = open_cache(cache_dir)
    cat = open_catalogue(paths, cache=c)
    try:
        return cat.con.execute(
            "SELECT table_type FROM information_schema.tables "
            "WHERE table_name = 'integrations' AND table_catalog = current_database()"
        ).fetchone() == ("VIEW",)
    finally:
        cat.con.close()
        c.close()


def no_loading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("records were loaded although the database was kept")

    monkeypatch.setattr("catalogue_lib.catalogue.load_files", refuse)


def _generated(tmp_path: Path) -> Path:
    folder = tmp_path / "generated"
    write_records(synthetic_records(60, seed=3), folder)
    return folder


def _messy(tmp_path: Path) -> Path:
    folder = tmp_path / "messy"
    shutil.copytree(CATALOGUE, folder)
    for name in ("duplicate-keys.yaml", "impossible-date.yaml", "ragged-table.md"):
        shutil.copy(HOSTILE / name, folder / name)
    (folder / ".hidden.yaml").write_text(yaml.safe_dump(valid_record(id="hidden")))
    return folder


SOURCES = {
    "fixture": lambda tmp: CATALOGUE,
    "sample data/": lambda tmp: ROOT / "data",
    "template table": lambda tmp: TEMPLATE,
    "generated": _generated,
    "messy": _messy,
    "hostile corpus": lambda tmp: HOSTILE,
}


@pytest.mark.parametrize("source", SOURCES)
def test_a_restart_restores_exactly_what_a_cold_load_builds(source, tmp_path, monkeypatch):
    path = str(SOURCES[source](tmp_path))
    cold = figures([path], None)
    first = figures([path], tmp_path / "c")  # fills the cache on the way
    assert first == cold
    assert len(snapshots(tmp_path / "c")) == 1
    no_loading(monkeypatch)
    assert figures([path], tmp_path / "c") == cold  # restored, not loaded
    assert figures([path], tmp_path / "c") == cold  # and again: nothing is used up


def _catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "cat"
    shutil.copytree(CATALOGUE, folder)
    return folder


def _owner_of(paths: list[str], cache_dir: Path, rid: str) -> str | None:
    c = open_cache(cache_dir)
    cat = open_catalogue(paths, cache=c)
    try:
        row = cat.con.execute("SELECT owner FROM integrations WHERE id = ?", [rid]).fetchone()
        return row[0] if row else None
    finally:
        cat.con.close()
        c.close()


def _first_record_file(folder: Path) -> tuple[Path, dict]:
    f = sorted(folder.glob("*.yaml"))[0]
    return f, yaml.safe_load(f.read_text())


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path):
    folder = _catalogue(tmp_path)
    f, rec = _first_record_file(folder)
    # the manifest trusts a file it saw more than RACY_NS before: age the whole catalogue
    old = dt.datetime(2020, 1, 1).timestamp()
    for p in folder.iterdir():
        os.utime(p, (old, old))
    assert _owner_of([str(folder)], tmp_path / "c", rec["id"]) == rec["owner"]
    st = f.stat()
    text = f.read_text()
    new_owner = "Zz" * (len(str(rec["owner"])) // 2) + "Z" * (len(str(rec["owner"])) % 2)
    edited = text.replace(str(rec["owner"]), new_owner, 1)
    assert len(edited) == len(text) and edited != text
    f.write_text(edited)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # size and modification time as they were
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    assert _owner_of([str(folder)], tmp_path / "c", rec["id"]) == new_owner


def test_an_edit_right_after_a_load_is_seen(tmp_path):
    """A file changed within the file system's time resolution of the last load is read again."""
    folder = _catalogue(tmp_path)
    f, rec = _first_record_file(folder)
    assert _owner_of([str(folder)], tmp_path / "c", rec["id"]) == rec["owner"]
    same_length = "R" * len(str(rec["owner"]))
    f.write_text(f.read_text().replace(str(rec["owner"]), same_length, 1))
    assert _owner_of([str(folder)], tmp_path / "c", rec["id"]) == same_length


def test_files_added_and_removed_are_seen(tmp_path):
    folder = _catalogue(tmp_path)
    before = figures([str(folder)], tmp_path / "c")
    (folder / "new.yaml").write_text(yaml.safe_dump(valid_record(id="brand-new")))
    added = figures([str(folder)], tmp_path / "c")
    assert added[0]["integrations"] == before[0]["integrations"] + 1
    assert added == figures([str(folder)], None)
    (folder / "new.yaml").unlink()
    assert figures([str(folder)], tmp_path / "c") == before


def test_a_new_scorecard_applies_to_a_restored_database(tmp_path):
    folder = _catalogue(tmp_path)
    figures([str(folder)], tmp_path / "c")
    (folder / "scorecard.yaml").write_text(
        yaml.safe_dump({"levels": [{"name": "bronze", "checks": ["named_owner"]}]})
    )
    restored = figures([str(folder)], tmp_path / "c")
    assert restored == figures([str(folder)], None)
    assert len(snapshots(tmp_path / "c")) == 1  # configuration is not part of the snapshot


def damage_foreign_duckdb(path: Path) -> None:
    path.unlink()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE integrations (id VARCHAR)")
    con.execute("INSERT INTO integrations VALUES ('evil')")
    con.close()


def damage_other_key(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("UPDATE _meta SET key = 'another catalogue'")
    con.execute("UPDATE integrations SET owner = 'Evil'")
    con.close()


def damage_sqlite(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE _meta (magic TEXT)")
    con.commit()
    con.close()


def damage_result(path: Path) -> None:
    """Our magic and the right key, but what the load kept is not a load's result."""
    con = duckdb.connect(str(path))
    con.execute("""UPDATE _meta SET result = '{"files": "x", "problems": [[1]], "extra": 5}'""")
    con.close()


@pytest.mark.parametrize(
    "damage",
    [
        damage_garbage,
        damage_truncate,
        damage_foreign_duckdb,
        damage_other_key,
        damage_sqlite,
        damage_result,
    ],
    ids=[
        "garbage",
        "truncated",
        "another DuckDB file",
        "another key",
        "a SQLite file",
        "a forged result",
    ],
)
def test_a_damaged_snapshot_is_rebuilt_never_trusted(damage, tmp_path):
    folder = _messy(tmp_path)
    cold = figures([str(folder)], None)
    figures([str(folder)], tmp_path / "c")
    (snap,) = snapshots(tmp_path / "c")
    damage(Path(snap))
    assert figures([str(folder)], tmp_path / "c") == cold
    assert figures([str(folder)], tmp_path / "c") == cold  # and the rebuilt one serves


def test_a_damaged_file_list_only_costs_a_read(tmp_path, monkeypatch):
    folder = _catalogue(tmp_path)
    cold = figures([str(folder)], None)
    figures([str(folder)], tmp_path / "c")
    (listing,) = glob.glob(str(tmp_path / "c" / "files-*.json"))
    Path(listing).write_text('{"magic": "' + dbcache.MAGIC + '", "files": [1, 2')
    no_loading(monkeypatch)  # every file is read and hashed again, and the database restored
    assert figures([str(folder)], tmp_path / "c") == cold


def test_a_database_file_written_from_a_kept_snapshot_stands_alone(tmp_path):
    folder = _catalogue(tmp_path)
    c = open_cache(tmp_path / "c")
    open_catalogue([str(folder)], cache=c).con.close()
    cat = open_catalogue([str(folder)], tmp_path / "out.duckdb", cache=c)
    n = cat.con.execute("SELECT count(*) FROM integrations").fetchone()[0]
    cat.con.close()
    c.close()
    shutil.rmtree(tmp_path / "c")
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM integrations").fetchone()[0] == n > 0
    con.close()


def test_only_the_newest_snapshots_are_kept(tmp_path):
    folder = _catalogue(tmp_path)
    for i in range(dbcache.KEEP + 3):
        (folder / "extra.yaml").write_text(yaml.safe_dump(valid_record(id=f"extra-{i}")))
        figures([str(folder)], tmp_path / "c")
    assert len(snapshots(tmp_path / "c")) == dbcache.KEEP


def test_the_same_folder_name_from_another_directory_is_another_catalogue(tmp_path, monkeypatch):
    """Display paths are relative to where the command runs: the file list is per real folder."""
    for side, owner in (("a", "Team A"), ("b", "Team B")):
        (tmp_path / side / "cat").mkdir(parents=True)
        (tmp_path / side / "cat" / "x.yaml").write_text(
            yaml.safe_dump(valid_record(id="x", owner=owner))
        )
    for side, owner in (("a", "Team A"), ("b", "Team B"), ("a", "Team A")):
        monkeypatch.chdir(tmp_path / side)
        assert _owner_of(["cat"], tmp_path / "c", "x") == owner


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(tmp_path):
    folder = _catalogue(tmp_path)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert figures([str(folder)], blocked) == figures([str(folder)], None)


def test_read_keys_reads_only_files_it_cannot_trust(tmp_path, monkeypatch):
    folder = _catalogue(tmp_path)
    files, _ = load.catalogue_files([str(folder)])
    keys, seen, read = load.read_keys(files)
    assert read == len(files) and len(seen) == len(files)
    later = max(st for st in (os.stat(f).st_ctime_ns for f, _, _ in files)) + 1
    again, _, read = load.read_keys(files, seen, later)
    assert again == keys and read == 0
    racy, _, read = load.read_keys(files, seen, 0)  # nothing is old enough to trust
    assert racy == keys and read == len(files)


@pytest.mark.parametrize("name", ["snapshot.duckdb", "kept.duckdb", "main.duckdb"])
def test_a_database_file_of_any_name_leaves_the_kept_one_alone(name, tmp_path):
    folder = _catalogue(tmp_path)
    cold = figures([str(folder)], None)
    figures([str(folder)], tmp_path / "c")
    (snap,) = snapshots(tmp_path / "c")
    c = open_cache(tmp_path / "c")
    cat = open_catalogue([str(folder)], tmp_path / name, cache=c)
    cat.con.close()
    c.close()
    assert snapshots(tmp_path / "c") == [snap]
    assert figures([str(folder)], tmp_path / "c") == cold


def test_a_cache_folder_spelled_like_an_extension_prefix_is_a_folder(tmp_path, monkeypatch):
    """`sqlite:x` is a folder name here, not DuckDB's sqlite extension (never downloaded)."""
    folder = _catalogue(tmp_path)
    monkeypatch.chdir(tmp_path)
    cold = figures([str(folder)], None)
    assert figures([str(folder)], Path("sqlite:x")) == cold
    assert len(snapshots(tmp_path / "sqlite:x")) == 1
    assert figures([str(folder)], Path("sqlite:x")) == cold


def test_a_killed_build_leaves_nothing_behind_for_long(tmp_path):
    folder = _catalogue(tmp_path)
    cache_dir = tmp_path / "c"
    cache_dir.mkdir()
    left = cache_dir / ".database-0123.duckdb.77.88.tmp"
    left.write_bytes(b"half a database")
    fresh = cache_dir / ".database-4567.duckdb.77.99.tmp"
    fresh.write_bytes(b"another process, building right now")
    old = dt.datetime(2020, 1, 1).timestamp()
    os.utime(left, (old, old))
    figures([str(folder)], cache_dir)
    assert not left.exists() and fresh.exists()


def _edit_owner(folder: Path) -> None:
    f = sorted(folder.glob("*.yaml"))[5]
    rec = yaml.safe_load(f.read_text())
    f.write_text(f.read_text().replace(f"owner: {rec['owner']}", "owner: Team Edited", 1))


def _add_new(folder: Path) -> None:
    (folder / "zz-new.yaml").write_text(yaml.safe_dump(valid_record(id="zz-new")))


def _add_first_duplicate(folder: Path) -> None:
    """A file that sorts first and takes an existing id: it wins, the other is now the duplicate."""
    _, rec = _first_record_file(folder)
    (folder / "000-dup.yaml").write_text(yaml.safe_dump(valid_record(id=rec["id"])))


def _remove_first_duplicate(folder: Path) -> None:
    (folder / "000-dup.yaml").unlink()  # the record it hid loads again, from a file unchanged


def _break_one(folder: Path) -> None:
    f = sorted(folder.glob("*.yaml"))[-2]
    (folder / "broken.bak").write_bytes(f.read_bytes())
    f.write_text("id: [\n")


def _mend_one(folder: Path) -> None:
    f = sorted(folder.glob("*.yaml"))[-2]
    f.write_bytes((folder / "broken.bak").read_bytes())
    (folder / "broken.bak").unlink()


def _rename_one(folder: Path) -> None:
    f = sorted(folder.glob("*.yaml"))[3]
    f.rename(folder / f"moved-{f.name}")


# (edit, records built for it: only the changed files' records; None: a state seen before,
# restored whole)
EDITS = [
    (_add_first_duplicate, 1),
    (_edit_owner, 1),
    (_remove_first_duplicate, 1),  # the record it hid comes back, from a file unchanged
    (_add_new, 1),
    (_break_one, 0),
    (_mend_one, None),
    (_rename_one, 1),
]


def test_a_reload_after_an_edit_builds_only_the_changed_records_and_equals_a_cold_load(
    tmp_path, monkeypatch
):
    from catalogue_lib import db

    folder = _generated(tmp_path)
    paths, built = [str(folder)], []
    real = db.load_ordered

    def counting(con, records):
        built.append(len(records))
        return real(con, records)

    monkeypatch.setattr(db, "load_ordered", counting)
    assert figures(paths, tmp_path / "c") == figures(paths, None)
    assert built[0] == 60
    for edit, expected in EDITS:
        edit(folder)
        built.clear()
        reloaded = figures(paths, tmp_path / "c")
        assert built == ([] if expected is None else [expected]), edit.__name__
        built.clear()
        assert reloaded == figures(paths, None), edit.__name__


def test_a_snapshot_of_other_software_is_no_base(tmp_path, monkeypatch):
    """Rows built by another version are never copied: the base's tag must be this software's."""
    import json

    from catalogue_lib import db

    folder = _generated(tmp_path)
    figures([str(folder)], tmp_path / "c")
    (kept,) = snapshots(tmp_path / "c")
    con = duckdb.connect(kept)
    saved = json.loads(con.execute("SELECT result FROM _meta").fetchone()[0])
    saved["tag"] = "another version"
    con.execute("UPDATE _meta SET result = ?", [json.dumps(saved)])
    con.close()
    built = []
    real = db.load_ordered
    monkeypatch.setattr(db, "load_ordered", lambda con, r: built.append(len(r)) or real(con, r))
    _edit_owner(folder)
    assert served_from_a_kept_file([str(folder)], tmp_path / "c")  # the reload's own database
    assert figures([str(folder)], tmp_path / "c") == figures([str(folder)], None)
    assert built[0] == 60


def test_a_base_that_fails_half_way_is_built_whole(tmp_path):
    """A snapshot whose tables no longer fit (here one is gone) cannot serve as the base of the
    next database: the reload builds every record, keeps that database, and equals a cold load."""
    folder = _generated(tmp_path)
    figures([str(folder)], tmp_path / "c")
    (kept,) = snapshots(tmp_path / "c")
    con = duckdb.connect(kept)
    con.execute("DROP TABLE versions")
    con.close()
    _edit_owner(folder)
    assert served_from_a_kept_file([str(folder)], tmp_path / "c")  # the reload's own database
    assert figures([str(folder)], tmp_path / "c") == figures([str(folder)], None)


def test_ctrl_c_while_a_snapshot_is_written_leaves_no_temporary_file(tmp_path, monkeypatch):
    """The command ends quietly on Ctrl-C (130): the half-written snapshot (as large as the
    catalogue's database) must go with it, not wait an hour for a later load to prune it."""
    from catalogue_lib import db

    folder = _generated(tmp_path)

    def interrupted(con, records):
        raise KeyboardInterrupt

    monkeypatch.setattr(db, "load_ordered", interrupted)
    with pytest.raises(KeyboardInterrupt):
        figures([str(folder)], tmp_path / "c")
    assert [p.name for p in (tmp_path / "c").iterdir() if p.name.endswith((".tmp", ".wal"))] == []

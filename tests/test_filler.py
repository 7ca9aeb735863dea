"""A load without a cache fills the database while the files parse (filler.py): the database it
builds is, table by table and row by row, the one a load that fills it after the last file
builds; an error on the way is raised as before and leaves no thread or database behind."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest
import yaml

from catalogue_lib import db, filler, load, workers
from catalogue_lib.cache import open_cache
from catalogue_lib.catalogue import build_catalogue, open_catalogue
from catalogue_lib.generate import synthetic_records, write_records
from catalogue_lib.load import catalogue_files, load_paths, read_keys

from .conftest import CATALOGUE, ROOT, valid_record

HOSTILE = Path(__file__).resolve().parent / "hostile"


def _with_duplicates(tmp_path: Path) -> Path:
    """Generated records, a copy of some under other names (duplicate ids, reported and
    dropped), and broken files between them."""
    folder = tmp_path / "dups"
    write_records(synthetic_records(120, seed=5), folder)
    for i, f in enumerate(sorted(folder.glob("*.yaml"))[:30:3]):
        shutil.copy(f, folder / f"zz-copy-{i}.yaml")
    for name in ("duplicate-keys.yaml", "impossible-date.yaml", "ragged-table.md"):
        shutil.copy(HOSTILE / name, folder / name)
    (folder / "mm-list.yaml").write_text(
        yaml.safe_dump([valid_record(id="in-a-list-1"), valid_record(id="in-a-list-2")])
    )
    return folder


SOURCES = {
    "fixture": lambda tmp: CATALOGUE,
    "sample data/": lambda tmp: ROOT / "data",
    "template table": lambda tmp: ROOT / "tests" / "fixtures" / "seed-template.txt",
    "hostile corpus": lambda tmp: HOSTILE,
    "duplicates and broken files": _with_duplicates,
    "empty folder": lambda tmp: (tmp / "empty").mkdir() or tmp / "empty",
}


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every base table's rows, in the order they were stored."""
    names = [
        n
        for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    return {n: con.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}


@pytest.mark.parametrize(("batch", "chunk"), [(1, load.CHUNK), (7, 16), (filler.BATCH, 16)])
@pytest.mark.parametrize("parse_workers", [1, 2])
@pytest.mark.parametrize("source", SOURCES)
def test_a_database_filled_while_parsing_is_the_one_filled_after(
    source, parse_workers, batch, chunk, tmp_path, monkeypatch
):
    """Batches of every size, and files read a few at a time (a load's last chunks are each a
    batch of their own)."""
    folder = SOURCES[source](tmp_path)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 0)
    monkeypatch.setattr(filler, "BATCH", batch)
    monkeypatch.setattr(load, "CHUNK", chunk)
    paths = [str(folder)]
    after = build_catalogue(load_paths(paths), paths)
    during = open_catalogue(paths, workers=parse_workers)
    assert tables(during.con) == tables(after.con)
    assert [str(p) for p in during.result.problems] == [str(p) for p in after.result.problems]
    assert during.result.files == after.result.files
    assert [r.json for r in during.result.records] == [r.json for r in after.result.records]


def _fill_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("catalogue-fill")]


def test_a_batch_that_fails_fails_the_load_and_leaves_nothing_running(tmp_path, monkeypatch):
    folder = _with_duplicates(tmp_path)
    monkeypatch.setattr(filler, "BATCH", 10)
    real = db.load_ordered
    calls: list[int] = []
    seen: list[duckdb.DuckDBPyConnection] = []

    def failing(con, records):
        calls.append(len(records))
        seen.append(con)
        if len(calls) == 3:
            raise duckdb.OutOfMemoryException("out of memory (the third batch)")
        return real(con, records)

    monkeypatch.setattr(db, "load_ordered", failing)
    with pytest.raises(duckdb.OutOfMemoryException, match="third batch"):
        open_catalogue([str(folder)])
    assert len(calls) == 3  # the batches after the failed one were never filled
    assert _fill_threads() == []
    with pytest.raises(duckdb.ConnectionException):
        seen[0].execute("SELECT 1")  # the half-filled database is closed


def test_an_interrupted_load_stops_the_filler(tmp_path, monkeypatch):
    folder = tmp_path / "gen"
    write_records(synthetic_records(60, seed=2), folder)
    monkeypatch.setattr(filler, "BATCH", 5)
    monkeypatch.setattr(load, "CHUNK", 2)  # files read two at a time: many chunks
    real = filler.Filler.add
    added: list[int] = []

    def interrupted(self, records):
        added.append(len(records))
        if len(added) == 15:  # Ctrl-C half-way, with batches sent and filling
            raise KeyboardInterrupt
        return real(self, records)

    monkeypatch.setattr(filler.Filler, "add", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_catalogue([str(folder)])
    assert _fill_threads() == []


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT current_setting('threads')").fetchone()[0])


@pytest.mark.parametrize("cached", [False, True])
def test_duckdb_fills_on_one_thread_and_queries_on_all(tmp_path, monkeypatch, cached):
    """While the files parse DuckDB keeps to one thread (the parsers need the other cores); the
    catalogue it hands over queries with the threads DuckDB had, a first start's snapshot too."""
    monkeypatch.setattr(filler, "BATCH", 10)
    real = db.load_ordered
    during: list[int] = []

    def watched(con, records):
        during.append(_threads(con))
        return real(con, records)

    monkeypatch.setattr(db, "load_ordered", watched)
    before = _threads(db.new_database())
    if before == 1:
        pytest.skip("DuckDB runs one thread on this machine: nothing to set back")
    cache = open_cache(tmp_path / "cache") if cached else None
    cat = open_catalogue([str(CATALOGUE)], cache=cache)
    assert during and set(during) == {1}
    assert _threads(cat.con) == before


def test_a_database_file_that_cannot_be_used_is_refused_as_before(tmp_path):
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(db.DatabaseError, match="not a usable DuckDB database") as before:
        build_catalogue(load_paths([str(CATALOGUE)]), [str(CATALOGUE)], not_duckdb)
    with pytest.raises(db.DatabaseError) as now:
        open_catalogue([str(CATALOGUE)], database=not_duckdb)
    assert str(now.value) == str(before.value)
    assert not_duckdb.read_text().startswith("these are my notes")  # not replaced
    assert _fill_threads() == []


def test_a_database_file_holds_the_catalogue_loaded(tmp_path):
    target = tmp_path / "catalogue.duckdb"
    cat = open_catalogue([str(CATALOGUE)], database=target)
    expected = tables(build_catalogue(load_paths([str(CATALOGUE)]), [str(CATALOGUE)]).con)
    assert tables(cat.con) == expected
    cat.con.close()
    reopened = duckdb.connect(str(target), read_only=True)
    assert reopened.execute("SELECT count(*) FROM integrations").fetchone()[0] == len(
        expected["integrations"]
    )


@pytest.mark.parametrize("source", SOURCES)
def test_a_first_start_keeps_the_snapshot_a_build_after_the_load_keeps(
    source, tmp_path, monkeypatch
):
    """An app's first start (a cache, nothing kept yet) fills its snapshot while the files
    parse; the kept file holds what dbcache.build() writes from the finished load."""
    from catalogue_lib import dbcache
    from catalogue_lib.cache import open_cache

    folder = SOURCES[source](tmp_path)
    monkeypatch.setattr(filler, "BATCH", 7)
    monkeypatch.setattr(load, "CHUNK", 16)
    streamed_dir = tmp_path / "streamed"
    cache = open_cache(streamed_dir)
    cat = open_catalogue([str(folder)], cache=cache)
    cache.close()
    (kept,) = streamed_dir.glob("database-*.duckdb")
    key = kept.name.removeprefix("database-").removesuffix(".duckdb")
    built_dir = tmp_path / "built"
    keys, _, _ = read_keys(catalogue_files([str(folder)])[0])
    assert dbcache.build(built_dir, key, load_paths([str(folder)]), keys)
    streamed = duckdb.connect(str(kept), read_only=True)
    built = duckdb.connect(str(built_dir / kept.name), read_only=True)
    assert tables(streamed) == tables(built)
    assert [p.name for p in streamed_dir.iterdir() if p.name.endswith((".tmp", ".wal"))] == []
    cat.con.close()


def test_an_interrupted_load_leaves_the_database_file_it_would_have_replaced(tmp_path, monkeypatch):
    """`--no-cache --db FILE` stopped by Ctrl-C while the files parse: FILE still holds the last
    catalogue written there (as before the database was filled while parsing), never a part of
    the new one in its place."""
    target = tmp_path / "catalogue.duckdb"
    open_catalogue([str(CATALOGUE)], database=target).con.close()
    before = duckdb.connect(str(target), read_only=True)
    kept = before.execute("SELECT id FROM integrations ORDER BY id").fetchall()
    before.close()
    folder = tmp_path / "gen"
    write_records(synthetic_records(60, seed=2), folder)
    monkeypatch.setattr(filler, "BATCH", 5)
    monkeypatch.setattr(load, "CHUNK", 5)
    real = filler.Filler.add
    added: list[int] = []

    def interrupted(self, records):  # Ctrl-C with 10 of the 60 files parsed and filled
        added.append(len(records))
        if len(added) == 3:
            raise KeyboardInterrupt
        return real(self, records)

    monkeypatch.setattr(filler.Filler, "add", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_catalogue([str(folder)], database=target)
    after = duckdb.connect(str(target), read_only=True)
    assert after.execute("SELECT id FROM integrations ORDER BY id").fetchall() == kept
    after.close()
    assert _fill_threads() == []

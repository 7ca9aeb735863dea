"""DuckDB's memory is capped ($CATALOGUE_DUCKDB_MEMORY, default 512MB) so a large catalogue's
queries spill to disk instead of growing the app; a query that cannot fit still answers."""

from __future__ import annotations

import duckdb
import pytest

from catalogue_lib import db
from catalogue_lib.catalogue import open_catalogue, summary
from catalogue_lib.filters import Filters

from .conftest import AS_OF, CATALOGUE


def _limit(cat) -> str:
    return cat.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


@pytest.mark.parametrize(
    ("setting", "shown"),
    [
        (None, "488.2 MiB"),
        ("1GB", "953.6 MiB"),
        ("1.5 GiB", "1.5 GiB"),
        ("12KB", "61.0 MiB"),
        ("lots", "488.2 MiB"),
        ("1GB'; DROP", "488.2 MiB"),
    ],
    ids=["default", "set", "binary units", "too small", "not a size", "not a size either"],
)
def test_the_cap_is_the_setting_or_the_default(setting, shown, monkeypatch):
    if setting is None:
        monkeypatch.delenv(db.MEMORY_ENV, raising=False)
    else:
        monkeypatch.setenv(db.MEMORY_ENV, setting)
    cat = open_catalogue([str(CATALOGUE)])
    try:
        assert _limit(cat) == shown
    finally:
        cat.con.close()


def test_a_query_that_outgrows_the_cap_is_answered_all_the_same(monkeypatch):
    monkeypatch.delenv(db.MEMORY_ENV, raising=False)
    free = open_catalogue([str(CATALOGUE)])
    expected = summary(free, AS_OF)
    params = {"as_of": AS_OF, **Filters().sql_params()}
    backlog = db.query(free.con, "backlog", **params)
    free.con.close()
    capped = open_catalogue([str(CATALOGUE)])
    try:
        used = capped.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[
            0
        ]
        # what the tables hold now and not a block more, and nowhere to spill: far below what
        # the queries need, whatever the machine
        capped.con.execute("SET temp_directory = ''")
        capped.con.execute(f"SET memory_limit = '{used + 64 * 1024}B'")
        with pytest.raises(duckdb.OutOfMemoryException):  # as DuckDB alone would fail
            capped.con.execute(db.sql("backlog"), params).fetchall()
        assert db.query(capped.con, "backlog", **params).equals(backlog)
        assert summary(capped, AS_OF) == expected
    finally:
        capped.con.close()

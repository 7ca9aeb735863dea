"""Fuzzing what an attacker writes: scorecard SQL, file names and URL parameters. Modest example
counts keep CI fast; each run still tries new inputs (hypothesis), and a failure is replayed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import streamlit as st_
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from catalogue_lib.catalogue import build_catalogue
from catalogue_lib.files import shown_name
from catalogue_lib.filters import Filters
from catalogue_lib.load import load_paths
from catalogue_lib.sandbox import check_custom_sql

from .conftest import AS_OF, CATALOGUE, ROOT, valid_record

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SLOW = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

any_text = st.text(max_size=60)
SECRET = "FUZZ-SECRET-0042"

# ------------------------------------------------------------------ scorecard SQL

FRAGMENTS = [
    "SELECT id FROM integrations",
    "SELECT id FROM integrations WHERE owner IS NULL",
    "SELECT content AS id FROM read_text('.tmp/etc/hostname')",
    "SELECT file AS id FROM glob('.tmp/*')",
    "SELECT * FROM read_csv('secret.csv')",
    "SELECT error(current_setting('temp_directory')) AS id",
    "SELECT error(name) AS id FROM integrations",
    "SELECT CAST(name AS INTEGER) AS id FROM integrations",
    "SELECT i.id FROM integrations i, range(1000) r",
    "COPY integrations TO 'x.csv'",
    "ATTACH 'x.db'",
    "INSTALL sqlite",
    "SET threads = 8",
    "PRAGMA version",
]
SUFFIXES = ["", ";", " -- comment", " /* c */", ";\n-- end", "\n;", " ;  ;"]
sql_text = st.one_of(
    st.builds(lambda a, b: a + b, st.sampled_from(FRAGMENTS), st.sampled_from(SUFFIXES)),
    st.text(max_size=120),
    st.builds(
        lambda a, b: f"{a} UNION ALL {b}", st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS)
    ),
)


@FAST
@given(sql=sql_text)
def test_checking_any_custom_sql_never_raises(sql):
    assert check_custom_sql(sql) is None or isinstance(check_custom_sql(sql), str)


@pytest.fixture(scope="module")
def sql_cat_folder():
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a.yaml").write_text(yaml.safe_dump(valid_record(name=SECRET)))
        (folder / "secret.csv").write_text(f"id\n{SECRET}\n")
        yield folder


@SLOW
@given(sql=sql_text)
def test_running_any_custom_sql_reports_without_echoing_data(sql_cat_folder, sql):
    (sql_cat_folder / "scorecard.yaml").write_text(
        yaml.safe_dump({"custom_checks": [{"name": "fuzz", "sql": sql, "level": "bronze"}]})
    )
    result = load_paths([sql_cat_folder])
    cat = build_catalogue(result, [str(sql_cat_folder)])
    try:
        text = "\n".join(p.message for p in cat.result.problems)
        assert SECRET not in text
        assert "/tmp/" not in text and "stored_secrets" not in text
    finally:
        cat.con.close()


# ------------------------------------------------------------------ file names

name_bytes = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
)


@FAST
@given(names=st.lists(name_bytes, min_size=1, max_size=4, unique=True))
def test_any_file_names_load_without_raising_and_print(names):
    with tempfile.TemporaryDirectory() as tmp:
        base = os.fsencode(tmp)
        for i, name in enumerate(names):
            with open(os.path.join(base, name + b".yaml"), "w") as fh:
                fh.write(yaml.safe_dump(valid_record(id=f"rec-{i}")))
        res = load_paths([tmp])
        for p in res.problems:
            str(p).encode("utf-8")  # printable and storable: no lone surrogate
        # every file either loads or is named: a hidden one gets a warning, not silence
        assert len(res.records) + len(res.problems) >= 1
        utf8 = [n for n in names if _utf8(n) and not n.startswith(b".")]
        assert len(res.records) >= min(1, len(utf8))
    assert shown_name(os.fsdecode(names[0])).encode("utf-8")


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ------------------------------------------------------------------ URL parameters

query = st.dictionaries(
    st.sampled_from(["type", "owner", "partner", "criticality", "direction", "q", "as_of", "x"])
    | any_text,
    st.lists(any_text, max_size=3),
    max_size=6,
)


@FAST
@given(q=query)
def test_filters_from_any_query_round_trip_and_run(fixture_catalogue, q):
    f = Filters.from_query(q)
    again = Filters.from_query(
        {k: v if isinstance(v, list) else [v] for k, v in f.to_query().items()}
    )
    assert again.key() == f.key() or f.search != f.search.strip()
    rows = fixture_catalogue.query("integration_list", **f.sql_params(), as_of=f.as_of_date(AS_OF))
    assert len(rows) <= 6


page_params = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(any_text, st.sampled_from(["alpha-shop", "../etc/passwd", "' OR 1=1 --"])),
        "horizon": st.one_of(any_text, st.sampled_from(["30", "-1", "1e9", "90.0", "365 "])),
        "as_of": st.one_of(any_text, st.sampled_from(["20261128", "2026-W48-6", "9999-12-31"])),
        "kind": st.one_of(any_text, st.sampled_from(["all", "deadline", "check", "ALL "])),
        "type": any_text,
        "q": any_text,
    },
)


# the pages that read a parameter of their own (horizon, id, kind); the sidebar's are on all
@pytest.mark.parametrize(
    "page", ["pages/3_Deprecations.py", "pages/5_Integration.py", "pages/7_Backlog.py"]
)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(params=page_params)
def test_pages_run_with_any_url_parameters(monkeypatch, page, params):
    monkeypatch.setenv("CATALOGUE_PATH", str(CATALOGUE))
    st_.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert [e.value for e in at.exception] == []

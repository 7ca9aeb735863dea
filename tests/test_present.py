"""What a person reads: every record's one-page view on every source form, labels and the dash."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from catalogue_lib import generate
from catalogue_lib.catalogue import open_catalogue
from catalogue_lib.present import DASH, csv_of, display_frame, is_missing, record_sections

from .conftest import ROOT, SEED_COPY

LEAKS = re.compile(r"\b(None|nan|NaN|NaT|<NA>|null)\b")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate.write_records(generate.synthetic_records(200, 3), out)
    return out


def _catalogues(generated: Path) -> dict[str, list[str]]:
    return {
        "sample": [str(ROOT / "data")],
        "template": [str(SEED_COPY)],
        "generated": [str(generated)],
    }


@pytest.mark.parametrize("source", ["sample", "template", "generated"])
def test_every_record_reads_with_a_dash_for_each_missing_value(source, generated):
    cat = open_catalogue(_catalogues(generated)[source])
    rows = cat.con.execute("SELECT * FROM integrations ORDER BY load_order").df()
    assert len(rows) == len(cat.result.records) > 0
    dashes = 0
    for _, r in rows.iterrows():
        for heading, pairs in record_sections(r):
            for label, text in pairs:
                assert text, (r["id"], heading, label)
                assert not LEAKS.search(text), (r["id"], label, text)
                dashes += text == DASH
    assert dashes > 0  # every source form leaves some field missing


def test_a_missing_value_of_every_kind_is_a_dash():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2027-01-31", None]),
            "days": pd.array([3, None], dtype="Int64"),
            "summary": ["x", None],
            "score": [1.5, float("nan")],
            "alert_rules": [["a", "b"], []],
        }
    )
    shown = display_frame(frame)
    assert shown.iloc[1].tolist() == [DASH] * 5
    assert shown.iloc[0].tolist() == ["2027-01-31", "3", "x", "1.50", "a, b"]
    assert list(shown.columns) == ["Date", "Days left", "Summary", "Score", "Alert rules"]


def test_numbers_without_gaps_stay_numbers_so_they_sort_as_numbers():
    shown = display_frame(pd.DataFrame({"risk_score": [12, 3]}))
    assert pd.api.types.is_integer_dtype(shown["Risk score"])


def test_codes_read_as_words():
    shown = display_frame(
        pd.DataFrame({"kind": ["auth_expiry", "deprecation"], "state": ["na", "fail"]})
    )
    assert shown["Kind"].tolist() == ["Credential expiry", "Deprecation"]
    assert shown["State"].tolist() == ["n/a", "fail"]


def test_csv_holds_the_headers_and_values_shown():
    frame = pd.DataFrame({"name": ["A"], "kind": ["sunset"], "integration_id": ["a"]})
    assert csv_of(frame, ["integration_id"]).decode().splitlines() == [
        "Integration,Kind",
        "A,Sunset",
    ]


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT, pd.NA, "", "  ", []], ids=repr)
def test_is_missing(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, False, "x", ["a"], 0.0], ids=repr)
def test_is_not_missing(value):
    assert not is_missing(value)


@pytest.mark.parametrize(
    ("figure", "values", "status"),
    [
        ("must_have_share", {"must_have_share": 0.9}, "good"),
        ("must_have_share", {"must_have_share": 0.89}, "warn"),
        ("must_have_share", {"must_have_share": 0.69}, "bad"),
        ("overdue", {"overdue": 0}, "good"),
        ("overdue", {"overdue": 1}, "bad"),
        ("due_30", {"due_30": 1}, "warn"),
        ("high_risks", {"high_risks": 5, "active": 50}, "good"),
        ("high_risks", {"high_risks": 6, "active": 50}, "warn"),
        ("high_risks", {"high_risks": 11, "active": 50}, "bad"),
    ],
)
def test_targets_at_their_boundaries(figure, values, status):
    from catalogue_lib.figures import judged

    assert judged(values)[figure]["status"] == status


def test_every_auth_method_is_shown_in_the_same_words_on_the_record_and_in_its_tables():
    """The record page's Auth and its Credentials table (from SQL) showed the record's token
    (api_key, mtls): both now say it in words, the same words."""
    import typing

    import duckdb

    from catalogue_lib import db
    from catalogue_lib.model import Auth
    from catalogue_lib.present import AUTH_SHOWN

    con = duckdb.connect()
    db.create_schema(con)
    methods = list(typing.get_args(typing.get_args(Auth.model_fields["method"].annotation)[0]))
    assert set(methods) == set(AUTH_SHOWN)  # every method the model allows has its words
    for method in methods:
        (shown,) = con.execute("SELECT auth_label(?)", [method]).fetchone()
        assert shown == AUTH_SHOWN[method] and shown != method and shown != "None", method


@pytest.fixture(scope="module")
def many_owners(tmp_path_factory) -> Path:
    """20 integrations, each with an owner of its own and a risk: more owners than a chart's top."""
    import yaml

    out = tmp_path_factory.mktemp("owners20")
    risk = {"category": "peak_load", "summary": "s", "likelihood": "high", "impact": "high"}
    for i in range(20):
        rec = {
            **{"id": f"i{i}", "name": f"I{i}", "type": "shop", "partner": "P"},
            **{"direction": ["inbound"], "owner": f"Team {i:02d}", "risks": [risk]},
        }
        (out / f"i{i}.yaml").write_text(yaml.safe_dump(rec))
    return out


@pytest.mark.parametrize("source", ["sample", "template", "generated", "many owners"])
@pytest.mark.parametrize(("query", "top"), [("owner_risk_top", 15), ("backlog_by_owner", 12)])
def test_a_per_owner_title_says_top_n_only_where_owners_were_left_out(
    source, generated, many_owners, query, top
):
    """'(12 highest)' over a chart of two owners read as if some had been left out."""
    from catalogue_lib.filters import Filters
    from catalogue_lib.present import OTHERS, top_title

    paths = {**_catalogues(generated), "many owners": [str(many_owners)]}[source]
    cat = open_catalogue(paths)
    df = cat.query(
        query, **Filters().sql_params(), as_of=pd.Timestamp("2026-11-29").date(), top=top
    )
    owners = set(
        cat.con.execute("SELECT coalesce(owner, '(no owner)') FROM integrations").fetchall()
    )
    title = top_title("Per owner", df["owner"], top, "line: 30%")
    if len(owners) > top:
        assert OTHERS in set(df["owner"]) and title == f"Per owner ({top} highest; line: 30%)"
    else:
        assert title == "Per owner (line: 30%)"
    assert top_title("Per owner", [], top) == "Per owner"

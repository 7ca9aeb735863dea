"""What a table row cannot state is unknown (the spec), shown as unknown and not as something
else: its criticality is "unknown", apart from a record's that is "not set" (shown, explained in
the backlog and filtered as what it is; both weigh as medium), and its versions' and auth's dates
say they are not in the table rather than a dash (nothing recorded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from catalogue_lib.catalogue import open_catalogue
from catalogue_lib.filters import NOT_SET, UNKNOWN, Filters
from catalogue_lib.load import TABLE_HEADERS

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Four records: a YAML one with criticality high, one without, one whose criticality cannot
    be read (it weighs as not set, and its check is unknown), and a table row."""
    folder = tmp_path_factory.mktemp("mixed")
    base = {
        "type": "shop",
        "partner": "P",
        "direction": ["inbound"],
        "owner": "Team A",
        "auth": {"method": "oauth", "expires_on": "2026-07-01"},
    }
    cases = (
        ("set-high", {"criticality": "high"}),
        ("yaml-unset", {}),
        ("yaml-bad", {"criticality": "urgent"}),
    )
    for rid, extra in cases:
        (folder / f"{rid}.yaml").write_text(
            yaml.safe_dump({"id": rid, "name": rid, **base, **extra})
        )
    row = {"Integration": "Table Row", "Type": "Shop", "Partner": "Q", "Direction": "Inbound"}
    (folder / "table.md").write_text(
        "| " + " | ".join(TABLE_HEADERS) + " |\n|" + "---|" * len(TABLE_HEADERS) + "\n"
        "| " + " | ".join(row.get(h, "") for h in TABLE_HEADERS) + " |\n"
    )
    (folder / "scorecard.yaml").write_text(
        "initiatives:\n  - name: Shops at Silver\n    target: silver\n    due: 2026-12-31\n"
    )
    cat = open_catalogue([str(folder)])
    assert [(Path(p.path).name, p.severity) for p in cat.result.errors] == [
        ("yaml-bad.yaml", "error")
    ]
    yield cat
    cat.con.close()


NO_FILTERS = Filters()


def q(cat, name, filters: Filters = NO_FILTERS, **extra):
    return cat.query(name, **filters.sql_params(), as_of=AS_OF, **extra)


SHOWN = {"set-high": "high", "yaml-unset": NOT_SET, "yaml-bad": UNKNOWN, "table-row": UNKNOWN}


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        ("integration_overview", {"sort": "name"}),
        ("initiative_short", {}),
        ("gaps", {"check": "all"}),
        ("backlog", {}),
        ("timeline", {"horizon": 36500, "status": "all"}),
    ],
)
def test_every_table_shows_each_records_criticality_as_what_it_is(mixed, query, extra):
    df = q(mixed, query, **extra)
    key = "integration_id" if "integration_id" in df.columns else "id"
    seen = dict(zip(df[key], df["criticality"], strict=True))
    assert seen, query
    for rid, crit in seen.items():
        assert crit == SHOWN[rid], (query, rid)


@pytest.mark.parametrize(
    ("wanted", "ids"),
    [
        ((NOT_SET,), {"yaml-unset"}),
        ((UNKNOWN,), {"table-row", "yaml-bad"}),
        (("high",), {"set-high"}),
    ],
)
def test_criticality_filter_tells_unset_from_unknown(mixed, wanted, ids):
    assert set(q(mixed, "integration_list", Filters(criticalities=wanted))["id"]) == ids


def test_backlog_says_why_in_the_same_words_and_weighs_both_as_medium(mixed):
    df = q(mixed, "backlog")
    why = dict(zip(df["integration_id"], df["why"], strict=False))
    assert why["table-row"].startswith("criticality unknown (x2)")
    assert why["yaml-unset"].startswith("criticality not set (x2)")
    assert why["yaml-bad"].startswith("criticality unknown (x2)")  # weighs as not set
    assert why["set-high"].startswith("high criticality (x3)")


def test_filter_options_offer_unknown_only_where_a_table_row_is(mixed, tmp_path):
    assert set(mixed.query("filter_options")["criticality"]) == {"high", NOT_SET, UNKNOWN}
    (tmp_path / "a.yaml").write_text(
        yaml.safe_dump({"id": "a", "name": "A", "type": "shop", "partner": "P", "direction": []})
    )
    only_yaml = open_catalogue([str(tmp_path)])
    assert UNKNOWN not in set(only_yaml.query("filter_options")["criticality"])


def test_trends_filter_criticality_as_the_catalogue_does(mixed):
    from catalogue_lib.snapshot_figures import facts

    got = dict(zip(*[facts(mixed.con, AS_OF)[c] for c in ("id", "criticality_shown")], strict=True))
    assert got == SHOWN


# The record page's Versions and Credentials tables: a table row states a current version and
# an auth method, and none of their dates, which are then unknown, not a dash (nothing recorded).
DATED = {
    # what happens at the sunset is as unknown as the sunset itself
    "integration_versions": ("released_on", "deprecated_on", "sunset_on", "on_sunset", "source"),
    "integration_credentials": ("expires_on", "rotate_every_days", "rotated_on", "next_rotation"),
}


@pytest.mark.parametrize(
    "source", ["tests/fixtures/catalogue", "tests/fixtures/seed-template.txt", "data"]
)
@pytest.mark.parametrize("query", sorted(DATED))
def test_a_table_rows_dates_are_unknown_and_a_records_are_not(source, query):
    from catalogue_lib.present import TABLE_UNKNOWN

    cat = open_catalogue([source])
    forms = dict(cat.con.execute("SELECT id, source_form FROM integrations").fetchall())
    rows_seen = 0
    for rid, form in forms.items():
        df = cat.query(query, id=rid)
        rows_seen += len(df)
        for col in DATED[query]:
            if form in ("markdown", "csv"):
                assert (df[col] == TABLE_UNKNOWN).all(), (rid, col)
            else:
                assert not (df[col] == TABLE_UNKNOWN).any(), (rid, col)
    assert rows_seen
    cat.con.close()


@pytest.mark.parametrize(
    "source", ["tests/fixtures/catalogue", "tests/fixtures/seed-template.txt", "data"]
)
def test_the_integration_list_says_a_table_rows_deadlines_are_unknown(source):
    """The list's "Overdue" and "Next deadline": a table row states no dates, so its next
    deadline is unknown and its overdue count blank; an active record with none overdue says 0;
    a retired one has no deadlines at all."""
    from catalogue_lib.present import TABLE_UNKNOWN

    cat = open_catalogue([source])
    df = cat.query("integration_overview", **NO_FILTERS.sql_params(), as_of=AS_OF, sort="name")
    facts = dict(
        (
            (rid, (form, stage))
            for rid, form, stage in cat.con.execute(
                "SELECT id, source_form, coalesce(stage, 'live') FROM integrations"
            ).fetchall()
        )
    )
    assert len(df) == len(facts)
    for row in df.itertuples():
        form, stage = facts[row.integration_id]
        if stage == "retired":
            assert pd.isna(row.overdue) and pd.isna(row.next_deadline), row
        elif form in ("markdown", "csv"):
            assert pd.isna(row.overdue) and row.next_deadline == TABLE_UNKNOWN, row
        else:
            assert row.overdue >= 0 and row.next_deadline != TABLE_UNKNOWN, row
    cat.con.close()

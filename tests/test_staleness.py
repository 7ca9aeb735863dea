"""Staleness: each record's last commit next to its review date; untouched for over a year."""

from __future__ import annotations

import copy
import datetime as dt

from catalogue_lib.catalogue import open_catalogue
from catalogue_lib.filters import Filters
from catalogue_lib.staleness import ensure

from .conftest import VALID
from .gitcat import GitCatalogue

AS_OF = dt.date(2026, 11, 28)


def _rec(ident: str) -> dict:
    rec = copy.deepcopy(VALID)
    rec["id"] = ident
    return rec


def test_records_untouched_for_more_than_a_year_are_listed_with_their_last_commit(tmp_path):
    g = GitCatalogue(tmp_path / "repo")
    g.write("old.yaml", _rec("old"))
    g.write("edge.yaml", _rec("edge"))
    g.commit(AS_OF - dt.timedelta(days=500), "two records")
    g.write("edge.yaml", {**_rec("edge"), "name": "Edge renamed"})
    edge = g.commit(AS_OF - dt.timedelta(days=365), "a year ago to the day")
    g.write("fresh.yaml", _rec("fresh"))
    g.commit(AS_OF - dt.timedelta(days=3), "a new record")
    g.write("uncommitted.yaml", _rec("uncommitted"))
    cat = open_catalogue([str(g.dir)])
    ensure(cat)
    ensure(cat)  # a second call changes nothing
    params = {**Filters().sql_params(), "as_of": AS_OF}
    stale = cat.query("stale_records", **params)
    assert stale["integration_id"].tolist() == ["old"]
    assert stale["commit_age_days"].tolist() == [500]
    ages = cat.query("record_staleness", **params).set_index("integration_id")
    assert ages.loc["edge", "commit_age_days"] == 365
    assert ages.loc["edge", "commit"] == edge[:10]
    assert ages.loc["fresh", "commit_age_days"] == 3
    assert (
        ages.loc["old", "review_age_days"]
        == (AS_OF - dt.date.fromisoformat(VALID["reviewed_on"])).days
    )
    assert ages["last_commit"].isna().tolist().count(True) == 1  # uncommitted.yaml


def test_a_catalogue_outside_git_has_no_commit_ages(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    import yaml

    (folder / "a.yaml").write_text(yaml.safe_dump(_rec("a")))
    cat = open_catalogue([str(folder)])
    ensure(cat)
    params = {**Filters().sql_params(), "as_of": AS_OF}
    assert cat.query("stale_records", **params).empty
    assert cat.query("record_staleness", **params)["last_commit"].isna().all()

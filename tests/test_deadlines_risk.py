"""Deadlines on both sides of each boundary, and the risk score and concentration (spec)."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue_lib.catalogue import summary

from .conftest import AS_OF
from .helpers import catalogue_of

BASE = {"id": "x", "name": "X", "type": "carrier", "partner": "P", "direction": ["outbound"]}
DAY = dt.timedelta(days=1)


def deadlines(cat, as_of):
    return [(d["kind"], d["days"], d["overdue"]) for d in summary(cat, as_of)["deadlines"]]


def version(status, **dates):
    return {**BASE, "lifecycle": {"versions": [{"version": "v1", "status": status, **dates}]}}


D = "2027-01-31"
DD = dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("record", "as_of", "expected"),
    [
        # sunset: upcoming before, overdue after unless retired
        (version("deprecated", sunset_on=D), DD - DAY, [("sunset", 1, False)]),
        (version("deprecated", sunset_on=D), DD, [("sunset", 0, False)]),
        (version("deprecated", sunset_on=D), DD + DAY, [("sunset", -1, True)]),
        (version("retired", sunset_on=D), DD + DAY, []),
        (version("current", sunset_on=D), DD + DAY, [("sunset", -1, True)]),
        # deprecation: overdue only while still current or supported
        (version("current", deprecated_on=D), DD - DAY, [("deprecation", 1, False)]),
        (version("current", deprecated_on=D), DD + DAY, [("deprecation", -1, True)]),
        (version("supported", deprecated_on=D), DD + DAY, [("deprecation", -1, True)]),
        (version("deprecated", deprecated_on=D), DD + DAY, []),
        (version("retired", deprecated_on=D), DD + DAY, []),
        # planned change: never overdue
        (
            {**BASE, "lifecycle": {"planned_changes": [{"date": D}]}},
            DD - DAY,
            [("planned_change", 1, False)],
        ),
        ({**BASE, "lifecycle": {"planned_changes": [{"date": D}]}}, DD + DAY, []),
        # credential expiry
        (
            {**BASE, "auth": {"method": "mtls", "expires_on": D}},
            DD - DAY,
            [("auth_expiry", 1, False)],
        ),
        (
            {**BASE, "auth": {"method": "mtls", "expires_on": D}},
            DD + DAY,
            [("auth_expiry", -1, True)],
        ),
        # retired integrations have no deadlines
        ({**BASE, "stage": "retired", "auth": {"expires_on": D}}, DD - DAY, []),
    ],
)
def test_deadline_classification(tmp_path, record, as_of, expected):
    assert deadlines(catalogue_of(tmp_path, record), as_of) == expected


def test_fixture_deadlines(fixture_catalogue):
    got = summary(fixture_catalogue, AS_OF)["deadlines"]
    # v1.1 adds the approximate and derived flags; a v1 catalogue has neither
    assert all(d.pop("approximate") is False and d.pop("derived") is False for d in got)
    assert got == [
        {
            "id": "gamma-carrier",
            "kind": "sunset",
            "date": "2026-11-01",
            "days": -27,
            "overdue": True,
        },
        {
            "id": "gamma-carrier",
            "kind": "auth_expiry",
            "date": "2026-11-20",
            "days": -8,
            "overdue": True,
        },
        {"id": "alpha-shop", "kind": "sunset", "date": "2027-01-31", "days": 64, "overdue": False},
        {
            "id": "alpha-shop",
            "kind": "auth_expiry",
            "date": "2027-02-01",
            "days": 65,
            "overdue": False,
        },
        {
            "id": "alpha-shop",
            "kind": "planned_change",
            "date": "2027-03-01",
            "days": 93,
            "overdue": False,
        },
    ]


def risk(likelihood=None, impact=None):
    r = {"category": "other"}
    if likelihood:
        r["likelihood"] = likelihood
    if impact:
        r["impact"] = impact
    return r


@pytest.mark.parametrize(
    ("criticality", "risks", "score"),
    [
        ("high", [risk("high", "high")], 27),
        ("medium", [risk("high", "high")], 18),
        ("low", [risk("high", "high")], 9),
        (None, [risk("high", "high")], 18),  # not classified counts as medium
        ("low", [risk("low", "low"), risk("medium", "high")], 7),
        ("low", [risk()], 4),  # unknown likelihood and impact score as medium
        ("high", [], 0),
    ],
)
def test_integration_risk_score(tmp_path, criticality, risks, score):
    rec = {**BASE, "owner": "Team X", "risks": risks}
    if criticality:
        rec["criticality"] = criticality
    (owner,) = summary(catalogue_of(tmp_path, rec), AS_OF)["owners"]
    assert owner["risk_score"] == score


def test_owner_concentration_on_the_fixture(fixture_catalogue):
    owners = {o["owner"]: o for o in summary(fixture_catalogue, AS_OF)["owners"]}
    assert owners["Team Alpha"]["risk_score"] == 43
    assert owners["Team Alpha"]["integrations"] == 2
    assert owners["Team Alpha"]["high_criticality"] == 1
    assert owners["Team Alpha"]["risk_share"] == pytest.approx(43 / 49)
    assert owners["Eng"]["risk_share"] == pytest.approx(6 / 49)
    assert owners[None]["risk_score"] == 0
    assert "Team Delta" not in owners  # retired integrations carry no risk
    assert sum(o["risk_share"] for o in owners.values()) == pytest.approx(1.0)


def test_no_risk_at_all_gives_zero_shares(tmp_path):
    (owner,) = summary(catalogue_of(tmp_path, {**BASE, "owner": "A"}), AS_OF)["owners"]
    assert owner["risk_share"] == 0


@pytest.mark.parametrize("days", [0, 1, 7, 45, 100, 179, 180, 400, -3])
def test_a_sunset_scores_as_the_printed_rule_says(tmp_path, days):
    """score = criticality weight x severity x urgency, urgency 1 + 2 x max(0, 1 - d/180) to two
    decimals (overdue 4), the score to one decimal: what the rule above every backlog says."""
    from catalogue_lib import report

    assert "to two decimals" in report.SCORING_RULE and "to one decimal" in report.SCORING_RULE
    record = {
        **version("deprecated", sunset_on=(DD + days * DAY).isoformat()),
        "criticality": "high",
    }
    items = report.backlog(catalogue_of(tmp_path, record), DD, None, None)
    sunset = items[items["kind"].isin(["deadline", "overdue"])].iloc[0]
    urgency = 4.0 if days < 0 else round(1 + 2 * max(0.0, 1 - days / 180), 2)
    assert sunset["score"] == round(3 * 3 * urgency, 1)


def _owned(rid: str, owner: str, risks: int) -> dict:
    risk = {"category": "peak_load", "summary": "s", "likelihood": "medium", "impact": "medium"}
    return {**BASE, "id": rid, "name": rid, "owner": owner, "risks": [risk] * risks}


@pytest.mark.parametrize(
    ("owners", "team_a", "expected"),
    [
        # Team A holds 4 of 10 risks (40% of the catalogue's score) among four owners
        ((4, 2, 2, 2), ("Team A",), 1),  # filtered to Team A alone: still 40% of the whole
        ((4, 2, 2, 2), (), 1),
        ((4, 2, 2, 2), ("Team B",), 0),  # 20%
        # three owners in the whole catalogue: someone always holds a third, never called out
        ((5, 3, 2), ("Team A",), 0),
        ((5, 3, 2), (), 0),
    ],
)
def test_owners_over_30_measure_the_whole_catalogue_however_few_owners_the_view_has(
    tmp_path, owners, team_a, expected
):
    """A filter to one team used to report 0: the four-owner gate counted the view's owners while
    the share is of the whole catalogue's score (the spec's risk concentration)."""
    from catalogue_lib.filters import Filters

    names = [f"Team {chr(65 + i)}" for i in range(len(owners))]
    cat = catalogue_of(
        tmp_path,
        *(_owned(f"i{i}", n, k) for i, (n, k) in enumerate(zip(names, owners, strict=True))),
    )
    row = cat.query("risk_headline", **Filters(owners=team_a).sql_params(), as_of=AS_OF).iloc[0]
    assert row["owners_over_30"] == expected

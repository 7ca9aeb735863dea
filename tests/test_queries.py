"""Every figure a page shows, computed on DuckDB without Streamlit, on the hand-countable fixture."""

from __future__ import annotations

import pytest

from catalogue_lib.filters import Filters

from .conftest import AS_OF

NO_FILTERS = Filters()


def shop(**fields) -> dict:
    """A minimal valid shop record with the given fields added."""
    return {
        "id": "x",
        "name": "X",
        "type": "shop",
        "partner": "P",
        "direction": ["inbound"],
        **fields,
    }


def q(cat, name, filters: Filters = NO_FILTERS, **extra):
    return cat.query(name, **filters.sql_params(), as_of=AS_OF, **extra)


def test_health_headline(fixture_catalogue):
    h = q(fixture_catalogue, "health_headline").iloc[0].to_dict()
    assert h == {
        "integrations": 6,
        "shops": 2,
        "carriers": 4,
        "active": 5,
        "must_haves_passing": 2,  # alpha-shop and epsilon-shop (its Monitoring cell names all three)
        "overdue": 2,
        "due_30": 0,
        "due_90": 2,
        "breaking_without_plan": 0,  # zeta's breaking change is past: history, not a deadline
        "high_risks": 1,  # alpha-shop's high x high
        "incidents_90d": 1,
    }


def test_health_headline_follows_the_type_filter(fixture_catalogue):
    h = q(fixture_catalogue, "health_headline", Filters(types=("carrier",))).iloc[0]
    assert (h.integrations, h.shops, h.carriers, h.overdue, h.due_90) == (4, 0, 4, 2, 0)


def test_coverage_by_type(fixture_catalogue):
    df = q(fixture_catalogue, "coverage_by_group", group="type", top=10).set_index(
        ["group", "check_name"]
    )
    assert df.loc[("shop", "named_owner"), "share_passing"] == 1.0
    assert df.loc[("carrier", "named_owner"), "share_passing"] == 0.0
    # n/a does not count against the share: of the carriers only gamma has inbound
    assert df.loc[("carrier", "webhook_signatures"), ["fail", "na"]].tolist() == [1, 2]
    assert df.loc[("carrier", "webhook_signatures"), "share_passing"] == 0.0


def test_coverage_by_owner_groups_missing_owner(fixture_catalogue):
    groups = set(q(fixture_catalogue, "coverage_by_group", group="owner", top=10)["group"])
    assert groups == {"Team Alpha", "Eng", "PO", "(no owner)"}


def test_coverage_by_owner_groups_the_rest_beyond_the_top(fixture_catalogue):
    top2 = q(fixture_catalogue, "coverage_by_group", group="owner", top=2)
    every = q(fixture_catalogue, "coverage_by_group", group="owner", top=10)
    assert len(set(top2["group"])) == 3 and "(others)" in set(top2["group"])
    for col in ("pass", "fail", "unknown", "na"):  # nothing is lost by grouping
        assert top2[col].sum() == every[col].sum()


def test_check_states_has_no_share_for_a_check_that_applies_to_none(tmp_path):
    """The home page's split per check: n/a is out of the denominator, so a check that is n/a
    for every integration in view (webhook signatures with outbound ones only) has no share, as
    on Coverage, and its bar carries no "0%" label (0 of 0 is not 0%)."""
    from catalogue_lib import charts

    from .helpers import catalogue_of

    cat = catalogue_of(tmp_path, shop(direction=["outbound"], owner="Team A"))
    df = q(cat, "check_states")
    share = df.set_index("title")["share_passing"]
    assert share.isna()["Webhook signatures"] and share.isna()["Migration plan"]
    assert share["Named owner"] == 1.0 and share["Runbook"] == 0.0
    by_group = q(cat, "coverage_by_group", group="type", top=10).set_index("check_name")
    assert by_group["share_passing"].isna()["webhook_signatures"]  # the same reading
    layers = charts.check_states(df, "Each check").to_dict()["layer"]
    labels = layers[1]["data"]["values"] if "values" in layers[1].get("data", {}) else None
    if labels is None:  # the chart keeps its data in datasets
        spec = charts.check_states(df, "Each check").to_dict()
        labels = spec["datasets"][layers[1]["data"]["name"]]
    labelled = {row["title"] for row in labels}
    assert "Webhook signatures" not in labelled and "Named owner" in labelled


def test_check_matrix_worst_first_and_limited(fixture_catalogue):
    df = q(fixture_catalogue, "check_matrix", limit=2)
    # beta and gamma fail 11 checks each (tie broken by id); zeta has 11 not passing but only 4 failing
    assert df["integration_id"].drop_duplicates().tolist() == ["beta-carrier", "gamma-carrier"]
    assert len(df) == 2 * 14
    assert len(q(fixture_catalogue, "check_matrix", limit=100)) == 5 * 14


def test_gaps_are_every_fail_and_unknown(fixture_catalogue):
    gaps = q(fixture_catalogue, "gaps", check="all")
    assert len(gaps) == 26 + 14
    assert set(gaps["state"]) == {"fail", "unknown"}
    assert gaps["fix"].notna().all()
    assert "alpha-shop" not in set(gaps["integration_id"])


def test_version_matrix_and_callouts(fixture_catalogue):
    matrix = q(fixture_catalogue, "version_matrix", limit=100)
    assert len(matrix) == 5
    # no current version first, then the soonest sunset, then those with no sunset
    assert matrix["integration_id"].drop_duplicates().tolist() == [
        "gamma-carrier",
        "alpha-shop",
        "epsilon-shop",
    ]
    assert set(q(fixture_catalogue, "version_matrix", limit=1)["integration_id"]) == {
        "gamma-carrier"
    }
    assert len(q(fixture_catalogue, "versions_all")) == 5
    v1 = matrix[(matrix.integration_id == "alpha-shop") & (matrix.version == "v1")].iloc[0]
    assert v1.days_left == 64
    callouts = (
        q(fixture_catalogue, "version_callouts").set_index("integration_id")["issue"].to_dict()
    )
    assert callouts == {
        "gamma-carrier": "v1 past its sunset (2026-11-01), no current version",
        "beta-carrier": "no versions listed",
        "zeta-carrier": "no versions listed",
    }


def test_more_than_two_live_versions_is_called_out(tmp_path):
    from .helpers import catalogue_of

    versions = [
        {"version": "v3", "status": "current"},
        {"version": "v2", "status": "supported"},
        {"version": "v1", "status": "deprecated", "sunset_on": "2027-06-01"},
        {
            "version": "v0",
            "status": "deprecated",
            "sunset_on": "2026-01-01",
        },  # past sunset: not live
    ]
    cat = catalogue_of(tmp_path, shop(lifecycle={"versions": versions}))
    (issue,) = q(cat, "version_callouts")["issue"]
    assert issue == "v0 past its sunset (2026-01-01), 3 live versions"


@pytest.mark.parametrize(
    ("status", "sunset", "issue"),
    [
        ("deprecated", "2026-01-01", "v1 past its sunset (2026-01-01)"),
        ("supported", "2026-Q1", "v1 past its sunset (2026-Q1, approximate)"),  # as written
        ("retired", "2026-01-01", None),  # retired: its sunset is done with
        ("deprecated", "2099-01-01", None),  # still ahead
    ],
)
def test_a_version_past_its_sunset_is_in_the_list_its_count_leads_to(
    tmp_path, status, sunset, issue
):
    """The Versions page counts versions past their sunset and not retired; the list of
    integrations that need attention names each of them, so the count leads somewhere."""
    from .helpers import catalogue_of

    versions = [
        {"version": "v2", "status": "current"},
        {"version": "v1", "status": status, "sunset_on": sunset},
    ]
    cat = catalogue_of(tmp_path, shop(lifecycle={"versions": versions}))
    issues = q(cat, "version_callouts")["issue"].tolist()
    assert issues == ([issue] if issue else [])
    counts = q(cat, "version_callout_counts").iloc[0]
    assert (counts.integrations, counts.past_sunset) == ((1, 1) if issue else (0, 0))


@pytest.mark.parametrize(
    ("released", "shown"),
    [("2024-03-01", "2025-03-01, derived"), ("2024-Q1", "2025-Q1, approximate, derived")],
)
def test_a_derived_sunset_past_is_called_out_marked_derived(tmp_path, released, shown):
    """Spec v1.1: a report marks an approximate date approximate and a derived sunset derived,
    as every other place the app shows a date does."""
    from .helpers import catalogue_of

    lifecycle = {
        "support_months": 12,
        "versions": [
            {"version": "v2", "status": "current", "released_on": "2026-06-01"},
            {"version": "v1", "status": "deprecated", "released_on": released},
        ],
    }
    cat = catalogue_of(tmp_path, shop(lifecycle=lifecycle))
    assert q(cat, "version_callouts")["issue"].tolist() == [f"v1 past its sunset ({shown})"]


def test_no_current_version_and_too_many_live_ones_are_both_called_out(tmp_path):
    """One integration can have both problems: each count and its call-out name it (the count of
    "more than two live versions" used to miss every integration that also had no current one)."""
    from .helpers import catalogue_of

    versions = [
        {"version": "v3", "status": "supported"},
        {"version": "v2", "status": "supported"},
        {"version": "v1", "status": "deprecated", "sunset_on": "2027-06-01"},
    ]
    cat = catalogue_of(tmp_path, shop(lifecycle={"versions": versions}))
    (issue,) = q(cat, "version_callouts")["issue"]
    assert issue == "no current version, 3 live versions"
    counts = q(cat, "version_callout_counts").iloc[0]
    assert (counts.integrations, counts.no_current, counts.too_many) == (1, 1, 1)


def test_no_current_version_is_counted_when_a_version_is_also_past_its_sunset(tmp_path):
    """The call-out names the version past its sunset first; the "No current version" figure
    still counts the integration (it read the issue's first words, and then missed it)."""
    from .helpers import catalogue_of

    versions = [
        {"version": "v2", "status": "supported", "sunset_on": "2027-06-01"},
        {"version": "v1", "status": "deprecated", "sunset_on": "2026-01-01"},
        {"version": "v0", "status": "deprecated", "sunset_on": "2026-01-02"},
        {"version": "v-1", "status": "supported", "sunset_on": "2099-01-02"},
        {"version": "v-2", "status": "supported", "sunset_on": "2099-01-02"},
    ]
    cat = catalogue_of(tmp_path, shop(lifecycle={"versions": versions}))
    (issue,) = q(cat, "version_callouts")["issue"]
    assert issue == (
        "v1 past its sunset (2026-01-01), v0 past its sunset (2026-01-02), "
        "no current version, 3 live versions"
    )
    counts = q(cat, "version_callout_counts").iloc[0]
    assert (counts.integrations, counts.no_current, counts.too_many, counts.past_sunset) == (
        1,
        1,
        1,
        2,
    )


@pytest.mark.parametrize(("horizon", "rows"), [(30, 2), (90, 4), (180, 5), (365, 5)])
def test_timeline_horizon_keeps_every_overdue(fixture_catalogue, horizon, rows):
    tl = q(fixture_catalogue, "timeline", horizon=horizon, status="all")
    assert len(tl) == rows
    assert tl["overdue"].tolist()[:2] == [True, True]  # overdue first


def test_breaking_change_without_plan_is_marked(tmp_path):
    from .helpers import catalogue_of

    change = {"date": "2027-01-10", "summary": "v3", "breaking": True}
    cat = catalogue_of(tmp_path, shop(lifecycle={"planned_changes": [change]}))
    (row,) = q(cat, "timeline", horizon=90, status="all").to_dict("records")
    assert row["breaking_without_plan"] is True


def test_deadlines_by_month_lists_every_month_empty_ones_too(fixture_catalogue):
    df = q(fixture_catalogue, "deadlines_by_month", horizon=365)
    got = {(f"{r.month:%Y-%m}", r.kind): r.deadlines for r in df.itertuples() if r.deadlines}
    assert got == {
        ("2027-01", "sunset"): 1,
        ("2027-02", "auth_expiry"): 1,
        ("2027-03", "planned_change"): 1,
    }
    months = [f"{m:%Y-%m}" for m in df["month"].drop_duplicates()]
    assert months[0] == "2026-11" and months[-1] == "2027-11" and len(months) == 13


def test_owner_risk_shares_are_of_the_whole_catalogue(fixture_catalogue):
    df = q(fixture_catalogue, "owner_risk", Filters(owners=("Eng",)))
    assert df["owner"].tolist() == ["Eng"]
    assert df["risk_share"].iloc[0] == pytest.approx(6 / 49)
    alpha = q(fixture_catalogue, "owner_risk").set_index("owner").loc["Team Alpha"]
    assert alpha.risk_score == 43 and alpha.high_criticality_share == 1.0


def test_risk_heatmap(fixture_catalogue):
    df = q(fixture_catalogue, "risk_heatmap", top=10)
    got = {(r.owner, r.category): r.risk_score for r in df.itertuples()}
    assert got == {
        ("Team Alpha", "timeouts_5xx"): 27,
        ("Team Alpha", "rate_limiting"): 8,
        ("Team Alpha", "other"): 8,
        ("Eng", "rate_limiting"): 2,
        ("Eng", "other"): 4,
    }
    assert sum(got.values()) == 49  # the same total as the owners' scores


def test_incidents_by_mode(fixture_catalogue):
    df = q(fixture_catalogue, "incidents_by_mode")
    assert df[["failure_mode", "severity", "incidents"]].values.tolist() == [
        ["timeouts_5xx", "sev2", 1]
    ]


def test_integration_page_queries(fixture_catalogue):
    checks = q(fixture_catalogue, "integration_checks", id="alpha-shop")
    assert len(checks) == 14 and set(checks["state"]) == {"pass"}
    assert checks["fix"].isna().all()
    risks = q(fixture_catalogue, "integration_risks", id="gamma-carrier")
    assert risks["score"].tolist() == [4, 2]
    score = q(fixture_catalogue, "integration_score", id="gamma-carrier").iloc[0]
    assert score.risk_score == 6
    assert len(q(fixture_catalogue, "integration_deadlines", id="gamma-carrier")) == 2
    assert q(fixture_catalogue, "integration_checks", id="delta-retired").empty


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(types=("shop",)), {"alpha-shop", "epsilon-shop"}),
        (Filters(owners=("(no owner)",)), {"beta-carrier"}),
        (Filters(partners=("Gamma Post",)), {"gamma-carrier"}),
        (Filters(criticalities=("not set",)), {"beta-carrier"}),
        (Filters(criticalities=("unknown",)), {"epsilon-shop", "zeta-carrier"}),  # table rows
        (Filters(directions=("inbound",)), {"alpha-shop", "gamma-carrier", "epsilon-shop"}),
        (Filters(search="TEAM alpha"), {"alpha-shop", "epsilon-shop"}),
        (Filters(search="100%_"), set()),  # searched literally, not as a LIKE pattern
    ],
)
def test_filters_narrow_the_integration_list(fixture_catalogue, filters, ids):
    assert set(q(fixture_catalogue, "integration_list", filters)["id"]) == ids


def test_problems_are_classified(tmp_path):
    from catalogue_lib.catalogue import open_catalogue

    (tmp_path / "a.yaml").write_text("id: a\nname: [\n")
    (tmp_path / "b.yaml").write_text(
        "id: b\nname: B\ntype: shop\npartner: P\ndirection: [inbound]\nownr: x\n"
    )
    (tmp_path / "scorecard.yaml").write_text(
        "waivers:\n  - {integration: gone, check: runbook, reason: r, approved_by: x,"
        " expires_on: 2099-01-01}\ninitiatives:\n  - {name: N, target: silver, due: 2099-01-01,"
        " scope: {ids: [gone], owner: [Team Nobody]}}\n"
    )
    df = open_catalogue([str(tmp_path)]).query("problems")
    assert sorted(map(tuple, df[["severity", "kind"]].values.tolist())) == [
        ("error", "unreadable syntax"),
        ("warning", "names no integration"),  # the waiver, the scope's id and its owner
        ("warning", "names no integration"),
        ("warning", "names no integration"),
        ("warning", "unknown key"),
    ]


def test_csv_download_has_the_rows_shown_with_plain_dates(fixture_catalogue):
    import csv
    import io

    from catalogue_lib.present import csv_of

    table = q(fixture_catalogue, "timeline", horizon=90, status="all")
    rows = list(csv.DictReader(io.StringIO(csv_of(table, ["integration_id"]).decode())))
    assert len(rows) == len(table) == 4
    assert "integration_id" not in rows[0] and "Integration" in rows[0]  # the headers shown
    assert [r["Date"] for r in rows] == ["2026-11-01", "2026-11-20", "2027-01-31", "2027-02-01"]
    assert set(r["Kind"] for r in rows[:2]) == {"Credential expiry", "Sunset"}


def test_pages_of_a_big_query_add_up_to_the_whole(fixture_catalogue):
    from catalogue_lib import db

    params = {**NO_FILTERS.sql_params(), "as_of": AS_OF, "check": "all"}
    whole = db.query(fixture_catalogue.con, "gaps", **params)
    assert db.query_count(fixture_catalogue.con, "gaps", **params) == len(whole) == 40
    pages = [
        db.query_page(fixture_catalogue.con, "gaps", 15, offset, **params) for offset in (0, 15, 30)
    ]
    assert [len(p) for p in pages] == [15, 15, 10]
    import pandas as pd

    assert pd.concat(pages, ignore_index=True).equals(whole)


def test_backlog_aggregates_match_the_items(fixture_catalogue):
    items = q(fixture_catalogue, "backlog")
    summary = q(fixture_catalogue, "backlog_summary").set_index("kind")["items"]
    by_owner = q(fixture_catalogue, "backlog_by_owner", top=2)
    assert summary.sum() == len(items) == by_owner["items"].sum()
    assert summary.to_dict() == items["kind"].value_counts().to_dict()

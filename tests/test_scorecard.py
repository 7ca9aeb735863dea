"""Scorecard levels, custom checks, waivers, the owner registry, the backlog and the digest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from catalogue_lib.catalogue import open_catalogue, summary
from catalogue_lib.cli import main
from catalogue_lib.filters import Filters
from catalogue_lib.report import backlog, digest

from .conftest import AS_OF, CATALOGUE

BASE = {"id": "x", "name": "X", "type": "carrier", "partner": "P", "direction": ["outbound"]}
BRONZE = {
    "owner": "Team X",
    "operations": {
        "dashboard": "https://g.example.com/d",
        "alert_rules": ["5xx > 2%"],
        "runbook": "https://w.example.com/r",
    },
}
SILVER_EXTRA = {
    "contract": {"idempotency": "Idempotency-Key"},
    "lifecycle": {"test_environment": {"kind": "sandbox"}},
}


def silver_record(**extra):
    ops = {**BRONZE["operations"], "on_call": "x-primary", "slo": {"success_rate_pct": 99.5}}
    return {**BASE, **BRONZE, **SILVER_EXTRA, "operations": ops, **extra}


def gold_record() -> dict:
    return silver_record(
        support_contact="portal",
        criticality="high",
        reviewed_on="2026-11-01",
        lifecycle={
            "test_environment": {"kind": "sandbox"},
            "versions": [{"version": "v1", "status": "current"}],
        },
    )


def catalogue(
    tmp_path: Path, records: list[dict], scorecard: dict | str | None = None, owners=None
):
    folder = tmp_path / "cat"
    folder.mkdir(parents=True, exist_ok=True)
    for i, rec in enumerate(records):
        (folder / f"{i:02d}.yaml").write_text(yaml.safe_dump(rec, sort_keys=False))
    if scorecard is not None:
        text = (
            scorecard if isinstance(scorecard, str) else yaml.safe_dump(scorecard, sort_keys=False)
        )
        (folder / "scorecard.yaml").write_text(text)
    if owners is not None:
        (folder / "owners.yaml").write_text(yaml.safe_dump(owners, sort_keys=False))
    return open_catalogue([str(folder)])


def levels(cat, as_of=AS_OF):
    return summary(cat, as_of)["levels"]


@pytest.mark.parametrize(
    ("record", "level"),
    [
        (BASE, None),
        ({**BASE, **BRONZE}, "bronze"),
        ({**BASE, **BRONZE, "owner": "Eng"}, None),  # a role word breaks Bronze
        (silver_record(), "silver"),
        # Silver's checks without Bronze's runbook: levels are cumulative
        (silver_record(operations={**silver_record()["operations"], "runbook": None}), None),
    ],
)
def test_levels_are_cumulative(tmp_path, record, level):
    record = {k: v for k, v in record.items()}
    if record.get("operations"):
        record["operations"] = {k: v for k, v in record["operations"].items() if v is not None}
    assert levels(catalogue(tmp_path, [record]))["x"] == level


def test_na_checks_count_as_passed(tmp_path):
    # outbound only: webhook_signatures is n/a, and Silver still passes
    cat = catalogue(tmp_path, [silver_record()])
    states = cat.query("integration_checks", id="x", as_of=AS_OF).set_index("check")["state"]
    assert states["Webhook signatures"] == "na"
    assert levels(cat)["x"] == "silver"


def test_gold_is_every_check(tmp_path):
    gold = gold_record()
    assert levels(catalogue(tmp_path, [gold]))["x"] == "gold"
    stale = {**gold, "reviewed_on": "2025-01-01"}
    assert levels(catalogue(tmp_path / "b", [stale]))["x"] == "silver"


def test_scoped_check_is_na_out_of_scope(tmp_path):
    card = {"checks": {"idempotency": {"weight": 2, "scope": {"type": ["shop"]}}}}
    rec = silver_record(contract={})  # no idempotency, but this is a carrier
    cat = catalogue(tmp_path, [rec, {**rec, "id": "s", "type": "shop"}], card)
    assert levels(cat) == {"x": "silver", "s": "bronze"}


def test_custom_sql_check(tmp_path):
    card = {
        "custom_checks": [
            {
                "name": "escalation_for_high",
                "title": "Escalation path",
                "sql": "SELECT id FROM integrations WHERE criticality = 'high' AND escalation IS NULL",
                "level": "bronze",
                "weight": 2,
                "fix": "Name who escalates in operations.escalation",
            }
        ]
    }
    high = {**BASE, **BRONZE, "criticality": "high"}
    low = {**BASE, **BRONZE, "id": "y", "criticality": "low"}
    cat = catalogue(tmp_path, [high, low], card)
    assert cat.result.problems == []
    assert levels(cat) == {"x": None, "y": "bronze"}
    gaps = cat.query(
        "gaps",
        types=[],
        owners=[],
        partners=[],
        criticalities=[],
        directions=[],
        search=None,
        as_of=AS_OF,
        check="all",
    )
    row = gaps[gaps["check"] == "Escalation path"]
    assert row["integration_id"].tolist() == ["x"]
    assert row["fix"].tolist() == ["Name who escalates in operations.escalation"]


@pytest.mark.parametrize(
    ("scorecard", "words"),
    [
        ({"levels": [{"name": "bronze", "checks": ["runbok"]}]}, "unknown check 'runbok'"),
        (
            {
                "levels": [
                    {"name": "a", "extends": "b", "checks": []},
                    {"name": "b", "extends": "a", "checks": []},
                ]
            },
            "cycle",
        ),
        (
            {"custom_checks": [{"name": "bad", "sql": "SELEC id FROM integrations"}]},
            "does not parse",
        ),
        ({"custom_checks": [{"name": "bad", "sql": "SELECT id FROM nowhere"}]}, "SQL fails"),
        (
            {"custom_checks": [{"name": "bad", "sql": "DROP TABLE integrations"}]},
            "must be a SELECT",
        ),
        ({"custom_checks": [{"name": "bad", "sql": "SELECT 1; SELECT 2"}]}, "exactly one"),
        ({"custom_checks": [{"name": "bad", "sql": "SELECT name FROM integrations"}]}, "id column"),
        (
            {
                "custom_checks": [
                    {"name": "bad", "sql": "SELECT column0 AS id FROM read_csv('/etc/passwd')"}
                ]
            },
            "SQL fails",
        ),
        ({"checks": {"runbook": {"weight": 99}}}, "less than or equal"),
        ({"levles": []}, "unknown section 'levles'"),
        ("levels: [unclosed\n", "invalid YAML"),
    ],
)
def test_a_scorecard_mistake_is_reported_and_the_default_stays(tmp_path, scorecard, words):
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], scorecard)
    errors = [str(p) for p in cat.result.errors]
    assert len(errors) >= 1 and any(words in e for e in errors), errors
    assert all("scorecard.yaml" in e and "default scorecard is in force" in e for e in errors)
    assert levels(cat)["x"] == "bronze"  # the default is in force


def test_scorecard_problem_names_the_line(tmp_path):
    text = "levels:\n  - name: bronze\n    checks: [runbok]\n"
    cat = catalogue(tmp_path, [BASE], text)
    (err,) = cat.result.errors
    assert err.line == 3


WAIVER = {
    "integration": "x",
    "check": "runbook",
    "reason": "runbook in migration",
    "approved_by": "Head of Eng",
}


@pytest.mark.parametrize(
    ("expires_on", "as_of", "state", "level"),
    [
        ("2026-12-31", dt.date(2026, 12, 30), "waived", "bronze"),
        ("2026-12-31", dt.date(2026, 12, 31), "waived", "bronze"),  # valid through its expiry date
        ("2026-12-31", dt.date(2027, 1, 1), "fail", None),  # then the check fails again
    ],
)
def test_waiver_on_both_sides_of_its_expiry(tmp_path, expires_on, as_of, state, level):
    rec = {
        **BASE,
        **BRONZE,
        "operations": {k: v for k, v in BRONZE["operations"].items() if k != "runbook"},
    }
    cat = catalogue(tmp_path, [rec], {"waivers": [{**WAIVER, "expires_on": expires_on}]})
    checks = cat.query("integration_checks", id="x", as_of=as_of).set_index("check")
    assert checks.loc["Runbook", "state"] == state
    assert "runbook in migration" in checks.loc["Runbook", "waiver"]
    assert levels(cat, as_of)["x"] == level
    status = cat.query("waivers_status", **Filters().sql_params(), as_of=as_of)["status"].iloc[0]
    assert status == ("expired" if state == "fail" else "expiring soon")


def test_the_waivers_table_follows_the_filters(tmp_path):
    """Coverage's waivers table keeps to the sidebar's filters, as every figure beside it (the
    Waived count is the filtered one); a waiver naming no integration (a typo) shows unfiltered."""
    shop = {**BASE, "id": "s", "name": "S", "type": "shop", "owner": "Team S"}
    waivers = [{**WAIVER, "expires_on": "2027-12-31"}, {**WAIVER, "integration": "s"}]
    waivers[1]["expires_on"] = "2027-12-31"
    waivers.append({**WAIVER, "integration": "typo", "expires_on": "2027-12-31"})
    cat = catalogue(tmp_path, [BASE, shop], {"waivers": waivers})

    def listed(**narrowing) -> list[str]:
        params = Filters(**narrowing).sql_params()
        return sorted(cat.query("waivers_status", **params, as_of=AS_OF)["integration_id"])

    assert listed() == ["s", "typo", "x"]
    assert listed(types=("shop",)) == ["s"]
    assert listed(owners=("Team S",)) == ["s"]
    assert listed(search="no such integration") == []


def test_spec_check_counts_ignore_waivers(tmp_path):
    rec = {**BASE, **BRONZE, "operations": {"dashboard": "https://g.example.com"}}
    cat = catalogue(tmp_path, [rec], {"waivers": [{**WAIVER, "expires_on": "2027-12-31"}]})
    assert summary(cat, AS_OF)["checks"]["runbook"] == {"pass": 0, "fail": 1, "na": 0, "unknown": 0}


def test_owner_not_in_registry_is_a_warning(tmp_path, capsys):
    owners = [{"team": "Team X", "lead": "Ana", "channel": "#team-x", "on_call": "x-primary"}]
    cat = catalogue(
        tmp_path, [{**BASE, **BRONZE}, {**BASE, "id": "y", "owner": "Team Y"}], owners=owners
    )
    (warning,) = cat.result.warnings
    assert "owner 'Team Y' is not in" in warning.message and warning.path.endswith("01.yaml")
    code = main(["validate", str(tmp_path / "cat")])
    assert code == 0  # a warning, not an error
    assert "owner 'Team Y' is not in" in capsys.readouterr().out
    gaps = cat.query("owner_gaps", as_of=AS_OF).set_index("integration_id")["problem"].to_dict()
    assert gaps == {"y": "not in owners.yaml"}


def test_backlog_ranks_overdue_and_critical_work_first(fixture_catalogue):
    items = backlog(fixture_catalogue, AS_OF)
    assert items["rank"].tolist() == list(range(1, len(items) + 1))
    assert items["score"].is_monotonic_decreasing
    top = items.iloc[0]
    assert (top["integration_id"], top["item"]) == ("alpha-shop", "Sunset of v1")
    assert top["why"] == "high criticality (x3) x severity 3 x urgency 2.29: due in 64 days"
    overdue = items[items["kind"] == "overdue"]
    assert set(overdue["integration_id"]) == {"gamma-carrier"}
    assert overdue["why"].str.contains("urgency 4: overdue by").all()
    kinds = set(items["kind"])
    assert {"gap", "deadline", "overdue", "risk"} <= kinds
    assert "delta-retired" not in set(items["integration_id"])


def test_breaking_change_without_plan_is_one_item_not_two(tmp_path):
    rec = {
        **BASE,
        "criticality": "high",
        "lifecycle": {
            "planned_changes": [{"date": "2027-01-27", "summary": "v3", "breaking": True}]
        },
    }
    cat = catalogue(tmp_path, [rec])
    items = backlog(cat, AS_OF)
    assert items[items["kind"] == "breaking change without plan"]["score"].tolist() == [
        21.0
    ]  # 3 x 3 x 2.33
    assert not items["item"].str.startswith("Migration plan").any()


def test_backlog_command_formats(capsys):
    main(
        [
            "backlog",
            str(CATALOGUE),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "json",
            "--limit",
            "3",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert [i["rank"] for i in data["items"]] == [1, 2, 3]
    assert data["items"][0]["due"] == "2027-01-31" and "x severity" in data["rule"]
    main(
        [
            "backlog",
            str(CATALOGUE),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "csv",
            "--owner",
            "Eng",
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rank,score,integration_id")
    assert all(",Eng," in ln for ln in lines[1:])
    main(["backlog", str(CATALOGUE), "--as-of", AS_OF.isoformat()])
    out = capsys.readouterr().out
    assert (
        out.startswith("# Stability backlog as of 2026-11-28")
        and "| 1 | 20.6 | Alpha Shop |" in out
    )


def test_digest_for_an_owner_with_gaps(fixture_catalogue):
    text = digest(fixture_catalogue, "Team Alpha", AS_OF)
    assert text.startswith("# Stability digest: Team Alpha")
    assert "| Alpha Shop | Gold | top level reached |" in text
    assert (
        "| Epsilon Shop | Bronze | Silver: On-call, Idempotency, Webhook signatures, Test environment |"
        in text
    )
    assert (
        "| Epsilon Shop | On-call | unknown | Name the on-call rotation in operations.on_call |"
        in text
    )
    assert "| 2027-01-31 | 64 |  | Alpha Shop | Sunset | v1 |" in text


def test_digest_for_an_owner_without_gaps(tmp_path):
    gold = gold_record()
    text = digest(catalogue(tmp_path, [gold]), "Team X", AS_OF)
    assert "No gaps: every check passes, is n/a or is waived." in text
    assert "No deadlines." in text and "Nothing in the backlog." in text


@pytest.mark.parametrize(
    ("record", "scorecard", "shown"),
    [
        ({**BASE, "owner": "Team X"}, None, "No level"),  # the home page's words, not "none"
        ({**BASE, **BRONZE}, None, "Bronze"),
        (
            {**BASE, **BRONZE},
            {"levels": [{"name": "basic", "title": "Basic hygiene", "checks": ["named_owner"]}]},
            "Basic hygiene",  # the scorecard's title, as the pages show it
        ),
    ],
    ids=["below the first level", "default title", "custom title"],
)
def test_digest_names_a_level_as_the_pages_do(tmp_path, record, scorecard, shown):
    text = digest(catalogue(tmp_path, [record], scorecard), "Team X", AS_OF)
    assert f"| {record['name']} | {shown} |" in text


def test_digest_calls_a_retired_integration_retired_not_top_level(tmp_path):
    retired = {**BASE, "owner": "Team X", "stage": "retired"}
    text = digest(catalogue(tmp_path, [retired]), "Team X", AS_OF)
    assert f"| {retired['name']} | retired | — |" in text  # not "No level | top level reached"


def test_digest_command_for_an_unknown_owner(capsys):
    assert main(["digest", str(CATALOGUE), "--owner", "Nobody"]) == 1
    assert "Team Alpha" in capsys.readouterr().err


def test_a_hostile_scorecard_is_refused_like_a_hostile_record(tmp_path):
    deep = "levels: " + "[" * 100_000 + "]" * 100_000 + "\n"
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], deep)
    (err,) = cat.result.errors
    assert "nesting is deeper than 40 levels" in err.message
    assert levels(cat)["x"] == "bronze"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    cat = catalogue(tmp_path / "b", [{**BASE, **BRONZE}], bomb)
    assert any("alias bomb" in p.message for p in cat.result.errors)


def test_backlog_why_of_a_custom_check_that_could_not_run(tmp_path):
    """A custom check that fails at run time is unknown for every integration: its backlog
    reason must say the check could not run, not blame a value in the record (or a table row)."""
    card = {
        "custom_checks": [
            {
                "name": "boom",
                "title": "Boom",
                "sql": "SELECT CAST(name AS INTEGER)::VARCHAR AS id FROM integrations",
                "weight": 2,
                "fix": "Fix the check",
            }
        ]
    }
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], card)
    table = tmp_path / "cat" / "table.md"
    table.write_text(
        "| Integration | Type | Partner | Direction | Critical flows | Auth | Version "
        "| SLA/SLO notes | Owner | Support contact | Monitoring | Known risks |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| Shop T | Shop | T | outbound | orders | OAuth | v1 | 99 | Team T | t "
        "| dashboard alert runbook | |\n"
    )
    cat = open_catalogue([str(tmp_path / "cat")])
    assert any("custom check 'boom' failed" in p.message for p in cat.result.problems)
    items = backlog(cat, AS_OF)
    boom = items[items["item"] == "Boom unknown"]
    assert sorted(boom["integration_id"]) == ["shop-t", "x"]
    for why in boom["why"]:
        assert "the check could not run" in why, why
        assert "record holds a value" not in why and "table row" not in why, why


@pytest.mark.parametrize(
    ("weight", "criticality", "days", "score"),
    [(5, "low", 19, 14.0), (5, "high", 17, 42.2), (2.5, "low", 5, 7.4), (1.5, "high", 9, 13.1)],
)
def test_backlog_score_rounds_the_decimal_product(tmp_path, weight, criticality, days, score):
    """The score is criticality weight x severity x urgency rounded to one decimal, as `why`
    prints them: 1 x 5 x 2.79 = 13.95 is 14.0. In binary floating point the product is
    13.9499..., which rounded to 13.9."""
    card = {
        "checks": {"dashboard": {"weight": weight}},
        "initiatives": [
            {"name": "Soon", "target": ["dashboard"], "due": AS_OF + dt.timedelta(days=days)}
        ],
    }
    ops = {k: v for k, v in BRONZE["operations"].items() if k != "dashboard"}
    rec = {**BASE, **BRONZE, "operations": ops, "criticality": criticality}
    items = backlog(catalogue(tmp_path, [rec], card), AS_OF)
    row = items[items["item"] == "Dashboard missing"].iloc[0]
    assert row["score"] == score, row["why"]


def test_the_backlog_orders_integrations_of_one_name_by_id(tmp_path):
    """Two integrations named alike with the same gaps: every tie-break in the rule is equal, so
    their items came in whatever order DuckDB met them; the id settles it, the same every run."""
    folder = tmp_path / "cat"
    folder.mkdir()
    ids = ["kilo", "alpha", "zulu", "echo", "mike", "bravo", "yankee", "delta"]
    for n, rid in enumerate(ids):  # files in another order than the ids
        (folder / f"{n}.yaml").write_text(yaml.safe_dump({**BASE, "id": rid, "name": "Connector"}))
    cat = open_catalogue([str(folder)])
    items = backlog(cat, AS_OF)
    assert len(items) > 2
    for _, same in items.groupby(["score", "item"], sort=False):
        assert same["integration_id"].tolist() == sorted(same["integration_id"]), same
    assert items["rank"].tolist() == list(range(1, len(items) + 1))

"""Initiatives: the scorecard section, progress now, the integrations still short, backlog due
dates, the burn-up from history, and the command's JSON."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
import yaml

from catalogue_lib.catalogue import open_catalogue
from catalogue_lib.cli import main
from catalogue_lib.config import load_scorecard
from catalogue_lib.filters import Filters
from catalogue_lib.history import open_history
from catalogue_lib.initiatives import expected_on, report

from .conftest import VALID
from .gitcat import GitCatalogue

AS_OF = dt.date(2026, 11, 28)
INITIATIVE = {
    "name": "Carriers at Silver",
    "target": "silver",
    "scope": {"type": ["carrier"]},
    "due": "2027-03-31",
}


def _folder(tmp_path, initiatives, records):
    folder = tmp_path / "cat"
    folder.mkdir(parents=True)
    (folder / "scorecard.yaml").write_text(yaml.safe_dump({"initiatives": initiatives}))
    for rec in records:
        (folder / f"{rec['id']}.yaml").write_text(yaml.safe_dump(rec, sort_keys=False))
    return folder


def _record(ident: str, **changes) -> dict:
    """The valid record, made to pass every Silver check."""
    rec = copy.deepcopy(VALID)
    rec["id"] = ident
    rec["operations"]["on_call"] = "pagerduty:carriers"
    rec["contract"] = {
        "idempotency": "Idempotency-Key",
        "webhooks": {"signature_verification": True},
    }
    rec["lifecycle"]["test_environment"] = {"kind": "sandbox"}
    rec.update(changes)
    return rec


def test_accepts_an_initiative_with_a_level_target(tmp_path):
    folder = _folder(tmp_path, [INITIATIVE], [])
    card, problems, _ = load_scorecard(folder)
    assert problems == []
    assert card.initiatives[0].due == dt.date(2027, 3, 31)


def test_accepts_an_initiative_with_a_list_of_checks(tmp_path):
    folder = _folder(tmp_path, [{**INITIATIVE, "target": ["runbook", "dashboard"]}], [])
    assert load_scorecard(folder)[1] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target": "platinum"}, "unknown level 'platinum'"),
        ({"target": ["runbook", "runbok"]}, "unknown check 'runbok'"),
        ({"target": []}, "the target lists no check"),
        ({"due": "next spring"}, "due"),
        ({"scope": {"type": ["boat"]}}, "scope.type"),
        ({"scope": {"team": ["x"]}}, "scope.team"),
        ({"name": ""}, "name"),
    ],
)
def test_rejects_a_bad_initiative_like_any_scorecard_mistake(tmp_path, change, message):
    folder = _folder(tmp_path, [{**INITIATIVE, **change}], [])
    card, problems, source = load_scorecard(folder)
    assert source == "default" and card.initiatives == []
    assert len(problems) >= 1
    assert any(
        message in p.message and "default scorecard is in force" in p.message for p in problems
    )
    assert all(p.line for p in problems), [str(p) for p in problems]


def test_rejects_two_initiatives_with_one_name(tmp_path):
    folder = _folder(tmp_path, [INITIATIVE, INITIATIVE], [])
    problems = load_scorecard(folder)[1]
    assert any("named twice" in p.message for p in problems)


def test_progress_counts_the_integrations_in_scope_that_meet_the_target(tmp_path):
    good = _record("carrier-good")
    short = _record("carrier-short")
    short["operations"] = {k: v for k, v in short["operations"].items() if k != "runbook"}
    shop = _record("shop-x", type="shop")
    shop["operations"] = {}
    folder = _folder(tmp_path, [INITIATIVE], [good, short, shop])
    cat = open_catalogue([str(folder)])
    assert cat.result.errors == []
    data = report(cat, AS_OF)
    n = data["initiatives"][0]
    assert (n["in_scope"], n["met"]) == (2, 1)
    assert [s["id"] for s in n["short"]] == ["carrier-short"]
    assert [c["check"] for c in n["short"][0]["needs"]] == ["runbook"]
    assert n["short"][0]["needs"][0]["fix"]


def test_a_gap_an_initiative_needs_takes_its_due_date_in_the_backlog(tmp_path):
    short = _record("carrier-short")
    short["operations"] = {k: v for k, v in short["operations"].items() if k != "runbook"}
    folder = _folder(tmp_path, [INITIATIVE], [short])
    cat = open_catalogue([str(folder)])
    items = cat.query(
        "backlog",
        types=[],
        owners=[],
        partners=[],
        criticalities=[],
        directions=[],
        search=None,
        as_of=AS_OF,
    )
    gap = items[(items["kind"] == "gap") & items["item"].str.startswith("Runbook")].iloc[0]
    assert gap["due"].date() == dt.date(2027, 3, 31)
    assert gap["days"] == (dt.date(2027, 3, 31) - AS_OF).days
    assert "initiative 'Carriers at Silver' needs it by 2027-03-31" in gap["why"]
    other = open_catalogue([str(_folder(tmp_path / "b", [], [short]))])
    plain = other.query(
        "backlog",
        types=[],
        owners=[],
        partners=[],
        criticalities=[],
        directions=[],
        search=None,
        as_of=AS_OF,
    )
    gap2 = plain[(plain["kind"] == "gap") & plain["item"].str.startswith("Runbook")].iloc[0]
    assert gap2["due"] is None or gap2["due"] != gap2["due"]  # NaT: no date without initiative
    assert gap["score"] > gap2["score"]


def test_expected_line_runs_from_the_start_to_everything_by_the_due_date():
    start, due = dt.date(2026, 1, 1), dt.date(2026, 1, 11)
    assert expected_on(start, start, 2, due, 12) == 2
    assert expected_on(dt.date(2026, 1, 6), start, 2, due, 12) == 7
    assert expected_on(due, start, 2, due, 12) == 12
    assert expected_on(dt.date(2026, 2, 1), start, 2, due, 12) == 12


def test_burnup_follows_history_and_the_command_prints_the_report(tmp_path, capsys):
    g = GitCatalogue(tmp_path / "repo")
    short = _record("carrier-a")
    short["operations"] = {k: v for k, v in short["operations"].items() if k != "runbook"}
    good = _record("carrier-b")
    (g.dir / "scorecard.yaml").write_text(yaml.safe_dump({"initiatives": [INITIATIVE]}))
    g.write("carrier-a.yaml", short)
    g.write("carrier-b.yaml", good)
    g.commit(dt.date(2026, 11, 2), "two carriers, one short")
    g.write("carrier-a.yaml", _record("carrier-a"))
    g.commit(dt.date(2026, 11, 20), "runbook added")
    hist = open_history(g.dir, cache=tmp_path / "cache")
    cat = open_catalogue([str(g.dir)])
    data = report(cat, AS_OF, hist)
    burnup = data["initiatives"][0]["burnup"]
    assert [(p["date"], p["met"], p["in_scope"]) for p in burnup] == [
        ("2026-11-02", 1, 2),
        ("2026-11-20", 2, 2),
    ]
    assert burnup[0]["expected"] == 1
    assert data["initiatives"][0]["on_track"] is True
    args = ["initiatives", str(g.dir), "--as-of", "2026-11-28", "--format", "json"]
    assert main([*args, "--cache", str(tmp_path / "cache")]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(data))


@pytest.mark.parametrize(
    ("first_commit", "on_track"),
    [
        (AS_OF - dt.timedelta(days=1), True),  # a line from yesterday: judged
        (AS_OF, None),  # the only snapshot is today's: no line to be on yet
    ],
)
def test_on_track_needs_a_snapshot_before_the_as_of_date(tmp_path, first_commit, on_track):
    """The app reads a folder outside git as one snapshot dated today; from a single point
    every initiative would read "on track", where the command says there is no history."""
    g = GitCatalogue(tmp_path / "repo")
    (g.dir / "scorecard.yaml").write_text(yaml.safe_dump({"initiatives": [INITIATIVE]}))
    g.write("carrier-a.yaml", _record("carrier-a"))
    g.commit(first_commit, "one carrier")
    hist = open_history(g.dir, cache=tmp_path / "cache")
    n = report(open_catalogue([str(g.dir)]), AS_OF, hist)["initiatives"][0]
    assert len(n["burnup"]) == 1
    assert n["on_track"] is on_track


def _two_teams() -> list[dict]:
    """Three carriers in scope, owned by two teams, and a shop out of it; the second of each
    team's carriers lacks its runbook."""
    a_good, a_short = _record("a-good", owner="Team A"), _record("a-short", owner="Team A")
    b_short = _record("b-short", owner="Team B")
    for rec in (a_short, b_short):
        rec["operations"] = {k: v for k, v in rec["operations"].items() if k != "runbook"}
    return [a_good, a_short, b_short, _record("shop-x", type="shop", owner="Team B")]


@pytest.mark.parametrize(
    ("filters", "in_scope", "met", "short"),
    [
        (Filters(), 3, 1, ["a-short", "b-short"]),
        (Filters(owners=("Team A",)), 2, 1, ["a-short"]),
        (Filters(owners=("Team B",)), 1, 0, ["b-short"]),
        (Filters(types=("shop",)), 0, 0, []),
        (Filters(search="b-short"), 1, 0, ["b-short"]),
    ],
    ids=["none", "team-a", "team-b", "shops-only", "search"],
)
def test_the_sidebar_filters_narrow_every_initiative(tmp_path, filters, in_scope, met, short):
    """The page said "filtered to Team A" over the whole initiative's figures and short list."""
    cat = open_catalogue([str(_folder(tmp_path, [INITIATIVE], _two_teams()))])
    n = report(cat, AS_OF, None, filters)["initiatives"][0]
    assert (n["in_scope"], n["met"]) == (in_scope, met)
    assert [s["id"] for s in n["short"]] == short


def test_the_burnup_follows_the_filters_through_history(tmp_path):
    g = GitCatalogue(tmp_path / "repo")
    (g.dir / "scorecard.yaml").write_text(yaml.safe_dump({"initiatives": [INITIATIVE]}))
    records = _two_teams()
    for rec in records:
        g.write(f"{rec['id']}.yaml", rec)
    g.commit(dt.date(2026, 11, 2), "two teams")
    g.write("b-short.yaml", _record("b-short", owner="Team B"))
    g.commit(dt.date(2026, 11, 20), "Team B's runbook")
    hist = open_history(g.dir, cache=tmp_path / "cache")
    cat = open_catalogue([str(g.dir)])
    points = {
        who: [
            (p["date"], p["met"], p["in_scope"])
            for p in report(cat, AS_OF, hist, Filters(owners=(who,)))["initiatives"][0]["burnup"]
        ]
        for who in ("Team A", "Team B")
    }
    assert points == {
        "Team A": [("2026-11-02", 1, 2), ("2026-11-20", 1, 2)],
        "Team B": [("2026-11-02", 0, 1), ("2026-11-20", 1, 1)],
    }


def test_the_command_names_checks_and_levels_as_the_page_does(tmp_path, capsys):
    # the text form said "silver by ..." and "needs alert_rules, on_call" where the Initiatives
    # page says Silver and "Alert rules, On-call"
    short = _record("c1", type="carrier")
    short["operations"].pop("on_call")
    folder = _folder(
        tmp_path,
        [INITIATIVE, {"name": "Runbooks", "target": ["runbook", "on_call"], "due": "2027-01-31"}],
        [short],
    )
    args = ["initiatives", str(folder), "--as-of", AS_OF.isoformat(), "--no-cache"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Carriers at Silver: Silver by 2027-03-31" in out
    assert "Runbooks: Runbook, On-call by 2027-01-31" in out
    assert "- c1 (" in out and "needs On-call" in out
    assert "on_call" not in out and "silver by" not in out


@pytest.mark.parametrize(
    ("scope", "warned"),
    [
        ({"ids": ["carrier-good"]}, []),
        ({"ids": ["carrier-good", "carrier-gone"]}, ["unknown integration 'carrier-gone'"]),
        ({"owner": ["Team Carriers"]}, []),
        ({"owner": ["team carriers"]}, ["no integration is owned by 'team carriers'"]),
        ({"owner": ["(no owner)"]}, ["no integration is owned by '(no owner)'"]),
        ({"type": ["shop"]}, []),  # a type nobody has is a scope, not a typo: no warning
    ],
)
def test_validate_warns_for_a_scope_naming_what_no_integration_has(tmp_path, scope, warned):
    rec = _record("carrier-good", owner="Team Carriers")
    folder = _folder(tmp_path, [{**INITIATIVE, "scope": scope}], [rec])
    cat = open_catalogue([str(folder)])
    said = [p.message for p in cat.result.problems if p.path.endswith("scorecard.yaml")]
    assert [p for p in said if "initiatives[0]" in p] == [
        f"initiatives[0] (Carriers at Silver): scope names {w}"
        if w.startswith("unknown")
        else f"initiatives[0] (Carriers at Silver): {w} "
        "(a scope's owners are matched as the records write them)"
        for w in warned
    ]
    assert all(p.severity == "warning" for p in cat.result.problems)


def test_an_initiative_with_nothing_in_scope_has_no_progress_and_is_not_done(tmp_path, capsys):
    folder = _folder(tmp_path, [{**INITIATIVE, "scope": {"ids": ["nobody"]}}], [_record("c-1")])
    n = report(open_catalogue([str(folder)]), AS_OF)["initiatives"][0]
    assert (n["in_scope"], n["met"], n["progress"]) == (0, 0, None)
    assert main(["initiatives", str(folder), "--as-of", AS_OF.isoformat(), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "0 of 0 integrations meet it (nothing in scope)" in out and "100%" not in out


def test_a_scope_emptied_since_is_not_on_track(tmp_path, capsys):
    """Its one integration retired since: 0 of 0 now, yet the burn-up's earlier days drew a line
    down to 0 and the command said "nothing in scope; on track" (the page "On track: yes")."""
    g = GitCatalogue(tmp_path / "repo")
    only = {**INITIATIVE, "scope": {"ids": ["carrier-a"]}}
    (g.dir / "scorecard.yaml").write_text(yaml.safe_dump({"initiatives": [only]}))
    short = _record("carrier-a")
    short["operations"] = {k: v for k, v in short["operations"].items() if k != "runbook"}
    g.write("carrier-a.yaml", short)
    g.commit(dt.date(2026, 11, 2), "a carrier, short")
    g.write("carrier-a.yaml", {**short, "stage": "retired"})
    g.commit(dt.date(2026, 11, 20), "retired")
    hist = open_history(g.dir, cache=tmp_path / "cache")
    n = report(open_catalogue([str(g.dir)]), AS_OF, hist)["initiatives"][0]
    assert (n["in_scope"], n["met"], n["progress"]) == (0, 0, None)
    assert (n["expected_now"], n["on_track"]) == (None, None)
    args = ["initiatives", str(g.dir), "--as-of", AS_OF.isoformat(), "--cache", str(tmp_path / "c")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "(nothing in scope); nothing to track" in out and "on track" not in out


def test_the_burnup_has_a_point_for_every_snapshot_and_starts_at_the_first(tmp_path):
    """A day with nothing in scope (no carrier yet; the only carrier's file broken) is 0 of 0,
    not a day left out: the burn-up skipped it, and its straight line started at the first day
    with a carrier (1 met) instead of the first snapshot (0 met), as docs/decisions.md says."""
    g = GitCatalogue(tmp_path / "repo")
    (g.dir / "scorecard.yaml").write_text(yaml.safe_dump({"initiatives": [INITIATIVE]}))
    g.write("shop-x.yaml", _record("shop-x", type="shop"))
    g.commit(dt.date(2026, 11, 2), "a shop, no carrier yet")
    g.write("carrier-a.yaml", _record("carrier-a"))
    g.commit(dt.date(2026, 11, 10), "a carrier at Silver")
    g.write("carrier-a.yaml", "id: carrier-a\nname: [unclosed\n")
    g.commit(dt.date(2026, 11, 12), "broken")
    g.write("carrier-a.yaml", _record("carrier-a"))
    g.write("carrier-b.yaml", _record("carrier-b", lifecycle={}))
    g.commit(dt.date(2026, 11, 14), "fixed, and a second carrier short of Silver")
    hist = open_history(g.dir, cache=tmp_path / "cache")
    n = report(open_catalogue([str(g.dir)]), AS_OF, hist)["initiatives"][0]
    assert [(p["date"], p["in_scope"], p["met"]) for p in n["burnup"]] == [
        ("2026-11-02", 0, 0),
        ("2026-11-10", 1, 1),
        ("2026-11-12", 0, 0),
        ("2026-11-14", 2, 1),
    ]
    start, due = dt.date(2026, 11, 2), dt.date(2027, 3, 31)
    assert n["burnup"][0]["expected"] == 0
    assert n["expected_now"] == expected_on(AS_OF, start, 0, due, 2)
    assert n["expected_now"] == round(2 * (AS_OF - start).days / (due - start).days, 2)


def test_the_burnup_chart_draws_its_line_to_the_scope_now_as_the_report_does():
    """The chart's straight line ended at the last snapshot's scope (8) while the report's
    `expected` and its on-track verdict run to every integration in scope now (9)."""
    from catalogue_lib import trend_charts as tc

    points = [
        {"date": "2026-08-04", "in_scope": 8, "met": 2, "expected": 2.0},
        {"date": "2026-08-26", "in_scope": 8, "met": 2, "expected": 2.64},
    ]
    spec = tc.burnup(points, "2027-03-31", None, dt.date(2026, 9, 1), total=9).to_dict()
    dashed = [
        spec["datasets"][layer["data"]["name"]]
        for layer in spec["layer"]
        if layer.get("mark", {}).get("strokeDash") == [6, 4]
    ]
    assert [line[-1]["expected"] for line in dashed] == [9]

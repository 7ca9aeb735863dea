"""A record exported as the template's table (Markdown or CSV) and read back means the same for
every fact a row can carry: a check the table speaks to keeps its outcome (or becomes unknown),
never turns into a pass the record did not have, and a risk keeps its category and count."""

from __future__ import annotations

import json

import pytest
import yaml

from catalogue_lib.cli import main

AS_OF = "2026-11-28"
BASE = {"id": "one", "name": "One", "type": "shop", "partner": "P", "direction": ["outbound"]}


def _summary(capsys, path) -> dict:
    assert main(["summary", str(path), "--as-of", AS_OF, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _state(summary: dict, check: str) -> str:
    (state,) = [s for s, n in summary["checks"][check].items() if n]
    return state


def _round_trip(tmp_path, capsys, record: dict, fmt: str) -> tuple[dict, dict, str]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "one.yaml").write_text(yaml.safe_dump({**BASE, **record}))
    before = _summary(capsys, src)
    assert main(["export", str(src), "--format", fmt]) == 0
    table = capsys.readouterr().out
    again = tmp_path / "again"
    again.mkdir()
    (again / ("export.md" if fmt == "markdown" else "export.csv")).write_text(table)
    return before, _summary(capsys, again), table


CASES = {
    # monitoring text that does not name the dashboard and alert rules the record links
    "monitoring text without the words": (
        {
            "operations": {
                "monitoring": "Grafana board and PagerDuty",
                "dashboard": "https://grafana.example.com/d/one",
                "alert_rules": ["5xx > 2%"],
                "runbook": "https://wiki.example.com/one",
            }
        },
        {"dashboard": "pass", "alert_rules": "pass", "runbook": "pass"},
    ),
    # monitoring text naming what the record does not have: read back it must not pass
    "monitoring text naming what is missing": (
        {"operations": {"monitoring": "no dashboard or alert yet, runbook to do"}},
        {"dashboard": "fail", "alert_rules": "fail", "runbook": "unknown"},
    ),
    # SLO notes without a target do not pass slo_defined (docs/decisions.md); a table's
    # non-empty SLA/SLO cell does, so the notes alone must not become that cell
    "slo notes without a target": (
        {"operations": {"slo_notes": "best effort, no target agreed"}},
        {"slo_defined": "fail"},
    ),
    "slo target": (
        {"operations": {"slo": {"latency_p95_ms": 800}}},
        {"slo_defined": "pass"},
    ),
}


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_table_export_reads_back_with_the_same_check_outcomes(tmp_path, capsys, fmt, case):
    record, want = CASES[case]
    before, after, _ = _round_trip(tmp_path, capsys, record, fmt)
    for check, state in want.items():
        assert _state(after, check) == state, (check, _state(before, check))


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_a_table_export_keeps_each_risk_and_its_category(tmp_path, capsys, fmt):
    risks = [
        {"category": "rate_limiting", "summary": "429s at peak, partner throttles"},
        {"category": "timeouts_5xx", "summary": "timeout spikes at the evening peak"},
        {"category": "other", "summary": "Rate limits"},  # other, though it reads as a category
        {"category": "webhook_gaps"},
    ]
    _, after, table = _round_trip(tmp_path, capsys, {"risks": risks, "owner": "Team A"}, fmt)
    # four risks read back, each medium x medium (a table states no likelihood or impact),
    # unclassified (medium): 4 x 4 x 2
    assert after["owners"][0]["risk_score"] == 4 * 4 * 2
    again = tmp_path / "again"
    assert main(["export", str(again), "--format", "json"]) == 0
    (back,) = json.loads(capsys.readouterr().out)
    assert [r["category"] for r in back["risks"]] == [
        "rate_limiting",
        "timeouts_5xx",
        "other",
        "webhook_gaps",
    ]
    # a summary that would read back as another category (or as `other`) gives way to the
    # category's word; an `other` whose text names a category says so
    assert "Rate limits, Timeout spikes, Rate limits (other), Webhook gaps" in table


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_a_table_export_says_what_the_table_cannot_carry(tmp_path, capsys, fmt):
    """Read back, a row is live, has the id its name gives and at most a current version: the
    export says so for each record where that changes what it means (JSON carries all of it)."""
    records = [
        {**BASE, "id": "shop-eu", "name": "Shopify"},
        {**BASE, "id": "shop-us", "name": "Shopify"},  # the same name: the same id read back
        {**BASE, "id": "gone", "name": "Gone", "stage": "retired"},
        {
            **BASE,
            "id": "old",
            "name": "Old",
            "lifecycle": {"versions": [{"version": "v1", "status": "deprecated"}]},
        },
        {**BASE, "id": "fine", "name": "Fine"},
    ]
    (tmp_path / "r.yaml").write_text(yaml.safe_dump_all(records))
    assert main(["export", str(tmp_path), "--format", fmt]) == 0
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("warning:")]
    assert any("shop-us" in ln and "shop-eu" in ln for ln in lines), err
    assert any("gone" in ln and "retired" in ln for ln in lines), err
    assert any("old" in ln and "current" in ln for ln in lines), err
    assert any("shop-eu" in ln and "'shopify'" in ln for ln in lines), err  # id from the name
    assert not any("fine" in ln for ln in lines), err
    assert main(["export", str(tmp_path), "--format", "json"]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_a_json_export_of_a_table_row_says_its_unknowns_do_not_survive(tmp_path, capsys):
    """As a JSON record, a row's facts the table could not state read back as missing (fail),
    and its Monitoring words no longer pass the dashboard, alert and runbook checks."""
    (tmp_path / "t.md").write_text(
        "| Integration | Type | Partner | Direction | Critical flows | Auth | Version | SLA/SLO notes"
        " | Owner | Support contact | Monitoring | Known risks |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| Row One | Shop | P | Inbound | orders | OAuth | v1 | 99.9% | Team A | portal"
        " | Dashboard + alerts | Rate limits |\n"
    )
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(BASE))
    assert main(["export", str(tmp_path), "--format", "json"]) == 0
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("warning:")]
    assert len(lines) == 1 and "row-one" in lines[0] and "unknown" in lines[0], lines

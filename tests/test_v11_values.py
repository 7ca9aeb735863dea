"""Record format v1.1, reading values: approximate partner dates, numbers written where text is
expected, and bad optional values that keep their record (the checks they decide unknown)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalogue_lib.catalogue import open_catalogue, summary
from catalogue_lib.load import load_paths
from catalogue_lib.source_yaml import _Loader

from .helpers import check_states

HEAD = "id: x\nname: X\ntype: carrier\npartner: P\ndirection: [outbound]\n"
AS_OF = dt.date(2026, 11, 28)


def write(folder: Path, text: str, name: str = "x.yaml") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text))
    return folder


def deadlines(folder: Path, as_of: dt.date) -> list[dict]:
    cat = open_catalogue([str(folder)])
    assert cat.result.errors == [], [str(p) for p in cat.result.errors]
    return summary(cat, as_of)["deadlines"]


# ---------------------------------------------------------------- approximate dates

# (field as YAML, kind, written as normalised)
PARTNER_DATES = [
    (
        "lifecycle:\n  versions:\n    - {{version: v1, status: supported, sunset_on: {d}}}\n",
        "sunset",
    ),
    (
        "lifecycle:\n  versions:\n    - {{version: v1, status: current, deprecated_on: {d}}}\n",
        "deprecation",
    ),
    ("lifecycle:\n  planned_changes:\n    - {{date: {d}, summary: s}}\n", "planned_change"),
    ("auth:\n  expires_on: {d}\n", "auth_expiry"),
    ("auth:\n  credentials:\n    - {{name: key, expires_on: {d}}}\n", "auth_expiry"),
]


@pytest.mark.parametrize("quote", ["", '"', "'"], ids=["unquoted", "double", "single"])
@pytest.mark.parametrize(("template", "kind"), PARTNER_DATES, ids=lambda v: str(v)[:30])
@pytest.mark.parametrize(
    ("written", "first"),
    [("2027-03", dt.date(2027, 3, 1)), ("2027-Q2", dt.date(2027, 4, 1))],
    ids=["month", "quarter"],
)
def test_accepts_an_approximate_partner_date_as_its_first_day(
    tmp_path, template, kind, written, first, quote
):
    folder = write(tmp_path / "c", HEAD + template.format(d=f"{quote}{written}{quote}"))
    (got,) = deadlines(folder, first - dt.timedelta(days=10))
    assert got["kind"] == kind and got["date"] == first.isoformat() and got["days"] == 10
    assert got["approximate"] is True and got["written"] == written


@pytest.mark.parametrize(
    ("as_of", "days", "overdue"),
    [
        (dt.date(2027, 5, 1), -30, True),
        (dt.date(2027, 4, 1), 0, False),
        (dt.date(2027, 3, 31), 1, False),
    ],
    ids=["first-day-before-as-of", "first-day-on-as-of", "first-day-after-as-of"],
)
def test_an_approximate_sunset_counts_from_its_first_day(tmp_path, as_of, days, overdue):
    """A quarter's first day before the as-of date is overdue even though the quarter has not
    ended; on the as-of date it is 0 days left and not overdue."""
    folder = write(
        tmp_path / "c",
        HEAD
        + "lifecycle:\n  versions:\n    - {version: v1, status: supported, sunset_on: 2027-Q2}\n",
    )
    (got,) = deadlines(folder, as_of)
    assert (got["days"], got["overdue"]) == (days, overdue)


def test_an_approximate_date_whose_first_day_is_after_the_as_of_date_is_upcoming(tmp_path):
    folder = write(
        tmp_path / "c",
        HEAD
        + "lifecycle:\n  versions:\n    - {version: v1, status: supported, sunset_on: 2027-04}\n",
    )
    (got,) = deadlines(folder, dt.date(2027, 3, 31))
    assert (got["date"], got["days"], got["overdue"]) == ("2027-04-01", 1, False)


def test_accepts_an_approximate_date_in_json(tmp_path):
    rec = {
        "id": "x",
        "name": "X",
        "type": "shop",
        "partner": "P",
        "direction": "outbound",
        "auth": {"expires_on": "2027-Q1"},
    }
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.json").write_text(json.dumps(rec))
    (got,) = deadlines(tmp_path / "c", AS_OF)
    assert (got["date"], got["written"], got["approximate"]) == ("2027-01-01", "2027-Q1", True)


@pytest.mark.parametrize(
    ("snippet", "field"),
    [
        ("reviewed_on: 2026-11\n", "reviewed_on"),
        ("reviewed_on: 2026-Q4\n", "reviewed_on"),
        ("auth:\n  rotate_every_days: 90\n  rotated_on: 2026-Q3\n", "auth.rotated_on"),
        (
            "auth:\n  credentials:\n    - {name: k, rotate_every_days: 9, rotated_on: 2026-09}\n",
            "auth.credentials[0].rotated_on",
        ),
        ("incidents:\n  - {date: 2026-10, failure_mode: other}\n", "incidents[0].date"),
    ],
)
def test_rejects_an_approximate_date_where_our_own_date_must_be_exact(tmp_path, snippet, field):
    res = load_paths([write(tmp_path / "c", HEAD + snippet)])
    assert [r.id for r in res.records] == ["x"]  # kept, without the value
    (err,) = res.errors
    assert f"{field}: must be an exact date YYYY-MM-DD" in err.message
    assert "x.yaml" in str(err)


def test_rejects_a_waiver_expiry_given_as_a_month(tmp_path):
    folder = write(tmp_path / "c", HEAD)
    (folder / "scorecard.yaml").write_text(
        "waivers:\n  - {integration: x, check: runbook, reason: r, approved_by: a, expires_on: 2027-01}\n"
    )
    cat = open_catalogue([str(folder)])
    assert any("exact date" in p.message and "scorecard.yaml" in p.path for p in cat.result.errors)


@pytest.mark.parametrize("text", ["early 2027", "end of December", "2027-13", "2027-Q5", "Q1"])
def test_rejects_other_date_text_showing_the_accepted_forms(tmp_path, text):
    res = load_paths(
        [write(tmp_path / "c", HEAD + f"auth:\n  method: mtls\n  expires_on: {text}\n")]
    )
    (err,) = res.errors
    assert "YYYY-MM-DD, a month YYYY-MM or a quarter YYYY-Qn" in err.message
    assert [r.id for r in res.records] == ["x"]
    assert json.loads(res.records[0].json)["auth"] == {"method": "mtls", "credentials": []}


# ---------------------------------------------------------------- numbers where text is expected


@pytest.mark.parametrize(
    ("snippet", "path", "text"),
    [
        (
            "lifecycle:\n  versions:\n    - {version: 2.40, status: current}\n",
            ("lifecycle", "versions", 0, "version"),
            "2.40",
        ),
        (
            "lifecycle:\n  versions:\n    - {version: 1451, status: current}\n",
            ("lifecycle", "versions", 0, "version"),
            "1451",
        ),
        ("owner: 1451\n", ("owner",), "1451"),
        ("support_contact: 0755\n", ("support_contact",), "0755"),
        ("critical_flows: [1.10, labels]\n", ("critical_flows", 0), "1.10"),
        # a single text where a list of text is expected is a one-item list, a single number too
        ("critical_flows: 1451\n", ("critical_flows", 0), "1451"),
        ("operations:\n  alert_rules: 5\n", ("operations", "alert_rules", 0), "5"),
    ],
)
def test_accepts_a_number_as_the_text_written_with_a_warning(tmp_path, snippet, path, text):
    res = load_paths([write(tmp_path / "c", HEAD + snippet)])
    assert res.errors == []
    (warning,) = res.warnings
    assert f"the number {text} is read as the text '{text}'" in warning.message
    value = json.loads(res.records[0].json)
    for part in path:
        value = value[part]
    assert value == text


@pytest.mark.parametrize(
    ("field", "number"), [("name", "2.40"), ("partner", "2.40"), ("id", "1451")]
)
def test_accepts_a_number_in_a_required_text_field(tmp_path, field, number):
    old = {"name": "name: X", "partner": "partner: P", "id": "id: x"}[field]
    res = load_paths([write(tmp_path / "c", HEAD.replace(old, f"{field}: {number}"))])
    assert json.loads(res.records[0].json)[field] == number
    assert len(res.warnings) == 1 and res.errors == []


def test_accepts_a_number_as_text_in_json_as_written(tmp_path):
    (tmp_path / "x.json").write_text(
        '{"id": "x", "name": 2.40, "type": "shop", "partner": 1e3, "direction": "inbound",'
        ' "lifecycle": {"versions": [{"version": 1451, "status": "current"}]}}'
    )
    res = load_paths([tmp_path / "x.json"])
    d = json.loads(res.records[0].json)
    assert (d["name"], d["partner"], d["lifecycle"]["versions"][0]["version"]) == (
        "2.40",
        "1e3",
        "1451",
    )
    assert len(res.warnings) == 3


def test_a_number_stays_a_number_where_a_number_is_expected(tmp_path):
    res = load_paths(
        [write(tmp_path / "c", HEAD + "operations:\n  slo: {success_rate_pct: 99.50}\n")]
    )
    assert res.problems == []
    assert json.loads(res.records[0].json)["operations"]["slo"]["success_rate_pct"] == 99.5


# ---------------------------------------------------------------- bad values keep the record

FULL = HEAD.replace("direction: [outbound]", "direction: [outbound, inbound]") + textwrap.dedent(
    """\
    criticality: high
    owner: Team A
    support_contact: portal
    reviewed_on: 2026-11-01
    contract:
      idempotency: key
      webhooks: {signature_verification: false, transport: http}
    operations:
      dashboard: https://d.example.com
      alert_rules: [a]
      runbook: https://r.example.com
      on_call: rota
      slo: {success_rate_pct: 99}
    lifecycle:
      versions:
        - {version: v1, status: current}
      test_environment: {kind: none}
    """
)


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# (change to the full record, check that becomes unknown, state with the good value)
BAD_VALUES = [
    ("runbook: https://r.example.com", "runbook: ftp://r", "runbook"),
    ("dashboard: https://d.example.com", "dashboard: javascript:alert(1)", "dashboard"),
    ("criticality: high", "criticality: huge", "criticality_set"),
    ("reviewed_on: 2026-11-01", "reviewed_on: 2026-11-31", "reviewed_recently"),
    ("transport: http", "transport: pigeon", "webhook_signatures"),
    ("signature_verification: false", "signature_verification: maybe", "webhook_signatures"),
    ("{kind: none}", "{kind: sandboxed}", "test_environment"),
    ("{version: v1, status: current}", "{version: v1, status: beta}", "current_version"),
    ("slo: {success_rate_pct: 99}", "slo: {success_rate_pct: 120}", "slo_defined"),
    ("alert_rules: [a]", "alert_rules: {a: 1}", "alert_rules"),
    ("on_call: rota", "on_call: {rota: 1}", "on_call"),
    ("idempotency: key", "idempotency: [[1]]", "idempotency"),
    ("owner: Team A", "owner: {team: a}", "named_owner"),
    ("support_contact: portal", "support_contact: [[x]]", "support_contact"),
]


def test_the_full_record_is_valid_and_decides_every_check(tmp_path):
    cat = open_catalogue([str(write(tmp_path / "c", FULL))])
    assert cat.result.problems == []
    states = check_states(cat, AS_OF)
    assert "unknown" not in states.values()


def as_json(yaml_text: str) -> str:
    """The same record as JSON (read with the catalogue's own YAML reader: dates stay text)."""
    return json.dumps(yaml.load(yaml_text, Loader=_Loader))


@pytest.mark.parametrize("form", ["yaml", "json"])
@pytest.mark.parametrize(
    ("old", "new", "check"), BAD_VALUES, ids=[b[2] + ":" + b[1] for b in BAD_VALUES]
)
def test_a_bad_optional_value_keeps_its_record_and_its_check_is_unknown(
    tmp_path, old, new, check, form
):
    text = _replace(FULL, old, new)
    name = f"x.{form}"
    folder = write(tmp_path / "c", text if form == "yaml" else as_json(text), name)
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert err.path.endswith(name)
    assert err.line is not None or form == "json"
    assert "loaded without" in err.message
    assert [r.id for r in cat.result.records] == ["x"]
    states = check_states(cat, AS_OF)
    assert states[("x", check)] == "unknown"
    assert [c for (_, c), s in states.items() if s == "unknown"] == [check]


def test_a_bad_value_does_not_hide_a_check_that_passes_anyway(tmp_path):
    """One SLO target unreadable, another set: slo_defined still passes."""
    text = _replace(
        FULL, "slo: {success_rate_pct: 99}", "slo: {success_rate_pct: 120, latency_p95_ms: 300}"
    )
    cat = open_catalogue([str(write(tmp_path / "c", text))])
    assert check_states(cat, AS_OF)[("x", "slo_defined")] == "pass"


def test_a_bad_signature_value_on_an_outbound_only_integration_stays_na(tmp_path):
    text = _replace(FULL, "direction: [outbound, inbound]", "direction: [outbound]")
    text = _replace(text, "signature_verification: false", "signature_verification: maybe")
    cat = open_catalogue([str(write(tmp_path / "c", text))])
    assert check_states(cat, AS_OF)[("x", "webhook_signatures")] == "na"


def test_a_bad_criticality_weighs_as_not_set(tmp_path):
    text = _replace(FULL, "criticality: high", "criticality: huge")
    text += "risks:\n  - {category: other, likelihood: high, impact: high}\n"
    cat = open_catalogue([str(write(tmp_path / "c", text))])
    assert cat.query("integration_score", id="x")["risk_score"].iloc[0] == 9 * 2


def test_a_bad_expiry_is_no_deadline(tmp_path):
    folder = write(tmp_path / "c", HEAD + "auth:\n  method: mtls\n  expires_on: 2027-02-30\n")
    cat = open_catalogue([str(folder)])
    assert len(cat.result.errors) == 1 and summary(cat, AS_OF)["deadlines"] == []


@pytest.mark.parametrize(
    ("change", "state"),
    [
        ("{date: soon, summary: s, breaking: true}", "unknown"),
        ("{summary: s, breaking: true}", "unknown"),
        ("{date: soon, summary: s, breaking: true, done: true}", "na"),
        ("{date: soon, summary: s, breaking: false}", "na"),
    ],
    ids=["unreadable", "missing", "done", "not-breaking"],
)
def test_a_planned_change_without_a_readable_date_is_kept_without_one(tmp_path, change, state):
    folder = write(tmp_path / "c", HEAD + f"lifecycle:\n  planned_changes:\n    - {change}\n")
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert "kept without a date" in err.message
    assert summary(cat, AS_OF)["deadlines"] == []
    assert cat.con.execute("SELECT count(*) FROM planned_changes").fetchone()[0] == 1
    assert check_states(cat, AS_OF)[("x", "migration_plan")] == state


def test_an_undated_breaking_change_does_not_hide_one_still_ahead(tmp_path):
    folder = write(
        tmp_path / "c",
        HEAD
        + "lifecycle:\n  planned_changes:\n    - {date: soon, breaking: true}\n"
        + "    - {date: 2027-01-01, breaking: true}\n",
    )
    cat = open_catalogue([str(folder)])
    assert check_states(cat, AS_OF)[("x", "migration_plan")] == "fail"


# (planned changes, with a plan?, migration_plan as of AS_OF): an unreadable `breaking` or `done`
# makes the check unknown only where that value could change it ("a check whose outcome depends
# on the value"); a change dated before the as-of date is history whatever it says.
UNREADABLE_FLAGS = [
    ("{date: 2026-01-10, breaking: maybe}", False, "na"),
    ("{date: 2026-01-10, breaking: true, done: perhaps}", False, "na"),
    ("{date: 2027-01-10, breaking: false, done: perhaps}", False, "na"),
    (
        "{date: 2027-01-10, breaking: true}\n    - {date: 2027-02-10, breaking: maybe}",
        False,
        "fail",
    ),
    ("{date: 2027-01-10, breaking: true}\n    - {date: 2027-02-10, breaking: maybe}", True, "pass"),
    ("{date: 2027-01-10, breaking: maybe}", False, "unknown"),
    ("{date: 2027-01-10, breaking: true, done: perhaps}", False, "unknown"),
    ("{date: 2027-01-10, breaking: maybe}", True, "unknown"),
    ("{date: 2026-11-28, breaking: maybe}", False, "unknown"),
    ("{date: 2026-11-27, breaking: maybe}", False, "na"),
    ("{date: soon, breaking: maybe}", False, "unknown"),
    ("{date: 2026-01-10, breaking: maybe, done: true}", False, "na"),
]


@pytest.mark.parametrize(("changes", "plan", "state"), UNREADABLE_FLAGS)
def test_an_unreadable_breaking_or_done_is_unknown_only_where_it_could_matter(
    tmp_path, changes, plan, state
):
    text = HEAD + f"lifecycle:\n  planned_changes:\n    - {changes}\n"
    if plan:
        text += "  migration_plan: https://wiki.example.com/plan\n"
    cat = open_catalogue([str(write(tmp_path / "c", text))])
    assert cat.result.errors, "the unreadable value is reported"
    assert check_states(cat, AS_OF)[("x", "migration_plan")] == state


def test_a_version_item_without_its_required_field_is_left_out_alone(tmp_path):
    folder = write(
        tmp_path / "c",
        HEAD
        + "lifecycle:\n  versions:\n    - {version: v0}\n"
        + "    - {version: v1, status: current, sunset_on: 2027-01-01}\n",
    )
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert "missing required field 'status'" in err.message and "versions[0]" in err.message
    assert [d["date"] for d in summary(cat, AS_OF)["deadlines"]] == ["2027-01-01"]


@pytest.mark.parametrize(
    "text",
    [
        HEAD.replace("type: carrier", "type: marketplace"),
        HEAD.replace("partner: P\n", ""),
        HEAD.replace("direction: [outbound]", "direction: [sideways]"),
        HEAD.replace("id: x", "id: Not A Slug"),
    ],
    ids=["bad-type", "missing-partner", "bad-direction", "bad-id"],
)
def test_a_bad_required_field_still_drops_the_record(tmp_path, text):
    res = load_paths([write(tmp_path / "c", text + "reviewed_on: 2026-13-01\n")])
    assert res.records == [] and res.errors


ANCHOR = "x-anchor: &a label\ncritical_flows: [*a]\n"  # an anchor sends the file down the safe path


@pytest.mark.parametrize("path", ["fast", "safe"])
@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("1_451", "1_451"),
        ("0x1F", "0x1F"),
        ("1:20", "1:20"),  # YAML 1.1 sexagesimal: 80 as a number
        ("0755", "0755"),  # YAML 1.1 octal
        (".5", ".5"),
        ("1e3", "1e3"),
        ("2.40", "2.40"),
        ("+12", "+12"),
    ],
)
def test_every_yaml_number_form_is_read_as_written(tmp_path, written, text, path):
    extra = ANCHOR if path == "safe" else ""
    body = (
        HEAD + extra + f"lifecycle:\n  versions:\n    - {{version: {written}, status: current}}\n"
    )
    res = load_paths([write(tmp_path / "c", body)])
    assert res.errors == []
    assert json.loads(res.records[0].json)["lifecycle"]["versions"][0]["version"] == text


@pytest.mark.parametrize("path", ["fast", "safe"])
@pytest.mark.parametrize("written", ["2027-03", "2027-Q1", "'2027-03'", '"2027-Q1"'])
def test_an_approximate_date_reads_the_same_on_both_yaml_paths(tmp_path, written, path):
    extra = ANCHOR if path == "safe" else ""
    res = load_paths([write(tmp_path / "c", HEAD + extra + f"auth: {{expires_on: {written}}}\n")])
    assert res.errors == []
    got = json.loads(res.records[0].json)["auth"]["expires_on"]
    assert got == written.strip("'\"")


@pytest.mark.parametrize(
    ("snippet", "field"),
    [
        ("lifecycle:\n  support_months: 0\n", "lifecycle.support_months"),
        ("lifecycle:\n  support_months: 1.5\n", "lifecycle.support_months"),
        (
            "lifecycle:\n  support_months_after_successor: -3\n",
            "lifecycle.support_months_after_successor",
        ),
        ("auth:\n  rotate_every_days: 0\n  rotated_on: 2026-01-01\n", "auth.rotate_every_days"),
        ("auth:\n  rotate_every_days: often\n  rotated_on: 2026-01-01\n", "auth.rotate_every_days"),
        ("auth:\n  rotate_every_days: 30\n  rotated_on: 2026-02-30\n", "auth.rotated_on"),
        ("auth:\n  credentials: signing key\n", "auth.credentials"),
    ],
)
def test_a_bad_v11_number_or_list_keeps_its_record_and_makes_no_deadline(tmp_path, snippet, field):
    """A bad support window or rotation reads as absent: no derived sunset, no rotation."""
    life = (
        "lifecycle:\n  versions:\n    - {version: v1, status: current, released_on: 2026-01-31}\n"
    )
    text = HEAD + (snippet.replace("lifecycle:\n", life) if "lifecycle" in snippet else snippet)
    cat = open_catalogue([str(write(tmp_path / "c", text))])
    (err,) = cat.result.errors
    assert err.message.startswith(f"x: {field}: ") and "loaded without" in err.message
    assert [r.id for r in cat.result.records] == ["x"]
    assert summary(cat, AS_OF)["deadlines"] == []
    assert "unknown" not in check_states(cat, AS_OF).values()


@pytest.mark.parametrize("bad", ["sometimes", "Falls_Forward", "3", "[stops]"])
def test_a_bad_on_sunset_keeps_the_record_and_the_sunset_counts_as_stopping(tmp_path, bad):
    """No check reads on_sunset, so nothing turns unknown: the value reads as absent, i.e. the
    default `stops`, the backlog's highest sunset severity (the safe mistake)."""
    from catalogue_lib import report

    text = HEAD + (
        "lifecycle:\n  versions:\n"
        f"    - {{version: v1, status: supported, sunset_on: 2026-12-28, on_sunset: {bad}}}\n"
    )
    cat = open_catalogue([str(write(tmp_path / "c", text))])
    (err,) = cat.result.errors
    assert "lifecycle.versions[0].on_sunset" in err.message and "loaded without" in err.message
    assert err.line == 8
    assert [r.id for r in cat.result.records] == ["x"]
    assert "unknown" not in check_states(cat, AS_OF).values()
    (d,) = summary(cat, AS_OF)["deadlines"]
    assert (d["kind"], d["date"], d["days"]) == ("sunset", "2026-12-28", 30)
    items = report.backlog(cat, AS_OF)
    (row,) = items[items["item"] == "Sunset of v1"].to_dict("records")
    assert "before it stops working" in row["action"] and "severity 3 " in row["why"]


# ---------------------------------------------------------------- the JSON Schema agrees

LINK_PATHS = [
    ("operations", "dashboard"),
    ("operations", "runbook"),
    ("lifecycle", "migration_plan"),
    ("lifecycle", "versions", 0, "source"),
    ("lifecycle", "planned_changes", 0, "source"),
    ("incidents", 0, "postmortem"),
    ("partner_links", "status_page"),
    ("partner_links", "changelog"),
    ("partner_links", "deprecations"),
    ("partner_links", "developer_portal"),
]
DATE_PATHS = [  # (path, a partner's date: approximate allowed)
    (("lifecycle", "versions", 0, "released_on"), True),
    (("lifecycle", "versions", 0, "deprecated_on"), True),
    (("lifecycle", "versions", 0, "sunset_on"), True),
    (("lifecycle", "planned_changes", 0, "date"), True),
    (("auth", "expires_on"), True),
    (("auth", "credentials", 0, "expires_on"), True),
    (("reviewed_on",), False),
    (("auth", "rotated_on"), False),
    (("auth", "credentials", 0, "rotated_on"), False),
    (("incidents", 0, "date"), False),
]


def _minimal_record(**fields: Any) -> dict:
    """A record with the required fields only, then the given fields (which may replace them)."""
    base = {"id": "x", "name": "X", "type": "shop", "partner": "P", "direction": ["inbound"]}
    return {**base, **fields}


def _record_with(path: tuple, value: object) -> dict:
    """The smallest record holding value at path (list items get their required fields)."""
    required = {
        "versions": {"version": "v1", "status": "current"},
        "credentials": {"name": "k"},
        "incidents": {"date": "2026-10-01", "failure_mode": "other"},
        "planned_changes": {"date": "2027-01-01"},
        "risks": {"category": "other"},
    }
    record = _minimal_record()
    here: Any = record
    for key, nxt in zip(path, path[1:], strict=False):
        if isinstance(nxt, int):
            here[key] = [dict(required[key])]
            here = here[key][0]
        elif isinstance(key, str):
            here = here.setdefault(key, {})
    here[path[-1]] = value
    return record


def _schema_errors(record: dict) -> list[str]:
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "docs" / "record.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(record)]


def _loader_errors(tmp_path: Path, record: dict) -> list[str]:
    (tmp_path / "x.json").write_text(json.dumps(record))
    return [p.message for p in load_paths([tmp_path / "x.json"]).errors]


@pytest.mark.parametrize("path", LINK_PATHS, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize(
    ("link", "valid"),
    [
        ("https://status.example.com", True),
        ("HTTP://example.com/x", True),
        ("status.example.com", False),
        ("ftp://example.com", False),
        ("javascript:alert(1)", False),
    ],
)
def test_the_json_schema_and_the_loader_agree_on_links(tmp_path, path, link, valid):
    record = _record_with(path, link)
    assert (_schema_errors(record) == []) is valid
    assert (_loader_errors(tmp_path, record) == []) is valid


@pytest.mark.parametrize(
    ("path", "partner"), DATE_PATHS, ids=[".".join(map(str, p)) for p, _ in DATE_PATHS]
)
@pytest.mark.parametrize(
    ("date", "kind"),
    [
        ("2027-03-01", "exact"),
        ("2027-03", "approximate"),
        ("2027-Q4", "approximate"),
        ("2027-Q5", "bad"),
        ("early 2027", "bad"),
    ],
)
def test_the_json_schema_and_the_loader_agree_on_dates(tmp_path, path, partner, date, kind):
    record = _record_with(path, date)
    valid = kind == "exact" or (kind == "approximate" and partner)
    assert (_schema_errors(record) == []) is valid
    assert (_loader_errors(tmp_path, record) == []) is valid


def _text_paths(schema: dict, node: dict, path: tuple = ()) -> list[tuple]:
    """Every field the JSON Schema calls free text (a string with no pattern, format or list of
    words; or a list of them), as a path into a record (list items at index 0)."""
    out: list[tuple] = []
    for name, spec in node.get("properties", {}).items():
        options = spec.get("anyOf", [spec])
        if any(o.get("type") == "array" for o in options):  # a list, which also takes one item
            options = [o for o in options if o.get("type") == "array"]
        for option in options:
            if "$ref" in option:
                target = schema["$defs"][option["$ref"].split("/")[-1]]
                out += _text_paths(schema, target, (*path, name))
            elif option.get("type") == "array" and "$ref" in option.get("items", {}):
                target = schema["$defs"][option["items"]["$ref"].split("/")[-1]]
                out += _text_paths(schema, target, (*path, name, 0))
            elif option.get("type") == "array" and _free(option.get("items", {})):
                out.append((*path, name, 0))
            elif _free(option):
                out.append((*path, name))
    return out


def _free(option: dict) -> bool:
    return option.get("type") == "string" and not {"pattern", "format", "enum"} & set(option)


def test_a_number_in_every_text_field_is_read_as_written(tmp_path):
    """A sweep of the schema's text fields, required ones included: each holds the number 1451
    written plainly, and each reads as "1451" with its own warning."""
    schema = json.loads((Path(__file__).parent.parent / "docs" / "record.schema.json").read_text())
    paths = _text_paths(schema, schema)
    assert ("name",) in paths and ("lifecycle", "versions", 0, "version") in paths
    assert ("auth", "credentials", 0, "name") in paths  # v1.1
    record = _minimal_record()
    for path in paths:
        if isinstance(path[-1], int):  # a list of text: [1451]
            extra = _record_with(path[:-1], [1451])
        else:
            extra = _record_with(path, 1451)
        record = _merge(
            record, {k: v for k, v in extra.items() if k not in BASE_KEYS or k == path[0]}
        )
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(record))
    res = load_paths([tmp_path / "x.yaml"])
    assert res.errors == []
    got = json.loads(res.records[0].json)
    for path in paths:
        value = got
        for part in path:
            value = value[part]
        assert value == "1451", path
    warned = {w.message.split(": ")[1] for w in res.warnings}
    assert warned == {_dotted(p) for p in paths}


BASE_KEYS = {"id", "name", "type", "partner", "direction"}


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _merge(a[k], v) if k in a else v for k, v in b.items()}}
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(a[0], b[0])]
    return b


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


@pytest.mark.parametrize(
    "snippet",
    [
        "auth:\n  method: oauth\n  credentials:\n",
        "lifecycle:\n  versions:\n",
        "lifecycle:\n  planned_changes:\n",
        "risks:\n",
        "incidents:\n",
    ],
    ids=["credentials", "versions", "planned_changes", "risks", "incidents"],
)
def test_a_list_key_with_nothing_under_it_is_an_empty_list(tmp_path, snippet):
    """`credentials:` written and left empty says there are none, like `credentials: []`."""
    empty = snippet.rstrip("\n") + " []\n"
    got = []
    for i, text in enumerate([snippet, empty]):
        cat = open_catalogue([str(write(tmp_path / f"c{i}", HEAD + text))])
        assert cat.result.problems == [], [str(p) for p in cat.result.problems]
        got.append(check_states(cat, AS_OF))
    assert got[0] == got[1] and "unknown" not in got[0].values()


# ---------------------------------------------------------------- partner dates the database can store


def _opened(folder: Path, record: dict) -> Any:
    folder.mkdir(exist_ok=True)
    (folder / "x.json").write_text(json.dumps(record, ensure_ascii=True))
    return open_catalogue([str(folder)])


@pytest.mark.parametrize(
    "written",
    [
        "\u0662\u0660\u0662\u0667-\u0660\u0663",  # 2027-03 in Arabic-Indic digits
        "\uff12\uff10\uff12\uff17-Q2",  # 2027-Q2 in full-width digits
        "0000-03",  # no year 0 in the calendar
        "0000-q1",
    ],
)
def test_a_partner_date_that_is_no_month_or_quarter_is_a_bad_value_not_a_failed_load(
    tmp_path, written
):
    """The spec's YYYY-MM and YYYY-Qn are ASCII digits of a real year (the JSON Schema's \\d is
    ASCII): anything else is a bad value, reported and dropped, and the rest of the record and
    catalogue load. (Other digits used to be taken as the month and then fail the whole load in
    the database; a year 0 failed it in Python.)"""
    record = _minimal_record(
        type="carrier",
        direction=["outbound"],
        auth={
            "method": "oauth",
            "expires_on": written,
            "credentials": [{"name": "k", "expires_on": written}],
        },
        lifecycle={
            "versions": [{"version": "1", "status": "current", "released_on": written}],
            "support_months": 12,
            "planned_changes": [{"date": written, "summary": "s", "breaking": True}],
        },
    )
    cat = _opened(tmp_path / "cat", record)
    fields = sorted(p.message.split(":")[1].strip() for p in cat.result.errors)
    assert fields == [
        "auth.credentials[0].expires_on",
        "auth.expires_on",
        "lifecycle.planned_changes[0].date",
        "lifecycle.versions[0].released_on",
    ]
    assert cat.con.execute(
        "SELECT auth_expires_on, auth_expires_written FROM integrations"
    ).fetchall() == [(None, None)]
    assert cat.con.execute(
        "SELECT released_on, sunset_on, sunset_derived FROM versions"
    ).fetchall() == [(None, None, False)]
    assert cat.con.execute("SELECT date FROM planned_changes").fetchall() == [(None,)]
    assert cat.con.execute("SELECT expires_on FROM credentials").fetchall() == [(None,)]


def test_a_support_window_that_ends_after_year_9999_derives_no_sunset(tmp_path):
    """A window that ends after 9999-12-31 has no date to end on: the version has no derived
    sunset (the later end counts, and it has none), where the load used to fail with 'year
    10000 is out of range'."""
    record = _minimal_record(
        type="carrier",
        direction=["outbound"],
        lifecycle={
            "versions": [
                {"version": "2", "status": "current", "released_on": "9999-Q4"},
                {"version": "1", "status": "supported", "released_on": "9998-06-30"},
                {"version": "0", "status": "supported", "released_on": "9998-01"},
            ],
            "support_months": 12,
            "support_months_after_successor": 3,
        },
    )
    cat = _opened(tmp_path / "cat", record)
    assert cat.result.errors == []
    assert cat.con.execute(
        "SELECT position, sunset_on, sunset_written, sunset_derived FROM versions ORDER BY 1"
    ).fetchall() == [
        (0, None, None, False),
        (1, None, None, False),  # its successor's 9999-Q4 + 3 months is past 9999
        (2, dt.date(9999, 1, 1), "9999-01", True),  # the later of its 12 and successor's 3
    ]


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        ({"direction": "inbound"}, True),
        ({"direction": ["outbound", "inbound"]}, True),
        ({"direction": "sideways"}, False),
        ({"direction": []}, False),
        ({"direction": None}, False),
        ({"critical_flows": "label create"}, True),
        ({"customers_impacted": None}, True),
        ({"critical_flows": ""}, False),
        ({"contract": {"endpoints": "POST /v2/labels"}}, True),
        ({"operations": {"alert_rules": None}}, True),
        ({"operations": {"alert_rules": ["5xx > 2%", ""]}}, False),
        ({"auth": {"credentials": None}}, True),
        ({"lifecycle": {"versions": None, "planned_changes": None}}, True),
        ({"risks": None, "incidents": None}, True),
        ({"risks": {"category": "other"}}, False),
    ],
    ids=lambda v: json.dumps(v) if isinstance(v, dict) else str(v),
)
def test_the_json_schema_and_the_loader_agree_on_lists(tmp_path, fields, valid):
    """The schema said a list where the loader also reads a single value (`direction: inbound`)
    or nothing (`alert_rules:`) without a word: an editor flagged a record that loads cleanly."""
    record = _minimal_record(**fields)
    assert (_schema_errors(record) == []) is valid
    assert (_loader_errors(tmp_path, record) == []) is valid

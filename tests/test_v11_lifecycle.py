"""Record format v1.1, lifecycles: done changes, on_sunset, support windows, rotations and
credentials, queue webhooks, partners without a test environment, partner links, and change
freezes from calendar.yaml, through deadlines, checks, the backlog and the summary."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue_lib import report
from catalogue_lib.catalogue import open_catalogue, summary
from catalogue_lib.cli import main
from catalogue_lib.filters import Filters
from catalogue_lib.lifecycle import add_months

from .helpers import catalogue_of, check_states

BASE = {"id": "x", "name": "X", "type": "carrier", "partner": "P", "direction": ["outbound"]}
AS_OF = dt.date(2026, 11, 28)
DAY = dt.timedelta(days=1)


def rec(**fields: Any) -> dict[str, Any]:
    return {**BASE, **fields}


def dl(cat, as_of=AS_OF) -> list[dict]:
    return summary(cat, as_of)["deadlines"]


# ---------------------------------------------------------------- planned changes: done


@pytest.mark.parametrize(
    ("change", "plan", "state", "deadlines"),
    [
        ({"date": "2027-01-10", "breaking": True}, None, "fail", 1),
        ({"date": "2027-01-10", "breaking": True}, "https://w/p", "pass", 1),
        ({"date": "2027-01-10", "breaking": True, "done": True}, None, "na", 0),
        ({"date": "2026-11-28", "breaking": True}, None, "fail", 1),  # on the as-of date: ahead
        ({"date": "2026-11-27", "breaking": True}, None, "na", 0),  # a day before: history
        ({"date": "2027-01-10", "breaking": False}, None, "na", 1),
    ],
    ids=["ahead", "ahead-with-plan", "done", "on-as-of", "day-before", "not-breaking"],
)
def test_migration_plan_asks_only_for_breaking_changes_still_ahead(
    tmp_path, change, plan, state, deadlines
):
    life: dict[str, Any] = {"planned_changes": [change]}
    if plan:
        life["migration_plan"] = plan
    cat = catalogue_of(tmp_path, rec(lifecycle=life))
    assert check_states(cat, AS_OF)[("x", "migration_plan")] == state
    assert len(dl(cat)) == deadlines


def test_a_done_breaking_change_is_history_in_the_backlog(tmp_path):
    cat = catalogue_of(
        tmp_path,
        rec(
            lifecycle={"planned_changes": [{"date": "2027-01-10", "breaking": True, "done": True}]}
        ),
    )
    items = report.backlog(cat, AS_OF)
    assert not items["item"].str.contains("Planned change|Migration plan").any()


# ---------------------------------------------------------------- on_sunset


@pytest.mark.parametrize(
    ("on_sunset", "severity", "words"),
    [
        (None, 3, "before it stops working"),
        ("stops", 3, "before it stops working"),
        ("falls_forward", 2, "silently serves it"),
        ("unsupported", 1, "without security fixes or support"),
    ],
)
def test_a_sunsets_backlog_severity_and_action_follow_on_sunset(
    tmp_path, on_sunset, severity, words
):
    version = {"version": "v1", "status": "supported", "sunset_on": "2026-12-28"}
    if on_sunset:
        version["on_sunset"] = on_sunset
    cat = catalogue_of(tmp_path, rec(criticality="medium", lifecycle={"versions": [version]}))
    items = report.backlog(cat, AS_OF)
    (row,) = items[items["item"] == "Sunset of v1"].to_dict("records")
    assert words in row["action"]
    assert f"severity {severity} " in row["why"]
    assert row["score"] == round(2 * severity * (1 + 2 * (1 - 30 / 180)), 1)


def test_an_overdue_unsupported_end_of_life_ranks_below_a_stopping_sunset_soon(tmp_path):
    """The issue's case: Magento's overdue end of life must not outrank a test environment
    that stops working within weeks."""
    magento = rec(
        id="magento",
        name="Magento",
        criticality="high",
        lifecycle={
            "versions": [
                {
                    "version": "2.4.6",
                    "status": "supported",
                    "sunset_on": "2026-08-01",
                    "on_sunset": "unsupported",
                }
            ]
        },
    )
    fedex = rec(
        id="fedex",
        name="FedEx",
        criticality="high",
        lifecycle={
            "versions": [{"version": "track-v1", "status": "supported", "sunset_on": "2026-12-10"}]
        },
    )
    items = report.backlog(catalogue_of(tmp_path, magento, fedex), AS_OF)
    dated = items[items["item"].str.startswith("Sunset")]
    assert list(dated["integration_id"]) == ["fedex", "magento"]


# ---------------------------------------------------------------- support windows


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 15), 12, dt.date(2027, 3, 15)),
        (dt.date(2026, 12, 31), 3, dt.date(2027, 3, 31)),
    ],
)
def test_months_later_is_the_same_day_or_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def versions(*items: dict, **life: Any) -> dict:
    return rec(lifecycle={"versions": list(items), **life})


def sunsets(cat) -> list[tuple[str, bool]]:
    return [
        (d["date"], d["derived"]) for d in dl(cat, dt.date(2025, 1, 1)) if d["kind"] == "sunset"
    ]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            versions(
                {"version": "v1", "status": "current", "released_on": "2026-08-31"},
                support_months=6,
            ),
            [("2027-02-28", True)],
            id="month-end",
        ),
        pytest.param(
            versions(
                {
                    "version": "v1",
                    "status": "current",
                    "released_on": "2026-08-31",
                    "sunset_on": "2027-01-01",
                },
                support_months=6,
            ),
            [("2027-01-01", False)],
            id="explicit-sunset-wins",
        ),
        pytest.param(
            versions(
                {"version": "v1", "status": "retired", "released_on": "2026-08-31"},
                support_months=6,
            ),
            [],
            id="retired-gets-none",
        ),
        pytest.param(
            versions(
                {"version": "v1", "status": "supported", "released_on": "2025-01-15"},
                {"version": "v2", "status": "current", "released_on": "2025-06-10"},
                support_months_after_successor=12,
            ),
            [("2026-06-10", True)],
            id="after-successor-newest-has-none",
        ),
        pytest.param(
            versions(
                {"version": "v1", "status": "supported", "released_on": "2025-01-15"},
                {"version": "v2", "status": "current", "released_on": "2025-06-10"},
                support_months=12,
                support_months_after_successor=3,
            ),
            [("2025-09-10", True), ("2026-01-15", True), ("2026-06-10", True)][1:],
            id="both-later-counts",
        ),
        pytest.param(
            versions(
                {"version": "v1", "status": "supported", "released_on": "2025-01-15"},
                {"version": "v2", "status": "current", "released_on": "2025-06-10"},
                support_months=3,
                support_months_after_successor=12,
            ),
            [("2025-09-10", True), ("2026-06-10", True)],
            id="both-successor-later",
        ),
        pytest.param(
            versions({"version": "v1", "status": "current"}, support_months=6),
            [],
            id="no-release-date",
        ),
    ],
)
def test_derived_sunsets(tmp_path, record, expected):
    assert sorted(sunsets(catalogue_of(tmp_path, record))) == sorted(expected)


def test_an_approximate_release_gives_an_approximate_derived_sunset(tmp_path):
    cat = catalogue_of(
        tmp_path,
        versions(
            {"version": "v1", "status": "current", "released_on": "2026-Q1"}, support_months=12
        ),
    )
    (d,) = dl(cat)
    assert (d["date"], d["derived"], d["approximate"], d["written"]) == (
        "2027-01-01",
        True,
        True,
        "2027-Q1",
    )


def test_a_version_with_an_unreadable_sunset_gets_no_derived_one(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.yaml").write_text(
        "id: x\nname: X\ntype: carrier\npartner: P\ndirection: [outbound]\n"
        "lifecycle:\n  support_months: 6\n  versions:\n"
        "    - {version: v0, status: current, released_on: 2026-08-31}\n"
        "    - {version: v1, status: current, released_on: 2026-08-31, sunset_on: early 2027}\n"
    )
    cat = open_catalogue([str(tmp_path / "c")])
    assert len(cat.result.errors) == 1
    got = [(d["date"], d["derived"]) for d in dl(cat)]
    assert got == [("2027-02-28", True)]  # v0's only


# ---------------------------------------------------------------- rotations and credentials


@pytest.mark.parametrize(
    ("as_of", "days", "overdue"),
    [(dt.date(2026, 11, 28), 0, False), (dt.date(2026, 11, 29), -1, True)],
    ids=["due-today", "a-day-late"],
)
@pytest.mark.parametrize(
    "auth",
    [
        {"rotate_every_days": 180, "rotated_on": "2026-06-01"},
        {"credentials": [{"name": "lwa", "rotate_every_days": 180, "rotated_on": "2026-06-01"}]},
    ],
    ids=["auth", "credential"],
)
def test_a_rotation_is_due_rotated_on_plus_the_days(tmp_path, auth, as_of, days, overdue):
    cat = catalogue_of(tmp_path, rec(auth=auth))
    (d,) = dl(cat, as_of)
    assert (d["kind"], d["date"], d["days"], d["overdue"]) == (
        "auth_rotation",
        "2026-11-28",
        days,
        overdue,
    )


def test_each_credential_has_its_own_deadlines_and_inherits_nothing(tmp_path):
    cat = catalogue_of(
        tmp_path,
        rec(
            auth={
                "method": "oauth",
                "expires_on": "2027-02-01",
                "rotate_every_days": 30,
                "rotated_on": "2026-11-01",
                "credentials": [
                    {"name": "signing key", "method": "mtls", "expires_on": "2027-05-01"},
                    {"name": "lwa secret", "rotate_every_days": 180, "rotated_on": "2026-09-01"},
                ],
            }
        ),
    )
    got = [(d["kind"], d["date"], d.get("credential")) for d in dl(cat)]
    assert got == [
        ("auth_rotation", "2026-12-01", None),
        ("auth_expiry", "2027-02-01", None),
        ("auth_rotation", "2027-02-28", "lwa secret"),
        ("auth_expiry", "2027-05-01", "signing key"),
    ]
    items = report.backlog(cat, AS_OF)
    assert "Credential rotation (lwa secret)" in set(items["item"])


@pytest.mark.parametrize(
    "auth",
    [
        {"rotate_every_days": 90},
        {"rotated_on": "2026-01-01"},
        {"credentials": [{"name": "k", "rotate_every_days": 90}]},
    ],
)
def test_a_rotation_given_by_half_is_a_warning_and_no_deadline(tmp_path, auth):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(rec(auth=auth)))
    cat = open_catalogue([str(folder)])
    (w,) = cat.result.warnings
    assert "no rotation deadline until both are given" in w.message
    assert dl(cat) == [] and cat.result.errors == []


@pytest.mark.parametrize(
    "auth",
    [
        {"rotate_every_days": 0, "rotated_on": "2026-01-01"},
        {"rotate_every_days": 90, "rotated_on": "2026-13-01"},
        {"credentials": [{"name": "k", "rotate_every_days": -5, "rotated_on": "2026-01-01"}]},
    ],
)
def test_an_unreadable_half_of_a_rotation_is_its_error_alone(tmp_path, auth):
    """Both halves written, one unreadable: its error, not also "given without the other"."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(rec(auth=auth)))
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert "rotate_every_days" in err.message or "rotated_on" in err.message
    assert cat.result.warnings == [] and dl(cat) == []


@pytest.mark.parametrize("suffix", ["yaml", "json"])
@pytest.mark.parametrize(
    ("record", "field"),
    [
        (
            rec(auth={"rotate_every_days": True, "rotated_on": "2026-11-20"}),
            "auth.rotate_every_days",
        ),
        (
            rec(
                auth={
                    "credentials": [
                        {"name": "k", "rotate_every_days": True, "rotated_on": "2026-11-20"}
                    ]
                }
            ),
            "auth.credentials[0].rotate_every_days",
        ),
        (
            versions(
                {"version": "v1", "status": "current", "released_on": "2026-10-01"},
                support_months=True,
            ),
            "lifecycle.support_months",
        ),
        (
            versions(
                {"version": "v1", "status": "deprecated", "released_on": "2026-09-01"},
                {"version": "v2", "status": "current", "released_on": "2026-10-01"},
                support_months_after_successor=True,
            ),
            "lifecycle.support_months_after_successor",
        ),
    ],
    ids=["auth-rotation", "credential-rotation", "support-months", "after-successor"],
)
def test_a_boolean_is_not_a_count_of_days_or_months(tmp_path, record, field, suffix):
    """`rotate_every_days: true` was read as 1 without a word: a rotation overdue the day after it
    was made; `support_months: true` a one-month window, its derived sunset overdue. A boolean is
    a bad value: an error naming the field, the record kept, and no deadline from it."""
    folder = tmp_path / "c"
    folder.mkdir()
    text = json.dumps(record) if suffix == "json" else yaml.safe_dump(record, sort_keys=False)
    (folder / f"x.{suffix}").write_text(text)
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert f"{field}: must be a whole number, not a boolean" in err.message
    assert cat.result.warnings == [] and dl(cat) == []


def test_a_credential_needs_a_name(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(rec(auth={"credentials": [{"method": "mtls"}]})))
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert "missing required field 'name'" in err.message
    assert [r.id for r in cat.result.records] == ["x"]


# ---------------------------------------------------------------- checks made n/a


@pytest.mark.parametrize(
    ("transport", "state"), [(None, "fail"), ("http", "fail"), ("queue", "na")]
)
def test_webhooks_delivered_into_a_queue_make_signatures_na(tmp_path, transport, state):
    hooks: dict[str, Any] = {"signature_verification": False}
    if transport:
        hooks["transport"] = transport
    cat = catalogue_of(tmp_path, rec(direction=["inbound"], contract={"webhooks": hooks}))
    assert check_states(cat, AS_OF)[("x", "webhook_signatures")] == state


@pytest.mark.parametrize(
    ("kind", "state"),
    [("sandbox", "pass"), ("staging", "pass"), ("none", "fail"), ("not_offered", "na")],
)
def test_a_partner_without_a_test_environment_makes_the_check_na(tmp_path, kind, state):
    cat = catalogue_of(tmp_path, rec(lifecycle={"test_environment": {"kind": kind}}))
    assert check_states(cat, AS_OF)[("x", "test_environment")] == state


# ---------------------------------------------------------------- partner links and sources


def test_partner_links_are_stored_for_the_record_page(tmp_path):
    links = {
        "status_page": "https://status.example.com",
        "changelog": "https://dev.example.com/changelog",
        "deprecations": "https://dev.example.com/deprecations",
        "developer_portal": "https://dev.example.com",
    }
    cat = catalogue_of(tmp_path, rec(partner_links=links))
    row = cat.query("integration_detail", id="x").iloc[0]
    assert (
        row["status_page"],
        row["changelog"],
        row["deprecations_page"],
        row["developer_portal"],
    ) == tuple(links.values())
    assert cat.result.warnings == []


@pytest.mark.parametrize(
    "record",
    [
        rec(partner_links={"status_page": "status.example.com"}),
        rec(lifecycle={"versions": [{"version": "v1", "status": "current", "source": "ftp://x"}]}),
        rec(lifecycle={"planned_changes": [{"date": "2027-01-01", "source": "javascript:x"}]}),
    ],
    ids=["partner-link", "version-source", "change-source"],
)
def test_rejects_a_link_that_is_not_http_but_keeps_the_record(tmp_path, record):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(record))
    cat = open_catalogue([str(folder)])
    (err,) = cat.result.errors
    assert "http" in err.message and [r.id for r in cat.result.records] == ["x"]


def test_an_unknown_partner_link_key_is_a_warning(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(rec(partner_links={"status_pages": "https://s"})))
    (w,) = open_catalogue([str(folder)]).result.warnings
    assert "did you mean 'status_page'" in w.message


# ---------------------------------------------------------------- change freezes

FREEZE = "freezes:\n  - {name: Peak 2026, from: 2026-12-01, to: 2027-01-04}\n"


def frozen_catalogue(tmp_path: Path, date: str, calendar: str = FREEZE):
    cat_dir = tmp_path / "cat"
    cat_dir.mkdir(exist_ok=True)
    (cat_dir / "calendar.yaml").write_text(calendar)
    return catalogue_of(tmp_path, rec(auth={"expires_on": date}))


@pytest.mark.parametrize(
    ("date", "as_of", "due_by"),
    [
        ("2026-12-01", AS_OF, "2026-11-30"),  # the freeze's first day: inside
        ("2027-01-04", AS_OF, "2026-11-30"),  # its last day: inside
        ("2027-01-05", AS_OF, None),  # the day after
        ("2026-11-30", AS_OF, None),  # the day before
        ("2026-12-10", dt.date(2026, 12, 1), None),  # freeze starts on the as-of date: not after
        ("2026-12-10", dt.date(2026, 11, 30), "2026-11-30"),  # starts the day after as-of
        ("2027-02", AS_OF, None),  # approximate: counts as 2027-02-01
        ("2026-12", AS_OF, "2026-11-30"),  # approximate: counts as 2026-12-01
    ],
)
def test_a_deadline_inside_a_coming_freeze_is_due_by_the_day_before(tmp_path, date, as_of, due_by):
    cat = frozen_catalogue(tmp_path, date)
    (d,) = dl(cat, as_of)
    assert d.get("due_by") == due_by
    assert d.get("freeze") == ("Peak 2026" if due_by else None)
    first = dt.date.fromisoformat(date + ("-01" if len(date) == 7 else ""))
    assert (d["date"], d["days"], d["overdue"]) == (first.isoformat(), (first - as_of).days, False)


def test_overlapping_freezes_take_the_earliest_start(tmp_path):
    cal = FREEZE + "  - {name: Year end, from: 2026-12-20, to: 2027-01-10}\n"
    (d,) = dl(frozen_catalogue(tmp_path, "2026-12-24", cal))
    assert (d["due_by"], d["freeze"]) == ("2026-11-30", "Peak 2026")


@pytest.mark.parametrize("with_calendar", [True, False])
def test_the_backlog_ranks_a_frozen_deadline_by_its_due_by_day_and_says_so(tmp_path, with_calendar):
    """A credential expiring at the end of a long freeze (184 days out) must be renewed before
    the freeze starts in 2 days: it then outranks a deprecation due tomorrow."""
    if with_calendar:
        (tmp_path / "cat").mkdir()
        (tmp_path / "cat" / "calendar.yaml").write_text(
            "freezes:\n  - {name: Peak 2026, from: 2026-12-01, to: 2027-05-31}\n"
        )
    cat = catalogue_of(
        tmp_path,
        rec(id="frozen", name="Frozen", auth={"expires_on": "2027-05-31"}),
        rec(
            id="early",
            name="Early",
            lifecycle={
                "versions": [{"version": "v1", "status": "current", "deprecated_on": "2026-11-29"}]
            },
        ),
    )
    items = report.backlog(cat, AS_OF)
    dated = items[items["kind"] == "deadline"].to_dict("records")
    order = [r["integration_id"] for r in dated]
    if not with_calendar:
        assert order == ["early", "frozen"]
        assert "freeze" not in dated[1]["why"]
        return
    assert order == ["frozen", "early"]
    assert "due by 2026-11-30 (freeze Peak 2026), in 2 days" in dated[0]["why"]
    assert dated[0]["score"] == round(2 * 3 * round(1 + 2 * (1 - 2 / 180), 2), 1)
    assert str(dated[0]["due_by"])[:10] == "2026-11-30"
    assert str(dated[0]["due"])[:10] == "2027-05-31" and dated[0]["days"] == 184
    assert "freeze" in report.SCORING_RULE and "day before the freeze" in report.SCORING_RULE


def test_the_scoring_rule_states_the_sunset_weights():
    rule = report.SCORING_RULE
    assert "stops working 3" in rule and "falls forward to a newer version 2" in rule
    assert "keeps working unsupported 1" in rule


@pytest.mark.parametrize("as_of", [dt.date(2026, 12, 1), dt.date(2026, 12, 20)])
def test_a_freeze_already_begun_still_counts_the_deadlines_inside_it(tmp_path, as_of):
    # the Deprecations page listed Peak 2026 with "0 deadlines inside" and a due-by day in the
    # past while its own timeline drew the deadline inside the shaded freeze
    cat = frozen_catalogue(tmp_path, "2026-12-24")
    (row,) = cat.query("freezes", as_of=as_of, **Filters().sql_params()).to_dict("records")
    assert row["deadlines_inside"] == 1
    assert row["due_by"] is None or pd.isna(row["due_by"])  # too late to meet them before it


def test_the_freezes_query_lists_each_freeze_with_its_deadlines(tmp_path):
    cat = frozen_catalogue(tmp_path, "2026-12-24")
    (row,) = cat.query("freezes", as_of=AS_OF, **Filters().sql_params()).to_dict("records")
    assert (row["freeze"], row["deadlines_inside"], str(row["due_by"])[:10]) == (
        "Peak 2026",
        1,
        "2026-11-30",
    )


@pytest.mark.parametrize(
    ("calendar", "words"),
    [
        ("freezes:\n  - {name: P, from: 2026-12-01}\n", "to: Field required"),
        ("freezes:\n  - {name: P, from: 2026-12, to: 2027-01-04}\n", "exact date"),
        ("freezes:\n  - {name: P, from: 2027-01-05, to: 2027-01-04}\n", "is before 'from'"),
        ("freezes:\n  - {name: P, from: 2026-12-01, to: 2027-01-04, note: x}\n", "note"),
        ("holidays: []\n", "holidays"),
        ("freezes: [\n", "invalid YAML"),
        ("- just a list\n", "a calendar is a mapping"),
    ],
)
def test_a_calendar_mistake_is_reported_and_no_freeze_is_in_force(tmp_path, calendar, words):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "calendar.yaml").write_text(calendar)
    (folder / "x.json").write_text(json.dumps(rec(auth={"expires_on": "2026-12-10"})))
    cat = open_catalogue([str(folder)])
    errors = [str(p) for p in cat.result.errors]
    assert errors and all("calendar.yaml" in e and "no freezes are in force" in e for e in errors)
    assert any(words in e for e in errors), errors
    assert "due_by" not in dl(cat)[0]
    assert [r.id for r in cat.result.records] == ["x"]  # calendar.yaml is not read as a record


def _calendar_folder(tmp_path: Path) -> Path:
    """A freeze across the year end, a deadline written as a quarter inside it, and a derived
    sunset after it."""
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "calendar.yaml").write_text(FREEZE)
    (folder / "x.yaml").write_text(
        "id: x\nname: X\ntype: carrier\npartner: P\ndirection: [outbound]\n"
        "auth: {expires_on: 2027-Q1}\n"
        "lifecycle:\n  support_months: 6\n  versions:\n"
        "    - {version: v1, status: current, released_on: 2026-08-31}\n"
    )
    return folder


def test_summary_json_carries_the_v11_flags(tmp_path, capsys):
    folder = _calendar_folder(tmp_path)
    assert main(["summary", str(folder), "--as-of", "2026-11-28", "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)["deadlines"]
    assert got == [
        {
            "id": "x",
            "kind": "auth_expiry",
            "date": "2027-01-01",
            "days": 34,
            "overdue": False,
            "approximate": True,
            "derived": False,
            "written": "2027-Q1",
            "due_by": "2026-11-30",
            "freeze": "Peak 2026",
        },
        {
            "id": "x",
            "kind": "sunset",
            "date": "2027-02-28",
            "days": 92,
            "overdue": False,
            "approximate": False,
            "derived": True,
        },
    ]


def test_the_digest_shows_approximate_and_derived_dates_and_the_freeze(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "calendar.yaml").write_text(FREEZE)
    (folder / "x.yaml").write_text(
        "id: x\nname: X\ntype: carrier\npartner: P\ndirection: [outbound]\nowner: Team X\n"
        "auth: {expires_on: 2027-Q1}\n"
        "lifecycle:\n  support_months: 6\n  versions:\n"
        "    - {version: v1, status: current, released_on: 2026-08-31}\n"
    )
    text = report.digest(open_catalogue([str(folder)]), "Team X", AS_OF)
    assert "| 2027-Q1 (approximate) | 34 | 2026-11-30 (Peak 2026) | X | Credential expiry |" in text
    assert "| 2027-02-28 (derived) | 92 |  | X | Sunset | v1 |" in text


def test_the_readme_shows_a_valid_v11_record(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("A v1.1 record", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "carrier-a.yaml").write_text(block)
    cat = open_catalogue([str(folder)])
    assert cat.result.problems == [], [str(p) for p in cat.result.problems]
    got = {(d["kind"], d["date"]): d for d in dl(cat)}
    assert got[("auth_expiry", "2027-04-01")]["written"] == "2027-Q2"
    assert ("auth_rotation", "2027-03-01") in got  # as the comment says
    assert ("auth_expiry", "2027-05-01") in got
    assert got[("sunset", "2027-04-01")]["derived"] is True  # 2.4 released 2025-04-01 + 24
    assert got[("planned_change", "2027-03-01")]["approximate"] is True


def test_the_record_page_sections_show_v11_facts(tmp_path):
    from catalogue_lib.present import record_sections

    cat = catalogue_of(
        tmp_path,
        rec(
            auth={
                "method": "oauth",
                "expires_on": "2027-Q2",
                "rotate_every_days": 180,
                "rotated_on": "2026-09-02",
            },
            contract={"webhooks": {"transport": "queue"}},
            lifecycle={"support_months": 12, "test_environment": {"kind": "not_offered"}},
            partner_links={"status_page": "https://status.example.com"},
        ),
    )
    sections = dict(record_sections(cat.query("integration_detail", id="x").iloc[0]))
    lines = {  # Markdown escapes taken off ("2027\\-Q2" shows as 2027-Q2)
        label: text.replace("\\", "") for pairs in sections.values() for label, text in pairs
    }
    assert "expires 2027-Q2 (approximate)" in lines["Auth"]
    assert "rotated every 180 days" in lines["Auth"]
    assert "transport queue" in lines["Webhooks"]
    assert "12 months after release" in lines["Support window"]
    assert lines["Status page"] == "[status page](<https://status.example.com>)"
    assert lines["Test environment"].startswith("not")


def test_the_record_page_lists_each_credential(tmp_path):
    cat = catalogue_of(
        tmp_path,
        rec(
            auth={
                "method": "oauth",
                "rotate_every_days": 30,
                "rotated_on": "2026-11-01",
                "credentials": [{"name": "signing key", "expires_on": "2027-05"}],
            }
        ),
    )
    got = cat.query("integration_credentials", id="x").to_dict("records")
    assert [r["credential"] for r in got] == ["auth", "signing key"]
    assert got[1]["expires_on"] == "2027-05 (approximate)"
    assert got[0]["expires_on"] != got[0]["expires_on"]  # NaN: auth itself has no expiry
    assert str(got[0]["next_rotation"])[:10] == "2026-12-01"


@pytest.mark.parametrize(
    ("key", "home"),
    [("status_page", "partner_links.status_page"), ("runbook", "operations.runbook")],
)
def test_a_key_written_one_level_too_high_names_its_home(tmp_path, key, home):
    """The issue's case: `status_page:` at the top used to get "did you mean 'stage'?"."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(rec(**{key: "https://example.com"})))
    (w,) = open_catalogue([str(folder)]).result.warnings
    assert f"unknown key '{key}'; did you mean '{home}'?" in w.message


def test_the_data_quality_page_counts_calendar_mistakes_and_numbers_as_their_own_kinds(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "calendar.yaml").write_text("freezes: [{name: P}]\n")
    (folder / "x.yaml").write_text(
        "id: x\nname: X\ntype: carrier\npartner: P\ndirection: [outbound]\nowner: 1451\n"
    )
    cat = open_catalogue([str(folder)])
    kinds = set(cat.con.execute("SELECT kind FROM problems_classified").df()["kind"])
    assert kinds == {"calendar", "number as text"}


@pytest.mark.parametrize(
    ("calendar", "freezes"),
    [
        ("", []),
        ("freezes:\n", []),
        ("freezes: []\n", []),
        ("freezes:\n  - {name: 2026, from: 2026-12-01, to: 2026-12-31}\n", ["2026"]),
    ],
    ids=["empty-file", "empty-key", "empty-list", "number-name"],
)
def test_accepts_a_calendar_with_no_freeze_or_a_number_as_name(tmp_path, calendar, freezes):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "calendar.yaml").write_text(calendar)
    (folder / "x.json").write_text(json.dumps(rec()))
    cat = open_catalogue([str(folder)])
    assert cat.result.problems == []
    assert [f.name for f in cat.freezes] == freezes


@settings(max_examples=300, deadline=None)
@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), months=st.integers(1, 240))
def test_months_later_lands_in_the_right_month_on_the_same_or_last_day(day, months):
    import calendar

    got = add_months(day, months)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(got.year, got.month)[1]
    assert got.day == min(day.day, last)


# ---------------------------------------------------------------- the pages' charts and lists


def _calendar_catalogue(tmp_path: Path):
    return open_catalogue([str(_calendar_folder(tmp_path))])


def _chart_rows(chart) -> list[dict]:
    """Every data row an Altair chart carries (its top-level and its layers' inline data)."""
    spec = chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def _tooltips(chart) -> set[str]:
    spec = json.dumps(chart.to_dict())
    return {t for t in ("shown_date", "due_by_shown", "sunset") if f'"field": "{t}"' in spec}


def test_the_deadline_timeline_shows_dates_as_written_and_the_freeze(tmp_path):
    """The Deprecations page's deadline calendar: an approximate date is shown as written, a
    derived sunset as derived, the due-by day of a frozen deadline is given, and the freeze
    itself is drawn with its name."""
    from catalogue_lib import lifecycle_charts
    from catalogue_lib.filters import Filters

    cat = _calendar_catalogue(tmp_path)
    params = {**Filters().sql_params(), "as_of": AS_OF, "horizon": 365}
    upcoming = cat.query("timeline_upcoming", limit=25, **params)
    freezes = cat.query("freezes", as_of=AS_OF, **Filters().sql_params())
    chart = lifecycle_charts.timeline(upcoming, "t", AS_OF, False, 365, freezes)
    rows = _chart_rows(chart)
    shown = {r.get("shown_date") for r in rows}
    assert {"2027-Q1 (approximate)", "2027-02-28 (derived)"} <= shown
    assert {r.get("due_by_shown") for r in rows} >= {"2026-11-30 (Peak 2026)"}
    assert {"shown_date", "due_by_shown"} <= _tooltips(chart)
    band = [r for r in rows if r.get("freeze") == "Peak 2026"]
    assert band and str(band[0]["from_date"])[:10] == "2026-12-01"
    assert str(band[0]["to_date"])[:10] == "2027-01-04"


def test_a_freeze_outside_the_horizon_is_not_drawn(tmp_path):
    from catalogue_lib import lifecycle_charts
    from catalogue_lib.filters import Filters

    cat = _calendar_catalogue(tmp_path)
    as_of = dt.date(2027, 1, 10)  # after the freeze
    params = {**Filters().sql_params(), "as_of": as_of, "horizon": 90}
    upcoming = cat.query("timeline_upcoming", limit=25, **params)
    chart = lifecycle_charts.timeline(
        upcoming, "t", as_of, False, 90, cat.query("freezes", as_of=as_of, **Filters().sql_params())
    )
    assert not [r for r in _chart_rows(chart) if r.get("freeze")]


def test_the_version_matrix_shows_a_sunset_as_written_or_derived(tmp_path):
    from catalogue_lib import lifecycle_charts
    from catalogue_lib.filters import Filters

    cat = catalogue_of(
        tmp_path,
        versions(
            {"version": "v1", "status": "supported", "sunset_on": "2027-Q2"},
            {"version": "v2", "status": "current", "released_on": "2026-08-31"},
            support_months=6,
        ),
    )
    df = cat.query("version_matrix", **Filters().sql_params(), as_of=AS_OF, limit=30)
    rows = _chart_rows(lifecycle_charts.version_matrix(df, "t"))
    assert {r["sunset"] for r in rows} == {"2027-Q2 (approximate)", "2027-02-28 (derived)"}


def test_the_integration_list_shows_the_next_deadline_as_written(tmp_path):
    from catalogue_lib.filters import Filters

    cat = catalogue_of(
        tmp_path,
        rec(id="a", name="A", auth={"expires_on": "2027-Q1"}),
        rec(id="b", name="B", auth={"expires_on": "2026-12-15"}),
        rec(id="c", name="C"),
    )
    got = cat.query("integration_overview", **Filters().sql_params(), as_of=AS_OF, sort="deadline")
    assert list(got["integration_id"]) == ["b", "a", "c"]  # ordered by the day it counts as
    assert list(got["next_deadline"].fillna("-")) == ["2026-12-15", "2027-Q1 (approximate)", "-"]


def test_the_deadlines_per_month_chart_shades_the_freeze(tmp_path):
    """Home's and Deprecations' deadlines per month show the freeze across the year end."""
    from catalogue_lib import lifecycle_charts
    from catalogue_lib.filters import Filters

    cat = _calendar_catalogue(tmp_path)
    months = cat.query("deadlines_by_month", **Filters().sql_params(), as_of=AS_OF, horizon=365)
    chart = lifecycle_charts.deadlines_by_month(
        months, "t", AS_OF, False, cat.query("freezes", as_of=AS_OF, **Filters().sql_params())
    )
    (band,) = [r for r in _chart_rows(chart) if r.get("freeze")]
    assert (band["freeze"], band["shown_from"], band["shown_to"], band["shown_due_by"]) == (
        "Peak 2026",
        "2026-12-01",
        "2027-01-04",
        "2026-11-30",
    )


@pytest.mark.parametrize(
    ("filters", "inside"),
    [
        (Filters(), 2),
        (Filters(owners=("Team A",)), 1),
        (Filters(types=("shop",)), 0),  # both records are carriers
    ],
)
def test_the_freezes_deadlines_inside_count_only_the_filtered_view(tmp_path, filters, inside):
    """The Deprecations page lists a filtered view's deadlines; its freezes table must count the
    same deadlines, not the whole catalogue's."""
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "calendar.yaml").write_text(FREEZE)
    cat = catalogue_of(
        tmp_path,
        rec(id="a", name="A", owner="Team A", auth={"expires_on": "2026-12-24"}),
        rec(id="b", name="B", owner="Team B", auth={"expires_on": "2026-12-26"}),
    )
    (row,) = cat.query("freezes", as_of=AS_OF, **filters.sql_params()).to_dict("records")
    assert row["deadlines_inside"] == inside
    listed = cat.query("timeline", as_of=AS_OF, horizon=365, status="all", **filters.sql_params())
    assert listed["freeze_name"].eq("Peak 2026").sum() == inside

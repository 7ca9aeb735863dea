"""Every governance check of the default scorecard in each of its states (spec table)."""

from __future__ import annotations

import pytest

from catalogue_lib.db import CHECK_NAMES

from .conftest import AS_OF, valid_record
from .helpers import catalogue_of, check_states, table_catalogue

BASE = {"id": "x", "name": "X", "type": "carrier", "partner": "P", "direction": ["outbound"]}


def rec(**fields):
    return {**BASE, **fields}


CASES = [
    ("named_owner", rec(owner="Team Fulfilment"), "pass"),
    ("named_owner", rec(owner="Ana Lopez"), "pass"),
    ("named_owner", rec(owner="Eng Platform Team"), "pass"),
    ("named_owner", rec(), "fail"),
    ("named_owner", rec(owner="Eng"), "fail"),
    ("named_owner", rec(owner="PO/Eng"), "fail"),
    ("named_owner", rec(owner="ops"), "fail"),
    ("named_owner", rec(owner="TBD"), "fail"),
    ("named_owner", rec(owner=" PO / Eng "), "fail"),
    # the spec's role words spelled out or with a full stop are still only a role
    ("named_owner", rec(owner="Eng."), "fail"),
    ("named_owner", rec(owner="Engineering"), "fail"),
    ("named_owner", rec(owner="Product Owner"), "fail"),
    ("named_owner", rec(owner="P.O."), "fail"),
    ("named_owner", rec(owner="Operations"), "fail"),
    ("named_owner", rec(owner="Engineering and Operations"), "fail"),
    ("named_owner", rec(owner="To be decided"), "fail"),
    ("named_owner", rec(owner="TBC"), "fail"),
    ("named_owner", rec(owner="Ops Engineering Team"), "pass"),
    ("named_owner", rec(owner="Platform Engineering"), "pass"),
    ("named_owner", rec(owner="TBD (ask Ana Lopez)"), "pass"),
    # the same role words in the odd spacing and punctuation of a copied cell: a no-break or
    # thin space around the slash, full stops between every letter, a doubled separator
    ("named_owner", rec(owner="PO\u00a0/\u00a0Eng"), "fail"),
    ("named_owner", rec(owner="PO\u2009/\u2009Eng"), "fail"),
    ("named_owner", rec(owner="Eng\u00a0and\u00a0Ops"), "fail"),
    ("named_owner", rec(owner="T.B.D."), "fail"),
    ("named_owner", rec(owner="O.P.S."), "fail"),
    ("named_owner", rec(owner="PO//Eng"), "fail"),
    ("named_owner", rec(owner="/Eng"), "fail"),
    ("named_owner", rec(owner="/"), "fail"),
    ("named_owner", rec(owner="PO-Eng"), "fail"),
    ("named_owner", rec(owner="TBD?"), "fail"),
    ("named_owner", rec(owner="E\u200bng"), "fail"),
    ("named_owner", rec(owner="\u200b"), "fail"),
    ("named_owner", rec(owner="\ufeffTBD"), "fail"),
    ("named_owner", rec(owner="Engineers"), "pass"),
    ("named_owner", rec(owner="Team\u00a0Eng"), "pass"),
    ("named_owner", rec(owner="Ops.Eng Platform"), "pass"),
    ("support_contact", rec(support_contact="portal"), "pass"),
    ("support_contact", rec(), "fail"),
    ("dashboard", rec(operations={"dashboard": "https://g.example.com/d/1"}), "pass"),
    ("dashboard", rec(operations={"runbook": "https://w.example.com"}), "fail"),
    ("alert_rules", rec(operations={"alert_rules": ["5xx > 2%"]}), "pass"),
    ("alert_rules", rec(operations={"alert_rules": []}), "fail"),
    ("runbook", rec(operations={"runbook": "https://w.example.com/r"}), "pass"),
    ("runbook", rec(), "fail"),
    ("on_call", rec(operations={"on_call": "primary"}), "pass"),
    ("on_call", rec(), "fail"),
    ("slo_defined", rec(operations={"slo": {"freshness_minutes": 15}}), "pass"),
    ("slo_defined", rec(operations={"slo": {}}), "fail"),
    ("slo_defined", rec(operations={"slo_notes": "best effort"}), "fail"),
    ("idempotency", rec(contract={"idempotency": "Idempotency-Key"}), "pass"),
    ("idempotency", rec(contract={}), "fail"),
    (
        "webhook_signatures",
        rec(direction=["inbound"], contract={"webhooks": {"signature_verification": True}}),
        "pass",
    ),
    (
        "webhook_signatures",
        rec(direction=["inbound"], contract={"webhooks": {"signature_verification": False}}),
        "fail",
    ),
    ("webhook_signatures", rec(direction=["inbound", "outbound"]), "fail"),
    ("webhook_signatures", rec(direction=["outbound"]), "na"),
    (
        "migration_plan",
        rec(
            lifecycle={
                "planned_changes": [{"date": "2027-01-01", "breaking": True}],
                "migration_plan": "https://w.example.com/m",
            }
        ),
        "pass",
    ),
    (
        "migration_plan",
        rec(lifecycle={"planned_changes": [{"date": "2027-01-01", "breaking": True}]}),
        "fail",
    ),
    (
        "migration_plan",
        rec(lifecycle={"planned_changes": [{"date": "2027-01-01", "breaking": False}]}),
        "na",
    ),
    ("migration_plan", rec(), "na"),
    ("test_environment", rec(lifecycle={"test_environment": {"kind": "sandbox"}}), "pass"),
    ("test_environment", rec(lifecycle={"test_environment": {"kind": "staging"}}), "pass"),
    ("test_environment", rec(lifecycle={"test_environment": {"kind": "none"}}), "fail"),
    ("test_environment", rec(), "fail"),
    (
        "current_version",
        rec(lifecycle={"versions": [{"version": "v1", "status": "current"}]}),
        "pass",
    ),
    (
        "current_version",
        rec(lifecycle={"versions": [{"version": "v1", "status": "supported"}]}),
        "fail",
    ),
    ("current_version", rec(), "na"),
    ("criticality_set", rec(criticality="low"), "pass"),
    ("criticality_set", rec(), "fail"),
    ("reviewed_recently", rec(reviewed_on="2026-06-01"), "pass"),  # 180 days before 2026-11-28
    ("reviewed_recently", rec(reviewed_on="2026-05-31"), "fail"),  # 181 days
    ("reviewed_recently", rec(reviewed_on="2026-11-28"), "pass"),
    ("reviewed_recently", rec(), "fail"),
]


@pytest.mark.parametrize(
    ("check", "record", "expected"), CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)]
)
def test_check_state(tmp_path, check, record, expected):
    cat = catalogue_of(tmp_path, record)
    assert check_states(cat, AS_OF)[("x", check)] == expected


def test_every_check_is_covered_in_pass_and_fail():
    covered = {(c, s) for c, _, s in CASES}
    for name in CHECK_NAMES:
        assert (name, "pass") in covered and (name, "fail") in covered, name


def test_retired_integrations_are_left_out_of_checks(tmp_path):
    cat = catalogue_of(tmp_path, rec(stage="retired"), {**rec(), "id": "y"})
    ids = {i for i, _ in check_states(cat, AS_OF)}
    assert ids == {"y"}


TABLE_ROW = {
    "Integration": "Shop X",
    "Type": "Shop",
    "Partner": "X",
    "Direction": "Inbound/Outbound",
    "Auth": "OAuth",
    "Version": "v1",
    "SLA/SLO notes": "p95 latency target",
    "Owner": "Team X",
    "Support contact": "portal",
    "Monitoring": "Dashboard + alerts",
}


@pytest.mark.parametrize(
    ("changes", "check", "expected"),
    [
        ({}, "dashboard", "pass"),
        ({"Monitoring": "Latency alerts"}, "dashboard", "fail"),
        ({}, "alert_rules", "pass"),
        ({"Monitoring": "Partner KPI dashboard"}, "alert_rules", "fail"),
        ({}, "runbook", "unknown"),
        ({"Monitoring": "Alerts + runbook"}, "runbook", "pass"),
        ({}, "slo_defined", "pass"),
        ({"SLA/SLO notes": ""}, "slo_defined", "fail"),
        ({}, "current_version", "pass"),
        ({"Version": ""}, "current_version", "na"),
        ({"Owner": "PO/Eng"}, "named_owner", "fail"),
        ({}, "named_owner", "pass"),
        ({}, "webhook_signatures", "unknown"),
        ({"Direction": "Outbound"}, "webhook_signatures", "na"),
        ({}, "on_call", "unknown"),
        ({}, "idempotency", "unknown"),
        ({}, "migration_plan", "unknown"),
        ({}, "test_environment", "unknown"),
        ({}, "criticality_set", "unknown"),
        ({}, "reviewed_recently", "unknown"),
    ],
)
def test_table_row_check_state(tmp_path, changes, check, expected):
    cat = table_catalogue(tmp_path, {**TABLE_ROW, **changes})
    assert check_states(cat, AS_OF)[("shop-x", check)] == expected


def test_valid_record_passes_the_must_haves(tmp_path):
    cat = catalogue_of(tmp_path, valid_record())
    states = check_states(cat, AS_OF)
    for check in ("named_owner", "dashboard", "alert_rules", "runbook"):
        assert states[("carrier-a", check)] == "pass"

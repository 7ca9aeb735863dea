"""The record model: accepts what the spec allows, rejects the rest with a clear message."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from catalogue_lib.model import Integration, json_schema

from .conftest import valid_record


def test_accepts_the_valid_record():
    rec = Integration.model_validate(valid_record())
    assert rec.id == "carrier-a"
    assert rec.direction == ["outbound", "inbound"]


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"criticality": None}, id="accepts_missing_criticality"),
        pytest.param({"owner": None}, id="accepts_missing_owner"),
        pytest.param({"direction": "inbound"}, id="accepts_single_direction_string"),
        pytest.param({"stage": "hypercare"}, id="accepts_stage_hypercare"),
        pytest.param({"id": "a-1-b"}, id="accepts_slug_with_digits"),
        pytest.param({"auth": {"method": "mtls"}}, id="accepts_auth_without_expiry"),
        pytest.param(
            {"operations": {"dashboard": "HTTPS://grafana.example.com"}}, id="accepts_upper_scheme"
        ),
        pytest.param({"reviewed_on": "2024-02-29"}, id="accepts_leap_day"),
        pytest.param({"risks": [{"category": "other"}]}, id="accepts_risk_without_scores"),
        pytest.param({"owner": 123}, id="accepts_number_as_owner_v1_1"),
    ],
)
def test_accepts(changes):
    Integration.model_validate(valid_record(**changes))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        pytest.param({"id": None}, "id", "required", id="rejects_missing_id"),
        pytest.param({"name": None}, "name", "required", id="rejects_missing_name"),
        pytest.param({"partner": ""}, "partner", "at least 1", id="rejects_empty_partner"),
        pytest.param({"id": "Carrier_A"}, "id", "pattern", id="rejects_id_not_a_slug"),
        pytest.param({"id": "-carrier"}, "id", "pattern", id="rejects_id_leading_dash"),
        pytest.param({"type": "marketplace"}, "type", "shop", id="rejects_unknown_type"),
        pytest.param({"type": "Shop"}, "type", "shop", id="rejects_type_in_capitals"),
        pytest.param({"direction": []}, "direction", "at least 1", id="rejects_empty_direction"),
        pytest.param(
            {"direction": ["sideways"]}, "direction", "inbound", id="rejects_unknown_direction"
        ),
        pytest.param(
            {"criticality": "urgent"}, "criticality", "high", id="rejects_unknown_criticality"
        ),
        pytest.param({"stage": "beta"}, "stage", "planned", id="rejects_unknown_stage"),
        pytest.param(
            {"reviewed_on": "2027-02-30"},
            "reviewed_on",
            "not a real date",
            id="rejects_impossible_date",
        ),
        pytest.param(
            {"reviewed_on": "02/11/2026"}, "reviewed_on", "YYYY-MM-DD", id="rejects_non_iso_date"
        ),
        pytest.param(
            {"reviewed_on": "2026-11-02T10:00:00+02:00"},
            "reviewed_on",
            "YYYY-MM-DD",
            id="rejects_timestamp",
        ),
        pytest.param(
            {"auth": {"method": "password"}}, "auth.method", "oauth", id="rejects_unknown_auth"
        ),
        pytest.param(
            {"operations": {"runbook": "javascript:alert(1)"}},
            "operations.runbook",
            "http",
            id="rejects_javascript_link",
        ),
        pytest.param(
            {"operations": {"dashboard": "grafana/d/x"}},
            "operations.dashboard",
            "http",
            id="rejects_relative_link",
        ),
        pytest.param(
            {"operations": {"slo": {"success_rate_pct": 120}}},
            "operations.slo.success_rate_pct",
            "less than or equal",
            id="rejects_success_rate_over_100",
        ),
        pytest.param(
            {"lifecycle": {"versions": [{"version": "v1", "status": "beta"}]}},
            "lifecycle.versions.0.status",
            "current",
            id="rejects_unknown_version_status",
        ),
        pytest.param(
            {"risks": [{"category": "aliens"}]},
            "risks.0.category",
            "auth_expiry",
            id="rejects_unknown_risk_category",
        ),
        pytest.param(
            {"incidents": [{"date": "2026-10-12", "failure_mode": "other", "severity": "sev9"}]},
            "incidents.0.severity",
            "sev1",
            id="rejects_unknown_severity",
        ),
        pytest.param({"owner": [1, 2]}, "owner", "string", id="rejects_list_as_owner"),
    ],
)
def test_rejects(changes, field, words):
    with pytest.raises(ValidationError) as info:
        Integration.model_validate(valid_record(**changes))
    errors = info.value.errors()
    locs = [
        ".".join(str(p) for p in e["loc"] if not str(p).startswith("function-")) for e in errors
    ]
    assert any(loc == field or loc.startswith(field + ".") for loc in locs), locs
    assert any(words.lower() in e["msg"].lower() for e in errors)


def test_every_schema_field_has_description_and_example():
    schema = json_schema()
    missing = []
    for name, definition in [("Integration", schema), *schema["$defs"].items()]:
        for field, spec in definition.get("properties", {}).items():
            if "description" not in spec:
                missing.append(f"{name}.{field}: description")
            nested = "$ref" in str(spec) and "examples" not in spec
            if "examples" not in spec and not nested:
                missing.append(f"{name}.{field}: examples")
    assert missing == []


def test_committed_schema_matches_the_model():
    import json
    from pathlib import Path

    committed = json.loads(
        (Path(__file__).parent.parent / "docs" / "record.schema.json").read_text()
    )
    assert committed == json_schema(), "run: catalogue schema > docs/record.schema.json"

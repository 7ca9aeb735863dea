"""Property tests: accepted records survive YAML -> DuckDB -> export unchanged; loaders never raise."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue_lib.catalogue import open_catalogue
from catalogue_lib.export import stored_records, to_json
from catalogue_lib.load import load_file
from catalogue_lib.model import CATEGORIES, Integration

text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())
maybe = lambda strategy: st.none() | strategy  # noqa: E731
dates = st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10)
links = st.from_regex(r"https://[a-z]{1,12}\.example\.com/[a-z0-9/_-]{0,20}", fullmatch=True)
level = st.sampled_from(["high", "medium", "low"])


def drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


records = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
        "name": text,
        "type": st.sampled_from(["shop", "carrier"]),
        "partner": text,
        "direction": st.lists(
            st.sampled_from(["inbound", "outbound"]), min_size=1, max_size=2, unique=True
        ),
    },
    optional={
        "criticality": level,
        "stage": st.sampled_from(
            ["planned", "pilot", "hypercare", "live", "sunsetting", "retired"]
        ),
        "business_purpose": text,
        "customers_impacted": st.lists(text, max_size=3),
        "critical_flows": st.lists(text, max_size=3),
        "owner": text,
        "support_contact": text,
        "reviewed_on": dates,
        "auth": st.builds(
            lambda m, e: drop_none({"method": m, "expires_on": e}),
            maybe(st.sampled_from(["oauth", "api_key", "mtls", "token", "basic", "none"])),
            maybe(dates),
        ),
        "contract": st.builds(
            lambda e, i, s: drop_none(
                {
                    "endpoints": e,
                    "idempotency": i,
                    "webhooks": None if s is None else {"signature_verification": s},
                }
            ),
            st.lists(text, max_size=3),
            maybe(text),
            maybe(st.booleans()),
        ),
        "operations": st.builds(
            lambda r, p, d, rb, a: drop_none(
                {
                    "slo": drop_none({"success_rate_pct": r, "latency_p95_ms": p}),
                    "dashboard": d,
                    "runbook": rb,
                    "alert_rules": a,
                }
            ),
            maybe(st.floats(0, 100)),
            maybe(st.floats(0.5, 1e6)),
            maybe(links),
            maybe(links),
            st.lists(text, max_size=2),
        ),
        "lifecycle": st.builds(
            lambda vs, pcs, mp: drop_none(
                {"versions": vs, "planned_changes": pcs, "migration_plan": mp}
            ),
            st.lists(
                st.builds(
                    lambda v, s, d: drop_none({"version": v, "status": s, "sunset_on": d}),
                    text,
                    st.sampled_from(["current", "supported", "deprecated", "retired"]),
                    maybe(dates),
                ),
                max_size=3,
            ),
            st.lists(
                st.builds(lambda d, b: {"date": d, "breaking": b}, dates, st.booleans()), max_size=2
            ),
            maybe(links),
        ),
        "risks": st.lists(
            st.builds(
                lambda c, s, li, im: drop_none(
                    {"category": c, "summary": s, "likelihood": li, "impact": im}
                ),
                st.sampled_from(CATEGORIES),
                maybe(text),
                maybe(level),
                maybe(level),
            ),
            max_size=3,
        ),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_an_accepted_record_survives_yaml_duckdb_and_export(data):
    original = Integration.model_validate(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "record.yaml"
        path.write_text(
            yaml.safe_dump(original.model_dump(mode="json", exclude_none=True), allow_unicode=True)
        )
        cat = open_catalogue([tmp])
        assert cat.result.errors == [], [str(p) for p in cat.result.errors]
        (stored,) = stored_records(cat)
        assert stored == original
        (exported,) = json.loads(to_json([stored]))
        assert Integration.model_validate(exported) == original


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([".yaml", ".json", ".md", ".csv", ".txt", ".dat"]))
def test_loaders_never_raise_on_arbitrary_bytes(blob, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(blob)
        records, problems = load_file(path, path.name)
        assert isinstance(records, list)
        for p in problems:
            assert str(p).startswith(path.name) and "\n" not in p.message


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="{}[]:-#&*!|>'\"\n\t ,?%@`abc123", max_size=300),
    st.sampled_from([".yaml", ".json"]),
)
def test_loaders_never_raise_on_yaml_like_noise(noise, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_text(noise)
        records, problems = load_file(path, path.name)
        assert all(str(p).startswith(path.name) for p in problems)

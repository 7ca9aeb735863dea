"""Shared fixtures: the hand-written fixture catalogue and one valid record to vary."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogue_lib.catalogue import Catalogue, open_catalogue

# The record cache (cache.py) of every app, CLI and server the tests start: a fresh folder, never
# the user's own cache, so no test is served another run's results.
os.environ["CATALOGUE_CACHE"] = TEST_CACHE = tempfile.mkdtemp(prefix="catalogue-test-cache-")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The cache holds kept databases now (megabytes at scale): no run leaves one behind."""
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CATALOGUE = FIXTURES / "catalogue"
SEED = ROOT.parent / "shared" / "seed" / "000_98dc1b85b204e7e8.txt"
SEED_COPY = FIXTURES / "seed-template.txt"  # a copy, so tests run without ../shared
AS_OF = dt.date(2026, 11, 28)

VALID: dict[str, Any] = {
    "id": "carrier-a",
    "name": "Carrier A",
    "type": "carrier",
    "partner": "Carrier A",
    "direction": ["outbound", "inbound"],
    "criticality": "high",
    "owner": "Team Fulfilment",
    "reviewed_on": "2026-11-02",
    "auth": {"method": "api_key", "expires_on": "2027-02-01"},
    "operations": {
        "dashboard": "https://grafana.example.com/d/carrier-a",
        "runbook": "https://wiki.example.com/runbooks/carrier-a",
        "alert_rules": ["label 5xx rate > 2% for 10 min"],
        "slo": {"success_rate_pct": 99.5},
    },
    "lifecycle": {
        "versions": [
            {"version": "v2", "status": "current"},
            {"version": "v1", "status": "deprecated", "sunset_on": "2027-01-31"},
        ]
    },
    "risks": [{"category": "timeouts_5xx", "likelihood": "high", "impact": "high"}],
}


def valid_record(**changes: Any) -> dict[str, Any]:
    """The valid record with top-level fields changed (None removes a field)."""
    rec = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


@pytest.fixture(scope="session")
def fixture_catalogue() -> Catalogue:
    return open_catalogue([str(CATALOGUE)])


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt here, as in a command started from a terminal: a shell
    starts a background job (`pytest ... &`) with SIGINT ignored, and Python then leaves it so."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)

"""Several people at once on one server: each session keeps its own filters and sees its own
figures. Outcomes only: speed is measured by benchmarks/concurrency.py, never in a test."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks.concurrency import check, run_sessions

from .conftest import ROOT
from .test_browser import _need_browser, start_server

pytestmark = pytest.mark.browser

SESSIONS = 4  # different owners and partner types at once
WAIT_SECONDS = 600.0  # per outcome: generous, so a busy machine is slow, never wrong; bounded


def test_sessions_changing_filters_at_once_see_only_their_own_results():
    _need_browser()
    catalogue = ROOT / "data"
    proc, url = start_server(catalogue)
    try:
        results = asyncio.run(run_sessions(url, catalogue, SESSIONS, timeout=WAIT_SECONDS))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert check(results) == []
    views = {(r["plan"].owner, r["plan"].partner_type) for r in results}
    assert len(views) == SESSIONS  # really different views, all at once

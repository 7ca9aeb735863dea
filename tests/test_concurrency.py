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


CLOCK_WORDS = ("elapsed", "perf_counter", "monotonic()", "median(", "rerun_s", "seconds <", "took")


def test_no_test_asserts_on_the_clock():
    """Speed goals are measured in benchmarks/, never asserted in a test (they fail when the
    machine is busy, not when the software is wrong)."""
    import ast

    offenders = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assert):
                text = ast.get_source_segment(source, node) or ""
                if any(word in text for word in CLOCK_WORDS):
                    offenders.append(f"{path.name}:{node.lineno}: {text.splitlines()[0]}")
    assert offenders == []

"""20 people at once on one server: each session keeps its own filters and sees its own figures."""

from __future__ import annotations

import asyncio
import statistics

import pytest

from benchmarks.concurrency import check, run_sessions

from .conftest import ROOT
from .test_browser import _need_browser, start_server

pytestmark = pytest.mark.browser


def test_twenty_sessions_changing_filters_see_only_their_own_results(capsys):
    _need_browser()
    catalogue = ROOT / "data"
    proc, url = start_server(catalogue)
    try:
        alone = asyncio.run(run_sessions(url, catalogue, 1))
        together = asyncio.run(run_sessions(url, catalogue, 20))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert check(alone) == []
    assert check(together) == []
    assert (
        len({(r["plan"].owner, r["plan"].partner_type) for r in together}) > 10
    )  # really different views
    times = [r["rerun_s"] for r in together]
    with capsys.disabled():  # the figures, for the record: not a timed test
        print(
            f"\n[concurrency] one session {alone[0]['rerun_s']:.2f} s; 20 sessions median "
            f"{statistics.median(times):.2f} s, max {max(times):.2f} s"
        )

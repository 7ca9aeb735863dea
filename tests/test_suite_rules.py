"""Rules the test suite itself keeps (from the developers' guide)."""

from __future__ import annotations

from .conftest import ROOT

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

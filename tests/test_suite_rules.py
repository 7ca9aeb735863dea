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


def test_every_hypothesis_test_turns_off_the_per_example_deadline():
    """Hypothesis fails an example that takes over 200 ms unless told not to: a clock
    assertion in disguise, which a busy two-core CI machine trips."""
    import importlib
    import inspect

    checked, offenders = 0, []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            used = getattr(fn, "_hypothesis_internal_use_settings", None)
            if getattr(fn, "is_hypothesis_test", False) and used is not None:
                checked += 1
                if used.deadline is not None:
                    offenders.append(f"{path.name}: {name} (deadline {used.deadline})")
    assert checked >= 10  # the suite's property tests were found
    assert offenders == []

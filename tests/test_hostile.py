"""The hostile-input corpus (tests/hostile): each file gives clear problem lines naming it, in
bounded time and memory, nothing runs, no credential is echoed, and valid records beside it load."""

from __future__ import annotations

import re
import shutil
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue_lib.load import MAX_FILE_BYTES, load_paths

CORPUS = Path(__file__).resolve().parent / "hostile"
VALID = "id: still-here\nname: Still here\ntype: carrier\npartner: P\ndirection: [outbound]\n"
PROBLEM_LINE = re.compile(r"^(?P<path>[^\n]+?)(?::(?P<line>\d+))?: (?P<sev>error|warning): [^\n]+$")

# file -> words its problem text must contain; None: an odd but valid file that loads cleanly
EXPECTED: dict[str, str | None] = {
    "alias-bomb.yaml": "alias bomb",
    "binary.yaml": "binary file",
    "bom.yaml": None,
    "broken.json": "invalid JSON",
    "crlf.yaml": None,
    "custom-tag.yaml": "tags that construct objects",
    "deep-block-nesting.yaml": "nesting is deeper than 40 levels",
    "deep-flow-nesting.yaml": "nesting is deeper than 40 levels",
    "deep-nesting.json": "nesting is too deep",
    "duplicate-keys.yaml": "duplicate key 'name'",
    "empty.yaml": "empty file",
    "id-path-traversal.yaml": "id: String should match pattern",
    "impossible-date.yaml": "not a real date",  # v1.1: the record loads without the value
    "javascript-link.yaml": "must be an http:// or https:// URL",
    "latin1.yaml": "not UTF-8 text",
    "list-of-scalars.yaml": "expected a record",
    "merge-key-bomb.yaml": "alias bomb",
    "missing-required.yaml": "missing required fields 'type', 'partner', 'direction'",
    "nan-and-huge-numbers.json": "finite number",
    "number-as-owner.yaml": "the number 12345 is read as the text '12345'",  # v1.1: loads
    "number-as-version.yaml": "the number 2.10 is read as the text '2.10'",
    "only-comments.yaml": "empty file",
    "python-object-apply.yaml": "tags that construct objects",
    "python-object-new.yaml": "tags that construct objects",
    "ragged-rows.csv": "row has 3 cells",
    "ragged-table.md": "table row has 3 cells",
    "recursive-alias.yaml": "recursive alias",
    "secret-aws-key.json": "owner: looks like an AWS access key",
    "secret-bearer-token.yaml": "support_contact: looks like a bearer token",
    "secret-password-in-url.yaml": "operations.dashboard: looks like a password in a URL",
    "secret-private-key.yaml": "business_purpose: looks like a private key block",
    "tab-indentation.yaml": "invalid YAML",
    "timestamp-with-zone.yaml": "must be a date YYYY-MM-DD",
    "too-long-string.yaml": "at most 10000 characters",
    "wrong-enum.yaml": "type: Input should be 'shop' or 'carrier'",
    "wrong-header.csv": "missing column(s) Integration",
}
SECRET_VALUES = [
    "AKIAIOSFODNN7EXAMPLE",
    "8f14e45fceea167a5a36dedd4bea2543",
    "hunter2hunter2",
    "MIIEowIBAAKCAQEAtest",
]


def test_the_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.iterdir()}
    assert on_disk == set(EXPECTED), on_disk ^ set(EXPECTED)
    assert len(on_disk) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(tmp_path, name):
    shutil.copy(CORPUS / name, tmp_path / name)
    (tmp_path / "zz-valid.yaml").write_text(VALID)
    tracemalloc.start()
    try:  # no clock here: bounded work comes from the loader's limits and linear-time regexes
        result = load_paths([tmp_path])
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 200 * 2**20, f"{name} needed {peak / 2**20:.0f} MiB"
    ids = [r.id for r in result.records]
    assert "still-here" in ids  # nothing lost beside it
    lines = [str(p) for p in result.problems]
    words = EXPECTED[name]
    if words is None:
        assert lines == [] and len(ids) == 2
        return
    assert lines, f"{name} gave no problem"
    for line in lines:
        m = PROBLEM_LINE.match(line)
        assert m and m["path"] == str(tmp_path / name), line
        assert "Traceback" not in line and "\n" not in line
        for secret in SECRET_VALUES:
            assert secret not in line  # a credential is named, never shown
    assert any(words in line for line in lines), lines
    assert not Path("/tmp/hostile-pwned").exists()


# v1.1: a bad optional value (or a number written as text) keeps its record
KEPT_WITH_PROBLEMS = [
    "impossible-date",
    "js-link",
    "nan",
    "number-owner",
    "number-version",
    "timestamp-zone",
    "too-long",
]


def test_the_whole_corpus_at_once_loads_only_the_valid_files(tmp_path):
    for p in CORPUS.iterdir():
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "zz-valid.yaml").write_text(VALID)
    result = load_paths([tmp_path])
    assert sorted(r.id for r in result.records) == sorted(
        ["still-here", "with-bom", "with-crlf", *KEPT_WITH_PROBLEMS]
    )
    files_with_problems = {p.path for p in result.problems}
    expected = {str(tmp_path / n) for n, w in EXPECTED.items() if w is not None}
    assert files_with_problems == expected


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text(VALID + "business_purpose: " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    (result,) = [load_paths([big])]
    (problem,) = result.problems
    assert "file is too large" in problem.message and result.records == []


def test_many_documents_in_one_file_each_stand_alone(tmp_path):
    docs = [VALID.replace("still-here", f"doc-{i}") for i in range(50)]
    docs[10] = "id: [broken\n"
    (tmp_path / "many.yaml").write_text("---\n".join(docs))
    result = load_paths([tmp_path])
    # a syntax error gives up its own document only: those before and after it load
    assert [r.id for r in result.records] == [f"doc-{i}" for i in range(50) if i != 10]
    (problem,) = result.problems
    assert problem.line is not None and problem.line > 50
    assert problem.message.startswith("invalid YAML")


BROKEN_DOCUMENTS = [
    "id: [unclosed\nname: X\n",  # a flow sequence the next marker cuts
    'id: x\nname: "unclosed\n',  # a quoted scalar running into the marker
    "id: x\nname: X\n  owner: wrongly indented\n",
    "id: x: y\n",
    "id: x\n\tname: tab\n",
    "- a\nb: c\n",  # a sequence, then a mapping key at the same level
    "{id: x\n",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(BROKEN_DOCUMENTS)), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
)
def test_every_valid_document_loads_whatever_breaks_around_it(tmp_path_factory, docs, newline):
    """Documents (None: a valid record) in one file, in any order and with either line ending:
    each syntax error costs its own document and nothing else, and names a line of the file."""
    texts = [
        VALID.replace("still-here", f"doc-{i}") if d is None else d for i, d in enumerate(docs)
    ]
    folder = tmp_path_factory.mktemp("docs")
    text = "---\n" + "---\n".join(texts)
    (folder / "many.yaml").write_bytes(text.replace("\n", newline).encode())
    result = load_paths([folder])
    assert [r.id for r in result.records] == [f"doc-{i}" for i, d in enumerate(docs) if d is None]
    lines = text.count("\n") + 1
    assert len(result.problems) == sum(d is not None for d in docs)
    assert all(p.severity == "error" and 1 <= (p.line or 0) <= lines for p in result.problems)


@pytest.mark.parametrize("deep", ["- " * 5_000 + "x\n", "[" * 5_000 + "]" * 5_000 + "\n"])
def test_deep_nesting_after_a_broken_document_meets_the_same_guard(tmp_path, deep):
    """Reading goes on after a syntax error; the depth guard, which stopped at that error, then
    measures what follows before libyaml's composer (recursing in C) sees it: a document nested
    too deep is skipped as a broken one is."""
    text = VALID + "---\nid: [unclosed\n---\n" + deep + "---\n" + VALID.replace("still", "never")
    text += "---\n" + deep  # the last document too deep: nothing after it to read
    (tmp_path / "deep.yaml").write_text(text)
    result = load_paths([tmp_path])
    assert [r.id for r in result.records] == ["still-here", "never-here"]
    broken, deep_problem, last = result.problems
    assert (last.line, last.message) == (17, "nesting is deeper than 40 levels")
    assert broken.line == 7 and broken.message.startswith("invalid YAML")
    assert deep_problem.line == 9
    assert deep_problem.message == (
        "nesting is deeper than 40 levels; this document is skipped, reading goes on at line 10"
    )


def test_reading_past_syntax_errors_stops_after_a_bound_and_says_so(tmp_path, monkeypatch):
    """Every new start after a syntax error copies the file's text: past MAX_RESUMES errors in one
    file reading stops (a hostile file of thousands of broken documents stays linear), and the
    last error says the rest of the file is not read."""
    from catalogue_lib import source_yaml

    monkeypatch.setattr(source_yaml, "MAX_RESUMES", 3)
    docs = [
        VALID.replace("still-here", f"doc-{i}") if i % 2 == 0 else "id: [x\n" for i in range(12)
    ]
    text = "---\n".join(docs)
    (tmp_path / "many.yaml").write_text(text)
    markers = [n for n, line in enumerate(text.splitlines(), 1) if line == "---"]
    result = load_paths([tmp_path])
    assert [r.id for r in result.records] == ["doc-0", "doc-2", "doc-4", "doc-6"]
    # broken document k ends at the marker before document k + 1: markers[k] (0-based k)
    assert [p.message.rsplit("; ", 1)[-1] for p in result.problems] == [
        *(f"this document is skipped, reading goes on at line {markers[k]}" for k in (1, 3, 5)),
        "too many syntax errors: the rest of the file is not read",
    ]


def test_documents_nested_too_deep_count_toward_the_bound(tmp_path, monkeypatch):
    """A document skipped for its nesting after a syntax error is a new start like one skipped
    for a syntax error: past MAX_RESUMES of them reading stops, and says so."""
    from catalogue_lib import source_yaml

    monkeypatch.setattr(source_yaml, "MAX_RESUMES", 3)
    deep = "[" * 41 + "]" * 41 + "\n"
    text = "id: [x\n" + ("---\n" + deep) * 5 + "---\n" + VALID
    (tmp_path / "deep.yaml").write_text(text)
    result = load_paths([tmp_path])
    assert result.records == []
    assert [p.message.rsplit("; ", 1)[-1] for p in result.problems][-2:] == [
        "this document is skipped, reading goes on at line 6",
        "too many syntax errors: the rest of the file is not read",
    ]
    assert len(result.problems) == 4

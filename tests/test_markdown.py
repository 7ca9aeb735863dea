"""The template's Markdown table is found the way a Markdown renderer finds it: a table shown
inside a code fence, an indented code block or an HTML comment is an example, not records."""

from __future__ import annotations

import pytest

from catalogue_lib.load import TABLE_HEADERS, load_paths

HEAD = "| " + " | ".join(TABLE_HEADERS) + " |\n|" + "---|" * len(TABLE_HEADERS) + "\n"
ROW = "| Carrier A | Carrier | Carrier A | Outbound | labels | API key | v2 | 99.5% | Team Fulfilment | portal | Dashboard + alerts | rate limits |\n"
ROW2 = ROW.replace("Carrier A", "Carrier B")
TABLE = HEAD + ROW + ROW2


@pytest.mark.parametrize(
    "readme",
    [
        f"# How to add an integration\n\nCopy this:\n\n```markdown\n{TABLE}```\n",
        f"# How to add an integration\n\n~~~\n{TABLE}~~~\n",
        f"# How to add an integration\n\n<!--\n{TABLE}-->\n",
        f"# How to add an integration\n\n<!-- the template:\n\n{TABLE}\n-->\n",
        "# Indented code\n\n" + "".join("    " + line + "\n" for line in TABLE.splitlines()),
        f"# Unclosed fence runs to the end\n\n```\n{TABLE}",
        "# In a list\n\n- the template:\n\n"
        + "".join("  " + line + "\n" for line in TABLE.splitlines()),
        "# In a quote\n\n" + "".join("> " + line + "\n" for line in TABLE.splitlines()),
        f"# In an HTML block\n\n<details>\n{TABLE}</details>\n",
    ],
    ids=[
        "backticks",
        "tildes",
        "comment",
        "comment-with-blank-lines",
        "indented",
        "unclosed",
        "list",
        "quote",
        "html-block",
    ],
)
def test_a_table_shown_as_an_example_yields_no_records(tmp_path, readme):
    (tmp_path / "README.md").write_text(readme)
    res = load_paths([tmp_path])
    assert res.records == [] and res.errors == [], [str(p) for p in res.problems]


def test_a_real_table_after_an_example_still_loads(tmp_path):
    text = f"# Example\n\n```\n{HEAD}| Fake | Shop | x | Inbound |||||||||\n```\n\n# The catalogue\n\n{TABLE}"
    (tmp_path / "catalogue.md").write_text(text)
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == ["carrier-a", "carrier-b"]
    assert res.records[0].line == text.splitlines().index(ROW.strip()) + 1


def test_a_ragged_row_in_a_real_table_is_still_an_error(tmp_path):
    (tmp_path / "t.md").write_text(HEAD + "| Only Three | Shop | cells |\n" + ROW)
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("table row has 3 cells" in str(p) for p in res.problems)


@pytest.mark.parametrize(
    "line",
    [
        "|" + " " * 32768 + "x",
        "|" + " -" * 16384 + " x",
        "|" + ":|" * 16384 + "x",
        "| " + "- | " * 12000,
    ],
    ids=["spaces", "dashes", "colon-pipes", "many-cells"],
)
def test_an_adversarial_separator_line_is_parsed_to_the_end(tmp_path, line):
    (tmp_path / "t.md").write_text(HEAD.splitlines()[0] + "\n" + line + "\n" + ROW)
    res = load_paths([tmp_path])
    assert len(res.records) <= 1  # whatever it makes of it, it finishes

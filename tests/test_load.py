"""Loaders: every source form, readable problem lines, and nothing lost around bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from catalogue_lib.load import load_paths

from .conftest import SEED, SEED_COPY, valid_record

PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+(?::\d+)?): (?P<sev>error|warning): .+$")


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def as_yaml(**changes) -> str:
    return yaml.safe_dump(valid_record(**changes), sort_keys=False)


@pytest.mark.parametrize("seed", [SEED_COPY, pytest.param(SEED, id="shared-seed")])
def test_seed_template_loads_its_four_rows(seed):
    if not seed.exists():
        pytest.skip("shared/ is not beside this checkout")
    res = load_paths([seed])
    assert [r.record.id for r in res.records] == [
        "shopify-connector",
        "carrier-a",
        "carrier-b",
        "marketplace-b",
    ]
    assert res.problems == []
    shopify = res.records[0].record
    assert shopify.type == "shop"
    assert shopify.direction == ["inbound", "outbound"]
    assert shopify.critical_flows == ["Orders", "cancellations", "status updates"]
    assert shopify.auth.method == "oauth"
    assert [v.version for v in shopify.lifecycle.versions] == ["v1"]
    assert [(k.category, k.summary) for k in shopify.risks] == [
        ("rate_limiting", "Rate limits"),
        ("api_changes", "API changes"),
    ]
    assert res.records[0].line == 25  # the row's line in the file


def test_yaml_file_with_several_documents(tmp_path):
    two = as_yaml() + "---\n" + as_yaml(id="carrier-b", name="Carrier B")
    write(tmp_path, "two.yaml", two)
    assert [r.record.id for r in load_paths([tmp_path]).records] == ["carrier-a", "carrier-b"]


@pytest.mark.parametrize(
    "broken",
    [
        "id: x-2\nname: [unclosed\n",  # the parser notices at the next document's marker
        'id: x-2\nname: "unclosed\n',  # a quoted scalar running into the marker
        "id: x-2\nname: X\n  owner: wrongly indented\n",
        "id: x-2: y\n",
        "id: x-2\nname:\tX\n\tbusiness_purpose: tab\n",
    ],
    ids=["flow", "quote", "indent", "colon", "tab"],
)
def test_a_syntax_error_skips_only_its_own_document(tmp_path, broken):
    """Nothing is lost around bad input: a syntax error in the second of three documents skips
    that one, the third still loads, and every line named is the file's own."""
    text = as_yaml(id="x-1") + "---\n" + broken + "---\n" + as_yaml(id="x-3")
    write(tmp_path, "three.yaml", text)
    res = load_paths([tmp_path])
    assert [r.record.id for r in res.records] == ["x-1", "x-3"]
    third = text.splitlines().index("---", text.splitlines().index("---") + 1) + 2
    assert res.records[1].line == third
    (problem,) = res.problems
    assert problem.severity == "error" and problem.message.startswith("invalid YAML")
    first = text.splitlines().index("---") + 1
    assert first < problem.line <= third
    assert problem.message.endswith(f"reading goes on at line {third - 1}")


def test_a_syntax_error_with_no_document_after_it_ends_the_file(tmp_path):
    write(tmp_path, "two.yaml", as_yaml(id="x-1") + "---\nid: [unclosed\n")
    res = load_paths([tmp_path])
    assert [r.record.id for r in res.records] == ["x-1"]
    (problem,) = res.problems
    assert "reading goes on" not in problem.message


def test_json_object_and_list(tmp_path):
    write(tmp_path, "one.json", json.dumps(valid_record()))
    write(tmp_path, "many.json", json.dumps([valid_record(id="x-1"), valid_record(id="x-2")]))
    ids = sorted(r.record.id for r in load_paths([tmp_path]).records)
    assert ids == ["carrier-a", "x-1", "x-2"]


def test_csv_with_the_template_headers(tmp_path):
    write(
        tmp_path,
        "export.csv",
        "integration,TYPE,Partner,Direction,Critical flows,Auth,Version,SLA/SLO notes,Owner,"
        "Support contact,Monitoring,Known risks\n"
        'Carrier C,Carrier,Carrier C,outbound,"Label create, manifests",API key,v4,,Team C,portal,'
        'Dashboard,"Cert expiry, Peak season"\n',
    )
    res = load_paths([tmp_path])
    (rec,) = res.records
    assert rec.record.id == "carrier-c"
    assert rec.line == 2
    assert rec.record.critical_flows == ["Label create", "manifests"]
    assert [k.category for k in rec.record.risks] == ["auth_expiry", "other"]
    assert rec.record.risks[1].summary == "Peak season"
    assert rec.overrides["runbook"] == "unknown"
    assert rec.overrides["dashboard"] == "pass"
    assert rec.overrides["alert_rules"] == "fail"


def test_folder_mixes_sources_and_skips_prose_and_config(fixture_catalogue):
    ids = {r.record.id for r in fixture_catalogue.result.records}
    assert ids == {
        "alpha-shop",
        "beta-carrier",
        "gamma-carrier",
        "delta-retired",
        "epsilon-shop",
        "zeta-carrier",
    }
    assert fixture_catalogue.result.problems == []  # README.md beside the records is not a problem


def test_config_files_at_the_top_are_not_records(tmp_path):
    write(tmp_path, "scorecard.yaml", "levels: []\n")
    write(tmp_path, "owners.yaml", "- team: A\n")
    write(tmp_path, "ok.yaml", as_yaml())
    res = load_paths([tmp_path])
    assert len(res.records) == 1 and res.problems == []


@pytest.mark.parametrize(
    "name",
    [
        "scorecard.yaml",
        "scorecard.yml",
        "owners.yaml",
        "owners.yml",
        "calendar.yaml",
        "Owners.YAML",
    ],
)
def test_a_config_file_below_the_top_is_named_and_not_read_as_a_record(tmp_path, name):
    """A team's owners.yaml in its own subfolder read as a record gave "missing required
    fields 'id', 'name'..." (an error); it is configuration, read only at the top."""
    (tmp_path / "payments").mkdir()
    write(tmp_path, f"payments/{name}", "levels:\n  - name: bronze\n    checks: [runbook]\n")
    write(tmp_path, "payments/ok.yaml", as_yaml())
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == ["carrier-a"]
    (problem,) = res.problems
    assert problem.severity == "warning" and problem.path == str(tmp_path / "payments" / name)
    assert "read only at the top of the catalogue folder" in problem.message
    # git history reads the same files as a walk of the folder
    from catalogue_lib.gitrepo import TreeEntry
    from catalogue_lib.snapshots import record_entries

    entries = [TreeEntry(f"payments/{name}", "b1", 10), TreeEntry("payments/ok.yaml", "b2", 10)]
    assert [e.rel for e in record_entries(entries)] == ["payments/ok.yaml"]
    # named itself, or as the top of the catalogue, it is configuration as before
    assert load_paths([tmp_path / "payments"]).problems == []


def test_file_given_by_path_is_read_whatever_its_extension(tmp_path):
    p = write(tmp_path, "record.conf", as_yaml())
    q = write(tmp_path, "table.dat", SEED_COPY.read_text())
    assert [r.record.id for r in load_paths([p]).records] == ["carrier-a"]
    assert len(load_paths([q]).records) == 4


def test_problem_lines_have_path_line_severity(tmp_path):
    write(tmp_path, "bad.yaml", as_yaml(criticality="urgent"))
    res = load_paths([tmp_path])
    (problem,) = res.problems
    text = str(problem)
    assert PROBLEM_LINE.match(text)
    assert text.startswith(f"{tmp_path / 'bad.yaml'}:")
    lines = (tmp_path / "bad.yaml").read_text().splitlines()
    assert "criticality" in lines[problem.line - 1]


def test_unknown_key_is_a_warning_with_a_suggestion(tmp_path):
    rec = valid_record()
    rec["operations"]["runbok"] = rec["operations"].pop("runbook")
    write(tmp_path, "typo.yaml", yaml.safe_dump(rec, sort_keys=False))
    res = load_paths([tmp_path])
    assert len(res.records) == 1
    (warning,) = res.warnings
    assert "operations.runbok" in warning.message and "did you mean 'runbook'" in warning.message
    assert "runbok" in (tmp_path / "typo.yaml").read_text().splitlines()[warning.line - 1]


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("runbook", "operations.runbook"),  # the right name at the wrong level
        ("owners", "owner"),  # a slip at this level
        ("runbok", "operations.runbook"),  # a slip at the wrong level
        ("dashbord", "operations.dashboard"),
        ("status_pag", "partner_links.status_page"),
        ("colour", None),  # nothing close: no guess
    ],
)
def test_an_unknown_top_level_key_suggests_what_it_probably_meant(tmp_path, key, hint):
    rec = valid_record()
    rec[key] = "x"
    write(tmp_path, "typo.yaml", yaml.safe_dump(rec, sort_keys=False))
    (warning,) = load_paths([tmp_path]).warnings
    said = warning.message.split("did you mean ", 1)
    assert said[1:] == ([f"'{hint}'?"] if hint else [])


def test_duplicate_ids_keep_the_first_in_path_order(tmp_path):
    write(tmp_path, "a.yaml", as_yaml(name="First"))
    write(tmp_path, "b.yaml", as_yaml(name="Second"))
    res = load_paths([tmp_path])
    assert [r.record.name for r in res.records] == ["First"]
    (err,) = res.errors
    assert err.path.endswith("b.yaml") and "a.yaml" in err.message and "carrier-a" in err.message


BAD_INPUTS = {
    "broken.yaml": ("id: x\nname: [unclosed\n", "invalid YAML"),
    "enum.yaml": (as_yaml(type="marketplace"), "type"),
    "date.yaml": (as_yaml(reviewed_on="2027-02-30"), "not a real date"),
    "link.yaml": (as_yaml(operations={"runbook": "javascript:alert(1)"}), "http"),
    "tag.yaml": (
        "!!python/object/apply:os.system ['touch /tmp/pwned']\n",
        "tags that construct objects",
    ),
    "bomb.yaml": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "id: x\n",
        "alias bomb",
    ),
    "binary.yaml": (b"\x00\x01\x02\xff" * 64, "binary"),
    "latin1.yaml": ("id: caf\xe9\n".encode("latin-1"), "UTF-8"),
    "empty.yaml": ("", "empty"),
    "missing.yaml": (as_yaml(partner=None), "missing required field 'partner'"),
    "scalar.yaml": ("just a sentence\n", "expected a record"),
    "broken.json": ('{"id": "x",', "invalid JSON"),
    "ragged.md": (
        "| Integration | Type | Partner | Direction | Critical flows | Auth | Version | SLA/SLO notes"
        " | Owner | Support contact | Monitoring | Known risks |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| Only | Shop | three |\n",
        "3 cells",
    ),
    "wrong.csv": ("name,type\nx,shop\n", "missing column(s)"),
}


# v1.1: a bad value in an optional field is an error, but its record still loads without it
KEEPS_ITS_RECORD = {"date.yaml", "link.yaml"}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_clear_line_and_valid_records_still_load(tmp_path, name):
    text, words = BAD_INPUTS[name]
    write(tmp_path, name, text)
    write(tmp_path, "zz-valid.yaml", as_yaml(id="still-here"))
    res = load_paths([tmp_path])  # bounded by the loader's limits, not by a clock
    kept = ["carrier-a"] if name in KEEPS_ITS_RECORD else []
    assert [r.record.id for r in res.records] == [*kept, "still-here"]
    assert len(res.problems) == 1, [str(p) for p in res.problems]
    line = str(res.problems[0])
    assert name in line and words.lower() in line.lower()
    assert PROBLEM_LINE.match(line)
    assert "Traceback" not in line
    assert not Path("/tmp/pwned").exists()


def test_text_that_looks_like_sql_is_stored_verbatim(tmp_path):
    from catalogue_lib.catalogue import open_catalogue

    payload = "Robert'); DROP TABLE integrations;-- <script>alert(1)</script>"
    write(tmp_path, "sql.yaml", as_yaml(owner=payload, business_purpose=payload))
    cat = open_catalogue([str(tmp_path)])
    row = cat.con.execute("SELECT owner, business_purpose FROM integrations").fetchone()
    assert row == (payload, payload)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("support_contact", "Authorization: Bearer 0123456789abcdef0123456789", "bearer token"),
        ("owner", "AKIAIOSFODNN7EXAMPLE", "AWS access key"),
        ("business_purpose", "-----BEGIN OPENSSH PRIVATE KEY-----", "private key block"),
        ("support_contact", "https://bot:pa55w0rd-long@portal.example.com", "password in a URL"),
        ("business_purpose", "client_secret=9f8e7d6c5b4a3f2e", "credential assignment"),
        ("support_contact", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub token"),
        (
            "support_contact",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "JSON web token",
        ),
    ],
)
def test_credentials_are_refused_and_never_shown(tmp_path, field, value, kind):
    write(tmp_path, "leak.yaml", as_yaml(**{field: value}))
    write(tmp_path, "ok.yaml", as_yaml(id="clean"))
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == ["clean"]
    (problem,) = res.problems
    assert f"{field}: looks like" in problem.message and kind in problem.message
    assert value not in str(problem)


@pytest.mark.parametrize(
    "value",
    [
        "API key rotated yearly",
        "Bearer tokens expire after 1 h",
        "https://portal.example.com/login",
        "see password policy",
    ],
)
def test_text_about_credentials_is_not_a_credential(tmp_path, value):
    write(tmp_path, "ok.yaml", as_yaml(support_contact=value))
    res = load_paths([tmp_path])
    assert res.problems == [] and len(res.records) == 1


def test_an_error_on_a_document_marker_line_is_one_error(tmp_path):
    """`--- {id: x]`: the broken document starts on the marker's own line; it is reported once,
    and reading goes on at the next marker, not at its own."""
    text = as_yaml(id="x-1") + "---\n" + as_yaml(id="x-2") + "--- {id: x-3]\n---\n"
    text += as_yaml(id="x-4")
    write(tmp_path, "marker.yaml", text)
    res = load_paths([tmp_path])
    assert [r.record.id for r in res.records] == ["x-1", "x-2", "x-4"]
    (problem,) = res.problems
    lines = text.splitlines()
    assert problem.line == lines.index("--- {id: x-3]") + 1
    assert problem.message.endswith(f"reading goes on at line {problem.line + 1}")


@pytest.mark.parametrize("newline", ["\r", "\n"], ids=["cr-only", "lf"])
@pytest.mark.parametrize("inner", ["\u2028", "\x85", " "], ids=["u2028", "nel", "space"])
def test_documents_after_a_broken_one_load_whatever_the_line_breaks(tmp_path, newline, inner):
    """libyaml counts U+2028, U+0085 and a lone CR as line breaks: where reading goes on is
    found by its count, so no valid document is skipped without a word."""
    name = '"Carrier' + inner.join("ABCDEFGHIJ") + '"'  # a quoted name spanning 10 of its lines
    first = as_yaml(id="x-1").replace("name: Carrier A", f"name: {name}")
    text = first + "---\nid: [unclosed\n---\n" + as_yaml(id="x-3") + "---\n" + as_yaml(id="x-4")
    write(tmp_path, "breaks.yaml", text.replace("\n", newline).encode())
    res = load_paths([tmp_path])
    assert [r.record.id for r in res.records] == ["x-1", "x-3", "x-4"]
    (problem,) = res.problems
    assert problem.message.startswith("invalid YAML")


def test_lines_named_after_a_broken_document_are_the_files_own(tmp_path):
    """The documents after a syntax error are read by a new loader from there on: a bad value,
    a duplicate key and a tab in them are named at their lines in the file."""
    before = as_yaml(id="x-1") + "---\nid: [unclosed\n---\n"
    bad_value = as_yaml(id="x-3").replace("type: carrier", "type: plane")
    duplicate = "id: x-4\nname: A\nname: B\n"
    tab = "id: x-5\nname: X\n\tpartner: P\n"
    text = before + bad_value + "---\n" + duplicate + "---\n" + tab
    write(tmp_path, "after.yaml", text)
    lines = text.splitlines()
    problems = load_paths([tmp_path]).problems
    (wrong,) = [p for p in problems if p.message.startswith("x-3: type")]
    assert wrong.line == lines.index("type: plane") + 1
    (dup,) = [p for p in problems if "duplicate key 'name'" in p.message]
    assert dup.line == lines.index("name: B") + 1
    assert dup.message.endswith(f"(also on line {lines.index('name: A') + 1})")
    (tabbed,) = [p for p in problems if "a tab: YAML indents" in p.message]
    assert tabbed.line == len(lines)


@pytest.mark.parametrize("last", [False, True], ids=["middle", "last"])
@pytest.mark.parametrize(
    "broken", ["name: [unclosed\n", 'name: "unclosed\n', "name: {unclosed: x\n\n\n"]
)
def test_an_unclosed_bracket_or_quote_is_named_at_its_own_line(tmp_path, broken, last):
    """libyaml notices it only at the next document's marker (or the end of the file), a line
    of another document: the problem names the line where the bracket or quote opens."""
    text = as_yaml(id="x-1") + "---\nid: x-2\n" + broken
    text += "" if last else "---\n" + as_yaml(id="x-3")
    write(tmp_path, "unclosed.yaml", text)
    (problem,) = load_paths([tmp_path]).problems
    assert problem.line == text.splitlines().index(broken.splitlines()[0]) + 1

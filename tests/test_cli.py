"""The `catalogue` command: exit codes, JSON shape, exports and the README staying in step."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from catalogue_lib.cli import build_parser, main

from .conftest import AS_OF, CATALOGUE, ROOT, SEED_COPY


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_sample_catalogue_exits_0(capsys):
    code, out, _ = run(capsys, "validate", str(ROOT / "data"))
    assert code == 0
    assert "0 errors" in out


def test_validate_exits_1_on_error_and_0_on_warning_only(tmp_path, capsys):
    (tmp_path / "w.yaml").write_text(
        "id: w\nname: W\ntype: shop\npartner: P\ndirection: [inbound]\nownr: Team\n"
    )
    assert run(capsys, "validate", str(tmp_path))[0] == 0
    (tmp_path / "e.yaml").write_text(
        "id: e\nname: E\ntype: boat\npartner: P\ndirection: [inbound]\n"
    )
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'e.yaml'}:3: error: e: type" in out


def test_validate_github_format(tmp_path, capsys):
    (tmp_path / "e.yaml").write_text(
        "id: e\nname: E\ntype: boat\npartner: P\ndirection: [inbound]\n"
    )
    code, out, _ = run(capsys, "validate", "--format", "github", str(tmp_path))
    assert code == 1
    assert re.match(r"^::error file=.*e\.yaml,line=3::e: type: Input should be", out)


def test_validate_json_format(tmp_path, capsys):
    (tmp_path / "e.yaml").write_text("id: e\n")
    code, out, _ = run(capsys, "validate", "--format", "json", str(tmp_path))
    data = json.loads(out)
    assert code == 1 and data["records"] == 0 and data["errors"] == 1
    (problem,) = data["problems"]
    assert problem["severity"] == "error"
    assert problem["message"] == "e: missing required fields 'name', 'type', 'partner', 'direction'"


def test_summary_json_on_the_fixture(capsys):
    code, out, _ = run(
        capsys, "summary", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "integrations",
        "active",
        "must_haves_passing",
        "by_type",
        "checks",
        "deadlines",
        "owners",
        "problems",
        "levels",
    }
    assert data["levels"] == {
        "alpha-shop": "gold",
        "beta-carrier": None,
        "delta-retired": None,  # retired: left out of the checks
        "gamma-carrier": None,
        "epsilon-shop": "bronze",  # a table row naming a dashboard, alerts and a runbook
        "zeta-carrier": None,
    }
    assert data["integrations"] == 6
    assert data["active"] == 5  # delta-retired is retired
    assert data["must_haves_passing"] == 2  # the gold and the bronze ones (the health page's count)
    assert data["by_type"] == {"shop": 2, "carrier": 4}
    assert data["checks"]["named_owner"] == {"pass": 2, "fail": 3, "na": 0, "unknown": 0}
    assert data["checks"]["runbook"] == {"pass": 2, "fail": 2, "na": 0, "unknown": 1}
    assert sum(data["checks"]["migration_plan"].values()) == 5  # the retired one is left out
    assert len(data["deadlines"]) == 5
    assert set(data["deadlines"][0]) == {
        "id",
        "kind",
        "date",
        "days",
        "overdue",
        "approximate",
        "derived",
    }
    assert set(data["owners"][0]) == {
        "owner",
        "integrations",
        "high_criticality",
        "risk_score",
        "risk_share",
    }
    assert data["problems"] == {"errors": 0, "warnings": 0}


def test_summary_of_the_seed_reports_four_integrations(capsys):
    code, out, _ = run(capsys, "summary", str(SEED_COPY), "--format", "json")
    assert code == 0
    assert json.loads(out)["integrations"] == 4


def test_as_of_moves_deadlines(capsys):
    before = json.loads(
        run(capsys, "summary", str(CATALOGUE), "--as-of", "2027-01-30", "--format", "json")[1]
    )
    after = json.loads(
        run(capsys, "summary", str(CATALOGUE), "--as-of", "2027-02-01", "--format", "json")[1]
    )
    sunset = [d for d in before["deadlines"] if d["id"] == "alpha-shop" and d["kind"] == "sunset"]
    assert sunset[0]["overdue"] is False and sunset[0]["days"] == 1
    later = [d for d in after["deadlines"] if d["id"] == "alpha-shop" and d["kind"] == "sunset"]
    assert later[0]["overdue"] is True and later[0]["days"] == -1


def test_bad_as_of_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["summary", "--as-of", "2027-02-30"])
    assert info.value.code == 2


def test_markdown_round_trip_keeps_every_cell(tmp_path, capsys):
    code, first, _ = run(capsys, "export", str(SEED_COPY), "--format", "markdown")
    assert code == 0
    seed_rows = [
        ln for ln in SEED_COPY.read_text().splitlines() if ln.startswith("| ") and "---" not in ln
    ]
    assert first.splitlines()[0] == seed_rows[0]
    assert [r.replace(" ", "") for r in first.splitlines()[2:]] == [
        r.replace(" ", "") for r in seed_rows[1:]
    ]
    (tmp_path / "again.md").write_text(first)
    assert run(capsys, "export", str(tmp_path / "again.md"))[1] == first


def test_csv_export_reloads_to_the_same_table(tmp_path, capsys):
    csv_text = run(capsys, "export", str(SEED_COPY), "--format", "csv")[1]
    (tmp_path / "x.csv").write_text(csv_text)
    assert run(capsys, "export", str(tmp_path / "x.csv"), "--format", "csv")[1] == csv_text


def test_json_export_reloads_to_the_same_records(tmp_path, capsys):
    out = run(capsys, "export", str(CATALOGUE), "--format", "json")[1]
    (tmp_path / "all.json").write_text(out)
    assert run(capsys, "export", str(tmp_path / "all.json"), "--format", "json")[1] == out
    assert len(json.loads(out)) == 6


def test_export_offers_every_format_it_can_write(capsys):
    from catalogue_lib.export import FORMATS

    export = build_parser()._subparsers._group_actions[0].choices["export"]
    offered = next(a.choices for a in export._actions if a.dest == "format")
    assert sorted(offered) == sorted(FORMATS)
    for fmt in FORMATS:
        assert run(capsys, "export", str(CATALOGUE), "--format", fmt)[0] == 0


def test_schema_is_json_schema(capsys):
    schema = json.loads(run(capsys, "schema")[1])
    assert schema["required"] == ["id", "name", "type", "partner", "direction"]


def test_db_file_keeps_the_database(tmp_path, capsys):
    import duckdb

    db = tmp_path / "cat.duckdb"
    assert run(capsys, "summary", str(CATALOGUE), "--db", str(db))[0] == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM integrations").fetchone() == (6,)


def test_entry_point_is_installed():
    out = subprocess.run(
        [sys.executable, "-m", "catalogue_lib.cli", "validate", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert f"catalogue {name}" in readme, f"README does not show `catalogue {name}`"
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README does not mention {name} {opt}"


def test_readme_starts_with_the_two_commands():
    lines = [ln for ln in (ROOT / "README.md").read_text().splitlines() if ln.strip()]
    code = [ln for ln in lines[:15] if ln.startswith(("pip ", "python"))]
    assert len(code) >= 2
    assert "streamlit run app.py" in code[0] and "pytest" in code[1]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    test_command = re.findall(r"```bash\n(.+?)\n```", readme)[1]
    assert "pytest" in test_command
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_a_corrupt_db_file_is_a_clear_error_and_is_kept(tmp_path, capsys):
    db = tmp_path / "cat.duckdb"
    db.write_text("this is not a database")
    assert main(["summary", str(CATALOGUE), "--db", str(db)]) == 2
    assert "is not a usable DuckDB database" in capsys.readouterr().err
    assert db.read_text() == "this is not a database"  # nothing replaced silently


def test_a_locked_db_file_is_a_clear_error(tmp_path, capsys):
    db = tmp_path / "cat.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"c = duckdb.connect({str(db)!r}); c.execute('CREATE TABLE t(a INT)')\n"
            "print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert main(["validate", str(CATALOGUE), "--db", str(db)]) == 2
        assert "in use by another process" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`catalogue summary --format json | head -1`: the command stops when the reader does,
    without a BrokenPipeError traceback, and says so in its exit status (141, as a shell does).
    300 records' summary is larger than a pipe holds, so the command is still writing."""
    from catalogue_lib.generate import synthetic_records, write_records

    write_records(synthetic_records(300, seed=3), tmp_path / "cat")
    proc = subprocess.Popen(
        [sys.executable, "-m", "catalogue_lib.cli", "summary", str(tmp_path / "cat")]
        + ["--no-cache", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"{"  # the reader takes one line, then goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err


@pytest.mark.parametrize(
    "command",
    [
        ["summary"],
        ["export"],
        ["backlog"],
        ["digest", "--owner", "Team A"],
        ["initiatives"],
        ["figures"],
    ],
)
def test_a_missing_path_is_a_usage_error_not_an_empty_catalogue(tmp_path, capsys, command):
    missing = str(tmp_path / "catalgoue")  # a typo in a CI job
    code, out, err = run(capsys, *command, missing, "--no-cache")
    assert code == 2
    assert out == ""
    assert err == f"catalogue: error: {missing}: no such file or folder\n"


def test_a_missing_catalogue_path_variable_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CATALOGUE_PATH", str(tmp_path / "gone"))
    code, _, err = run(capsys, "summary", "--no-cache")
    assert (code, err) == (2, f"catalogue: error: {tmp_path / 'gone'}: no such file or folder\n")


def test_validate_still_lists_a_missing_path_as_a_problem(tmp_path, capsys):
    code, out, _ = run(capsys, "validate", str(tmp_path / "gone"), "--no-cache")
    assert code == 1
    assert f"{tmp_path / 'gone'}: error: no such file or folder" in out


@pytest.mark.parametrize(
    "option", [["--type", "boat"], ["--criticality", "urgent"], ["--direction", "sideways"]]
)
def test_figures_refuses_a_filter_value_no_integration_can_have(capsys, option):
    # before, `--type carriers` silently gave a catalogue of 0 integrations and exit 0
    with pytest.raises(SystemExit) as exc:
        main(["figures", str(CATALOGUE), *option])
    assert exc.value.code == 2
    assert f"invalid choice: '{option[1]}'" in capsys.readouterr().err


def test_figures_takes_every_documented_filter_value(capsys):
    code, out, _ = run(
        capsys,
        "figures",
        str(CATALOGUE),
        "--no-cache",
        "--as-of",
        AS_OF.isoformat(),
        "--type",
        "carrier",
        "--criticality",
        "not set",
        "--criticality",
        "unknown",
        "--direction",
        "inbound",
    )
    assert code == 0
    assert json.loads(out)["as_of"] == AS_OF.isoformat()


def test_each_commands_readme_row_names_its_options_and_their_choices():
    # the test above finds an option anywhere in the README; a row that lost an option or a
    # --format choice (or shows `--type T` for what takes only shop or carrier) still passed
    readme = (ROOT / "README.md").read_text()
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    common = {"--db", "--cache", "--no-cache"}  # described once, above the table
    for name, p in sub.choices.items():
        rows = [ln for ln in readme.splitlines() if ln.startswith(f"| `catalogue {name}")]
        assert rows, f"README has no table row for `catalogue {name}`"  # the first: the commands
        synopsis = rows[0].split("` |")[0]
        for action in p._actions:
            opts = [o for o in action.option_strings if o.startswith("--")]
            skip = {"--help"} | (
                set() if name == "history" else common
            )  # history's --cache differs
            if not opts or opts[0] in skip:
                continue
            assert opts[0] in synopsis, f"README row of {name} lacks {opts[0]}"
            for choice in action.choices or ():
                assert str(choice) in synopsis, f"README row of {name} lacks {opts[0]} {choice}"


def test_a_wrongly_shaped_owners_file_says_what_shape_it_takes(tmp_path, capsys):
    # a newcomer guessing `teams:` got "a list of {team, lead, channel, on_call}", with no word
    # of the `owners:` key or of aliases, and the README showed no example
    (tmp_path / "a.yaml").write_text(
        "id: a\nname: A\ntype: shop\npartner: P\ndirection: [inbound]\nowner: Team A\n"
    )
    (tmp_path / "owners.yaml").write_text("teams:\n  - {team: Team A}\n")
    code, out, _ = run(capsys, "validate", str(tmp_path), "--no-cache")
    assert code == 1
    assert "aliases" in out and "owners:" in out
    (tmp_path / "owners.yaml").write_text("owners:\n  - {team: Team A, aliases: [a-team]}\n")
    assert run(capsys, "validate", str(tmp_path), "--no-cache")[0] == 0


def test_the_readme_owners_example_is_a_valid_owners_file(tmp_path, capsys):
    readme = (ROOT / "README.md").read_text()
    example = next(b for b in re.findall(r"```yaml\n(.+?)```", readme, re.S) if "owners:" in b)
    (tmp_path / "owners.yaml").write_text(example)
    (tmp_path / "a.yaml").write_text(
        "id: a\nname: A\ntype: shop\npartner: P\ndirection: [inbound]\nowner: Team Checkout\n"
    )
    code, out, _ = run(capsys, "validate", str(tmp_path), "--no-cache")
    assert (code, "0 errors, 0 warnings" in out) == (0, True)
    assert run(capsys, "backlog", str(tmp_path), "--no-cache", "--owner", "TF")[0] == 1
    assert run(capsys, "backlog", str(tmp_path), "--no-cache", "--owner", "team checkout")[0] == 0


def test_figures_text_shows_the_targets_and_levels_the_json_holds(capsys):
    # the text form printed the levels as a Python dict and left the verdicts out altogether
    args = ["figures", str(CATALOGUE), "--no-cache", "--as-of", AS_OF.isoformat()]
    data = json.loads(run(capsys, *args)[1])
    code, text, _ = run(capsys, *args, "--format", "text")
    assert code == 0
    assert "{" not in text and "'" not in text
    levels = ", ".join(f"{k} {n}" for k, n in data["home"]["levels"].items())
    assert re.search(rf"^  levels +{re.escape(levels)}$", text, re.M)
    words = {"good": "on target", "warn": "near target", "bad": "off target"}
    for name, t in data["targets"].items():
        shown = f"{words[t['status']]} · {t['target']}" if t["status"] else t["target"]
        assert re.search(rf"^  {name} +{re.escape(shown)}$", text, re.M), name


def test_one_problem_is_counted_in_the_singular(tmp_path, capsys):
    # "1 records valid in 1 files; 1 errors, 0 warnings"
    (tmp_path / "a.yaml").write_text(
        "id: a\nname: A\ntype: shop\npartner: P\ndirection: [inbound]\ncriticality: urgent\n"
    )
    code, out, _ = run(capsys, "validate", str(tmp_path), "--no-cache")
    assert code == 1
    assert out.splitlines()[-1] == "1 record valid in 1 file; 1 error, 0 warnings"
    code, out, _ = run(capsys, "summary", str(tmp_path), "--no-cache")
    assert out.splitlines()[-1] == "Problems: 1 error, 0 warnings"


def test_figures_reads_a_partner_in_any_case_and_refuses_one_nobody_has(capsys):
    args = ["figures", str(CATALOGUE), "--no-cache", "--as-of", AS_OF.isoformat()]
    partner = "Beta Logistics"  # a carrier of tests/fixtures/catalogue
    exact = run(capsys, *args, "--partner", partner)
    assert exact[0] == 0 and json.loads(exact[1])["home"]["integrations"] >= 1
    assert run(capsys, *args, "--partner", partner.upper()) == exact
    # before, a typo gave a catalogue of 0 integrations and exit 0
    code, out, err = run(capsys, *args, "--partner", partner + "x")
    assert (code, out) == (1, "")
    assert f"no integration's partner is {partner + 'x'!r}; partners: " in err and partner in err

"""The command line's edge cases from the outside review: data loss, --db on other files,
limits, owner names, dates, table columns, ids from non-Latin names, and error texts."""

from __future__ import annotations

import csv
import json
import sqlite3

import duckdb
import pytest
import yaml

from catalogue_lib.cli import main
from catalogue_lib.load import TABLE_HEADERS, load_paths

from .conftest import AS_OF, CATALOGUE, valid_record


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -------------------------------------------------------------- 9. generate into a folder


def test_generate_refuses_a_folder_that_holds_files(tmp_path, capsys):
    out = tmp_path / "catalogue"
    out.mkdir()
    mine = out / "carrier-a.yaml"
    mine.write_text("hand-written: true\n")
    code, _, err = run(capsys, "generate", "--sample", "--out", str(out))
    assert code == 2 and "not empty" in err and "--force" in err
    assert mine.read_text() == "hand-written: true\n"
    assert [p.name for p in out.iterdir()] == ["carrier-a.yaml"]


def test_generate_writes_into_a_new_or_empty_folder_and_with_force(tmp_path, capsys):
    assert run(capsys, "generate", "--integrations", "3", "--out", str(tmp_path / "new"))[0] == 0
    assert len(list((tmp_path / "new").iterdir())) == 3
    (tmp_path / "empty").mkdir()
    assert run(capsys, "generate", "--integrations", "2", "--out", str(tmp_path / "empty"))[0] == 0
    code, _, _ = run(
        capsys, "generate", "--integrations", "2", "--out", str(tmp_path / "new"), "--force"
    )
    assert code == 0


# -------------------------------------------------------------- 10. --db on a SQLite file


def test_db_on_a_sqlite_file_is_refused_before_duckdb_opens_it(tmp_path, capsys, monkeypatch):
    path = tmp_path / "report.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    before = path.read_bytes()
    opened: list[str] = []
    real_connect = duckdb.connect

    def connect(database=":memory:", *args, **kwargs):
        opened.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", connect)
    code, _, err = run(capsys, "summary", str(CATALOGUE), "--db", str(path))
    assert code == 2
    assert "SQLite" in err and "not a DuckDB database" in err
    assert str(path) not in opened  # DuckDB never saw it: no extension download
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"xxxxxxxxDUCKgarbage", b"not a database at all, just text\n" * 20]
)
def test_db_errors_show_no_server_paths_or_duckdb_details(tmp_path, capsys, monkeypatch, content):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.duckdb").write_bytes(content)
    code, out, err = run(capsys, "summary", str(CATALOGUE), "--db", "x.duckdb")
    assert code == 2
    assert str(tmp_path) not in err and "duckdb.org" not in err and "bytes from" not in err, err
    assert "x.duckdb" in err


def test_db_in_a_missing_folder_shows_no_server_path(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "summary", str(CATALOGUE), "--db", "nowhere/x.duckdb")
    assert code == 2 and "nowhere/x.duckdb" in err
    assert str(tmp_path) not in err and "IO Error" not in err, err


# -------------------------------------------------------------- 11. smaller items


def _backlog(capsys, *extra):
    return run(
        capsys, "backlog", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--format", "json", *extra
    )


def test_backlog_limit_zero_returns_nothing(capsys):
    code, out, _ = _backlog(capsys, "--limit", "0")
    assert code == 0 and json.loads(out)["items"] == []


@pytest.mark.parametrize("limit", ["-1", "-5", "x"])
def test_backlog_negative_limit_is_a_usage_error(capsys, limit):
    with pytest.raises(SystemExit) as exc:
        main(["backlog", str(CATALOGUE), "--limit", limit])
    assert exc.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_backlog_for_an_unknown_owner_exits_1_with_the_owners(capsys):
    code, out, err = _backlog(capsys, "--owner", "Typo")
    assert code == 1 and out == ""
    assert "Typo" in err and "Team Alpha" in err


def test_figures_for_an_unknown_owner_exits_1_with_the_owners(capsys):
    # as backlog: a typo in CI must not read as an owner with nothing to fix
    code, out, err = run(
        capsys, "figures", str(CATALOGUE), "--owner", "Team Alpha", "--owner", "Typo"
    )
    assert code == 1 and out == ""
    assert "Typo" in err and "Team Alpha" in err


@pytest.mark.parametrize("command", ["backlog", "digest", "figures"])
@pytest.mark.parametrize("name", ["team alpha", "TEAM ALPHA", "alpha", "Alpha Squad"])
def test_backlog_and_digest_accept_aliases_and_any_case(tmp_path, capsys, command, name):
    folder = tmp_path / "cat"
    folder.mkdir()
    for f in CATALOGUE.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    owners = [{"team": "Team Alpha", "aliases": ["Alpha", "Alpha Squad"]}]
    (folder / "owners.yaml").write_text(yaml.safe_dump(owners))
    args = [command, str(folder), "--owner", name, "--as-of", AS_OF.isoformat()]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    if command == "digest":
        assert "| Alpha Shop |" in out
    elif command == "figures":  # the same figures as the team's exact name, the sidebar's value
        code, exact, _ = run(
            capsys, command, str(folder), "--owner", "Team Alpha", "--as-of", AS_OF.isoformat()
        )
        assert code == 0 and out == exact
        assert json.loads(out)["home"]["integrations"] > 0
    else:
        assert "Alpha Shop" in out


def test_a_csv_with_two_owner_columns_is_an_error(tmp_path):
    header = [*TABLE_HEADERS, "Owner"]
    row = [
        "Carrier A",
        "Carrier",
        "Carrier A",
        "Outbound",
        "",
        "API key",
        "v2",
        "",
        "Team Fulfilment",
        "",
        "",
        "",
        "",
    ]
    with open(tmp_path / "t.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([header, row])
    res = load_paths([tmp_path])
    assert any("Owner" in p.message and "twice" in p.message for p in res.errors), [
        str(p) for p in res.problems
    ]


@pytest.mark.parametrize(
    ("name", "id_"),
    [
        ("日本郵便", "ri-ben-you-bian"),
        ("Почта России", "pochta-rossii"),
        ("Ünïcødé GmbH", "unicode-gmbh"),
    ],
)
def test_a_non_latin_name_makes_a_valid_id(tmp_path, name, id_):
    head = "| " + " | ".join(TABLE_HEADERS) + " |\n|" + "---|" * len(TABLE_HEADERS) + "\n"
    row = f"| {name} | Carrier | {name} | Outbound | | | | | Team X | | | |\n"
    (tmp_path / "t.md").write_text(head + row)
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == [id_], [str(p) for p in res.problems]


def test_a_name_with_no_letters_gets_a_stable_id(tmp_path):
    head = "| " + " | ".join(TABLE_HEADERS) + " |\n|" + "---|" * len(TABLE_HEADERS) + "\n"
    row = "| 🚚📦 | Carrier | Box | Outbound | | | | | Team X | | | |\n"
    (tmp_path / "t.md").write_text(head + row)
    first = load_paths([tmp_path]).records
    again = load_paths([tmp_path]).records
    assert len(first) == 1 and first[0].id == again[0].id and first[0].id.startswith("id-")


def test_a_confusable_name_is_reported(tmp_path):
    head = "| " + " | ".join(TABLE_HEADERS) + " |\n|" + "---|" * len(TABLE_HEADERS) + "\n"
    row = "| Cаrrier | Carrier | X | Outbound | | | | | Team X | | | |\n"  # Cyrillic а
    (tmp_path / "t.md").write_text(head + row)
    res = load_paths([tmp_path])
    assert [r.id for r in res.records] == ["carrier"]
    (warning,) = res.warnings
    assert "Cаrrier" in warning.message and "Cyrillic" in warning.message


def test_a_yaml_boolean_in_a_text_field_says_to_quote_it(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(valid_record(partner=None)) + "partner: NO\n")
    res = load_paths([tmp_path])
    (error,) = res.errors
    assert "partner" in error.message and "quote" in error.message
    assert "(got False)" not in error.message


@pytest.mark.parametrize(
    "text", ["20261128", "2026-W48-6", "2026-332", "2026-11-28T00:00", " 2026-11-28"]
)
def test_as_of_accepts_only_yyyy_mm_dd(capsys, text):
    with pytest.raises(SystemExit) as exc:
        main(["summary", str(CATALOGUE), "--as-of", text])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_filters_from_a_url_accept_only_yyyy_mm_dd():
    from catalogue_lib.filters import Filters

    assert Filters.from_query({"as_of": ["20261128"]}).as_of is None
    assert Filters.from_query({"as_of": ["2026-W48-6"]}).as_of is None
    assert Filters.from_query({"as_of": ["2026-11-28"]}).as_of == AS_OF


def test_a_database_failure_without_db_names_no_file(monkeypatch, capsys):
    """A load that DuckDB refuses, with no --db given, says the in-memory database failed and
    why, without 'database None' and without DuckDB's own text (it may quote server paths)."""
    from catalogue_lib import db

    def refuse(con, records):
        raise duckdb.ConversionException("Conversion Error: /srv/secret/path")

    monkeypatch.setattr(db, "load_ordered", refuse)
    assert main(["summary", str(CATALOGUE), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "cannot use the in-memory database: ConversionException" in err
    assert "None" not in err and "/srv/secret" not in err


@pytest.mark.parametrize("name", ["alpha", "TEAM ALPHA", "Alpha Squad"])
def test_the_digest_names_the_team_and_uses_the_pages_words(tmp_path, capsys, name):
    # `--owner alpha` titled the digest "alpha", and its tables said sunset / auth_expiry /
    # timeouts_5xx where every page and the backlog say Sunset / Credential expiry / Timeouts / 5xx
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "owners.yaml").write_text(
        "owners:\n  - {team: Team Alpha, aliases: [Alpha, Alpha Squad]}\n"
    )
    (folder / "a.yaml").write_text(
        yaml.safe_dump(
            valid_record(
                owner="Team Alpha",
                auth={"method": "api_key", "expires_on": "2027-01-15"},
                risks=[
                    {
                        "category": "timeouts_5xx",
                        "summary": "t",
                        "likelihood": "high",
                        "impact": "high",
                    }
                ],
            )
        )
    )
    code, out, err = run(
        capsys, "digest", str(folder), "--owner", name, "--as-of", AS_OF.isoformat()
    )
    assert code == 0, err
    assert out.startswith("# Stability digest: Team Alpha\n")
    assert "| Credential expiry |" in out and "auth_expiry" not in out
    assert "| Timeouts / 5xx |" in out and "timeouts_5xx" not in out


@pytest.mark.parametrize("command", ["backlog", "digest", "figures"])
@pytest.mark.parametrize("name", ["(no owner)", "(No Owner)"])
def test_no_owner_as_listed_is_an_owner_name_for_every_command(tmp_path, capsys, command, name):
    # the error for an unknown owner lists "(no owner)": asking for it must give those records
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(valid_record(id="owned", name="Owned")))
    (folder / "b.yaml").write_text(
        yaml.safe_dump(valid_record(id="orphan", name="Orphan Shop", owner=None))
    )
    args = [command, str(folder), "--owner", name, "--as-of", AS_OF.isoformat()]
    code, out, err = run(capsys, *args, *([] if command == "digest" else ["--format", "json"]))
    assert code == 0, err
    if command == "backlog":
        items = json.loads(out)["items"]
        assert items and {i["integration_id"] for i in items} == {"orphan"}
    elif command == "digest":
        assert "| Orphan Shop |" in out and "| Owned |" not in out
    else:
        assert json.loads(out)["home"]["integrations"] == 1


def test_no_owner_is_unknown_when_every_integration_has_one(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(valid_record()))
    code, out, err = run(capsys, "backlog", str(tmp_path), "--owner", "(no owner)")
    assert code == 1 and out == "" and "(no owner)" in err


SHARES = [("home", "must_have_share"), ("home", "at_second_level_or_above_share")]


@pytest.mark.parametrize(
    "narrowing",
    [
        ["--search", "no-such-integration-anywhere"],
        ["--type", "shop", "--criticality", "low"],
    ],
    ids=["search", "filters"],
)
def test_figures_of_an_empty_view_have_no_shares(capsys, narrowing):
    # 0 of 0 is no share: null, on Coverage as on the home page, never a 0% to judge
    code, out, err = run(
        capsys, "figures", str(CATALOGUE), "--as-of", AS_OF.isoformat(), *narrowing
    )
    assert code == 0, err
    figs = json.loads(out)
    assert figs["home"]["active"] == 0 and figs["coverage"]["active"] == 0
    assert [figs[page][name] for page, name in SHARES] == [None, None]
    assert figs["coverage"]["share_passing"] is None


def test_figures_without_a_second_level_judge_no_share_at_it(tmp_path, capsys):
    # a scorecard.yaml of one level: "at the second level or above" has no level to count, so
    # no share and no verdict (not "0%, off target"); the must-haves are judged as ever
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(valid_record()))
    (tmp_path / "scorecard.yaml").write_text(
        "levels:\n  - {name: basic, title: Basic, checks: [named_owner]}\n"
    )
    code, out, err = run(capsys, "figures", str(tmp_path), "--as-of", AS_OF.isoformat())
    assert code == 0, err
    figs = json.loads(out)
    assert figs["home"]["second_level"] is None and figs["home"]["active"] == 1
    assert figs["home"]["at_second_level_or_above_share"] is None
    assert figs["targets"]["at_second_level_or_above_share"]["status"] is None
    assert figs["targets"]["must_have_share"]["status"] is not None


def test_figures_share_passing_is_a_share_when_the_view_holds_integrations(capsys):
    code, out, _ = run(capsys, "figures", str(CATALOGUE), "--as-of", AS_OF.isoformat())
    share = json.loads(out)["coverage"]["share_passing"]
    assert code == 0 and isinstance(share, float) and 0 < share < 1

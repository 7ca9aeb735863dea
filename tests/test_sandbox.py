"""Custom SQL is written by whoever can commit to the catalogue: it runs in a sandbox that reads
no file, stops on time, holds no more rows than there are integrations, and never echoes data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogue_lib import sandbox
from catalogue_lib.sandbox import _sandbox

from .conftest import AS_OF
from .test_scorecard import BASE, BRONZE, catalogue, levels

SECRET = "TOPSECRET-do-not-echo-4711"


def _custom(sql: str, level: str = "bronze") -> dict:
    return {"custom_checks": [{"name": "mine", "sql": sql, "level": level}]}


def _messages(cat) -> str:
    return "\n".join(str(p) for p in cat.result.problems)


def _state(cat, check: str = "mine") -> str:
    rows = cat.con.execute(
        "SELECT final_state FROM scorecard_results($a) WHERE check_name = $c AND integration_id = 'x'",
        {"a": AS_OF, "c": check},
    ).fetchall()
    return rows[0][0]


@pytest.fixture
def hostile_cwd(tmp_path, monkeypatch):
    """A working directory such as a catalogue repository's: `.tmp` links to the root, and a
    secret file lies beside it."""
    work = tmp_path / "work"
    work.mkdir()
    (work / ".tmp").symlink_to("/")
    (work / "secret.txt").write_text(SECRET)
    (work / "x.csv").write_text(f"id\n{SECRET}\n")
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT content AS id FROM read_text('.tmp/etc/hostname')",
        "SELECT error(content) AS id FROM read_text('.tmp{cwd}/secret.txt')",
        "SELECT id FROM read_csv('.tmp{cwd}/x.csv')",
        "SELECT file AS id FROM glob('.tmp/*')",
        "SELECT error(string_agg(file, ',')) AS id FROM glob('.tmp/*')",
    ],
)
def test_rejects_custom_sql_that_reads_files_through_the_temp_directory(tmp_path, hostile_cwd, sql):
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], _custom(sql.format(cwd=hostile_cwd)))
    text = _messages(cat)
    assert "mine" in text and "file" in text, text
    assert SECRET not in text
    assert "bin" not in text.split() and "etc" not in text.split(), text
    assert levels(cat)["x"] == "bronze"  # the default scorecard is in force


def test_the_sandbox_is_locked_down():
    box = _sandbox(None)
    try:
        settings = dict(
            box.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', "
                "'enable_external_access', 'lock_configuration', 'temp_directory', "
                "'allowed_directories', 'autoinstall_known_extensions', "
                "'autoload_known_extensions', 'memory_limit')"
            ).fetchall()
        )
        with pytest.raises(Exception, match="locked"):
            box.execute("SET enable_external_access = true")
    finally:
        box.close()
    assert settings["threads"] == "1"
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    assert settings["autoinstall_known_extensions"] == "false"
    assert settings["autoload_known_extensions"] == "false"
    assert settings["allowed_directories"] in ("[]", "")
    temp = settings["temp_directory"]
    assert temp != ".tmp" and (temp == "" or (Path(temp).is_absolute() and not os.listdir(temp)))
    amount, unit = settings["memory_limit"].split()
    assert unit == "MiB" and float(amount) <= 512  # a few hundred MB, not the machine's RAM


def test_a_check_that_runs_forever_is_interrupted_and_counts_as_unknown(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "CHECK_SECONDS", 0.5)
    sql = "SELECT i.id FROM integrations i, range(1000000000000000) r WHERE r.range < 0"
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], _custom(sql))
    text = _messages(cat)
    assert "time limit" in text, text
    assert _state(cat) == "unknown"
    assert levels(cat)["x"] is None  # not passed


def test_a_check_returning_millions_of_rows_keeps_only_integration_ids(tmp_path):
    sql = "SELECT range::VARCHAR AS id FROM range(5000000) UNION ALL SELECT id FROM integrations"
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], _custom(sql))
    assert cat.result.problems == []
    assert cat.con.execute("SELECT count(*) FROM custom_failures").fetchone()[0] == 1
    assert _state(cat) == "fail"


def test_a_check_that_fails_at_run_time_is_reported_never_passed_and_echoes_no_data(tmp_path):
    rec = {**BASE, **BRONZE, "name": SECRET}
    sql = "SELECT id FROM integrations WHERE CAST(name AS INTEGER) > 0"
    cat = catalogue(tmp_path, [rec], _custom(sql))
    text = _messages(cat)
    assert "custom check 'mine'" in text and "failed" in text, text
    assert SECRET not in text
    assert _state(cat) == "unknown"
    assert levels(cat)["x"] is None


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT error(current_setting('temp_directory')) AS id FROM integrations",
        "SELECT error(current_setting('home_directory') || getenv('HOME')) AS id FROM integrations",
        "SELECT error(current_setting('secret_directory')) AS id FROM integrations",
    ],
)
def test_error_messages_never_show_settings_or_server_paths(tmp_path, sql):
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], _custom(sql))
    text = "\n".join(p.message for p in cat.result.problems)
    assert "mine" in text
    assert "/tmp" not in text and "/root" not in text and str(Path.home()) not in text, text


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id FROM integrations WHERE escalation IS NULL;",
        "SELECT id FROM integrations WHERE escalation IS NULL -- no escalation path",
        "/* why */ SELECT id FROM integrations WHERE escalation IS NULL ; -- end\n",
        "SELECT id FROM integrations\nWHERE escalation IS NULL;\n\n",
    ],
)
def test_accepts_a_trailing_semicolon_and_comments(tmp_path, sql):
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], _custom(sql))
    assert cat.result.problems == [], _messages(cat)
    assert _state(cat) == "fail"


def test_the_readme_scorecard_example_keeps_the_other_checks_settings(tmp_path):
    card = {
        "checks": {
            "idempotency": {
                "weight": 3,
                "scope": {"type": ["carrier"]},
                "fix": "Send Idempotency-Key on every POST",
            },
            "runbook": {"weight": 5},  # only the weight: the default fix text stays
        }
    }
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], card)
    assert cat.result.problems == []
    rows = cat.con.execute("SELECT check_name, weight, fix FROM scorecard_checks").fetchall()
    by_name = {name: (weight, fix) for name, weight, fix in rows}
    assert by_name["idempotency"] == (3, "Send Idempotency-Key on every POST")
    assert by_name["runbook"][0] == 5 and by_name["runbook"][1].startswith("Link a runbook")
    assert by_name["dashboard"] == (3, "Link the integration's dashboard in operations.dashboard")


def test_a_waiver_for_an_unknown_integration_is_reported(tmp_path):
    waiver = {
        "integration": "carier-a",
        "check": "runbook",
        "reason": "moving wiki",
        "approved_by": "Head of Eng",
        "expires_on": "2027-03-01",
    }
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], {"waivers": [waiver]})
    (warning,) = cat.result.warnings
    assert "scorecard.yaml" in warning.path
    assert "unknown integration 'carier-a'" in warning.message


def test_checking_many_custom_checks_stops_at_the_total_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "TOTAL_SECONDS", 0.0)
    card = {
        "custom_checks": [{"name": f"c{i}", "sql": "SELECT id FROM integrations"} for i in range(3)]
    }
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], card)
    text = _messages(cat)
    assert "total time limit" in text and "default scorecard is in force" in text, text
    assert levels(cat)["x"] == "bronze"


def test_ctrl_c_stops_a_running_custom_check(tmp_path, monkeypatch, ctrl_c_raises):
    import signal
    import threading

    from catalogue_lib.config import Scorecard, default_scorecard_data
    from catalogue_lib.sandbox import run_custom_checks

    monkeypatch.setattr(sandbox, "CHECK_SECONDS", 600.0)  # only Ctrl-C can end it in time
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}])
    card = Scorecard.model_validate(
        {
            **default_scorecard_data(),
            "custom_checks": [
                {
                    "name": "forever",
                    "sql": "SELECT i.id FROM integrations i, range(1000000000000000) r WHERE r.range < 0",
                }
            ],
        }
    )
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        run_custom_checks(cat.con, card)


FOREVER = "SELECT i.id FROM integrations i, range(1000000000000000) r WHERE r.range < 0"


def _history_with_a_slow_check(tmp_path, days: int):
    """A catalogue in git, committed on `days` days, whose scorecard has a check that never ends."""
    import datetime as dt

    import yaml

    from .conftest import valid_record
    from .gitcat import GitCatalogue

    repo = GitCatalogue(tmp_path / "repo")
    repo.write("scorecard.yaml", yaml.safe_dump(_custom(FOREVER)))
    for day in range(days):
        repo.write("a.yaml", valid_record(id="carrier-a", notes=f"day {day}"))
        repo.commit(dt.date(2026, 11, 1) + dt.timedelta(days=day), f"day {day}")
    return repo


def _counting_runs(monkeypatch) -> list[str]:
    """The SQL of every query the sandbox runs (no clock: the number of runs is what counts)."""
    runs: list[str] = []
    real = sandbox._run

    def counted(box, sql, seconds):
        runs.append(sql)
        return real(box, sql, seconds)

    monkeypatch.setattr(sandbox, "_run", counted)
    return runs


def test_a_history_runs_a_check_stopped_at_the_time_limit_once_not_once_a_day(
    tmp_path, monkeypatch
):
    """Each day of a history replay got the full time limits, so a slow check cost days x 10 s:
    the home page (which reads the history) stayed blank for minutes. Now a check stopped at the
    limit is not run again, and is unknown, with its error, on every later day."""
    from catalogue_lib.history import open_history

    monkeypatch.setattr(sandbox, "CHECK_SECONDS", 0.5)
    repo = _history_with_a_slow_check(tmp_path, days=5)
    runs = _counting_runs(monkeypatch)
    rows = open_history(repo.dir, cache=tmp_path / "c").figures()
    assert len(rows) == 5
    assert sum("range(1000000000000000)" in sql and "LIMIT 0" not in sql for sql in runs) == 1
    first, *later = rows
    assert any("mine" in e and "time limit (0.5 s)" in e for e in first["errors"]), first
    for row in later:
        assert any("mine" in e and "earlier day" in e for e in row["errors"]), row
        assert row["levels"].get("bronze", 0) == 0  # unknown, never passed


def test_a_history_stops_running_custom_checks_when_its_time_is_spent(tmp_path, monkeypatch):
    from catalogue_lib.history import open_history

    monkeypatch.setattr(sandbox, "HISTORY_SECONDS", 0.0)
    repo = _history_with_a_slow_check(tmp_path, days=3)
    runs = _counting_runs(monkeypatch)
    rows = open_history(repo.dir, cache=tmp_path / "c").figures()
    assert not [sql for sql in runs if "range(1000000000000000)" in sql]
    for row in rows:
        assert any("mine" in e and "history's custom-check time" in e for e in row["errors"]), row
        assert not any("default scorecard is in force" in e for e in row["errors"]), row


def test_a_run_time_error_names_the_scorecard_file_as_validate_shows_it(tmp_path, capsys):
    """GitHub annotations need the file's path: `scorecard.yaml` alone pointed at the
    repository's root, not at the catalogue folder's scorecard."""
    from catalogue_lib.cli import main

    sql = "SELECT id FROM integrations WHERE CAST(name AS INTEGER) > 0"
    catalogue(tmp_path, [{**BASE, **BRONZE, "name": "x"}], _custom(sql))
    folder = tmp_path / "cat"
    assert main(["validate", str(folder), "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert f"::error file={folder / 'scorecard.yaml'}::custom check 'mine' failed" in out, out

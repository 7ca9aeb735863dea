"""`catalogue history`: every figure of every snapshot equals `catalogue summary` run on a
checkout of that commit as of its day; reruns evaluate only new days; blobs parse once."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalogue_lib.cli import main
from catalogue_lib.db import CHECK_NAMES
from catalogue_lib.generate import synthetic_records
from catalogue_lib.history import open_history

from .gitcat import GitCatalogue

D = dt.date(2026, 1, 5)

SCORECARD = """\
waivers:
  - {integration: ID0, check: runbook, reason: moving wiki, approved_by: Head, expires_on: 2026-03-01}
initiatives:
  - name: Carriers at Silver
    target: silver
    scope: {type: [carrier]}
    due: 2026-06-30
"""


def _records() -> list[dict]:
    return synthetic_records(10, seed=5, base=D)


def build_history(tmp_path: Path) -> GitCatalogue:
    """Dated commits: adds, a same-day pair, fixes, a broken file and its repair, a removal,
    a rename, a retirement, a scorecard and owner registry, a broken scorecard, and commits
    that do not touch the catalogue folder."""
    g = GitCatalogue(tmp_path / "repo")
    recs = _records()
    for r in recs[:6]:
        g.write(f"{r['id']}.yaml", r)
    clock = copy.deepcopy(recs[9])  # never edited: only the passing days change its figures
    clock["stage"] = "live"
    clock["reviewed_on"] = D - dt.timedelta(days=175)  # no longer recent from D + 6
    clock["auth"] = {"method": "api_key", "expires_on": D + dt.timedelta(days=15)}  # overdue D + 16
    g.write("clock.yaml", clock)
    g.commit(D, "six records and a clock")
    g.write(f"{recs[6]['id']}.yaml", recs[6])
    g.commit(D + dt.timedelta(days=3), "add a record")
    fixed = copy.deepcopy(recs[0])
    fixed.setdefault("operations", {})["runbook"] = "https://wiki.example.com/runbook"
    g.write(f"{fixed['id']}.yaml", fixed)
    g.commit(D + dt.timedelta(days=10), "fix a runbook", hour=9)
    fixed2 = copy.deepcopy(recs[1])
    fixed2["operations"] = {**fixed2.get("operations", {}), "on_call": "pagerduty:x"}
    fixed2["criticality"] = "high"
    g.write(f"{fixed2['id']}.yaml", fixed2)
    g.commit(D + dt.timedelta(days=10), "same day, later", hour=17)
    (g.dir / f"{recs[2]['id']}.yaml").write_text("id: broken\nname: [unclosed\n")
    g.commit(D + dt.timedelta(days=20), "a YAML syntax error")
    g.write(f"{recs[2]['id']}.yaml", recs[2])
    (g.dir / f"{recs[3]['id']}.yaml").unlink()
    g.commit(D + dt.timedelta(days=21), "repair, and remove a record")
    (g.root / "README.md").write_text("not the catalogue\n")
    g.commit(D + dt.timedelta(days=25), "outside the catalogue folder")
    g.git("mv", f"catalogue/{recs[4]['id']}.yaml", "catalogue/renamed.yaml")
    g.commit(D + dt.timedelta(days=30), "rename a file")
    retired = copy.deepcopy(recs[5])
    retired["stage"] = "retired"
    g.write(f"{retired['id']}.yaml", retired)
    (g.dir / "scorecard.yaml").write_text(SCORECARD.replace("ID0", recs[0]["id"]))
    (g.dir / "owners.yaml").write_text("- team: Team Checkout\n")
    g.commit(D + dt.timedelta(days=45), "retire one, add a scorecard and owners")
    (g.dir / "scorecard.yaml").write_text("levelz: []\n")
    g.commit(D + dt.timedelta(days=60), "a scorecard mistake")
    (g.dir / "scorecard.yaml").write_text(SCORECARD.replace("ID0", recs[0]["id"]))
    g.write(f"{recs[7]['id']}.yaml", recs[7])
    g.commit(D + dt.timedelta(days=200), "fix the scorecard, add a record")
    return g


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> GitCatalogue:
    return build_history(tmp_path_factory.mktemp("history"))


def _summary_at(capsys, repo: GitCatalogue, commit: str, day: str, clone: Path) -> dict:
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    assert main(["summary", str(clone / "catalogue"), "--as-of", day, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_figure_of_every_snapshot_equals_summary_on_a_checkout(repo, tmp_path, capsys):
    assert main(["history", str(repo.dir), "--format", "json", "--cache", str(tmp_path / "c")]) == 0
    rows = json.loads(capsys.readouterr().out)
    days = [r["date"] for r in rows]
    # one snapshot per day with a commit touching the folder, oldest first
    assert days == sorted(days)
    assert len(days) == 9
    assert "2026-01-30" not in days  # only README.md changed that day
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.root), str(clone)], check=True)
    for row in rows:
        s = _summary_at(capsys, repo, row["commit"], row["date"], clone)
        assert row["integrations"] == s["integrations"], row["date"]
        assert row["active"] == s["active"], row["date"]
        assert row["must_haves_passing"] == s["must_haves_passing"], row["date"]
        assert row["checks"] == {c: s["checks"][c]["pass"] for c in CHECK_NAMES}, row["date"]
        assert row["overdue"] == sum(d["overdue"] for d in s["deadlines"]), row["date"]
        assert row["risk_score"] == sum(o["risk_score"] for o in s["owners"]), row["date"]
        levels = list(s["levels"].values())
        for name, n in row["levels"].items():
            if name != "none":
                assert n == levels.count(name), (row["date"], name)
        assert sum(row["levels"].values()) == row["active"]
        assert len(row["errors"]) == s["problems"]["errors"], row["date"]


def test_a_cache_path_that_is_a_file_computes_the_history_in_memory_and_says_so(
    repo, tmp_path, capsys
):
    (tmp_path / "c").write_text("not a folder", encoding="utf-8")
    assert main(["history", str(repo.dir), "--format", "json", "--cache", str(tmp_path / "c")]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 9  # every day, as with a usable store
    assert f"the history store in {tmp_path / 'c'} cannot be used (File exists)" in captured.err
    assert "Errno" not in captured.err
    assert (tmp_path / "c").read_text(encoding="utf-8") == "not a folder"


def test_the_last_commit_of_a_day_is_that_days_snapshot(repo, tmp_path):
    hist = open_history(repo.dir, cache=tmp_path / "c")
    day = (D + dt.timedelta(days=10)).isoformat()
    row = next(r for r in hist.figures() if r["date"] == day)
    assert row["commit"] == repo.git("log", "-1", "--format=%H", "--grep=same day").strip()


def test_a_broken_file_is_reported_for_its_snapshot_and_its_record_skipped(repo, tmp_path):
    rows = {r["date"]: r for r in open_history(repo.dir, cache=tmp_path / "c").figures()}
    broken = rows[(D + dt.timedelta(days=20)).isoformat()]
    before = rows[(D + dt.timedelta(days=10)).isoformat()]
    assert broken["integrations"] == before["integrations"] - 1
    assert len(broken["errors"]) == 1 and "invalid YAML" in broken["errors"][0]
    assert rows[(D + dt.timedelta(days=21)).isoformat()]["errors"] == []


def test_a_broken_scorecard_is_reported_and_the_default_is_in_force(repo, tmp_path):
    rows = {r["date"]: r for r in open_history(repo.dir, cache=tmp_path / "c").figures()}
    bad = rows[(D + dt.timedelta(days=60)).isoformat()]
    assert any("unknown section 'levelz'" in e for e in bad["errors"])
    assert list(bad["levels"]) == ["bronze", "silver", "gold", "none"]


def test_a_rename_changes_no_figure(repo, tmp_path):
    rows = {r["date"]: r for r in open_history(repo.dir, cache=tmp_path / "c").figures()}
    before, after = rows["2026-01-26"], rows["2026-02-04"]
    for key in ("integrations", "active", "must_haves_passing", "checks", "levels", "risk_score"):
        assert before[key] == after[key], key


def test_a_rerun_evaluates_only_new_days(repo, tmp_path):
    cache = tmp_path / "c"
    first = open_history(repo.dir, cache=cache)
    assert len(first.computed) == 9
    first.close()
    again = open_history(repo.dir, cache=cache)
    assert again.computed == []
    assert len(again.figures()) == 9
    again.close()
    new_day = D + dt.timedelta(days=201)
    rec = _records()[8]
    repo.write(f"{rec['id']}.yaml", rec)
    repo.commit(new_day, "one more record")
    try:
        third = open_history(repo.dir, cache=cache)
        assert third.computed == [new_day]
        rows = third.figures()
        assert rows[-1]["integrations"] == rows[-2]["integrations"] + 1
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")


def test_a_commit_that_changes_one_file_parses_one_file(tmp_path):
    g = GitCatalogue(tmp_path / "repo")
    recs = _records()
    for r in recs[:8]:
        g.write(f"{r['id']}.yaml", r)
    g.commit(D, "eight")
    changed = copy.deepcopy(recs[0])
    changed["owner"] = "Team Elsewhere"
    g.write(f"{changed['id']}.yaml", changed)
    g.commit(D + dt.timedelta(days=1), "one file")
    hist = open_history(g.dir, cache=tmp_path / "c")
    assert hist.parses == 8 + 1


def test_since_and_until_bound_the_snapshots(repo, tmp_path, capsys):
    args = ["history", str(repo.dir), "--format", "json", "--cache", str(tmp_path / "c")]
    assert main([*args, "--since", "2026-01-15", "--until", "2026-02-20"]) == 0
    days = [r["date"] for r in json.loads(capsys.readouterr().out)]
    assert days == ["2026-01-15", "2026-01-25", "2026-01-26", "2026-02-04", "2026-02-19"]


def test_a_folder_not_in_git_gives_todays_snapshot_and_says_how_to_get_history(tmp_path, capsys):
    folder = tmp_path / "plain"
    folder.mkdir()
    for r in _records()[:3]:
        (folder / f"{r['id']}.yaml").write_text(yaml.safe_dump(r))
    assert main(["history", str(folder), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert [r["date"] for r in rows] == [dt.date.today().isoformat()]
    assert rows[0]["integrations"] == 3 and rows[0]["commit"] is None
    assert "not in a git repository" in err and "git init" in err


def test_the_store_lives_outside_the_catalogue(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    before = sorted(p.name for p in repo.dir.rglob("*"))
    open_history(repo.dir).close()
    assert sorted(p.name for p in repo.dir.rglob("*")) == before
    assert list((tmp_path / "xdg" / "integrations-catalogue" / "history").glob("*/history.duckdb"))


def test_parquet_export_is_partitioned_by_month(repo, tmp_path, capsys):
    out = tmp_path / "pq"
    args = ["history", str(repo.dir), "--cache", str(tmp_path / "c"), "--parquet", str(out)]
    assert main(args) == 0
    months = sorted(p.name for p in (out / "facts").iterdir())
    assert months == ["month=2026-01", "month=2026-02", "month=2026-03", "month=2026-07"]
    import duckdb

    n = duckdb.sql(
        f"SELECT count(DISTINCT snapshot_date) FROM read_parquet('{out}/facts/*/*.parquet', hive_partitioning = true)"
    ).fetchall()[0][0]
    assert n == 9


def test_headline_change_compares_now_with_the_snapshot_30_days_before(repo, tmp_path):
    from catalogue_lib.trends import headline_change

    hist = open_history(repo.dir, cache=tmp_path / "c")
    rows = hist.figures()
    now = rows[-1]
    cutoff = (dt.date.fromisoformat(now["date"]) - dt.timedelta(days=30)).isoformat()
    then = [r for r in rows if r["date"] <= cutoff][-1]
    last = dt.date.fromisoformat(now["date"])
    change = headline_change(hist=hist, days=30, as_of=last)
    for key in ("integrations", "active", "must_haves_passing", "overdue", "risk_score"):
        assert change[key] == (now[key], then[key], now[key] - then[key]), key
    assert change["level_silver"][0] == now["levels"]["silver"]
    far = headline_change(hist=hist, days=3650, as_of=last)
    assert far["overdue"] == (now["overdue"], None, None)


def test_the_30_day_change_ends_at_the_as_of_date_not_at_the_last_commit(repo, tmp_path):
    """Three months after the last commit nothing in the catalogue has changed for 30 days:
    the home page said "+N in 30 days" from the 30 days before the last commit."""
    from catalogue_lib.trends import headline_change

    hist = open_history(repo.dir, cache=tmp_path / "c")
    rows = hist.figures()
    now = rows[-1]
    later = dt.date.fromisoformat(now["date"]) + dt.timedelta(days=90)
    change = headline_change(hist=hist, days=30, as_of=later)
    for key in ("integrations", "active", "must_haves_passing", "overdue", "risk_score"):
        assert change[key] == (now[key], now[key], 0), key
    # 20 days after the last commit the window reaches back to the snapshots before it
    soon = dt.date.fromisoformat(now["date"]) + dt.timedelta(days=20)
    cutoff = (soon - dt.timedelta(days=30)).isoformat()
    then = [r for r in rows if r["date"] <= cutoff][-1]
    assert headline_change(hist=hist, days=30, as_of=soon)["active"] == (
        now["active"],
        then["active"],
        now["active"] - then["active"],
    )


def test_nothing_in_the_repository_is_run(tmp_path):
    """A catalogue repository is untrusted: its hooks, fsmonitor, signature program and
    filters must never run while history reads it."""
    g = GitCatalogue(tmp_path / "repo")
    for r in _records()[:2]:
        g.write(f"{r['id']}.yaml", r)
    g.commit(D, "two")
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    for key, value in [
        ("core.fsmonitor", str(script)),
        ("gpg.program", str(script)),
        ("log.showSignature", "true"),
        ("filter.evil.smudge", str(script)),
        ("filter.evil.textconv", str(script)),
        ("diff.external", str(script)),
        ("core.hooksPath", str(tmp_path)),
    ]:
        g.git("config", key, value)
    (g.root / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n")
    for hook in ("post-checkout", "post-commit", "pre-commit", "reference-transaction"):
        (tmp_path / hook).write_text(script.read_text())
        (tmp_path / hook).chmod(0o755)
    g.git("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "add", "-A")
    g.git(
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "log.showSignature=false",
        "commit",
        "-q",
        "-m",
        "attributes",
    )
    marker.unlink(missing_ok=True)
    # the wrapper every read goes through neutralises them even for commands that would run
    # them (status reads the index: fsmonitor; commit runs hooks)
    from catalogue_lib.gitrepo import git

    git(g.root, "status", "--porcelain")
    git(
        g.root,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@e",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x",
    )
    assert not marker.exists()
    hist = open_history(g.dir, cache=tmp_path / "c")
    assert hist.figures()[-1]["integrations"] == 2
    from catalogue_lib.catalogue import open_catalogue
    from catalogue_lib.staleness import ensure

    ensure(open_catalogue([str(g.dir)]))
    assert not marker.exists()


SWEEP = sorted(
    p
    for folder in ("fixtures", "hostile")
    for p in (Path(__file__).parent / folder).rglob("*")
    if p.is_file()
)


@pytest.mark.parametrize("path", SWEEP, ids=[p.name for p in SWEEP])
def test_a_blob_loads_exactly_as_its_file(path):
    """History reads git blobs with load_bytes: the same records and problems as load_file."""
    from catalogue_lib.load import load_bytes, load_file

    records, problems = load_file(path, "shown", explicit=False)
    blob_records, blob_problems = load_bytes(path.read_bytes(), path, "shown", explicit=False)
    assert [(r.json, r.id, r.line, r.form, r.overrides) for r in blob_records] == [
        (r.json, r.id, r.line, r.form, r.overrides) for r in records
    ]
    assert blob_problems == problems


def _three_records(tmp_path: Path) -> tuple[GitCatalogue, list[dict]]:
    """A repository whose first commit (day D) holds three records; and all the records."""
    g = GitCatalogue(tmp_path / "repo")
    recs = _records()
    for r in recs[:3]:
        g.write(f"{r['id']}.yaml", r)
    g.commit(D, "three")
    return g, recs


def test_a_merged_branch_counts_on_the_day_it_was_merged(tmp_path, capsys):
    g, recs = _three_records(tmp_path)
    g.git("checkout", "-q", "-b", "side")
    g.write(f"{recs[3]['id']}.yaml", recs[3])
    g.commit(D + dt.timedelta(days=2), "a record on a branch")
    g.git("checkout", "-q", "main")
    edited = {**recs[0], "owner": "Team Elsewhere"}
    g.write(f"{recs[0]['id']}.yaml", edited)
    g.commit(D + dt.timedelta(days=4), "an edit on main")
    when = dt.datetime.combine(D + dt.timedelta(days=6), dt.time(12), tzinfo=dt.UTC)
    g.git("merge", "-q", "--no-edit", "side", when=when)
    rows = open_history(g.dir, cache=tmp_path / "c").figures()
    assert [r["date"] for r in rows] == ["2026-01-05", "2026-01-09", "2026-01-11"]
    assert [r["integrations"] for r in rows] == [3, 3, 4]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(g.root), str(clone)], check=True)
    for row in rows:
        s = _summary_at(capsys, g, row["commit"], row["date"], clone)
        assert row["integrations"] == s["integrations"]
        assert row["checks"] == {c: s["checks"][c]["pass"] for c in CHECK_NAMES}
        assert row["risk_score"] == sum(o["risk_score"] for o in s["owners"])


def _history(capsys, *args: str) -> tuple[str, str]:
    assert main(["history", *args]) == 0
    return capsys.readouterr()


def test_a_rerun_with_no_new_commit_prints_exactly_what_the_first_run_printed(tmp_path, capsys):
    g = build_history(tmp_path)
    # history reads commits only: an uncommitted edit and an untracked record change nothing
    (g.dir / "renamed.yaml").write_text("id: broken\nname: [unclosed\n")
    g.write("untracked.yaml", _records()[8])
    for fmt in ("text", "json"):
        args = [str(g.dir), "--format", fmt, "--cache", str(tmp_path / f"c-{fmt}")]
        first = _history(capsys, *args)
        assert first[0].count("2026-") >= 9
        assert _history(capsys, *args) == first
        assert _history(capsys, *args) == first
    # a range read from a full store prints what a store built for that range prints
    window = ["--since", "2026-01-15", "--until", "2026-02-20", "--format", "json"]
    warm = _history(capsys, str(g.dir), *window, "--cache", str(tmp_path / "c-json"))
    cold = _history(capsys, str(g.dir), *window, "--cache", str(tmp_path / "c-window"))
    assert warm == cold
    assert [r["date"] for r in json.loads(warm[0])][0] == "2026-01-15"


def test_a_new_amended_or_dropped_commit_after_a_run_is_in_the_next_run(tmp_path, capsys):
    g, recs = _three_records(tmp_path)
    args = [str(g.dir), "--format", "json", "--cache", str(tmp_path / "c")]
    first = json.loads(_history(capsys, *args)[0])
    assert [r["integrations"] for r in first] == [3]

    g.write(f"{recs[3]['id']}.yaml", recs[3])
    added = g.commit(D + dt.timedelta(days=1), "a fourth")
    rows = json.loads(_history(capsys, *args)[0])
    assert rows[0] == first[0]
    assert [(r["commit"], r["integrations"]) for r in rows[1:]] == [(added, 4)]

    g.write(f"{recs[4]['id']}.yaml", recs[4])  # the same day's commit, amended: a new commit id
    g.git("add", "-A")
    when = dt.datetime.combine(D + dt.timedelta(days=1), dt.time(13), tzinfo=dt.UTC)
    g.git("commit", "-q", "--amend", "--no-edit", when=when)
    amended = g.git("rev-parse", "HEAD").strip()
    rows = json.loads(_history(capsys, *args)[0])
    assert [(r["commit"], r["integrations"]) for r in rows[1:]] == [(amended, 5)]

    g.git("reset", "-q", "--hard", "HEAD~1")  # the day rewritten away
    assert json.loads(_history(capsys, *args)[0]) == first


def test_a_rerun_with_no_new_commit_reads_the_store_without_loading_a_record(tmp_path):
    """The rerun is quick because it reads the stored figures back: it imports neither the
    record loader nor the libraries that evaluate a day (the time is in benchmarks/history.py)."""
    g = GitCatalogue(tmp_path / "repo")
    for r in _records()[:3]:
        g.write(f"{r['id']}.yaml", r)
    g.commit(D, "three")
    args = ["history", str(g.dir), "--cache", str(tmp_path / "c")]
    probe = (
        "import sys\n"
        "from catalogue_lib.cli import main\n"
        f"code = main({args!r})\n"
        "heavy = ['catalogue_lib.load', 'pandas', 'pyarrow', 'pydantic', 'yaml']\n"
        "print(code, [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}

    def run() -> tuple[str, str]:
        proc = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        )
        return proc.stdout, proc.stderr.strip().splitlines()[-1]

    out, loaded = run()
    assert loaded.startswith("0 [") and "pandas" in loaded  # the first run evaluates the day
    assert run() == (out, "0 []")


def test_the_days_last_commit_is_the_newest_on_the_line_not_the_latest_clock(tmp_path):
    """Two commits on one calendar day whose committer times run backwards (the child in +14:00,
    its parent in -10:00, or a skewed clock): the snapshot took the parent, the later instant,
    and left out the child's record, which is in the folder at the end of that day."""
    g = GitCatalogue(tmp_path / "repo")
    recs = _records()
    g.write(f"{recs[0]['id']}.yaml", recs[0])
    g.commit(D, "first")
    g.write(f"{recs[1]['id']}.yaml", recs[1])
    g.git("add", "-A")
    west = dt.datetime(2026, 1, 10, 20, tzinfo=dt.timezone(dt.timedelta(hours=-10)))
    g.git("commit", "-q", "-m", "parent, late in the west", when=west)
    g.write(f"{recs[2]['id']}.yaml", recs[2])
    g.git("add", "-A")
    east = dt.datetime(2026, 1, 10, 22, tzinfo=dt.timezone(dt.timedelta(hours=14)))
    g.git("commit", "-q", "-m", "child, same day in the east, an earlier instant", when=east)
    child = g.git("rev-parse", "HEAD").strip()
    hist = open_history(g.dir, cache=tmp_path / "c")
    row = next(r for r in hist.figures() if r["date"] == "2026-01-10")
    assert (row["commit"], row["integrations"]) == (child, 3)

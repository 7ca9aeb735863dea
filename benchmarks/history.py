"""Benchmark: replaying git history against one full `catalogue summary`.

    python benchmarks/history.py                        # 1,000 records, 200 commits
    python benchmarks/history.py --records 1000 --commits 200

Builds a git repository in a temporary folder: a catalogue from `catalogue generate`, then
one commit per day, each changing one to three files (a runbook added, an owner renamed, a
review date moved, a record added or retired). Times, each as its own `catalogue` process:
one `summary` of the final catalogue, `history` from an empty store (every day replayed),
and `history` again with no new commit. Prints the figures and the ratio; nothing here is a
test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _git(repo: Path, *args: str, day: dt.date | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    if day is not None:
        stamp = f"{day.isoformat()}T12:00:00+00:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def build(repo: Path, records: int, commits: int, seed: int = 3) -> Path:
    folder = repo / "catalogue"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "catalogue_lib.cli",
            "generate",
            "--integrations",
            str(records),
            "--out",
            str(folder),
            "--seed",
            "1",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    _git(repo, "init", "-q", "-b", "main")
    start = dt.date.today() - dt.timedelta(days=commits + 1)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "generated catalogue", day=start)
    rnd = random.Random(seed)
    files = sorted(folder.glob("*.yaml"))
    extra = 0
    for i in range(commits):
        day = start + dt.timedelta(days=i + 1)
        for f in rnd.sample(files, rnd.randint(1, 3)):
            before = f.read_text()
            rec = yaml.safe_load(before)
            ops = rec.setdefault("operations", {})
            edit = rnd.choice(["runbook", "owner", "review", "retire", "alert"])
            if edit == "runbook":
                ops["runbook"] = f"https://wiki.example.com/runbooks/{rec['id']}-{i}"
            elif edit == "owner":
                rec["owner"] = rnd.choice(["Team Checkout", "Team Returns", "Team Carriers"])
            elif edit == "review":
                rec["reviewed_on"] = day
            elif edit == "retire":
                rec["stage"] = "retired"
            else:
                ops["alert_rules"] = [*ops.get("alert_rules", []), f"error_rate_{i}"]
            text = yaml.safe_dump(rec, sort_keys=False)
            if text == before:  # the edit was already there: move the review date instead
                rec["reviewed_on"] = day
                text = yaml.safe_dump(rec, sort_keys=False)
            f.write_text(text)
        if i % 20 == 0:  # now and then a new record
            extra += 1
            src = yaml.safe_load(files[extra].read_text())
            src["id"] = f"added-{extra}"
            (folder / f"added-{extra}.yaml").write_text(yaml.safe_dump(src, sort_keys=False))
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"edit {i}", day=day)
    return folder


CPU: list[float] = []  # CPU seconds (user + system) of each timed process, in order


def timed(*args: str, env: dict[str, str]) -> float:
    """Wall-clock seconds of one `catalogue` process; its CPU seconds go to CPU (a figure a
    busy machine disturbs far less than the wall clock)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "catalogue_lib.cli", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(Path(tmp) / "repo", args.records, args.commits)
        summary = statistics.median(
            timed("summary", str(folder), "--format", "json", env=env) for _ in range(r)
        )
        summary_cpu = statistics.median(CPU[-r:])
        replay = statistics.median(
            timed("history", str(folder), "--cache", str(Path(tmp) / f"cache{n}"), env=env)
            for n in range(r)
        )
        replay_cpu = statistics.median(CPU[-r:])
        rerun = statistics.median(
            timed("history", str(folder), "--cache", str(Path(tmp) / "cache0"), env=env)
            for _ in range(r)
        )
        rerun_cpu = statistics.median(CPU[-r:])
    print(f"records: {args.records:,}; commits after the first: {args.commits} (one a day)")
    print("                                              wall (s)   CPU (s)")
    print(f"catalogue summary (one full load):            {summary:7.2f}  {summary_cpu:7.2f}")
    print(f"catalogue history, empty store (replay all):  {replay:7.2f}  {replay_cpu:7.2f}")
    print(f"catalogue history, rerun with no new commit:  {rerun:7.2f}  {rerun_cpu:7.2f}")
    print(
        f"replay / summary: {replay / summary:.1f}x wall, {replay_cpu / summary_cpu:.1f}x CPU "
        "(target: at most 10x); rerun target: under 1 s"
    )


if __name__ == "__main__":
    main()

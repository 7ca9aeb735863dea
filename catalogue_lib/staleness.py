"""Each record file's last commit, for staleness next to `reviewed_on` (read from git, lazily).

`ensure(cat)` fills the table `file_commits (source_path, last_commit, commit)` of a loaded
catalogue once; sql/record_staleness.sql and stale_records.sql join it to the records.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .catalogue import Catalogue
from .db import _insert
from .gitrepo import GitError, find_repo, last_commits

_lock = threading.Lock()
TABLE = """CREATE TABLE IF NOT EXISTS file_commits (
    source_path VARCHAR, last_commit DATE, commit VARCHAR
)"""


def file_commits(paths: list[str]) -> list[dict[str, object]]:
    """{source_path, last_commit, commit} for every file git knows under the catalogue folders,
    with paths spelled as the loader shows them."""
    rows: list[dict[str, object]] = []
    for raw in paths:
        if not Path(raw).is_dir():
            continue
        repo = find_repo(raw)
        if repo is None:
            continue
        try:
            last = last_commits(repo)
        except GitError:
            continue
        for rel, (day, sha) in last.items():
            shown = rel if str(raw) in ("", ".") else str(Path(raw) / rel)
            rows.append({"source_path": shown, "last_commit": day.isoformat(), "commit": sha})
    return rows


def ensure(cat: Catalogue) -> None:
    """Fill file_commits for this catalogue (once; later calls do nothing)."""
    with _lock:
        done = cat.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'file_commits'"
        ).fetchone()[0]
        if done:
            return
        cur = cat.con.cursor()
        try:
            cur.execute("BEGIN")
            cur.execute(TABLE)
            _insert(cur, "file_commits", file_commits(cat.paths))
            cur.execute("COMMIT")
        finally:
            cur.close()


def caption(df) -> str:  # df: one row of sql/integration_staleness.sql
    """'Last commit 2026-11-13 (15 days ago, 8bd52daed5) · reviewed on 2025-12-08 (355 days ago)'."""
    import pandas as pd

    from .present import md

    if df.empty:
        return ""
    r = df.iloc[0]
    commit = (
        f"Last commit {pd.Timestamp(r['last_commit']):%Y-%m-%d} "
        f"({int(r['commit_age_days'])} days ago, {md(r['commit'])})"
        if pd.notna(r["last_commit"])
        else "Not committed to git yet"
    )
    review = (
        f"reviewed on {pd.Timestamp(r['reviewed_on']):%Y-%m-%d} ({int(r['review_age_days'])} days ago)"
        if pd.notna(r["reviewed_on"])
        else "never reviewed"
    )
    return f"{commit} · {review}"

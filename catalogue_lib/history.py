"""The catalogue's history: one snapshot per day with a commit, stored and extended incrementally.

Each snapshot is the catalogue at the day's last commit touching the catalogue folder (first
parent line of HEAD), evaluated as of that day. The store is a DuckDB file in the user's cache
folder (never inside the catalogue) holding `snapshots` (one row per day) and `facts` (one row
per integration per day); a rerun evaluates only the days it does not hold yet.

A rerun with nothing new reads the stored figures back with DuckDB and git alone: pandas,
pyarrow, pydantic and the record loader are imported only when a day is evaluated (or a
filtered query asks for them), which is most of a rerun's time otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from .codetag import code_tag
from .filters import Filters
from .gitrepo import DayCommit, GitError, Repo, day_commits, find_repo, git

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    Snapshot = tuple[dt.date, str | None, pa.Table, list[str], list[str]]

FORMAT = "4"  # bump when the stored facts change shape: the store is then rebuilt
NOT_IN_GIT = (
    "{path} is not in a git repository, so this is today's snapshot only. To get history, keep "
    "the catalogue in git (git init; git add; git commit) or point at the catalogue folder of a "
    "clone of its repository."
)


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "integrations-catalogue" / "history"


def store_dir(repo: Repo, cache: str | Path | None = None) -> Path:
    if cache:
        return Path(cache)
    key = hashlib.sha256(f"{repo.root}\0{repo.prefix}".encode()).hexdigest()[:16]
    return cache_root() / key


@dataclass
class History:
    """Snapshots of one catalogue folder, queryable with the trend SQL files."""

    con: duckdb.DuckDBPyConnection
    repo: Repo | None
    note: str | None = None  # why there is no history (not in git, store busy)
    computed: list[dt.date] = field(default_factory=list)  # days evaluated by this run
    parses: int = 0

    def figures(
        self,
        filters: Filters | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        if filters is None or filters.sql_params() == Filters().sql_params():
            rows = (
                self.con.cursor()
                .execute(
                    "SELECT figures FROM snapshot_figures WHERE snapshot_date BETWEEN $a AND $b "
                    "ORDER BY snapshot_date",
                    {"a": since or dt.date(1, 1, 1), "b": until or dt.date(9999, 12, 31)},
                )
                .fetchall()
            )
            return [json.loads(r[0]) for r in rows]
        from .snapshot_figures import figure_rows

        return figure_rows(self.con.cursor(), filters, since, until)

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        from . import db

        return db.query(self.con, name, **params)

    def dates(self) -> list[dt.date]:
        return [
            r[0]
            for r in self.con.cursor()
            .execute("SELECT snapshot_date FROM snapshots ORDER BY 1")
            .fetchall()
        ]

    def export_parquet(self, folder: str | Path) -> Path:
        """Facts and snapshots as Parquet partitioned by month, as a warehouse reads them."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        for table in ("facts", "snapshots"):
            target = (out / table).as_posix()
            self.con.execute(
                f"COPY (SELECT *, strftime(snapshot_date, '%Y-%m') AS month FROM {table}) "
                f"TO '{_sql_text(target)}' "
                "(FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part_{i}')"
            )
        return out

    def close(self) -> None:
        self.con.close()


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS snapshots (
    snapshot_date DATE PRIMARY KEY, commit VARCHAR, level_names VARCHAR[], errors VARCHAR[]
);
CREATE TABLE IF NOT EXISTS snapshot_figures (snapshot_date DATE PRIMARY KEY, figures VARCHAR);
"""


def _open_store(path: Path | None) -> duckdb.DuckDBPyConnection:
    if path is None:
        con = duckdb.connect(":memory:")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
    con.execute(SCHEMA)
    fmt = con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    # the figures are what this software computes: another version (or an edited query)
    # replays the history
    tag = f"{FORMAT}:{code_tag().hex()}"
    if fmt is None or fmt[0] != tag:
        con.execute("DROP TABLE IF EXISTS facts")
        con.execute("DELETE FROM snapshots")
        con.execute("DELETE FROM snapshot_figures")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('format', $f)", {"f": tag})
    return con


def _store(con: duckdb.DuckDBPyConnection, batch: list[Snapshot]) -> None:
    """Write snapshots (day, commit, facts, level names, errors) in one transaction."""
    if not batch:
        return
    import pyarrow as pa

    from .snapshot_figures import figure_rows

    tables = [
        f.append_column("commit", pa.array([c] * f.num_rows, pa.string()))
        for _, c, f, _, _ in batch
    ]
    facts_rows = pa.concat_tables(tables)
    days = [d for d, *_ in batch]
    con.register("_facts", facts_rows)
    try:
        con.execute("CREATE TABLE IF NOT EXISTS facts AS SELECT * FROM _facts LIMIT 0")
        con.execute("BEGIN")
        con.execute("DELETE FROM facts WHERE list_contains($d, snapshot_date)", {"d": days})
        con.execute("DELETE FROM snapshots WHERE list_contains($d, snapshot_date)", {"d": days})
        con.execute("INSERT INTO facts BY NAME SELECT * FROM _facts")
        con.executemany(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?)",
            [(d, c, levels, errors) for d, c, _, levels, errors in batch],
        )
        # the whole catalogue's figures, kept so an unfiltered rerun reads them back as they are
        rows = figure_rows(con, None, min(days), max(days))
        con.executemany(
            "INSERT OR REPLACE INTO snapshot_figures VALUES (?, ?)",
            [(r["date"], json.dumps(r)) for r in rows],
        )
        con.execute("COMMIT")
    finally:
        con.unregister("_facts")


BATCH_ROWS = 250_000  # facts rows written per transaction (bounds the memory a replay holds)


def open_history(
    path: str | Path,
    since: dt.date | None = None,
    until: dt.date | None = None,
    cache: str | Path | None = None,
    progress: Callable[[int, int, DayCommit], None] | None = None,
    today: dt.date | None = None,
) -> History:
    """The history of a catalogue folder, brought up to date (only new days are evaluated)."""
    repo = find_repo(path)
    if repo is None:
        return _today_only(path, today or dt.date.today())
    folder = store_dir(repo, cache)
    note = None
    try:
        con = _open_store(folder / "history.duckdb")
    except duckdb.Error as exc:  # another process holds the store: work in memory this time
        note = f"the history store in {folder} is busy ({str(exc).splitlines()[0]}); computed in memory"
        con = _open_store(None)
    except OSError as exc:  # its folder cannot be made: a file of that name, no permission
        why = exc.strerror or type(exc).__name__
        note = f"the history store in {folder} cannot be used ({why}); computed in memory"
        con = _open_store(None)
    hist = History(con, repo, note)
    _update(hist, path, since, until, progress)
    return hist


def _update(
    hist: History,
    path: str | Path,
    since: dt.date | None,
    until: dt.date | None,
    progress: Callable[[int, int, DayCommit], None] | None,
) -> None:
    assert hist.repo is not None
    wanted = day_commits(hist.repo, since, until)
    stored = dict(
        hist.con.execute(
            "SELECT snapshot_date, commit FROM snapshots WHERE snapshot_date BETWEEN $a AND $b",
            {"a": since or dt.date(1, 1, 1), "b": until or dt.date(9999, 12, 31)},
        ).fetchall()
    )
    keep = {d.day for d in wanted}
    for day in stored:  # days rewritten away (a rebase, a force-push)
        if day not in keep:
            if _has_facts(hist.con):
                hist.con.execute("DELETE FROM facts WHERE snapshot_date = $d", {"d": day})
            hist.con.execute("DELETE FROM snapshots WHERE snapshot_date = $d", {"d": day})
            hist.con.execute("DELETE FROM snapshot_figures WHERE snapshot_date = $d", {"d": day})
    todo = [d for d in wanted if stored.get(d.day) != d.commit]
    if not todo:
        return
    from .snapshots import Replayer  # the record loader, pydantic, pyarrow: only to evaluate

    replayer = Replayer(hist.repo, str(path))
    batch: list[Snapshot] = []
    try:
        for n, snap in enumerate(replayer.run(todo), 1):
            batch.append(snap)
            if sum(b[2].num_rows for b in batch) >= BATCH_ROWS:
                _store(hist.con, batch)
                batch = []
            hist.computed.append(snap[0])
            if progress:
                progress(n, len(todo), todo[n - 1])
        _store(hist.con, batch)
        hist.parses = replayer.parses
    finally:
        replayer.close()


def _has_facts(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'facts' AND database_name = current_database()"
        ).fetchone()[0]
    )


def _today_only(path: str | Path, today: dt.date) -> History:
    from .catalogue import open_catalogue
    from .snapshot_figures import facts_table, level_names

    cat = open_catalogue([str(path)])
    con = _open_store(None)
    errors = [str(p) for p in cat.result.errors]
    _store(con, [(today, None, facts_table(cat.con, today), level_names(cat.con), errors)])
    return History(con, None, NOT_IN_GIT.format(path=path))


def head_key(path: str | Path) -> str | None:
    """The commit HEAD points at in the catalogue folder's repository (None: not in git)."""
    try:
        return git(Path(path), "rev-parse", "--verify", "--quiet", "HEAD").decode().strip()
    except (GitError, OSError):
        return None


def change_over(
    hist: History, days: int = 30, filters: Filters | None = None, as_of: dt.date | None = None
) -> dict[str, tuple[int, int | None, int | None]]:
    """Each headline number now (the latest snapshot on or before `as_of`, today by default)
    and `days` days before `as_of` (the latest snapshot on or before that day): {figure: (now,
    then, now - then)}; then and delta are None when history does not reach that far back.
    The window ends at the as-of date, not at the last commit: counted back from the last
    commit, a catalogue untouched for months showed its last active month's change as "+7 in
    30 days" on the home page."""
    end = as_of or dt.date.today()
    rows = hist.figures(filters, until=end)
    if not rows:
        return {}
    now = rows[-1]
    cutoff = (end - dt.timedelta(days=days)).isoformat()
    older = [r for r in rows if r["date"] <= cutoff]
    then = older[-1] if older else None
    out: dict[str, tuple[int, int | None, int | None]] = {}
    for key in ("integrations", "active", "must_haves_passing", "overdue", "risk_score"):
        before = then[key] if then else None
        out[key] = (now[key], before, None if before is None else now[key] - before)
    for level, n in now["levels"].items():
        before = then["levels"].get(level, 0) if then else None
        out[f"level_{level}"] = (n, before, None if before is None else n - before)
    return out


__all__ = ["GitError", "History", "change_over", "open_history"]

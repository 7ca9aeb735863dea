"""Evaluate a catalogue at a git commit, incrementally from the commit before.

Files are read from blobs (never checked out) and parsed once per blob id: a commit that
changes one file parses one file. One DuckDB database is kept for the whole replay and only
the records that changed are deleted and inserted again; scorecard.yaml and owners.yaml are
read from each commit too.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from . import db
from .config import owners_from_bytes, run_custom_checks, scorecard_from_bytes
from .figures import facts_table
from .files import CONFIG_FILES, MAX_FILE_BYTES, RECORD_SUFFIXES
from .gitrepo import BlobReader, Change, DayCommit, Repo, TreeEntry, first_parent_changes, ls_tree
from .load import LoadedRecord, LoadResult, Problem, assemble, gc_paused, load_bytes

RECORD_TABLES = (
    ("integrations", "id"),
    ("versions", "integration_id"),
    ("planned_changes", "integration_id"),
    ("risks", "integration_id"),
    ("incidents", "integration_id"),
    ("check_overrides", "integration_id"),
)


def record_entries(entries: list[TreeEntry]) -> list[TreeEntry]:
    """The files a walk of the checked-out folder would read, in the same (path) order: record
    suffixes, no dot-files or dot-folders, no configuration file at the top."""
    return sorted((e for e in entries if _is_record(e.rel)), key=lambda e: e.rel)


@functools.lru_cache(maxsize=1 << 16)
def _is_record(rel: str) -> bool:
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts):
        return False
    if os.path.splitext(parts[-1])[1].lower() not in RECORD_SUFFIXES:
        return False
    return not (len(parts) == 1 and parts[0].lower() in CONFIG_FILES)


def _config_blob(entries: list[TreeEntry], stem: str) -> TreeEntry | None:
    top = {e.rel: e for e in entries if "/" not in e.rel}
    return next((top[f"{stem}{s}"] for s in (".yaml", ".yml") if f"{stem}{s}" in top), None)


def switch_days(record: dict[str, Any]) -> set[dt.date]:
    """The days on which a record's facts can change while the record stays as it is: the day
    after each deadline (it becomes overdue: sql/schema.sql deadlines_as_of) and 181 days after
    its review (no longer recent: check_results). A rule that compares another date with the
    as-of day must add its dates here."""

    def day(text: Any) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(text)) if text else None
        except ValueError:
            return None

    one, review = dt.timedelta(days=1), dt.timedelta(days=181)
    life = record.get("lifecycle") or {}
    deadlines = [(record.get("auth") or {}).get("expires_on")]
    for v in life.get("versions") or ():
        deadlines += [v.get("sunset_on"), v.get("deprecated_on")]
    deadlines += [c.get("date") for c in life.get("planned_changes") or ()]
    out = {d + one for d in map(day, deadlines) if d and d.year < 9999}
    reviewed = day(record.get("reviewed_on"))
    if reviewed and reviewed.year < 9000:
        out.add(reviewed + review)
    return out


def _new_database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    db.create_schema(con)
    con.execute(db.sql("scorecard"))
    return con


def _between(days: list[dt.date], after: dt.date, upto: dt.date) -> bool:
    i = bisect.bisect_right(days, after)
    return i < len(days) and days[i] <= upto


class Replayer:
    """Keeps the catalogue of the commits it is shown: one database follows the whole catalogue
    (for custom checks and full evaluations); a scratch database evaluates only the records
    whose facts can have changed since the previous snapshot (edited, or a date of theirs
    passed). Every record's facts depend on its own rows, the configuration and the day alone."""

    def __init__(self, repo: Repo, shown_root: str):
        self.repo = repo
        self.base = Path(shown_root)
        self.con = _new_database()
        self.scratch = _new_database()
        self.in_db: dict[str, LoadedRecord] = {}
        self.parsed: dict[tuple[str, str], tuple[list[LoadedRecord], list[Problem]]] = {}
        self.shown: dict[str, str] = {}
        self.files: dict[str, tuple[Path, str, bool]] = {}
        self.prefetched: dict[str, bytes] = {}
        self.switches: dict[LoadedRecord, list[dt.date]] = {}
        self.config_key: tuple | None = None
        self.card: Any = None
        self.owners: Any = None
        self.config_problems: list[Problem] = []
        self.reader = BlobReader(repo)
        self.parses = 0  # files parsed (for the benchmark and tests)
        self.tree: dict[str, TreeEntry] = {}
        self.tree_commit: str | None = None
        self.log: list[tuple[str, list[Change]]] | None = None
        self.position: dict[str, int] = {}
        self.last: tuple[dt.date, dict[str, LoadedRecord]] | None = None
        self.full_at: tuple[dt.date, pa.Table] = (dt.date.min, pa.table({}))

    def close(self) -> None:
        self.reader.close()
        self.con.close()
        self.scratch.close()

    def _shown(self, rel: str) -> str:
        shown = self.shown.get(rel)
        if shown is None:
            shown = self.shown[rel] = str(self.base / rel)
        return shown

    def _file(self, rel: str) -> tuple[Path, str, bool]:
        hit = self.files.get(rel)
        if hit is None:
            hit = self.files[rel] = (Path(rel), self._shown(rel), False)
        return hit

    def _tree_at(self, commit: str) -> list[TreeEntry]:
        """The files at a commit: the previous tree plus the changes of the commits between."""
        if self.log is None:
            self.log = first_parent_changes(self.repo)
            self.position = {sha: i for i, (sha, _) in enumerate(self.log)}
        here, there = self.position.get(self.tree_commit or ""), self.position.get(commit)
        if here is None or there is None or there < here:
            self.tree = {e.rel: e for e in ls_tree(self.repo, commit)}
        else:
            for _, changes in self.log[here + 1 : there + 1]:
                for c in changes:
                    if c.blob is None:
                        self.tree.pop(c.rel, None)
                    else:
                        self.tree[c.rel] = TreeEntry(c.rel, c.blob, -1)
        self.tree_commit = commit
        return list(self.tree.values())

    def _load(self, entry: TreeEntry) -> tuple[list[LoadedRecord], list[Problem]]:
        key = (entry.blob, entry.rel)
        hit = self.parsed.get(key)
        if hit is None:
            shown = self._shown(entry.rel)
            if entry.size > MAX_FILE_BYTES:
                message = (
                    f"file is too large ({entry.size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
                )
                hit = ([], [Problem(shown, None, "error", message)])
            else:
                data = self.prefetched.get(entry.blob)
                if data is None:
                    data = self.reader.read(entry.blob)
                hit = load_bytes(data, Path(entry.rel), shown, False)
            self.parsed[key] = hit
            self.parses += 1
        return hit

    def _config(self, entries: list[TreeEntry]) -> bool:
        card_e, owners_e = _config_blob(entries, "scorecard"), _config_blob(entries, "owners")
        key = (card_e and (card_e.rel, card_e.blob), owners_e and (owners_e.rel, owners_e.blob))
        if key == self.config_key:
            return False
        self.config_key = key
        card_bytes = self.reader.read(card_e.blob) if card_e else None
        owner_bytes = self.reader.read(owners_e.blob) if owners_e else None
        shown_card = self._shown(card_e.rel) if card_e else "scorecard.yaml"
        self.card, card_problems, _ = scorecard_from_bytes(card_bytes, shown_card)
        owners_shown = self._shown(owners_e.rel) if owners_e else "owners.yaml"
        self.owners, owner_problems = owners_from_bytes(owner_bytes, owners_shown)
        self.config_problems = card_problems + owner_problems
        return True

    def _sync(self, result: LoadResult) -> None:
        """Delete and insert only the records that differ from what the database holds."""
        new = {r.id: r for r in result.records}
        gone = [i for i, r in self.in_db.items() if new.get(i) is not r]
        _delete(self.con, gone)
        fresh = [r for r in result.records if self.in_db.get(r.id) is not r]
        if fresh:
            db._load_batch(self.con, fresh, 0)
        self.in_db = new

    def _switch_days(self, record: LoadedRecord) -> list[dt.date]:
        days = self.switches.get(record)
        if days is None:
            days = self.switches[record] = sorted(switch_days(json.loads(record.json)))
        return days

    def _waiver_lapses(self, after: dt.date, upto: dt.date) -> bool:
        days = sorted(
            w.expires_on + dt.timedelta(days=k) for w in self.card.waivers for k in (0, 1)
        )
        return _between(days, after, upto)

    def run(self, todo: list[DayCommit]) -> Iterator[Snapshot]:
        """(day, commit, facts, level names, errors) for each day-commit, in order.

        A snapshot is evaluated in full (every record, in the database that follows the
        catalogue) when it is the first, when scorecard.yaml or owners.yaml changed, when a
        waiver lapsed, or when the scorecard has custom checks. Between two full snapshots the
        configuration is fixed, and a record's facts change only when it is edited or one of its
        dates passes: those (record, day) pairs are evaluated together, many to one query, on
        a day inside each pair's unchanged stretch (see `_finish`)."""
        pending: list[_Pending] = []
        for dc in todo:
            entries = self._tree_at(dc.commit)
            files = record_entries(entries)
            missing = [e.blob for e in files if (e.blob, e.rel) not in self.parsed]
            self.prefetched = self.reader.read_many(missing) if missing else {}
            with gc_paused():
                loaded = [self._load(e) for e in files]
            self.prefetched = {}
            shown = [self._file(e.rel) for e in files]
            result = assemble(shown, loaded, [])
            records = {r.id: r for r in result.records}
            config_changed = self._config(entries)
            if not self._needs_full(dc.day, config_changed):
                errors = [
                    str(p) for p in result.problems + self.config_problems if p.severity == "error"
                ]
                levels = [lv.name for lv in self.card.levels]
                assert self.last is not None
                pending.append(_Pending(dc, records, levels, errors, self.last[0], self.last[1]))
                self.last = (dc.day, records)
                continue
            yield from self._finish(pending)
            pending = []
            self._sync(result)
            failures, custom_problems = run_custom_checks(self.con, self.card)
            if config_changed:
                for con in (self.con, self.scratch):
                    db.fill_scorecard(con, self.card, failures, self.owners, {})
            elif self.card.custom_checks:
                self.con.execute("DELETE FROM custom_failures")
                db._insert(self.con, "custom_failures", failures)
            problems = result.problems + self.config_problems + custom_problems
            errors = [str(p) for p in problems if p.severity == "error"]
            df = facts_table(self.con, dc.day)
            self.full_at = (dc.day, df)
            self.last = (dc.day, records)
            yield dc.day, dc.commit, df, [lv.name for lv in self.card.levels], errors
        yield from self._finish(pending)

    def _needs_full(self, day: dt.date, config_changed: bool) -> bool:
        last = self.last
        return (
            last is None
            or config_changed
            or bool(self.card.custom_checks)
            or last[0] >= day
            or self._waiver_lapses(last[0], day)
        )

    def _stretch(self, record: LoadedRecord, day: dt.date, lo: dt.date, hi: dt.date) -> tuple:
        """The days around `day` (within lo..hi) on which the record's facts cannot change."""
        days = self._switch_days(record)
        i = bisect.bisect_right(days, day)
        start = days[i - 1] if i > 0 else lo
        end = days[i] - dt.timedelta(days=1) if i < len(days) else hi
        return max(start, lo), min(end, hi)

    def _finish(self, pending: list[_Pending]) -> Iterator[Snapshot]:
        """Facts of the snapshots after the last full one: evaluate each (record, day) that may
        have changed on as few days as possible (greedy interval stabbing), then carry every
        other record's facts over from the snapshot before."""
        if not pending:
            return
        base_day, base_df = self.full_at
        lo, hi = base_day, pending[-1].dc.day
        pairs = []
        for k, p in enumerate(pending):
            for r in p.records.values():
                if p.prev_records.get(r.id) is not r or _between(
                    self._switch_days(r), p.prev_day, p.dc.day
                ):
                    start, end = self._stretch(r, p.dc.day, lo, hi)
                    pairs.append((end, start, k, r))
        pairs.sort(key=lambda t: (t[0], t[1]))
        points: list[tuple[dt.date, dict[str, LoadedRecord]]] = []
        wanted: dict[int, dict[int, set[str]]] = {}  # snapshot -> point -> ids
        for end, start, k, r in pairs:
            if not points or start > points[-1][0] or points[-1][1].get(r.id, r) is not r:
                points.append((end, {}))
            points[-1][1][r.id] = r
            wanted.setdefault(k, {}).setdefault(len(points) - 1, set()).add(r.id)
        evaluated = []
        for day, recs in points:
            _delete(self.scratch, None)
            db._load_batch(self.scratch, list(recs.values()), 0)
            evaluated.append(facts_table(self.scratch, day))
        current = base_df
        for k, p in enumerate(pending):
            fresh = wanted.get(k, {})
            redo = set().union(*fresh.values()) if fresh else set()
            parts = [_only(current, set(p.records) - redo)]
            parts += [_only(evaluated[i], ids) for i, ids in fresh.items()]
            current = _dated(pa.concat_tables(parts).combine_chunks(), p.dc.day)
            yield p.dc.day, p.dc.commit, current, p.levels, p.errors


def _only(table: pa.Table, ids: set[str]) -> pa.Table:
    return table.filter(pc.is_in(table["id"], value_set=pa.array(sorted(ids), pa.string())))


def _dated(table: pa.Table, day: dt.date) -> pa.Table:
    i = table.schema.get_field_index("snapshot_date")
    column = pa.array([day] * table.num_rows, table.schema.field(i).type)
    return table.set_column(i, "snapshot_date", column)


@dataclass
class _Pending:
    dc: DayCommit
    records: dict[str, LoadedRecord]
    levels: list[str]
    errors: list[str]
    prev_day: dt.date
    prev_records: dict[str, LoadedRecord]


Snapshot = tuple[dt.date, str, pa.Table, list[str], list[str]]


def _delete(con: duckdb.DuckDBPyConnection, ids: list[str] | None) -> None:
    """Remove records (all of them when ids is None) from every record table."""
    if ids is not None and not ids:
        return
    for table, column in RECORD_TABLES:
        if ids is None:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(
                f"DELETE FROM {table} WHERE {column} IN (SELECT unnest($ids))", {"ids": ids}
            )

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

from . import db, sandbox
from .config import owners_from_bytes, run_custom_checks, scorecard_from_bytes
from .files import CONFIG_FILES, MAX_FILE_BYTES, RECORD_SUFFIXES
from .gitrepo import BlobReader, Change, DayCommit, Repo, TreeEntry, first_parent_changes, ls_tree
from .load import LoadedRecord, LoadResult, Problem, assemble, gc_paused, load_bytes
from .snapshot_figures import facts_table
from .values import first_day, is_approximate

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
    suffixes, no dot-files or dot-folders, no file named as configuration (at the top it is read
    as such; below, it is named and not read)."""
    return sorted((e for e in entries if _is_record(e.rel)), key=lambda e: e.rel)


@functools.lru_cache(maxsize=1 << 16)
def _is_record(rel: str) -> bool:
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts):
        return False
    if os.path.splitext(parts[-1])[1].lower() not in RECORD_SUFFIXES:
        return False
    return parts[-1].lower() not in CONFIG_FILES  # below the top: named, not read (files.py)


def _config_blob(entries: list[TreeEntry], stem: str) -> TreeEntry | None:
    top = {e.rel: e for e in entries if "/" not in e.rel}
    return next((top[f"{stem}{s}"] for s in (".yaml", ".yml") if f"{stem}{s}" in top), None)


# Rules compare a record's dates with the as-of day: a deadline is overdue from the day after
# it (sql/schema.sql deadlines_as_of), a review stops being recent 181 days after it
# (check_results). An unchanged record is evaluated again when, for one of its dates, one of
# these days falls between two snapshots. A rule with another offset must add it here.
SWITCH_OFFSETS = (1, 181)

# (v1.1) The partner dates that may be approximate ("2027-03", "2027-Q2"): they count as their
# first day, so they pass, and move with a copy's dates, like exact ones.
PARTNER_DATE_KEYS = frozenset({"released_on", "deprecated_on", "sunset_on", "date", "expires_on"})


def _new_database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    db.create_schema(con)
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
        self.date_fields: dict[LoadedRecord, tuple[list[tuple], list[dt.date]]] = {}
        self.derived: dict[LoadedRecord, dict[int, dt.date]] = {}
        self.config_key: tuple | None = None
        self.card: Any = None
        self.owners: Any = None
        self.config_problems: list[Problem] = []
        self.card_shown = "scorecard.yaml"
        # custom checks run on every day evaluated in full: one time budget for the replay, so
        # a slow check costs its limit once, not once a day (issue 11: it hung the home page)
        self.budget = sandbox.Budget(sandbox.HISTORY_SECONDS)
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
        self.card, card_problems, _ = scorecard_from_bytes(card_bytes, shown_card, self.budget)
        self.card_shown = shown_card
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
            db.load_ordered(self.con, list(enumerate(fresh)))
        self.in_db = new

    def _switch_days(self, record: LoadedRecord) -> list[dt.date]:
        days = self.switches.get(record)
        if days is None:
            dates = [*self._dates(record)[1], *self._derived(record).values(), *_rotations(record)]
            found = {
                d + dt.timedelta(days=k) for d in dates for k in SWITCH_OFFSETS if d.year < 9999
            }
            days = self.switches[record] = sorted(found)
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
            failures, custom_problems = run_custom_checks(
                self.con, self.card, self.card_shown, self.budget
            )
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

    def _dates(self, record: LoadedRecord) -> tuple[list[tuple], list[dt.date]]:
        """The record's date fields (paths into its JSON) and their values."""
        hit = self.date_fields.get(record)
        if hit is None:
            found: list[tuple[tuple, dt.date]] = []
            _walk_dates(record.record.model_dump(mode="python", exclude_none=True), (), found)
            hit = self.date_fields[record] = ([p for p, _ in found], [d for _, d in found])
        return hit

    def _derived(self, record: LoadedRecord) -> dict[int, dt.date]:
        """(v1.1) Version position -> the sunset its support window derives."""
        hit = self.derived.get(record)
        if hit is None:
            hit = self.derived[record] = {
                row["position"]: dt.date.fromisoformat(row["sunset_on"])
                for row in db._derived(record)
            }
        return hit

    def _copy_at(self, record: LoadedRecord, shift: dt.timedelta, copy_id: str) -> LoadedRecord:
        """The record under another id with every date moved by `shift`: evaluated as of
        day + shift, it answers as the record does as of day (rules compare dates with the
        as-of day, or with each other). An approximate date moves as its first day; a derived
        sunset is written out, moved, in place of the support windows (months added to a moved
        release can land on another day than the moved sunset)."""
        paths, _ = self._dates(record)
        data = json.loads(record.json)
        for path in paths:
            node = data
            for key in path[:-1]:
                node = node[key]
            try:
                day = first_day(node[path[-1]])
                assert day is not None  # a path of _dates() holds a date
                node[path[-1]] = (day + shift).isoformat()
            except OverflowError:  # a date near 9999 stays where it is: no rule reaches it
                pass
        derived = self._derived(record)
        if derived:
            life = data["lifecycle"]
            life.pop("support_months", None)
            life.pop("support_months_after_successor", None)
            for position, day in derived.items():
                try:
                    life["versions"][position]["sunset_on"] = (day + shift).isoformat()
                except OverflowError:
                    life["versions"][position]["sunset_on"] = day.isoformat()
        data["id"] = copy_id
        return LoadedRecord(
            json.dumps(data).encode(),
            copy_id,
            record.owner,
            record.path,
            record.line,
            record.form,
            record.overrides,
        )

    def _finish(self, pending: list[_Pending]) -> Iterator[Snapshot]:
        """Facts of the snapshots after the last full one, in one query: every (record, day)
        that may have changed (the record was edited, or one of its dates passed) goes into
        the scratch database as a copy with its dates moved so that the segment's last day
        stands for that day; every other record's facts carry over from the day before.
        Waivers cannot lapse inside a segment (that forces a full evaluation), so the as-of
        day's only other use, the waivers, answers the same on every day of it."""
        if not pending:
            return
        _, base_df = self.full_at
        last_day = pending[-1].dc.day
        copies: list[LoadedRecord] = []
        mapping: list[dict[str, str]] = []
        wanted: dict[int, list[str]] = {}
        for k, p in enumerate(pending):
            for r in p.records.values():
                if p.prev_records.get(r.id) is not r or _between(
                    self._switch_days(r), p.prev_day, p.dc.day
                ):
                    copy_id = f"{r.id}\x1f{k}"
                    copies.append(self._copy_at(r, last_day - p.dc.day, copy_id))
                    mapping.append({"copy_id": copy_id, "id": r.id})
                    wanted.setdefault(k, []).append(copy_id)
        evaluated = None
        if copies:
            _delete(self.scratch, None)
            db.load_ordered(self.scratch, list(enumerate(copies)))
            self.scratch.register("_copies", pa.Table.from_pylist(mapping))
            try:
                self.scratch.execute(
                    "INSERT INTO waivers SELECT m.copy_id, w.* EXCLUDE (integration_id) "
                    "FROM waivers w JOIN _copies m ON m.id = w.integration_id"
                )
                evaluated = _restore_ids(facts_table(self.scratch, last_day))
                self.scratch.execute(
                    "DELETE FROM waivers WHERE integration_id IN (SELECT copy_id FROM _copies)"
                )
            finally:
                self.scratch.unregister("_copies")
        current = base_df
        for k, p in enumerate(pending):
            fresh = wanted.get(k, [])
            redo = {c.split("\x1f", 1)[0] for c in fresh}
            parts = [_only(current, set(p.records) - redo)]
            if fresh:
                assert evaluated is not None
                parts.append(_only(evaluated, set(fresh), "copy_id").drop_columns(["copy_id"]))
            current = _dated(pa.concat_tables(parts).combine_chunks(), p.dc.day)
            yield p.dc.day, p.dc.commit, current, p.levels, p.errors


def _rotations(record: LoadedRecord) -> list[dt.date]:
    """(v1.1) The days rotations fall due (rotated_on + rotate_every_days), for `auth` and each
    of its credentials: dates no field holds, yet they pass like any other."""
    auth = json.loads(record.json or b"{}").get("auth") or {}
    found = []
    for entry in [auth, *(auth.get("credentials") or [])]:
        if entry.get("rotated_on") and entry.get("rotate_every_days"):
            try:
                start = dt.date.fromisoformat(entry["rotated_on"])
                found.append(start + dt.timedelta(days=entry["rotate_every_days"]))
            except (ValueError, TypeError, OverflowError):
                pass  # not a date the deadlines can use either
    return found


def _walk_dates(node: Any, path: tuple, out: list) -> None:
    if isinstance(node, dt.date) and not isinstance(node, dt.datetime):
        out.append((path, node))
    elif isinstance(node, str) and path and path[-1] in PARTNER_DATE_KEYS and is_approximate(node):
        out.append((path, first_day(node)))
    elif isinstance(node, dict):
        for key, value in node.items():
            _walk_dates(value, (*path, key), out)
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            _walk_dates(value, (*path, i), out)


def _restore_ids(table: pa.Table) -> pa.Table:
    """Copies' facts under their records' own ids (kept in copy_id to pick them by day)."""
    copy_ids = table["id"].to_pylist()
    ids = [c.split("\x1f", 1)[0] for c in copy_ids]
    search = [
        (i.lower() + s[len(c.lower()) :]) if s is not None else None
        for i, c, s in zip(ids, copy_ids, table["search_text"].to_pylist(), strict=True)
    ]
    table = table.set_column(table.schema.get_field_index("id"), "id", pa.array(ids, pa.string()))
    idx = table.schema.get_field_index("search_text")
    table = table.set_column(idx, "search_text", pa.array(search, pa.string()))
    return table.append_column("copy_id", pa.array(copy_ids, pa.string()))


def _only(table: pa.Table, ids: set[str], column: str = "id") -> pa.Table:
    return table.filter(pc.is_in(table[column], value_set=pa.array(sorted(ids), pa.string())))


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

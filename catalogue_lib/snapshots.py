"""Evaluate a catalogue at a git commit, incrementally from the commit before.

Files are read from blobs (never checked out) and parsed once per blob id: a commit that
changes one file parses one file. One DuckDB database is kept for the whole replay and only
the records that changed are deleted and inserted again; scorecard.yaml and owners.yaml are
read from each commit too.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pandas as pd

from . import db
from .config import owners_from_bytes, run_custom_checks, scorecard_from_bytes
from .figures import facts
from .files import CONFIG_FILES, MAX_FILE_BYTES, RECORD_SUFFIXES
from .gitrepo import BlobReader, Repo, TreeEntry, ls_tree
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
    out = []
    for e in entries:
        parts = e.rel.split("/")
        if any(p.startswith(".") for p in parts):
            continue
        if os.path.splitext(parts[-1])[1].lower() not in RECORD_SUFFIXES:
            continue
        if len(parts) == 1 and parts[0].lower() in CONFIG_FILES:
            continue
        out.append(e)
    return sorted(out, key=lambda e: e.rel)


def _config_blob(entries: list[TreeEntry], stem: str) -> TreeEntry | None:
    top = {e.rel: e for e in entries if "/" not in e.rel}
    return next((top[f"{stem}{s}"] for s in (".yaml", ".yml") if f"{stem}{s}" in top), None)


class Replayer:
    """Keeps one catalogue database in step with the commits it is shown."""

    def __init__(self, repo: Repo, shown_root: str):
        self.repo = repo
        self.root = shown_root
        self.con = duckdb.connect(":memory:")
        db.create_schema(self.con)
        self.con.execute(db.sql("scorecard"))
        self.in_db: dict[str, LoadedRecord] = {}
        self.parsed: dict[tuple[str, str], tuple[list[LoadedRecord], list[Problem]]] = {}
        self.config_key: tuple | None = None
        self.card = None
        self.owners = None
        self.config_problems: list[Problem] = []
        self.reader = BlobReader(repo)
        self.parses = 0  # files parsed (for the benchmark)

    def close(self) -> None:
        self.reader.close()
        self.con.close()

    def _shown(self, rel: str) -> str:
        return str(Path(self.root) / rel)

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
                hit = load_bytes(self.reader.read(entry.blob), Path(entry.rel), shown, False)
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
        if gone:
            for table, column in RECORD_TABLES:
                self.con.execute(
                    f"DELETE FROM {table} WHERE {column} IN (SELECT unnest($ids))", {"ids": gone}
                )
        for order, r in enumerate(result.records):
            if self.in_db.get(r.id) is not r:
                db._load_batch(self.con, [r], order)
        self.in_db = new

    def evaluate(self, commit: str, day: dt.date) -> tuple[pd.DataFrame, list[str]]:
        """The per-integration facts of the catalogue at `commit`, as of `day`, and its errors."""
        entries = ls_tree(self.repo, commit)
        files = record_entries(entries)
        with gc_paused():
            loaded = [self._load(e) for e in files]
        result = assemble([(Path(e.rel), self._shown(e.rel), False) for e in files], loaded, [])
        config_changed = self._config(entries)
        self._sync(result)
        failures, custom_problems = run_custom_checks(self.con, self.card)
        if config_changed:
            db.fill_scorecard(self.con, self.card, failures, self.owners, {})
        elif self.card.custom_checks:
            self.con.execute("DELETE FROM custom_failures")
            db._insert(self.con, "custom_failures", failures)
        problems = result.problems + self.config_problems + custom_problems
        errors = [str(p) for p in problems if p.severity == "error"]
        return facts(self.con, day), errors

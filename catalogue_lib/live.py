"""A catalogue kept current while files change under it, for the long-running app.

An unchanged catalogue is never reloaded: a file watcher (watchdog: inotify,
FSEvents...) says when something changed, so a rerun costs no file-system
walk. When something did change, only the changed files are parsed again; the
others' records come from a per-file cache. An edit that makes records
disappear behind new errors keeps the last good catalogue, with the problems.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cache import RecordCache, open_cache
from .catalogue import Catalogue, build_catalogue, open_catalogue
from .files import FilePath
from .load import (
    LoadedRecord,
    Problem,
    Progress,
    assemble,
    catalogue_files,
    fingerprint,
    load_files,
)

FALLBACK_CHECK_SECONDS = 1.0  # without a watcher, stat every file at most this often
SAFETY_CHECK_SECONDS = 30.0  # with one, still stat everything this often (missed events)


@dataclass
class ReloadStats:
    reloads: int = 0
    files_parsed: int = 0  # by the last reload
    seconds: float = 0.0  # of the last reload


@dataclass
class _FileEntry:
    key: tuple
    records: list[LoadedRecord]
    problems: list[Problem]


@dataclass
class LiveCatalogue:
    paths: list[str]
    watch: bool = True
    catalogue: Catalogue | None = None
    broken: list[Problem] = field(default_factory=list)  # why the newest edit was not taken
    version: int = 0
    stats: ReloadStats = field(default_factory=ReloadStats)
    # parsed records kept across restarts (cache.py); None: parse every file on a cold start
    cache: RecordCache | None = field(default_factory=open_cache)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, _FileEntry] = {}
        self._fingerprint: tuple | None = None
        self._events = 0
        self.events_delivered = 0  # every event the watcher was woken for, changes or not
        self._seen_events = -1
        self._checked_at = 0.0
        self._observer = self._start_watcher() if self.watch else None

    # ------------------------------------------------------------------ watching

    def _start_watcher(self):  # -> Observer | None
        try:
            from watchdog.events import (
                DirCreatedEvent,
                DirDeletedEvent,
                DirModifiedEvent,
                DirMovedEvent,
                FileClosedEvent,
                FileCreatedEvent,
                FileDeletedEvent,
                FileModifiedEvent,
                FileMovedEvent,
                FileSystemEventHandler,
            )
            from watchdog.observers import Observer
        except ImportError:
            return None
        live = self
        # Only the events that can change the catalogue are asked of the kernel. By default
        # watchdog also asks for every open and close of a file merely read, so another process
        # reading the catalogue (`catalogue summary` in CI, git, a backup, grep) woke this thread
        # twice per file: 0.3 s of CPU taken from a cold summary of 10,000 files run beside it.
        changes = [
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
            FileClosedEvent,
            DirCreatedEvent,
            DirDeletedEvent,
            DirModifiedEvent,
            DirMovedEvent,
        ]

        class Handler(FileSystemEventHandler):
            def dispatch(self, event) -> None:  # noqa: ANN001
                live.events_delivered += 1
                super().dispatch(event)

            def on_any_event(self, event) -> None:  # noqa: ANN001
                if event.event_type in ("created", "deleted", "modified", "moved", "closed"):
                    live._events += 1

        try:
            observer = Observer()
            for raw in self.paths:
                p = Path(raw)
                if p.is_dir():
                    observer.schedule(Handler(), str(p), recursive=True, event_filter=changes)
                elif p.parent.is_dir():
                    observer.schedule(
                        Handler(), str(p.parent), recursive=False, event_filter=changes
                    )
            observer.daemon = True
            observer.start()
            return observer
        except Exception:  # no inotify left, an odd file system: fall back to polling
            return None

    def close(self) -> None:
        if self._observer is not None:
            self._observer.stop()
        if self.cache is not None:
            self.cache.close()

    # ------------------------------------------------------------------ current

    def current(self, progress: Progress | None = None) -> tuple[Catalogue, list[Problem], int]:
        """The catalogue to show, the problems of a rejected edit, and a version number that
        changes whenever the catalogue does (for caches). progress(files read, total) is told
        how a (re)load is going."""
        with self._lock:
            now = time.monotonic()
            if self.catalogue is None or self._stale(now):
                events = self._events
                walked = catalogue_files(self.paths)
                fp = fingerprint(self.paths, walked)
                self._seen_events, self._checked_at = events, now
                if fp != self._fingerprint:
                    self._reload(fp, walked, progress)
            assert self.catalogue is not None
            return self.catalogue, self.broken, self.version

    def _stale(self, now: float) -> bool:
        if self._observer is None:
            return now - self._checked_at >= FALLBACK_CHECK_SECONDS
        return self._events != self._seen_events or now - self._checked_at >= SAFETY_CHECK_SECONDS

    def _reload(
        self,
        fp: tuple,
        walked: tuple[list[tuple[FilePath, str, bool]], list[Problem]],
        progress: Progress | None = None,
    ) -> None:
        started = time.perf_counter()
        misses = self.cache.misses if self.cache is not None else 0
        if self.cache is not None:
            # restored whole when nothing changed since it was kept (dbcache.py); else only the
            # files that changed are read, the others' records come from the cache
            fresh = open_catalogue(self.paths, cache=self.cache, progress=progress, walked=walked)
            parsed = self.cache.misses - misses
        else:
            fresh, parsed = self._rebuild(fp, walked, progress)
        self._fingerprint = fp
        old = self.catalogue
        if old is not None and _lost_records(old, fresh):
            known = {str(p) for p in old.result.problems}
            self.broken = [p for p in fresh.result.errors if str(p) not in known]
            fresh.con.close()
        else:
            # the old database is left to the garbage collector: another session may still be
            # reading it in this very moment
            self.catalogue, self.broken = fresh, []
            self.version += 1
        self.stats.reloads += 1
        self.stats.files_parsed = parsed
        self.stats.seconds = time.perf_counter() - started

    def _rebuild(
        self,
        fp: tuple,
        walked: tuple[list[tuple[FilePath, str, bool]], list[Problem]],
        progress: Progress | None,
    ) -> tuple[Catalogue, int]:
        """Without a cache: the records of unchanged files are kept in memory between loads."""
        keys = {shown: (mtime, size) for shown, mtime, size in fp}
        files, path_problems = walked
        entries: dict[str, _FileEntry] = {}
        todo = []
        for f, shown, explicit in files:
            key = keys.get(shown, (None, None))
            old = self._files.get(shown)
            if old is not None and old.key == key and key[0] is not None:
                entries[shown] = old
            else:
                todo.append((f, shown, explicit))
        for (_, shown, _), (records, problems) in zip(
            todo, load_files(todo, None, progress), strict=True
        ):
            entries[shown] = _FileEntry(keys.get(shown, (None, None)), records, problems)
        loaded = [(entries[s].records, entries[s].problems) for _, s, _ in files]
        self._files = entries
        return build_catalogue(assemble(files, loaded, path_problems), list(self.paths)), len(todo)


def _lost_records(old: Catalogue, new: Catalogue) -> bool:
    """True when an edit made records disappear because of new errors."""
    if not new.result.errors:
        return False
    old_ids = {r.id for r in old.result.records}
    new_ids = {r.id for r in new.result.records}
    return bool(old_ids - new_ids)

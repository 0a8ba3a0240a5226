"""Watching external libraries' folders (Settings.library_watch): a change queues a rescan of its library.

watchdog reports created, modified, moved and deleted files; events for supported media files (not
excluded) start a per-library timer, and when no event came for library_watch_debounce_seconds the library
is rescanned (an incremental scan: only what changed is read). Network shares often deliver no events at
all; the nightly rescan covers them. `refresh()` re-reads the libraries after one is created, changed or
deleted.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from photonest.db.tables import Library
from photonest.library.exclusions import Exclusions
from photonest.media.types import asset_type

if TYPE_CHECKING:
    from photonest.jobs.runtime import Jobs

log = logging.getLogger(__name__)


class LibraryWatcher:
    def __init__(self, jobs: Jobs, debounce: float) -> None:
        from watchdog.observers import Observer

        self.jobs = jobs
        self.debounce = debounce
        self._observer: Any = Observer()
        self._lock = threading.Lock()
        self._timers: dict[str, threading.Timer] = {}
        self._watches: list[Any] = []

    def start(self) -> None:
        self.refresh()
        self._observer.start()
        log.info("watching external libraries for changes")

    def stop(self) -> None:
        with self._lock:
            for t in self._timers.values():
                t.cancel()
            self._timers.clear()
        self._observer.stop()
        self._observer.join(timeout=10)

    def refresh(self) -> None:
        """Watch the import paths of every library as they are now."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler

        watcher = self

        class Handler(FileSystemEventHandler):
            def __init__(self, library_id: str, rules: Exclusions) -> None:
                self.library_id, self.rules = library_id, rules

            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                paths = [event.src_path, getattr(event, "dest_path", "")]
                for p in (os.fsdecode(x) for x in paths if x):
                    ext = os.path.splitext(p)[1]
                    relevant = bool(asset_type(ext)) or ext.lower() == ".xmp"  # media or a sidecar
                    if event.is_directory or (relevant and not self.rules.excludes(p)):
                        watcher.changed(self.library_id)
                        return

        with self.jobs.db.session(write=False) as s:
            libs = [(lib.id, list(lib.import_paths or []), list(lib.exclusion_patterns or []))
                    for lib in s.scalars(select(Library))]
        with self._lock:
            self._observer.unschedule_all()
            for lib_id, paths, patterns in libs:
                handler = Handler(lib_id, Exclusions(patterns))
                for p in paths:
                    if os.path.isdir(p):
                        try:
                            self._observer.schedule(handler, p, recursive=True)
                        except OSError as e:
                            log.warning("cannot watch %s: %s", p, e)

    def changed(self, library_id: str) -> None:
        """Restart the library's quiet-time timer."""
        with self._lock:
            old = self._timers.pop(library_id, None)
            if old is not None:
                old.cancel()
            t = threading.Timer(self.debounce, self._fire, args=(library_id,))
            t.daemon = True
            self._timers[library_id] = t
            t.start()

    def _fire(self, library_id: str) -> None:
        with self._lock:
            self._timers.pop(library_id, None)
        from photonest.jobs import library_scans

        try:
            library_scans.request(self.jobs, library_id)
        except Exception:
            log.exception("could not queue a scan of library %s", library_id)

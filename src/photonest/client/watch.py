"""`photonest upload --watch`: upload what is there, then keep the folders backed up as files arrive.

Events are debounced (watchfiles), and a file is only taken once it has settled (not modified for a moment), so a
photo still being copied in is not sent half-written. Each version of a file (path, size, mtime) is sent once;
the server's checksum check catches the rest (a file copied in twice, a rename).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from photonest.client.api import ApiError
from photonest.client.files import LocalFile
from photonest.client.uploader import Uploader, UploadReport


class Watcher:
    def __init__(self, uploader: Uploader, paths: Iterable[Path], *, debounce_ms: int = 2000,
                 settle_seconds: float = 2.0, stop_event: threading.Event | None = None,
                 force_polling: bool | None = None, retry_seconds: float = 30.0,
                 on_report: Callable[[UploadReport], None] | None = None) -> None:
        self.uploader = uploader
        self.paths = [Path(p).expanduser().resolve() for p in paths]
        self.debounce_ms = debounce_ms
        self.settle_seconds = settle_seconds
        self.stop_event = stop_event or threading.Event()
        self.force_polling = force_polling
        self.on_report = on_report
        self.retry_seconds = retry_seconds
        self.retry_at = 0.0
        self.done: set[tuple[str, int, int]] = set()
        self.pending: set[Path] = set()

    def _remember(self, report: UploadReport) -> None:
        for r in report.results:
            if r.status != "failed":
                self.done.add(r.file.key)
            elif r.transient:
                self._later([r.file.path])
        if self.on_report:
            self.on_report(report)

    def _later(self, paths: Iterable[Path]) -> None:
        self.pending.update(paths)
        self.retry_at = time.monotonic() + self.retry_seconds

    def upload(self, files: list[LocalFile]) -> None:
        try:
            self._remember(self.uploader.upload_files(files))
        except ApiError as e:
            # The server is down or restarting: keep watching, and send these when it answers again.
            self.uploader.echo(f"upload failed ({e}); trying again in {self.retry_seconds:.0f} s")
            self._later(f.path for f in files)

    def _wanted(self, path: Path) -> bool:
        return path.suffix.lower() in self.uploader.extensions and self._visible(path)

    def _filter(self, change: watchfiles.Change, path: str) -> bool:
        if change == watchfiles.Change.deleted:
            return False
        p = Path(path)
        return self._wanted(p) or (self.uploader.options.recursive and p.is_dir() and self._visible(p))

    def _visible(self, path: Path) -> bool:
        if self.uploader.options.include_hidden:
            return True
        for root in self.paths:
            if path.is_relative_to(root):
                return not any(part.startswith(".") for part in path.relative_to(root).parts)
        return not path.name.startswith(".")

    def _add(self, path: Path) -> None:
        if path.is_dir():
            # A folder moved or copied in: its files may have landed before the folder was being watched.
            self.pending.update(f.path for f in self.uploader.scan([path]))
        else:
            self.pending.add(path)

    def ready(self) -> list[LocalFile]:
        """Pending files that have settled and were not sent in this version yet."""
        if time.monotonic() < self.retry_at:
            return []
        now = time.time()
        out: list[LocalFile] = []
        for p in sorted(self.pending):
            try:
                f = LocalFile.of(p)
                st_mtime = p.stat().st_mtime
            except OSError:
                self.pending.discard(p)  # gone again (a temporary file, a move)
                continue
            if not p.is_file():
                self.pending.discard(p)
                continue
            if now - st_mtime < self.settle_seconds:
                continue  # still being written: look again on the next tick
            self.pending.discard(p)
            if f.key not in self.done and f.size > 0:
                out.append(f)
        return out

    def run(self) -> None:
        self.uploader.echo(f"watching {', '.join(map(str, self.paths))} (Ctrl-C to stop)")
        existing = [p for p in self.paths if p.exists()]
        self._remember(self.uploader.run(existing))
        watch_paths = [p for p in self.paths if p.is_dir()] or existing
        if not watch_paths:
            return
        for changes in watchfiles.watch(
            *watch_paths, watch_filter=self._filter, debounce=self.debounce_ms, step=50,
            stop_event=self.stop_event, rust_timeout=max(int(self.settle_seconds * 1000), 200),
            yield_on_timeout=True, recursive=self.uploader.options.recursive, raise_interrupt=False,
            force_polling=self.force_polling,
        ):
            for _, path in changes:
                self._add(Path(path))
            files = self.ready()
            if files:
                self.uploader.echo(f"{len(files)} new or changed file{'' if len(files) == 1 else 's'}")
                self.upload(files)
            if self.stop_event.is_set():
                break

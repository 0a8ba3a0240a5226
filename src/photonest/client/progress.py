"""A thread-safe progress bar on stderr (bytes, rate, ETA, files); silent when stderr is not a terminal."""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Self, TextIO


def human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressBar:
    WIDTH = 28

    def __init__(self, label: str, total_bytes: int, total_files: int = 0, *, stream: TextIO | None = None,
                 enabled: bool | None = None, interval: float = 0.1) -> None:
        self.label = label
        self.total = max(total_bytes, 0)
        self.total_files = total_files
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        self.done = 0
        self.files = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._lock = threading.Lock()
        self._width = 0

    def advance(self, nbytes: int) -> None:
        with self._lock:
            self.done += nbytes
            self._maybe_draw()

    def file_done(self) -> None:
        with self._lock:
            self.files += 1
            self._maybe_draw()

    def _maybe_draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        line = self.render(now)
        pad = max(self._width - len(line), 0)
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def render(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        done = min(max(self.done, 0), self.total) if self.total else max(self.done, 0)
        frac = done / self.total if self.total else 1.0
        filled = int(frac * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate > 0 and done < self.total else 0.0
        files = f"  {self.files}/{self.total_files} files" if self.total_files else ""
        return (f"{self.label} [{bar}] {frac * 100:3.0f}%  {human_bytes(done)}/{human_bytes(self.total)}"
                f"  {human_bytes(rate)}/s  ETA {human_duration(eta)}{files}")

    def close(self) -> None:
        with self._lock:
            if self.enabled:
                self._maybe_draw(force=True)
                self.stream.write("\n")
                self.stream.flush()
                self.enabled = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

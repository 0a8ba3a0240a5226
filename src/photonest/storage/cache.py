"""A bounded local read-through cache of stored objects, for the tools that need a file on disk (Pillow,
ffmpeg, the ML models) when originals and derivatives live in an object store.

An entry is named by its key and the object's ETag, ``<root>/<key's folder>/<etag>/<key's file name>``: a new
version of an object (a regenerated thumbnail) gets a new entry and the old one ages out, so two machines never
disagree about which bytes a cached file holds, and the file keeps its name and extension for the tools.
When the cache grows past its limit, the least recently used entries (oldest mtime; a hit touches it) go until
it is down to 90% of the limit.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

_SAFE_ETAG = re.compile(r"[^A-Za-z0-9_-]")


class ReadCache:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._size: int | None = None  # bytes held, counted once on first use, then kept up to date

    def entry(self, key: str, etag: str) -> Path:
        folder, _, name = key.rpartition("/")
        tag = _SAFE_ETAG.sub("", etag)[:64] or "none"
        return self.root / folder / tag / name

    def lookup(self, key: str, etag: str) -> Path | None:
        p = self.entry(key, etag)
        try:
            os.utime(p)  # most recently used: evicted last
        except OSError:
            return None
        return p

    def fill(self, key: str, etag: str, write: Callable[[Path], None]) -> Path:
        """Make the entry with write(tmp path) (a download); concurrent fills of one entry are harmless."""
        final = self.entry(key, etag)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            write(tmp)
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        self._added(final.stat().st_size, keep=final)
        return final

    def adopt(self, key: str, etag: str, local: Path) -> Path:
        """Move a file just stored as key (same filesystem) into the cache instead of reading it back later."""
        final = self.entry(key, etag)
        final.parent.mkdir(parents=True, exist_ok=True)
        size = local.stat().st_size
        os.replace(local, final)
        os.utime(final)
        self._added(size, keep=final)
        return final

    def forget(self, key: str) -> None:
        """Drop every cached version of key (the object was deleted)."""
        folder, _, name = key.rpartition("/")
        base = self.root / folder
        if not base.is_dir():
            return
        for version in base.iterdir():
            p = version / name
            if version.is_dir() and p.is_file():
                size = p.stat().st_size
                p.unlink(missing_ok=True)
                self._added(-size)
                with contextlib.suppress(OSError):
                    version.rmdir()

    def _files(self) -> list[tuple[float, int, Path]]:
        out = []
        for dirpath, _, names in os.walk(self.root):
            for n in names:
                p = Path(dirpath) / n
                with contextlib.suppress(OSError):
                    st = p.stat()
                    out.append((st.st_mtime, st.st_size, p))
        return out

    def _added(self, n: int, keep: Path | None = None) -> None:
        """Count n more bytes; over the limit, evict (never `keep`, the entry a caller is about to read, even
        when it alone is larger than the limit)."""
        with self._lock:
            if self._size is None:
                self._size = sum(size for _, size, _ in self._files())
            else:
                self._size += n
            if self._size <= self.max_bytes:
                return
            # Over the limit: one walk, oldest first, down to 90% so eviction does not run on every fill.
            files = sorted(self._files())
            total = sum(size for _, size, _ in files)
            target = self.max_bytes * 9 // 10
            for _, size, p in files:
                if total <= target:
                    break
                if p == keep:
                    continue
                p.unlink(missing_ok=True)
                total -= size
                with contextlib.suppress(OSError):
                    p.parent.rmdir()
            self._size = total

    def clear(self) -> None:
        with self._lock:
            shutil.rmtree(self.root, ignore_errors=True)
            self._size = 0

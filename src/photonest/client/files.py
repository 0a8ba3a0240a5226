"""Finding the files to upload, their XMP sidecars, and their SHA-1 (with an on-disk cache of known hashes)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

READ_SIZE = 1024 * 1024


@dataclass(frozen=True)
class LocalFile:
    path: Path
    size: int
    mtime_ns: int
    sidecar: Path | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        """Identifies this version of the file: a change of size or modification time makes it a new one."""
        return (str(self.path), self.size, self.mtime_ns)

    @classmethod
    def of(cls, path: Path) -> LocalFile:
        st = path.stat()
        return cls(path, st.st_size, st.st_mtime_ns, find_sidecar(path))


def find_sidecar(path: Path) -> Path | None:
    """IMG_1.xmp or IMG_1.jpg.xmp next to IMG_1.jpg (either case), as the Immich CLI looks for them."""
    for candidate in (path.with_suffix(".xmp"), path.with_suffix(".XMP"),
                      path.with_name(path.name + ".xmp"), path.with_name(path.name + ".XMP")):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _hidden(name: str) -> bool:
    return name.startswith(".")


def scan(paths: Iterable[Path], extensions: set[str], *, recursive: bool = False, include_hidden: bool = False,
         on_skip: Callable[[Path, str], None] | None = None) -> list[LocalFile]:
    """Every supported file under `paths` (directories: top level only unless recursive), sorted, each once."""
    extensions = {e.lower() if e.startswith(".") else "." + e.lower() for e in extensions}
    found: dict[Path, LocalFile] = {}

    def consider(p: Path, explicit: bool) -> None:
        if p.suffix.lower() not in extensions:
            if explicit and on_skip:
                on_skip(p, "unsupported file type")
            return
        try:
            lf = LocalFile.of(p)
        except OSError as e:
            if on_skip:
                on_skip(p, str(e))
            return
        found.setdefault(p.resolve(), lf)

    for root in paths:
        root = Path(root).expanduser()
        if root.is_file():
            consider(root.absolute(), True)
            continue
        if not root.is_dir():
            if on_skip:
                on_skip(root, "no such file or directory")
            continue
        root = root.absolute()
        for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
            if not recursive:
                dirnames[:] = []
            elif not include_hidden:
                dirnames[:] = [d for d in dirnames if not _hidden(d)]
            dirnames.sort()
            for name in sorted(filenames):
                if include_hidden or not _hidden(name):
                    p = Path(dirpath) / name
                    if p.is_file():
                        consider(p, False)
    return sorted(found.values(), key=lambda f: str(f.path))


def sha1_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    h = hashlib.sha1()
    with path.open("rb") as f:
        while chunk := f.read(READ_SIZE):
            h.update(chunk)
            if progress:
                progress(len(chunk))
    return h.hexdigest()


class HashCache:
    """SHA-1 of (path, size, mtime) remembered in SQLite, so re-runs and watch mode do not re-read every file."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path, check_same_thread=False, timeout=10)
                self._db.execute("PRAGMA synchronous=OFF")  # a cache: losing the last entries costs a re-hash
                self._db.execute("CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, size INTEGER, "
                                 "mtime_ns INTEGER, sha1 TEXT)")
                self._db.commit()
            except (OSError, sqlite3.Error):
                self._db = None  # a cache we cannot open is no cache, not an error

    def get(self, f: LocalFile) -> str | None:
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT size, mtime_ns, sha1 FROM hashes WHERE path = ?",
                                   (str(f.path),)).fetchone()
        if row and row[0] == f.size and row[1] == f.mtime_ns:
            return str(row[2])
        return None

    def put(self, f: LocalFile, sha1: str) -> None:
        if self._db is None:
            return
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)",
                             (str(f.path), f.size, f.mtime_ns, sha1))
            self._db.commit()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def hash(self, f: LocalFile, progress: Callable[[int], None] | None = None) -> str:
        cached = self.get(f)
        if cached:
            if progress:
                progress(f.size)
            return cached
        digest = sha1_file(f.path, progress)
        st = f.path.stat()
        if (st.st_size, st.st_mtime_ns) == (f.size, f.mtime_ns):  # not rewritten while we read it
            self.put(f, digest)
        return digest

"""A ZIP archive written as a stream: files go out as they are read, never whole in memory, never copied to disk.

Uses the standard library's writer on an unseekable sink (sizes and CRCs travel in data descriptors), ZIP64 for
every entry so archives and members past 4 GB work, and no compression (photos and videos are compressed
already; storing keeps the stream at disk speed). A reader thread stays a few chunks ahead, so the disk keeps
reading while earlier chunks are checksummed and sent.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol


class Openable(Protocol):
    """Anything opened like a file for reading (an object in S3: storage.s3.ObjectFile)."""

    def open(self, mode: str = "rb") -> BinaryIO: ...

CHUNK = 4 << 20  # large reads: fewer thread hops per byte on the way out
AHEAD = 4  # chunks read ahead: memory stays at about AHEAD x CHUNK per download
_DONE = object()
_MISSING = object()


class _Sink:
    """A write-only file object whose bytes the generator hands out as they accumulate."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.offset = 0

    def write(self, b: bytes) -> int:
        self.parts.append(bytes(b))
        self.offset += len(b)
        return len(b)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def _reader(paths: list[Path | Openable], chunk: int, q: queue.Queue[object], stop: threading.Event) -> None:
    """Read every file in order into q: its chunks, then _DONE (or _MISSING if it cannot be opened)."""
    for path in paths:
        try:
            f = path.open("rb")
        except OSError:
            q.put(_MISSING)
            continue
        with f:
            if isinstance(path, Path) and hasattr(os, "posix_fadvise"):
                os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)  # a larger kernel read-ahead
            while not stop.is_set() and (data := f.read(chunk)):
                q.put(data)
        if stop.is_set():
            return
        q.put(_DONE)


def stream_zip(entries: Iterable[tuple[Path | Openable, str, datetime | None]], chunk: int = CHUNK) -> Iterator[bytes]:
    """Yield a ZIP of (path on disk, name in archive, modification time) entries; missing files are skipped."""
    items = list(entries)
    q: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    reader = threading.Thread(target=_reader, args=([p for p, _, _ in items], chunk, q, stop), daemon=True)
    reader.start()
    sink = _Sink()
    try:
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:  # type: ignore[call-overload]
            for path, name, mtime in items:
                first = q.get()
                if first is _MISSING:
                    continue
                stamp = mtime
                if stamp is None and isinstance(path, Path):
                    with contextlib.suppress(OSError):
                        stamp = datetime.fromtimestamp(path.stat().st_mtime)
                when = stamp.timetuple()[:6] if stamp is not None else (1980, 1, 1, 0, 0, 0)
                info = zipfile.ZipInfo(name, date_time=max(when, (1980, 1, 1, 0, 0, 0)))
                info.compress_type = zipfile.ZIP_STORED
                with zf.open(info, "w", force_zip64=True) as out:
                    data = first
                    while data is not _DONE:
                        assert isinstance(data, bytes)
                        out.write(data)
                        yield sink.take()
                        data = q.get()
                yield sink.take()
        yield sink.take()
    finally:
        # A client that goes away mid-download stops the reader too.
        stop.set()
        while reader.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                reader.join(0.05)

"""Originals on the local filesystem.

Layout under the data directory:

    upload/                      in-flight files (multipart bodies, tus partial uploads); same filesystem as
                                 library/, so finishing an upload is one atomic rename, never a second copy
    library/<label>/<yyyy>/<mm>/<uuid><ext>
                                 originals; <label> is the owner's storage label (when it is a safe name) or
                                 user id; <ext> comes from our own list of known types. Client-supplied names
                                 never choose a path.

Keys stored in the database are paths relative to the data directory ("library/…"), so the data directory
can move. The Storage protocol is what the S3 backend (storage/s3.py) implements with the same keys: it stages
uploads in upload/ the same way and `commit` puts the object; backends.open_storage picks one from the settings.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

log = logging.getLogger(__name__)
_SAFE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class StorageFull(OSError):
    """The volume is out of space (or the filesystem quota is exhausted)."""


class StorageUnavailable(OSError):
    """The object store could not be reached or refused a request (the API answers 503)."""


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL


class UploadSink:
    """A file in upload/ being written: hashes (SHA-1) and counts while writing; fsync before commit.

    `write` may run in a worker thread (hashlib and file writes release the GIL for large buffers).
    """

    def __init__(self, path: Path, *, append: bool = False, sha1: hashlib._Hash | None = None) -> None:
        self.path = path
        self._f: BinaryIO | None = open(path, "ab" if append else "xb")  # noqa: SIM115 - closed in close()
        self.size = self._f.tell() if append else 0
        self.sha1 = sha1 if sha1 is not None else hashlib.sha1()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._f is None:
            raise ValueError("upload sink is closed")
        self.sha1.update(data)
        try:
            self._f.write(data)
        except OSError as e:
            if is_disk_full(e):
                raise StorageFull(e.errno, "No space left on the data volume") from e
            raise
        self.size += len(data)

    def write_many(self, parts: list[bytes | memoryview]) -> None:
        """Write pieces in order without joining them first (no extra copy); for a worker thread."""
        for part in parts:
            self.write(part)

    def lock(self) -> bool:
        """Take an exclusive advisory lock on the file (one writer across processes); False if busy."""
        import fcntl

        if self._f is None:
            return False
        try:
            fcntl.flock(self._f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def truncate(self, size: int) -> None:
        """Cut the file back to size bytes (bytes past a recorded offset are not trusted)."""
        if self._f is None:
            raise ValueError("upload sink is closed")
        self._f.flush()
        self._f.truncate(size)
        self._f.seek(size)
        self.size = size

    def flush(self, *, durable: bool = False) -> None:
        if self._f is None:
            return
        try:
            self._f.flush()
            if durable:
                os.fsync(self._f.fileno())
        except OSError as e:
            if is_disk_full(e):
                raise StorageFull(e.errno, "No space left on the data volume") from e
            raise

    def close(self, *, durable: bool = True) -> None:
        """Flush (and fsync when durable) and close; the file stays in upload/."""
        if self._f is None:
            return
        try:
            self.flush(durable=durable)
        finally:
            self._f.close()
            self._f = None

    def abort(self) -> None:
        """Close and remove the file: nothing stays behind."""
        if self._f is not None:
            with contextlib.suppress(OSError):
                self._f.close()
            self._f = None
        self.path.unlink(missing_ok=True)

    @property
    def digest(self) -> bytes:
        return self.sha1.digest()


class Storage(Protocol):
    is_remote: bool  # True: bytes live elsewhere; path() gives a cached local copy, open_range() streams
    def new_upload(self, suffix: str = ".part") -> UploadSink: ...
    def commit(self, upload: Path, owner_label: str, when: datetime, ext: str) -> str: ...
    def commit_beside(self, upload: Path, key: str, ext: str) -> str: ...
    def put_file(self, local: Path, key: str) -> None: ...
    def path(self, key: str) -> Path: ...
    def exists(self, key: str) -> bool: ...
    def keys(self, folders: Iterable[str]) -> Iterator[str]: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...


def owner_folder(storage_label: str | None, user_id: str) -> str:
    """The owner's folder name under library/: the storage label when it is a safe name, else the user id."""
    if storage_label and _SAFE_LABEL.match(storage_label) and storage_label not in (".", ".."):
        return storage_label
    return user_id


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class LocalStorage:
    is_remote = False

    def __init__(self, data: Path) -> None:
        self.root = data.resolve()
        self.upload_dir = self.root / "upload"
        self.library_dir = self.root / "library"

    def check(self) -> None:
        """Nothing to reach: the folders are made by Settings.ensure_dirs."""

    # uploads -------------------------------------------------------------------------------------
    def new_upload(self, suffix: str = ".part") -> UploadSink:
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        return UploadSink(self.upload_dir / f"{uuid.uuid4().hex}{suffix}")

    def upload_path(self, name: str) -> Path:
        """A file in upload/ by a name we generated (never a client's)."""
        if not re.fullmatch(r"[A-Za-z0-9._-]+", name) or name.startswith("."):
            raise ValueError(f"bad upload name {name!r}")
        return self.upload_dir / name

    # originals -----------------------------------------------------------------------------------
    def _place(self, upload: Path, target_dir: Path, name: str) -> Path:
        target_dir.mkdir(parents=True, exist_ok=True)
        final = target_dir / name
        try:
            # A hard link never replaces an existing file (EEXIST), then the upload name goes away.
            os.link(upload, final)
            upload.unlink()
        except OSError as e:
            if e.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                if final.exists():
                    raise FileExistsError(errno.EEXIST, "target exists", str(final)) from e
                os.rename(upload, final)  # filesystems without hard links
            elif e.errno == errno.EXDEV:
                # upload/ and library/ on different filesystems (a misconfigured mount): it still works, at
                # the price of the copy the normal layout avoids.
                log.warning("upload/ and library/ are on different filesystems; copying %s", upload.name)
                try:
                    with open(upload, "rb") as src, open(final, "xb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                        dst.flush()
                        os.fsync(dst.fileno())
                except BaseException:
                    final.unlink(missing_ok=True)
                    raise
                upload.unlink()
            else:
                raise
        _fsync_dir(target_dir)
        return final

    def commit(self, upload: Path, owner_label: str, when: datetime, ext: str) -> str:
        """Move a complete, fsynced upload into library/ under a fresh name; returns its key."""
        if "/" in owner_label or owner_label in ("", ".", ".."):
            raise ValueError("bad owner folder")
        if not re.fullmatch(r"(\.[a-z0-9]{1,8})?", ext):
            raise ValueError(f"bad extension {ext!r}")
        target_dir = self.library_dir / owner_label / f"{when.year:04d}" / f"{when.month:02d}"
        final = self._place(upload, target_dir, f"{uuid.uuid4()}{ext}")
        return final.relative_to(self.root).as_posix()

    def commit_beside(self, upload: Path, key: str, ext: str) -> str:
        """Move an upload next to an existing original (e.g. its XMP sidecar: <original>.xmp)."""
        original = self.path(key)
        final = self._place(upload, original.parent, original.name + ext)
        return final.relative_to(self.root).as_posix()

    def path(self, key: str) -> Path:
        """The local path of a stored key; refuses keys that would leave the data directory."""
        p = (self.root / key).resolve()
        if p != self.root and self.root not in p.parents:
            raise ValueError(f"storage key escapes the data directory: {key!r}")
        return p

    def put_file(self, local: Path, key: str) -> None:
        """Store a file written locally (a derivative) under key; usually it was written there already."""
        final = self.path(key)
        if local.resolve() != final:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(local, final)

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except ValueError:
            return False

    def keys(self, folders: Iterable[str]) -> Iterator[str]:
        """Every stored file under the given top folders (hidden names skipped: temporary files)."""
        for sub in folders:
            for dirpath, dirnames, filenames in os.walk(self.root / sub):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                rel = Path(dirpath).relative_to(self.root).as_posix()
                yield from (f"{rel}/{n}" for n in filenames if not n.startswith("."))

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        with contextlib.suppress(ValueError):
            self.path(key).unlink(missing_ok=True)

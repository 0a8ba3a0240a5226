"""Resumable uploads (tus 1.0): sessions owned by a user, bytes in upload/tus-<id>.part.

Checksums across resumes: hashlib state cannot be stored, so the SHA-1 object of an upload stays in memory
between PATCH requests in this process, tagged with the offset it has consumed. A PATCH that finds it at the
current offset simply continues. After a restart, in another worker process, or when the offsets disagree,
the partial file is re-hashed from disk up to the recorded offset (sequential read, ~1 GB/s) before the new
bytes are appended. Either way the final SHA-1 is exactly that of the bytes on disk.

The recorded offset (database) is advanced only after the bytes are flushed and fsynced; bytes on disk past
it (a crash mid-PATCH) are cut off when the next PATCH starts, so the file never holds untrusted bytes.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import TusUpload
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.library.ingest import check_filename, check_quota
from photonest.storage.local import LocalStorage, UploadSink

log = logging.getLogger(__name__)

_hashes: dict[str, tuple[int, Any]] = {}
_hash_lock = threading.Lock()


def part_name(upload_id: str) -> str:
    return f"tus-{upload_id}.part"


def _expiry(settings: Settings) -> Any:
    return utcnow() + timedelta(hours=settings.upload_expiry_hours)


def create(db: Db, ctx: AuthContext, settings: Settings, storage: LocalStorage, length: int,
           meta: dict[str, str]) -> TusUpload:
    """A new upload of `length` bytes; refused up front when it could never be accepted."""
    if length <= 0:
        raise errors.BadRequest("File is empty (0 bytes)")
    if length > settings.max_upload_bytes:
        raise errors.PayloadTooLarge(f"Upload is larger than the server's limit of {settings.max_upload_bytes} bytes")
    check_filename(meta.get("filename", ""))
    check_quota(ctx.user, length)
    purge_expired(db, settings)
    up = TusUpload(id=uuid.uuid4().hex, owner_id=ctx.user.id, length=length, offset=0, meta=meta,
                   expires_at=_expiry(settings))
    storage.upload_dir.mkdir(parents=True, exist_ok=True)
    storage.upload_path(part_name(up.id)).touch(exist_ok=False)
    db.add(up)
    try:
        db.commit()
    except BaseException:
        storage.upload_path(part_name(up.id)).unlink(missing_ok=True)
        raise
    return up


def get(db: Db, ctx: AuthContext, upload_id: str) -> TusUpload:
    up = db.get(TusUpload, upload_id) if upload_id.isalnum() else None
    if up is None or up.owner_id != ctx.user.id or (up.asset_id is None and up.expires_at < utcnow()):
        raise errors.NotFound("Upload not found")
    return up


def terminate(db: Db, ctx: AuthContext, storage: LocalStorage, upload_id: str) -> None:
    up = get(db, ctx, upload_id)
    forget(up.id)
    db.delete(up)
    db.commit()
    storage.upload_path(part_name(up.id)).unlink(missing_ok=True)


def forget(upload_id: str) -> None:
    with _hash_lock:
        _hashes.pop(upload_id, None)


def _rehash(sink: UploadSink, upto: int) -> Any:
    h = hashlib.sha1()
    with open(sink.path, "rb") as f:
        left = upto
        while left > 0:
            block = f.read(min(left, 1 << 20))
            if not block:
                break
            h.update(block)
            left -= len(block)
    return h


def open_for_patch(db: Db, ctx: AuthContext, storage: LocalStorage, upload_id: str, client_offset: int
                   ) -> tuple[TusUpload, UploadSink]:
    """Lock the partial file for appending at client_offset, with the SHA-1 of the bytes before it."""
    up = get(db, ctx, upload_id)
    if up.asset_id is not None or up.offset >= up.length:
        raise errors.Conflict("Upload is already complete")
    if client_offset != up.offset:
        raise errors.Conflict(f"Upload-Offset {client_offset} does not match the server's offset {up.offset}")
    path = storage.upload_path(part_name(up.id))
    if not path.exists():
        raise errors.NotFound("Upload not found")
    sink = UploadSink(path, append=True)
    if not sink.lock():
        sink.close(durable=False)
        raise errors.Conflict("Another request is writing to this upload")
    try:
        if sink.size > up.offset:
            sink.truncate(up.offset)  # bytes written after the last recorded offset are not trusted
        elif sink.size < up.offset:
            up.offset = sink.size
            db.commit()
            raise errors.Conflict(f"Upload-Offset {client_offset} does not match the server's offset {up.offset}")
        with _hash_lock:
            cached = _hashes.pop(up.id, None)
        if cached is not None and cached[0] == up.offset:
            sink.sha1 = cached[1]
        else:
            t = time.monotonic()
            sink.sha1 = _rehash(sink, up.offset)
            if up.offset:
                log.info("tus %s: re-hashed %d bytes to resume (%.2fs)", up.id, up.offset, time.monotonic() - t)
    except BaseException:
        sink.close(durable=False)
        raise
    db.commit()
    return up, sink


def record_progress(db: Db, settings: Settings, up: TusUpload, sink: UploadSink) -> None:
    """After a PATCH (whole or cut short): make the bytes durable, then advance the recorded offset."""
    sink.flush(durable=True)
    up.offset = sink.size
    up.expires_at = _expiry(settings)
    db.commit()
    with _hash_lock:
        _hashes[up.id] = (sink.size, sink.sha1)


def mark_finished(db: Db, up: TusUpload, asset_id: str, status: str) -> None:
    forget(up.id)
    up.asset_id, up.status, up.offset = asset_id, status, up.length
    db.commit()


def drop(db: Db, up: TusUpload) -> None:
    """The upload was refused at the end (type, quota, ...): remove its record; the file is already gone."""
    forget(up.id)
    db.rollback()
    db.execute(delete(TusUpload).where(TusUpload.id == up.id))
    db.commit()


def purge_expired(db: Db, settings: Settings) -> int:
    """Remove expired tus uploads (row and partial file) and stray in-flight files older than the expiry."""
    storage = LocalStorage(settings.data)
    now = utcnow()
    expired = list(db.scalars(select(TusUpload).where(TusUpload.expires_at < now)))
    for up in expired:
        forget(up.id)
        db.delete(up)
        storage.upload_path(part_name(up.id)).unlink(missing_ok=True)
    db.commit()
    # Files a crashed process left behind: anything not belonging to a live tus upload and not touched
    # within the expiry window.
    live = set(db.scalars(select(TusUpload.id)))
    horizon = time.time() - settings.upload_expiry_hours * 3600
    removed = len(expired)
    if storage.upload_dir.is_dir():
        for p in storage.upload_dir.iterdir():
            # .part: in-flight uploads; motion-*.mp4: a motion photo's video cut by a metadata stage whose
            # worker died before saving it (jobs/stages.py _cut_motion).
            stray = p.name.endswith(".part") or (p.name.startswith("motion-") and p.name.endswith(".mp4"))
            if not p.is_file() or not stray:
                continue
            if p.name.startswith("tus-") and p.name[4:-5] in live:
                continue
            try:
                if p.stat().st_mtime < horizon:
                    p.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
    return removed

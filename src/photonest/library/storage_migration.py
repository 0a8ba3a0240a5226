"""Moving a library between the data folder and an S3 bucket (`photonest storage migrate --to s3|local`).

Keys in the database are the same strings on both backends, so moving is copying: every original (not an external
library's: those stay where they are) and every derivative a row points at is copied from the other backend,
then checked on the target (size for every file, SHA-1 against the asset's checksum for originals). Files the
target already holds with the right size (and checksum) are skipped, so an interrupted run continues where it
stopped. Nothing in the database changes; the switch is the operator's: set PHOTONEST_STORAGE and restart.
The source is deleted only when asked and only after every file verified.

Not copied: people's face crops (thumbs/people, a local cache made again on demand) and profile pictures
(profile/, kept in the data folder in both modes).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import Asset, AssetFile
from photonest.storage.local import LocalStorage
from photonest.storage.s3 import S3Storage

log = logging.getLogger(__name__)


@dataclass
class Report:
    copied: int = 0
    skipped: int = 0  # already on the target, verified
    missing: list[str] = field(default_factory=list)  # rows pointing at files the source does not have
    failed: list[str] = field(default_factory=list)  # copied but not verified (size or checksum differs)
    deleted: int = 0


def stored_keys(db: Db) -> Iterator[tuple[str, bytes | None]]:
    """(key, SHA-1 for originals or None) of every file the database points at in the storage backend."""
    for key, checksum in db.execute(select(Asset.original_path, Asset.checksum).where(Asset.library_id.is_(None))):
        yield key, bytes(checksum)
    for (key,) in db.execute(select(AssetFile.path)):
        yield key, None


def backends(settings: Settings, to: str) -> tuple[LocalStorage, LocalStorage]:
    """(source, target) for a migration to `to`; the S3 settings must be filled in either way."""
    data = settings.data.resolve()
    local = LocalStorage(data)
    remote = S3Storage(data, bucket=settings.s3_bucket, prefix=settings.s3_prefix,
                       endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
                       access_key_id=settings.s3_access_key_id, secret_access_key=settings.s3_secret_access_key,
                       cache_bytes=settings.s3_cache_bytes, multipart_bytes=settings.s3_multipart_bytes)
    remote.check()
    return (local, remote) if to == "s3" else (remote, local)


def _sha1(store: LocalStorage, key: str) -> bytes:
    h = hashlib.sha1()
    with store.open(key) as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.digest()


def _size(store: LocalStorage, key: str) -> int | None:
    if isinstance(store, S3Storage):
        head = store.head(key)
        return head.size if head else None
    p = store.path(key)
    return p.stat().st_size if p.is_file() else None


def _copy(source: LocalStorage, target: LocalStorage, key: str) -> None:
    if isinstance(target, S3Storage):  # folder -> bucket: upload a copy, the source file stays
        target.upload_copy(source.path(key), key)
        return
    dest = target.path(key)  # bucket -> folder: download beside the final name, then rename
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.migrate.tmp")
    try:
        with source.open(key) as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)


def migrate(db: Db, settings: Settings, to: str, *, checksums: bool = True, delete_source: bool = False,
            progress: Callable[[int], None] | None = None) -> Report:
    if to not in ("s3", "local"):
        raise ValueError("--to must be s3 or local")
    source, target = backends(settings, to)
    items = list(stored_keys(db))
    db.commit()
    report = Report()
    verified: list[str] = []
    for key, checksum in items:
        try:
            size = _size(source, key)
            if size is None:
                report.missing.append(key)
                continue
            want = checksum if checksums else None
            if _size(target, key) == size and (want is None or _sha1(target, key) == want):
                report.skipped += 1
                verified.append(key)
                continue
            _copy(source, target, key)
            if _size(target, key) != size or (want is not None and _sha1(target, key) != want):
                report.failed.append(key)
                continue
            report.copied += 1
            verified.append(key)
        finally:
            if progress is not None:
                progress(1)
    if delete_source and not report.failed and not report.missing:
        for key in verified:
            if isinstance(source, S3Storage):
                source.delete_object(key)  # not S3Storage.delete: that would remove the new local copy too
            else:
                source.delete(key)
            report.deleted += 1
    return report

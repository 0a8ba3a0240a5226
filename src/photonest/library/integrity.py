"""Integrity checks (Immich's /admin/integrity): files rows point at that are gone, files no row knows, originals
whose SHA-1 changed. A scan replaces its type's findings in integrity_report; the admin reads, exports and acts
on them (delete a stray file, trash an asset whose original is lost, regenerate a lost derivative).

Files are looked at through the configured storage backend: with object storage the scans list the bucket's
objects instead of walking folders, and the checksum scan streams each original from the bucket.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import Asset, AssetFile, IntegrityReport, Person
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.storage.backends import local_file, open_storage

log = logging.getLogger(__name__)
MISSING, UNTRACKED, CHECKSUM = "missing_file", "untracked_file", "checksum_mismatch"
TYPES = (UNTRACKED, MISSING, CHECKSUM)
SCANNED_DIRS = ("library", "thumbs", "encoded-video")  # upload/ holds uploads in flight, never finished files
# The stage that writes each kind of derivative: a lost one is made again by forcing it.
DERIVED_BY = {"thumbnail": "thumbnails", "preview": "thumbnails", "fullsize": "thumbnails",
              "encoded_video": "video"}


@dataclass(frozen=True)
class Finding:
    path: str  # data-dir relative
    asset_id: str | None


def _exists(settings: Settings, key: str) -> bool:
    root = settings.data.resolve()
    if root not in (root / key).resolve().parents:
        return False
    return open_storage(settings).exists(key)


def _known_files(db: Db) -> Iterator[tuple[str, str, str | None]]:
    """(path, asset_id, file type or None for the original) of every file a row points at. An external library's
    originals live outside the data directory and are its scans' business (offline), not ours."""
    for asset_id, path in db.execute(select(Asset.id, Asset.original_path).where(Asset.library_id.is_(None))):
        yield path, asset_id, None
    for asset_id, path, typ in db.execute(select(AssetFile.asset_id, AssetFile.path, AssetFile.type)):
        yield path, asset_id, typ


def _replace(db: Db, typ: str, found: list[Finding]) -> int:
    """Make the reports of one type exactly `found`, keeping the ids of findings that were already reported."""
    old = {r.path: r for r in db.scalars(select(IntegrityReport).where(IntegrityReport.type == typ))}
    keep = {f.path for f in found}
    for path, r in old.items():
        if path not in keep:
            db.delete(r)
    now = utcnow()
    for f in found:
        if f.path not in old:
            db.add(IntegrityReport(type=typ, path=f.path, asset_id=f.asset_id, created_at=now))
    db.flush()
    return len(found)


def _present(settings: Settings) -> set[str]:
    """Every file under the scanned folders, as data-dir keys: one directory walk (or bucket listing) instead of
    a look per row."""
    return set(open_storage(settings).keys(SCANNED_DIRS))


def scan_missing(db: Db, settings: Settings) -> int:
    present = _present(settings)
    found = []
    for path, asset_id, _ in _known_files(db):
        if path in present:
            continue
        if not _exists(settings, path):  # elsewhere in the data dir (or a hidden name): look at it directly
            found.append(Finding(path, asset_id))
    return _replace(db, MISSING, found)


def scan_untracked(db: Db, settings: Settings) -> int:
    from photonest.library.people import thumbnail_key

    known = {path for path, _, _ in _known_files(db)}
    known |= {thumbnail_key(p) for p in db.scalars(select(Person).where(Person.feature_face_id.is_not(None)))}
    return _replace(db, UNTRACKED, [Finding(key, None) for key in sorted(_present(settings) - known)])


def _sha1(settings: Settings, key: str) -> bytes | None:
    """SHA-1 of a stored file (streamed from the bucket with object storage); None when it is not there."""
    h = hashlib.sha1()
    try:
        with open_storage(settings).open(key) as f:
            while chunk := f.read(1024 * 1024):
                h.update(chunk)
    except (OSError, ValueError):
        return None
    return h.digest()


def scan_checksums(db: Db, settings: Settings) -> int:
    """Hash every original (slow: reads the whole library); missing files are scan_missing's business."""
    found = []
    # An external asset's checksum identifies its path (library_scan.path_checksum), not its content.
    for asset_id, path, checksum in db.execute(select(Asset.id, Asset.original_path, Asset.checksum)
                                               .where(Asset.library_id.is_(None))):
        digest = _sha1(settings, path)
        if digest is not None and digest != bytes(checksum):
            found.append(Finding(path, asset_id))
    return _replace(db, CHECKSUM, found)


SCANS = {MISSING: scan_missing, UNTRACKED: scan_untracked, CHECKSUM: scan_checksums}


def refresh(db: Db, settings: Settings, typ: str) -> int:
    """Drop the reports of one type that are no longer true (without a full scan); returns how many went."""
    gone = 0
    for r in list(db.scalars(select(IntegrityReport).where(IntegrityReport.type == typ))):
        exists = _exists(settings, r.path)
        if (typ == MISSING and exists) or (typ != MISSING and not exists):
            db.delete(r)
            gone += 1
    db.flush()
    return gone


# --- reading ------------------------------------------------------------------------------------------------


def summary(db: Db) -> dict[str, int]:
    counts = dict(db.execute(select(IntegrityReport.type, func.count()).group_by(IntegrityReport.type)).all())
    return {t: int(counts.get(t, 0)) for t in TYPES}


def page(db: Db, typ: str, cursor: str | None, limit: int) -> tuple[list[IntegrityReport], str | None]:
    q = select(IntegrityReport).where(IntegrityReport.type == typ).order_by(IntegrityReport.id)
    if cursor:
        q = q.where(IntegrityReport.id > cursor)
    rows = list(db.scalars(q.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


def to_csv(db: Db, typ: str) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "type", "assetId", "path"])
    for r in db.scalars(select(IntegrityReport).where(IntegrityReport.type == typ).order_by(IntegrityReport.path)):
        w.writerow([r.id, r.type, r.asset_id or "", r.path])
    return out.getvalue()


def _get(db: Db, report_id: str) -> IntegrityReport:
    r = db.get(IntegrityReport, report_id)
    if r is None:
        raise errors.NotFound("Integrity report item not found")
    return r


def file_of(db: Db, settings: Settings, report_id: str) -> Path:
    """The flagged file (untracked or changed), for download; a missing file has none."""
    r = _get(db, report_id)
    if r.type == MISSING or not _exists(settings, r.path):
        raise errors.NotFound("The flagged file does not exist")
    return local_file(settings, r.path)  # object storage: a cached copy


# --- acting -------------------------------------------------------------------------------------------------


def resolve(db: Db, settings: Settings, report_id: str) -> list[tuple[str, str]]:
    """Act on one finding, then drop it: an untracked file is deleted; an asset whose original is lost or changed
    goes to the trash; a lost derivative is forgotten and made again. Returns (asset id, stage) to queue."""
    r = _get(db, report_id)
    return _resolve(db, settings, r)


def _resolve(db: Db, settings: Settings, r: IntegrityReport) -> list[tuple[str, str]]:
    requeue: list[tuple[str, str]] = []
    if r.type == UNTRACKED:
        root = settings.data.resolve()
        if root in (root / r.path).resolve().parents:
            open_storage(settings).delete(r.path)
    elif r.asset_id is not None:
        asset = db.get(Asset, r.asset_id)
        derived = db.scalar(select(AssetFile).where(AssetFile.asset_id == r.asset_id, AssetFile.path == r.path))
        if r.type == MISSING and derived is not None:
            stage = DERIVED_BY.get(derived.type)
            db.delete(derived)
            if asset is not None and stage:
                asset.stages_done = [s for s in (asset.stages_done or []) if s != stage]
                requeue.append((asset.id, stage))
        elif asset is not None and asset.deleted_at is None:
            asset.deleted_at = utcnow()
    db.delete(r)
    db.flush()
    return requeue


def resolve_all(db: Db, settings: Settings, typ: str) -> list[tuple[str, str]]:
    requeue: list[tuple[str, str]] = []
    for r in list(db.scalars(select(IntegrityReport).where(IntegrityReport.type == typ))):
        requeue += _resolve(db, settings, r)
    return requeue


def clear(db: Db, typ: str | None = None) -> None:
    q = delete(IntegrityReport)
    db.execute(q.where(IntegrityReport.type == typ) if typ else q)

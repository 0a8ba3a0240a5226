"""Scanning an external library: walk its import paths and bring the database in line with the files.

- A file whose size and mtime match the last scan is skipped without being opened (a rescan of unchanged
  folders costs a stat per file and one query).
- A new file is hashed (SHA-1, streamed) and becomes an asset of the library's owner, queued for the same
  pipeline as an upload (metadata, thumbnails, ...); its original is never copied: original_path is absolute.
- A changed file (size or mtime) is hashed again; new content means the asset is processed again.
- A file that is gone (or now excluded, or outside the import paths) goes offline: isOffline and trashed, as
  Immich does; it comes back online (and out of the trash) when it reappears.
- Symlinks that lead outside the import path, symlinked folders, unreadable files and names that are not
  UTF-8 are skipped with a log line. Nothing is ever written to the library's folders.

The asset's checksum identifies its path, as Immich's external assets do (the content SHA-1 is kept in
library_file): an external file whose content the owner already uploaded is still indexed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session as Db

from photonest.db.engine import Database
from photonest.db.tables import Asset, AssetExif, Library, LibraryFile
from photonest.db.types import new_id, utcnow
from photonest.library.exclusions import Exclusions
from photonest.library.libraries import import_roots, inside
from photonest.media.types import asset_type, mime_type

log = logging.getLogger(__name__)
CHUNK = 1 << 20
BATCH = 200  # new or changed files per write transaction (SQLite has one writer; keep its turns short)


@dataclass
class ScanResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    offline: int = 0
    online: int = 0
    skipped: int = 0
    queued: list[str] = field(default_factory=list)  # assets sent to the pipeline
    sidecars: list[str] = field(default_factory=list)  # assets whose sidecar changed: metadata again


@dataclass
class Found:
    path: str
    size: int
    mtime_ns: int
    sidecar_mtime_ns: int = 0  # its XMP sidecar's (0: none)


@dataclass
class Known:
    asset_id: str
    size: int
    mtime_ns: int
    sha1: bytes
    is_offline: bool
    sidecar_mtime_ns: int


def path_checksum(library_id: str, path: str) -> bytes:
    """The asset's checksum: its identity by path (unique per owner even across two libraries)."""
    return hashlib.sha1(f"path:{library_id}:{path}".encode("utf-8", "surrogatepass")).digest()


def hash_file(path: str) -> bytes:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.digest()


def walk(root: str, real_root: Path, rules: Exclusions, result: ScanResult) -> Iterator[Found]:
    """The supported, not excluded media files under root (a normalised absolute path)."""
    def onerror(e: OSError) -> None:
        log.warning("library scan: cannot read folder %s: %s", e.filename, e.strerror)
        result.skipped += 1

    for folder, dirs, files in os.walk(root, onerror=onerror, followlinks=False):
        keep = []
        for d in dirs:
            full = os.path.join(folder, d)
            if os.path.islink(full):
                log.info("library scan: not following symlinked folder %s", full)
                result.skipped += 1
            elif not rules.prunes(full):
                keep.append(d)
        dirs[:] = keep
        xmps = {n for n in files if n[-4:].lower() == ".xmp"}
        for name in files:
            full = os.path.join(folder, name)
            if asset_type(os.path.splitext(name)[1]) is None or rules.excludes(full):
                continue
            try:
                full.encode("utf-8")
            except UnicodeEncodeError:
                log.warning("library scan: skipping %r: its name is not UTF-8", full)
                result.skipped += 1
                continue
            try:
                st = os.stat(full)  # follows a symlink: the target must be a file inside the import path
            except OSError as e:
                log.warning("library scan: skipping %s: %s", full, e.strerror)
                result.skipped += 1
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if os.path.islink(full) and not inside(Path(os.path.realpath(full)), [real_root]):
                log.warning("library scan: skipping %s: symlink leads outside the import path", full)
                result.skipped += 1
                continue
            yield Found(full, st.st_size, st.st_mtime_ns, _sidecar_mtime(folder, name, xmps))


def _sidecar_mtime(folder: str, name: str, xmps: set[str]) -> int:
    """The mtime of name's sidecar (<name>.xmp, else <stem>.xmp, as Immich and stages._sidecar look), or 0.
    Costs a stat only where a sidecar exists."""
    for cand in (f"{name}.xmp", f"{os.path.splitext(name)[0]}.xmp"):
        if cand in xmps:
            try:
                return os.stat(os.path.join(folder, cand)).st_mtime_ns
            except OSError:
                return 0
    return 0


def _known(db: Database, library_id: str) -> dict[str, Known]:
    with db.session(write=False) as s:
        rows = s.execute(select(LibraryFile.path, LibraryFile.asset_id, LibraryFile.size, LibraryFile.mtime_ns,
                                LibraryFile.sha1, Asset.is_offline, LibraryFile.sidecar_mtime_ns)
                         .join(Asset, Asset.id == LibraryFile.asset_id)
                         .where(LibraryFile.library_id == library_id))
        return {r[0]: Known(r[1], r[2], r[3], bytes(r[4]), bool(r[5]), r[6]) for r in rows}


def _when(mtime_ns: int) -> datetime:
    return datetime.fromtimestamp(mtime_ns / 1e9, UTC)


def _new_asset(lib: Library, f: Found, sha1: bytes) -> tuple[Asset, LibraryFile]:
    name = os.path.basename(f.path)
    ext = os.path.splitext(name)[1].lower()
    when = _when(f.mtime_ns)
    asset = Asset(id=new_id(), owner_id=lib.owner_id, checksum=path_checksum(lib.id, f.path),
                  type=asset_type(ext) or "OTHER", original_path=f.path, original_file_name=name,
                  original_mime_type=mime_type(ext),
                  file_size=f.size, file_created_at=when, file_modified_at=when, local_date_time=when,
                  library_id=lib.id, device_id="Library Import", device_asset_id=name[:300], stages_done=[])
    return asset, LibraryFile(asset_id=asset.id, library_id=lib.id, path=f.path, size=f.size,
                              mtime_ns=f.mtime_ns, sha1=sha1, sidecar_mtime_ns=f.sidecar_mtime_ns)


def _set_online(db: Database, ids: list[str], online: bool) -> int:
    n = 0
    for i in range(0, len(ids), 500):
        with db.session() as s:
            res = s.execute(update(Asset).where(Asset.id.in_(ids[i:i + 500]), Asset.is_offline.is_(online))
                            .values(is_offline=not online, deleted_at=None if online else utcnow())
                            .execution_options(synchronize_session=False))
            n += int(getattr(res, "rowcount", 0) or 0)
    return n


def _hash(f: Found, result: ScanResult) -> bytes | None:
    try:
        return hash_file(f.path)
    except OSError as e:
        log.warning("library scan: skipping %s: %s", f.path, e.strerror or e)
        result.skipped += 1
        return None


def scan(db: Database, library_id: str, enqueue: Callable[[str, list[str] | None], None]) -> ScanResult:
    """One scan of one library (see the module's docstring). enqueue(asset_id, stages) sends an asset to the
    pipeline: stages None for whatever it misses, or the stages to run again."""
    result = ScanResult()
    with db.session(write=False) as s:
        lib = s.get(Library, library_id)
        if lib is None:
            return result
        s.expunge(lib)
    rules = Exclusions(lib.exclusion_patterns or [])
    known = _known(db, library_id)
    seen: set[str] = set()
    todo: list[tuple[Found, Known | None]] = []
    sidecar_changed: list[tuple[str, int]] = []
    for raw, real in zip(lib.import_paths or [], import_roots(lib), strict=True):
        root = os.path.normpath(raw)
        if not os.path.isdir(root):
            log.warning("library scan: import path %s of library %s is not a readable folder", root, lib.name)
            continue
        for f in walk(root, real, rules, result):
            if f.path in seen:  # overlapping import paths
                continue
            seen.add(f.path)
            k = known.get(f.path)
            if k is not None and k.size == f.size and k.mtime_ns == f.mtime_ns:
                result.unchanged += 1
                if k.sidecar_mtime_ns != f.sidecar_mtime_ns:
                    sidecar_changed.append((k.asset_id, f.sidecar_mtime_ns))
                continue
            todo.append((f, k))
            if len(todo) >= BATCH:
                _write(db, lib, todo, result)
                todo = []
                if (result.new + result.changed) % 5000 < BATCH:  # a long first scan says how far it got
                    log.info("library scan %s: %d new, %d changed, %d unchanged so far", lib.name, result.new,
                             result.changed, result.unchanged)
    _write(db, lib, todo, result)
    _sidecars(db, sidecar_changed, result)
    back = [k.asset_id for p, k in known.items() if p in seen and k.is_offline]
    gone = [k.asset_id for p, k in known.items() if p not in seen and not k.is_offline]
    result.online = _set_online(db, back, True)
    result.offline = _set_online(db, gone, False)
    with db.session() as s:
        s.execute(update(Library).where(Library.id == library_id).values(refreshed_at=utcnow())
                  .execution_options(synchronize_session=False))
    for asset_id in result.queued:
        enqueue(asset_id, None)
    for asset_id in result.sidecars:
        enqueue(asset_id, ["metadata"])
    log.info("library scan %s (%s): %d new, %d changed, %d unchanged, %d offline, %d back online, %d skipped",
             lib.name, library_id, result.new, result.changed, result.unchanged, result.offline, result.online,
             result.skipped)
    return result


def _write(db: Database, lib: Library, todo: list[tuple[Found, Known | None]], result: ScanResult) -> None:
    """Hash the batch's files (outside any transaction), then record them in one transaction."""
    hashed = [(f, k, h) for f, k in todo if (h := _hash(f, result)) is not None]
    if not hashed:
        return
    with db.session() as s:
        for f, k, sha1 in hashed:
            if k is None:
                asset, lf = _new_asset(lib, f, sha1)
                s.add_all([asset, lf, AssetExif(asset_id=asset.id, file_size_in_byte=f.size)])
                result.new += 1
                result.queued.append(asset.id)
                continue
            lf_row = s.get(LibraryFile, k.asset_id)
            if lf_row is None:
                continue
            lf_row.size, lf_row.mtime_ns, lf_row.sha1 = f.size, f.mtime_ns, sha1
            sidecar_changed = lf_row.sidecar_mtime_ns != f.sidecar_mtime_ns
            lf_row.sidecar_mtime_ns = f.sidecar_mtime_ns
            if sha1 == k.sha1:
                result.unchanged += 1  # touched, same bytes: nothing to redo (but its metadata if the sidecar moved)
                if sidecar_changed:
                    _reset_exif(s, k.asset_id)
                    result.sidecars.append(k.asset_id)
                continue
            # New content: forget what the pipeline did (and what the old file said), so every stage runs again.
            s.execute(update(Asset).where(Asset.id == k.asset_id)
                      .values(file_size=f.size, file_modified_at=_when(f.mtime_ns), stages_done=[])
                      .execution_options(synchronize_session=False))
            _reset_exif(s, k.asset_id)
            result.changed += 1
            result.queued.append(k.asset_id)


def _sidecars(db: Database, changed: list[tuple[str, int]], result: ScanResult) -> None:
    """Unchanged files whose sidecar appeared, changed or went: record it; their metadata is read again."""
    for i in range(0, len(changed), 500):
        with db.session() as s:
            for asset_id, mtime_ns in changed[i:i + 500]:
                s.execute(update(LibraryFile).where(LibraryFile.asset_id == asset_id)
                          .values(sidecar_mtime_ns=mtime_ns).execution_options(synchronize_session=False))
                _reset_exif(s, asset_id)
                result.sidecars.append(asset_id)


def _reset_exif(s: Db, asset_id: str) -> None:
    """Forget what the file and its old sidecar said (a probe only fills fields, never clears them); what the
    user edited (locked_fields) stays. The metadata stage fills the row again."""
    exif = s.get(AssetExif, asset_id)
    if exif is None:
        return
    keep = set(exif.locked_fields or []) | {"asset_id", "locked_fields", "file_size_in_byte"}
    for col in AssetExif.__table__.columns:
        if col.key not in keep:
            setattr(exif, col.key, "" if col.key == "description" else None)

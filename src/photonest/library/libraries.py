"""External libraries: folders an admin points photonest at, indexed in place and never written to.

A library belongs to one owner; its assets are the owner's (timeline, search, map) with library_id set and an
absolute original_path. Only admins manage libraries (the API checks it); the rules for paths are here:
an import path must be absolute, an existing readable folder, and outside the data directory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, Library, User
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.exclusions import DEFAULT_PATTERNS, check_pattern
from photonest.storage.local import Storage

log = logging.getLogger(__name__)
DEFAULT_NAME = "New External Library"
MAX_ITEMS = 128


@dataclass
class PathCheck:
    import_path: str
    is_valid: bool
    message: str | None = None


def check_import_path(path: str, data_dir: Path) -> PathCheck:
    """Immich's checks (and messages) for one import path."""
    bad = PathCheck(path, False)
    if "\x00" in path:
        bad.message = "Import path contains a NUL character"
        return bad
    if not os.path.isabs(path):
        bad.message = f"Import path must be absolute, try {os.path.abspath(path)}"
        return bad
    real, data = Path(os.path.realpath(path)), data_dir.resolve()
    if real == data or data in real.parents or real in data.parents:
        bad.message = "Cannot use media upload folder for external libraries"
        return bad
    try:
        st = os.stat(path)
    except FileNotFoundError:
        bad.message = "Path does not exist (ENOENT)"
        return bad
    except OSError as e:
        bad.message = str(e)
        return bad
    import stat

    if not stat.S_ISDIR(st.st_mode):
        bad.message = "Not a directory"
        return bad
    if not os.access(path, os.R_OK | os.X_OK):
        bad.message = "Lacking read permission for folder"
        return bad
    return PathCheck(path, True)


def _unique(values: Sequence[str], what: str) -> list[str]:
    if len(values) > MAX_ITEMS:
        raise errors.BadRequest(f"{what} must contain no more than {MAX_ITEMS} elements")
    if len(set(values)) != len(values):
        raise errors.BadRequest(f"{what} must be unique")
    return list(values)


def _check_patterns(patterns: Sequence[str]) -> list[str]:
    out = _unique(patterns, "Exclusion patterns")
    for p in out:
        problem = check_pattern(p)
        if problem:
            raise errors.BadRequest(problem)
    return out


def _check_paths(paths: Sequence[str], data_dir: Path) -> list[str]:
    out = _unique(paths, "Import paths")
    for p in out:
        result = check_import_path(p, data_dir)
        if not result.is_valid:
            raise errors.BadRequest(f"Invalid import path: {result.message}")
    return [os.path.normpath(p) for p in out]


def validate(paths: Sequence[str], patterns: Sequence[str], data_dir: Path) -> list[PathCheck]:
    """POST /libraries/{id}/validate: each import path checked (never an error for a bad one)."""
    _unique(paths, "Import paths")
    _check_patterns(patterns)
    return [check_import_path(p, data_dir) for p in paths]


def get(db: Db, library_id: str) -> Library:
    lib = db.get(Library, library_id)
    if lib is None:
        raise errors.BadRequest("Library not found")
    return lib


def list_all(db: Db) -> list[Library]:
    return list(db.scalars(select(Library).order_by(Library.created_at, Library.id)))


def asset_counts(db: Db, ids: Sequence[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = db.execute(select(Asset.library_id, func.count()).where(Asset.library_id.in_(list(ids)))
                      .group_by(Asset.library_id))
    return {str(k): int(n) for k, n in rows}


def create(db: Db, data_dir: Path, *, owner_id: str, name: str | None, import_paths: Sequence[str] | None,
           exclusion_patterns: Sequence[str] | None) -> Library:
    owner = db.get(User, owner_id)
    if owner is None or owner.deleted_at is not None:
        raise errors.BadRequest("Owner not found")
    paths = _check_paths(import_paths or [], data_dir)
    patterns = _check_patterns(DEFAULT_PATTERNS if exclusion_patterns is None else exclusion_patterns)
    lib = Library(owner_id=owner_id, name=name or DEFAULT_NAME, import_paths=paths, exclusion_patterns=patterns)
    db.add(lib)
    db.flush()
    return lib


def update_one(db: Db, data_dir: Path, library_id: str, changes: dict[str, Any]) -> Library:
    lib = get(db, library_id)
    if changes.get("name") is not None:
        lib.name = changes["name"]
    if changes.get("importPaths") is not None:
        lib.import_paths = _check_paths(changes["importPaths"], data_dir)
    if changes.get("exclusionPatterns") is not None:
        lib.exclusion_patterns = _check_patterns(changes["exclusionPatterns"])
    lib.updated_at = utcnow()
    db.flush()
    return lib


def statistics(db: Db, library_id: str) -> dict[str, int]:
    get(db, library_id)
    rows = db.execute(select(Asset.type, func.count(), func.coalesce(func.sum(Asset.file_size), 0))
                      .where(Asset.library_id == library_id).group_by(Asset.type))
    out = {"photos": 0, "videos": 0, "total": 0, "usage": 0}
    for typ, n, size in rows:
        if typ == "IMAGE":
            out["photos"] += int(n)
        elif typ == "VIDEO":
            out["videos"] += int(n)
        out["total"] += int(n)
        out["usage"] += int(size or 0)
    return out


def delete(db: Db, storage: Storage, library_id: str, *, batch: int = 500) -> int:
    """Remove the library and its assets (rows and derivatives: thumbnails, previews, transcodes). The
    originals stay where they are: purge never deletes a file outside the data directory. Commits."""
    from photonest.library.assets import purge

    get(db, library_id)
    total = 0
    while True:
        assets = list(db.scalars(select(Asset).where(Asset.library_id == library_id).limit(batch)))
        if not assets:
            break
        total += len(purge(db, storage, assets))
    lib = db.get(Library, library_id)
    if lib is not None:
        db.delete(lib)
    db.commit()
    return total


def request_scan(db: Db, library_id: str) -> bool:
    """Mark a scan as waiting; False when one is already waiting (a running scan gets one more after it)."""
    get(db, library_id)
    res = db.execute(update(Library).where(Library.id == library_id,
                                           (Library.scan_state.is_(None)) | (Library.scan_state == "active"))
                     .values(scan_state="waiting").execution_options(synchronize_session=False))
    return bool(getattr(res, "rowcount", 0))


def scan_counts(db: Db) -> dict[str, int]:
    """The "library" queue's waiting / active counts."""
    rows = db.execute(select(Library.scan_state, func.count()).where(Library.scan_state.is_not(None))
                      .group_by(Library.scan_state))
    got = {str(k): int(n) for k, n in rows}
    return {"waiting": got.get("waiting", 0), "active": got.get("active", 0)}


def import_roots(lib: Library) -> list[Path]:
    return [Path(os.path.realpath(p)) for p in lib.import_paths or []]


def inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)

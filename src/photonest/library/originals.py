"""Where an asset's original is on disk: under the data directory (uploads), or at its absolute path inside
one of its external library's import paths (refused anywhere else, e.g. after an import path was removed or
a symlink was changed to point elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, Library
from photonest.library import errors
from photonest.library.libraries import import_roots, inside
from photonest.storage.local import Storage


def external_path(db: Db, asset: Asset) -> Path:
    """The checked path of an external asset's original; Forbidden when it is outside the import paths."""
    lib = db.get(Library, asset.library_id) if asset.library_id else None
    path = asset.original_path
    if lib is None or not os.path.isabs(path):
        raise errors.Forbidden("The original is not in an external library")
    real = Path(os.path.realpath(path))
    if not inside(real, import_roots(lib)):
        raise errors.Forbidden("The original is outside its library's import paths")
    return real


def original_path(db: Db, storage: Storage, asset: Asset) -> Path:
    if asset.library_id is None:
        return storage.path(asset.original_path)
    return external_path(db, asset)


def file_path(db: Db, storage: Storage, asset: Asset, key: str) -> Path:
    """A key to serve for asset: its original (checked as above) or a derivative under the data directory."""
    if key == asset.original_path:
        return original_path(db, storage, asset)
    return storage.path(key)


def external_sidecar(db: Db, asset: Asset) -> Path | None:
    """An external original's XMP sidecar, as Immich finds it: <name>.<ext>.xmp, else <name>.xmp, beside it
    (and, like the original, inside the library's import paths)."""
    original = external_path(db, asset)
    lib = db.get(Library, asset.library_id)
    roots = import_roots(lib) if lib is not None else []
    for candidate in (original.parent / f"{original.name}.xmp", original.with_suffix(".xmp")):
        real = Path(os.path.realpath(candidate))
        if real.is_file() and inside(real, roots):
            return real
    return None

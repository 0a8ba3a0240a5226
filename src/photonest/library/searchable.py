"""Which assets an owner's smart search may return, kept in memory: ids, newest first.

Smart search reads its literal signals (labels, places) from their own indexes, which know no owner, and its
vector signals per owner; before ranks are counted every list is cut to the caller's searchable assets (theirs,
not trashed, on the timeline or in the archive). Asking the database for thousands of candidate ids per query
costs tens of milliseconds at 100k assets, so each owner's searchable ids are read once (one ordered scan of
the owner index) and reused while the owner's newest change marker (``max(asset.update_id)``, one index seek;
the sync triggers bump it on every insert and update) stays the same.

An asset purged since the snapshot may still be in it until the next change: harmless, because the page that
is returned is checked against the asset table with the request's filters (library.smart_search).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset

SEARCHABLE_VISIBILITY = ("timeline", "archive")


@dataclass(frozen=True)
class Snapshot:
    stamp: int
    order: dict[str, int]  # asset id -> position, newest (file_created_at) first


_cache: dict[tuple[str, str], Snapshot] = {}
_lock = threading.Lock()


def _stamp(db: Db, owner_id: str) -> int:
    return int(db.scalar(select(func.max(Asset.__table__.c.update_id)).where(Asset.owner_id == owner_id)) or 0)


def snapshot(db: Db, owner_id: str) -> Snapshot:
    """The owner's searchable assets, from memory while nothing of theirs changed."""
    key = (str(db.get_bind().engine.url), owner_id)
    stamp = _stamp(db, owner_id)
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit.stamp == stamp:
        return hit
    ids = db.scalars(select(Asset.id).where(Asset.owner_id == owner_id, Asset.deleted_at.is_(None),
                                            Asset.visibility.in_(SEARCHABLE_VISIBILITY))
                     .order_by(Asset.file_created_at.desc(), Asset.id))
    snap = Snapshot(stamp, {a: i for i, a in enumerate(ids)})
    with _lock:
        _cache[key] = snap
    return snap


def positions(db: Db, owner_ids: list[str]) -> dict[str, int]:
    """Searchable asset id -> newest-first position, over the given owners (one owner: no copy)."""
    snaps = [snapshot(db, o) for o in dict.fromkeys(owner_ids)]
    if len(snaps) == 1:
        return snaps[0].order
    merged: dict[str, int] = {}
    for s in snaps:
        merged.update(s.order)
    return merged

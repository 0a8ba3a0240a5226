"""A timeline month's response (GET /timeline/bucket), serialized once and kept in memory while the database is
unchanged, so reopening a month nobody changed is a lookup instead of a query over its thousands of assets.

Exact, not best-effort: the key is the caller, every filter and the month; an entry is used only while the
database's change counter (`sync_clock`, SQLite) still has the value read before the month was built. The sync
triggers (migration 0003_sync) bump that counter on every insert, update and delete of the tables a month is
built from: asset (every column a month shows), asset_exif (deletes too, since 0012_album_timeline), album_asset,
album_user, partner, user, stack, stack_asset, asset_face, person. The counter is read first, then the month, so
an entry is never older than its stamp. Tag filters (tag_asset has no marker) and shared links are not cached.
Access is checked on every request, hit or miss.

SQLite only: PostgreSQL has no single change counter (its markers come from transaction ids), so its months are
always built. A restore replaces the database only while the server is stopped (library.backups), so no entry
outlives the data it was built from. Memory is bounded (MAX_BYTES, least recently used entries go first).
"""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from dataclasses import astuple
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session as Db

from photonest.db.tables import SharedLink
from photonest.library import timeline
from photonest.library.auth import AuthContext

MAX_BYTES = 64 * 1024 * 1024  # a 5,000-asset month is ~1.2 MB

_entries: OrderedDict[tuple[Any, ...], tuple[int, bytes]] = OrderedDict()
_size = 0
_lock = threading.Lock()


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode() if data is not None else None


def render(db: Db, ctx: AuthContext, time_bucket: str, q: timeline.TimelineQuery) -> bytes:
    """The month as TimeBucketAssetResponseDto JSON, built from the database. Serialized directly rather than
    validated into the DTO: a 5,000-asset month is ~80,000 values, and the shape is fixed by timeline.COLUMNS
    (tests compare it with the contract)."""
    cols = timeline.bucket(db, ctx, time_bucket, q)
    cols["thumbhash"] = [_b64(t) for t in cols["thumbhash"]]
    return orjson.dumps(cols)


def _stamp(db: Db) -> int | None:
    if db.get_bind().dialect.name != "sqlite":
        return None
    return int(db.execute(text("SELECT value FROM sync_clock WHERE id = 1")).scalar() or 0)


def bucket_json(db: Db, ctx: AuthContext, time_bucket: str, q: timeline.TimelineQuery) -> bytes:
    """GET /timeline/bucket's body: from memory while nothing changed since it was built, else built now."""
    if q.tag_id is not None or isinstance(ctx.shared_link, SharedLink):
        return render(db, ctx, time_bucket, q)
    timeline.check(db, ctx, q)  # refusals first, hit or miss
    stamp = _stamp(db)
    if stamp is None:
        return render(db, ctx, time_bucket, q)
    key = (str(db.get_bind().engine.url), ctx.user.id, time_bucket, *astuple(q))
    with _lock:
        hit = _entries.get(key)
        if hit is not None and hit[0] == stamp:
            _entries.move_to_end(key)
            return hit[1]
    body = render(db, ctx, time_bucket, q)
    _store(key, stamp, body)
    return body


def _store(key: tuple[Any, ...], stamp: int, body: bytes) -> None:
    global _size
    if len(body) > MAX_BYTES // 4:
        return
    with _lock:
        old = _entries.pop(key, None)
        if old is not None:
            _size -= len(old[1])
        _entries[key] = (stamp, body)
        _size += len(body)
        while _size > MAX_BYTES:
            _, (_, dropped) = _entries.popitem(last=False)
            _size -= len(dropped)


def clear() -> None:
    global _size
    with _lock:
        _entries.clear()
        _size = 0

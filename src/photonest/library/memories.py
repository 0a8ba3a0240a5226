"""Memories: "on this day" collections generated per user (nightly, and on demand), plus saved/edited ones."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, Memory, MemoryAsset, User
from photonest.db.types import utcnow
from photonest.library import bulk_ids, errors
from photonest.library.auth import AuthContext

MAX_ASSETS = 25  # per memory; a day with hundreds of photos still makes a watchable memory


@dataclass
class MemoryView:
    memory: Memory
    assets: list[Asset]


def _shown(q: Any) -> Any:
    """Assets a memory may show: the owner's own timeline photos, never trashed, archived, hidden or locked."""
    return q.where(Asset.deleted_at.is_(None), Asset.visibility == "timeline")


def missing_on_this_day(db: Db, owner_id: str, day: date) -> dict[int, list[str]]:
    """The day's "N years ago" memories not made yet for one user: year -> its photos (reads only)."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    existing = {(m.data or {}).get("year") for m in db.scalars(select(Memory).where(
        Memory.owner_id == owner_id, Memory.type == "on_this_day", Memory.show_at == start))}
    rows = db.execute(_shown(select(Asset.id, extract("year", Asset.local_date_time)).where(
        Asset.owner_id == owner_id,
        extract("month", Asset.local_date_time) == day.month,
        extract("day", Asset.local_date_time) == day.day,
        extract("year", Asset.local_date_time) < day.year,
    )).order_by(Asset.local_date_time)).all()
    by_year: dict[int, list[str]] = defaultdict(list)
    for asset_id, year in rows:
        if int(year) not in existing:
            by_year[int(year)].append(asset_id)
    return dict(by_year)


def generate_on_this_day(db: Db, owner_id: str, day: date) -> list[Memory]:
    """Create the day's "N years ago" memories for one user (idempotent: existing ones are kept)."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    created = []
    for year, ids in sorted(missing_on_this_day(db, owner_id, day).items(), reverse=True):
        m = Memory(owner_id=owner_id, type="on_this_day", data={"year": year},
                   memory_at=datetime(year, day.month, day.day, tzinfo=UTC),
                   show_at=start, hide_at=start + timedelta(days=1))
        db.add(m)
        db.flush()
        chosen = ids if len(ids) <= MAX_ASSETS else sorted(random.sample(ids, MAX_ASSETS), key=ids.index)
        db.add_all(MemoryAsset(memory_id=m.id, asset_id=a) for a in chosen)
        created.append(m)
    db.flush()
    return created


def generate_for_everyone(db: Db, day: date) -> int:
    """The nightly job: today's memories for every active user."""
    n = 0
    for uid in db.scalars(select(User.id).where(User.deleted_at.is_(None))):
        n += len(generate_on_this_day(db, uid, day))
    return n


def _views(db: Db, memories: Sequence[Memory]) -> list[MemoryView]:
    if not memories:
        return []
    ids = [m.id for m in memories]
    rows = db.execute(_shown(select(MemoryAsset.memory_id, Asset).join(Asset, Asset.id == MemoryAsset.asset_id))
                      .where(MemoryAsset.memory_id.in_(ids)).order_by(Asset.local_date_time)).all()
    assets: dict[str, list[Asset]] = defaultdict(list)
    for mid, a in rows:
        assets[mid].append(a)
    return [MemoryView(m, assets[m.id]) for m in memories]


def make_due(db: Db, writer: Callable[[], AbstractContextManager[Db]], owner_id: str, at: datetime) -> bool:
    """On demand (GET /memories?for=...): make the memories due at `at` that are not made yet, in a write
    transaction of their own (`writer`, committed on success). A GET's transaction only reads, and on SQLite a
    reading transaction cannot start writing once another connection has committed ("database is locked" at
    once, whatever the busy timeout), which the pipeline does all the time. True if some were made: `db` must
    then start a new transaction to see them. The check is one read, so a day already made costs no write."""
    day = at.astimezone(UTC).date()
    if not missing_on_this_day(db, owner_id, day):
        return False
    with writer() as w:
        generate_on_this_day(w, owner_id, day)
    return True


def search(db: Db, ctx: AuthContext, *, at: datetime | None = None, is_saved: bool | None = None,
           is_trashed: bool | None = None, type: str | None = None, order: str = "desc",
           size: int | None = None) -> list[MemoryView]:
    """The caller's memories (`at`: those shown then; make them first with make_due)."""
    q = select(Memory).where(Memory.owner_id == ctx.user.id)
    q = q.where(Memory.deleted_at.is_not(None) if is_trashed else Memory.deleted_at.is_(None))
    if at is not None:
        q = q.where((Memory.show_at.is_(None)) | (Memory.show_at <= at),
                    (Memory.hide_at.is_(None)) | (Memory.hide_at > at))
    if is_saved is not None:
        q = q.where(Memory.is_saved.is_(is_saved))
    if type is not None:
        q = q.where(Memory.type == type)
    q = q.order_by(func.random() if order == "random" else
                   Memory.memory_at.asc() if order == "asc" else Memory.memory_at.desc())
    if size:
        q = q.limit(size)
    # A memory whose photos were all trashed or locked has nothing to show.
    return [v for v in _views(db, list(db.scalars(q))) if v.assets]


def _get(db: Db, ctx: AuthContext, memory_id: str) -> Memory:
    m = db.get(Memory, memory_id)
    if m is None or m.owner_id != ctx.user.id:
        raise errors.BadRequest("Not found or no memory access")
    return m


def get(db: Db, ctx: AuthContext, memory_id: str) -> MemoryView:
    return _views(db, [_get(db, ctx, memory_id)])[0]


def _own_asset_ids(db: Db, ctx: AuthContext, ids: Sequence[str]) -> set[str]:
    return set(db.scalars(select(Asset.id).where(Asset.id.in_(list(ids)), Asset.owner_id == ctx.user.id,
                                                 Asset.visibility != "locked")))


def create(db: Db, ctx: AuthContext, *, type: str, data: dict[str, Any], memory_at: datetime,
           asset_ids: Sequence[str], is_saved: bool = False, seen_at: datetime | None = None,
           show_at: datetime | None = None, hide_at: datetime | None = None) -> MemoryView:
    m = Memory(owner_id=ctx.user.id, type=type, data=data, memory_at=memory_at, is_saved=is_saved, seen_at=seen_at,
               show_at=show_at, hide_at=hide_at)
    db.add(m)
    db.flush()
    for a in _own_asset_ids(db, ctx, asset_ids):
        db.add(MemoryAsset(memory_id=m.id, asset_id=a))
    db.flush()
    return get(db, ctx, m.id)


def update(db: Db, ctx: AuthContext, memory_id: str, changes: dict[str, Any]) -> MemoryView:
    m = _get(db, ctx, memory_id)
    if changes.get("isSaved") is not None:
        m.is_saved = bool(changes["isSaved"])
    if changes.get("seenAt") is not None:
        m.seen_at = changes["seenAt"]
    if changes.get("memoryAt") is not None:
        m.memory_at = changes["memoryAt"]
    m.updated_at = utcnow()
    db.flush()
    return get(db, ctx, m.id)


def delete(db: Db, ctx: AuthContext, memory_id: str) -> None:
    db.delete(_get(db, ctx, memory_id))
    db.flush()


def add_assets(db: Db, ctx: AuthContext, memory_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    m = _get(db, ctx, memory_id)
    present = set(db.scalars(select(MemoryAsset.asset_id).where(MemoryAsset.memory_id == m.id)))
    out, added = bulk_ids.sort_additions(ids, present, _own_asset_ids(db, ctx, ids))
    db.add_all(MemoryAsset(memory_id=m.id, asset_id=i) for i in added)
    m.updated_at = utcnow()
    db.flush()
    return out


def remove_assets(db: Db, ctx: AuthContext, memory_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    m = _get(db, ctx, memory_id)
    present = set(db.scalars(select(MemoryAsset.asset_id).where(MemoryAsset.memory_id == m.id)))
    out, removed = bulk_ids.sort_removals(ids, present)
    if removed:
        db.execute(sql_delete(MemoryAsset).where(MemoryAsset.memory_id == m.id, MemoryAsset.asset_id.in_(removed)))
    m.updated_at = utcnow()
    db.flush()
    return out

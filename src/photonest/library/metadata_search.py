"""Search by what is known about an asset (Immich's /search/metadata, statistics, random, large-assets and
explore). Every one of them filters with library.search_filters; this module adds who is searched, order,
paging and the shape of each answer.

Who: the caller's own assets and the timeline and archive of partners who share with them and whom the caller
shows in their timeline (Immich's rule: partners with "in timeline" on); a share-link holder, the link's assets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetExif, AssetLabel
from photonest.library import errors, partners, search_filters
from photonest.library.auth import AuthContext

DEFAULT_SIZE = 250  # Immich's page size when none is given
EXPLORE_MAX_FIELDS = 12  # as Immich: at most 12 cities, each with at least 5 photos
EXPLORE_MIN_ASSETS = 5
EXPLORE_MIN_LABEL_SCORE = 0.3  # a "thing" counts when the labeller is at least this sure of it

Row = tuple[Asset, AssetExif | None]


@dataclass
class Page:
    rows: list[Row]
    next_page: str | None


def partner_ids(db: Db, ctx: AuthContext) -> list[str]:
    if ctx.shared_link is not None:
        return []
    return [p for p in partners.sharing_with(db, ctx.user.id, in_timeline_only=True) if p != ctx.user.id]


def where(db: Db, ctx: AuthContext, f: dict[str, Any]) -> list[ColumnElement[bool]]:
    return search_filters.conditions(db, ctx, f, partner_ids=partner_ids(db, ctx))


def _rows(conds: list[ColumnElement[bool]]) -> Select[Asset, AssetExif]:
    return select(Asset, AssetExif).outerjoin(AssetExif, AssetExif.asset_id == Asset.id).where(*conds)


def _ids_then_rows(db: Db, q: Select[Any]) -> list[Row]:
    """Run q (selecting Asset.id, ordered and limited), then load those assets with their exif, in q's order.
    Two steps: the first is answered from indexes alone, and only the page's rows become objects."""
    ids = [str(i) for i in db.scalars(q)]
    if not ids:
        return []
    found: dict[str, Row] = {a.id: (a, e) for a, e in db.execute(_rows([Asset.id.in_(ids)])).all()}
    return [found[i] for i in ids if i in found]


def _ids(conds: list[ColumnElement[bool]]) -> Select[Any]:
    return select(Asset.id).outerjoin(AssetExif, AssetExif.asset_id == Asset.id).where(*conds)


def _size(f: dict[str, Any]) -> int:
    size = int(f.get("size") or DEFAULT_SIZE)
    if not 1 <= size <= 1000:
        raise errors.BadRequest("size must be between 1 and 1000")
    return size


def search(db: Db, ctx: AuthContext, f: dict[str, Any]) -> Page:
    """POST /search/metadata: one page, newest first (order "asc": oldest first), by file creation time then id;
    next_page is the next page's number as a string while more remain."""
    page, size = int(f.get("page") or 1), _size(f)
    if page < 1:
        raise errors.BadRequest("page must be 1 or more")
    if db.get_bind().dialect.name == "postgresql":
        # A page walks the time index and stops after size+1 matches; parallel workers cost more to start than
        # they save (measured: 56 -> 21 ms at 100k assets, machine under load). This transaction only.
        db.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    desc = str(getattr(f.get("order"), "value", f.get("order")) or "desc").lower() != "asc"
    order = (Asset.file_created_at.desc(), Asset.id.desc()) if desc else (Asset.file_created_at, Asset.id)
    rows = _ids_then_rows(db, _ids(where(db, ctx, f)).order_by(*order).limit(size + 1).offset((page - 1) * size))
    more = len(rows) > size
    return Page(rows[:size], str(page + 1) if more else None)


def count(db: Db, ctx: AuthContext, f: dict[str, Any]) -> int:
    """POST /search/statistics: how many assets the filters match."""
    q = (select(func.count()).select_from(Asset).outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
         .where(*where(db, ctx, f)))
    return int(db.scalar(q) or 0)


def random(db: Db, ctx: AuthContext, f: dict[str, Any]) -> list[Row]:
    """POST /search/random: up to size matching assets in random order."""
    return _ids_then_rows(db, _ids(where(db, ctx, f)).order_by(func.random()).limit(_size(f)))


def large(db: Db, ctx: AuthContext, f: dict[str, Any]) -> list[Row]:
    """POST /search/large-assets: the largest matching files above minFileSize bytes, largest first."""
    min_size = int(f.get("minFileSize") or 0)
    if min_size < 0:
        raise errors.BadRequest("minFileSize must be 0 or more")
    q = _ids([*where(db, ctx, f), Asset.file_size > min_size]).order_by(Asset.file_size.desc(), Asset.id)
    return _ids_then_rows(db, q.limit(_size(f)))


def _one_per_value(db: Db, value_col: Any, joined: Select[Any], conds: list[ColumnElement[bool]],
                   best: Any) -> list[tuple[str, Row]]:
    """(value, its best asset by the `best` column) for the values with at least EXPLORE_MIN_ASSETS assets, the
    most common first (at most EXPLORE_MAX_FIELDS). One scan: window functions count each value's assets and
    rank them, so no query per value."""
    ranked = joined.with_only_columns(
        value_col.label("value"), Asset.id.label("asset_id"),
        func.count().over(partition_by=value_col).label("n"),
        func.row_number().over(partition_by=value_col, order_by=(best.desc(), Asset.id)).label("rank"),
    ).where(*conds, value_col.is_not(None), value_col != "").subquery()
    top = list(db.execute(select(ranked.c.value, ranked.c.asset_id)
                          .where(ranked.c.rank == 1, ranked.c.n >= EXPLORE_MIN_ASSETS)
                          .order_by(ranked.c.n.desc(), ranked.c.value).limit(EXPLORE_MAX_FIELDS)).all())
    rows = {a.id: (a, e) for a, e in db.execute(_rows([Asset.id.in_([i for _, i in top])])).all()}
    return [(str(value), rows[asset_id]) for value, asset_id in top if asset_id in rows]


def explore(db: Db, ctx: AuthContext) -> list[dict[str, Any]]:
    """GET /search/explore: Immich's "exifInfo.city" (places with their newest photo) and, beyond Immich,
    "smartInfo.objects" (the things the labeller saw most often, each with its clearest photo). Only the
    caller's own timeline images, as Immich."""
    conds = [Asset.owner_id == ctx.user.id, Asset.deleted_at.is_(None), Asset.visibility == "timeline",
             Asset.type == "IMAGE"]
    by_exif = select(Asset.id).join(AssetExif, AssetExif.asset_id == Asset.id)
    cities = _one_per_value(db, AssetExif.city, by_exif, conds, Asset.file_created_at)
    by_label = select(Asset.id).join(AssetLabel, AssetLabel.asset_id == Asset.id)
    things = _one_per_value(db, AssetLabel.label, by_label, [*conds, AssetLabel.score >= EXPLORE_MIN_LABEL_SCORE],
                            AssetLabel.score)
    return [{"fieldName": "exifInfo.city", "items": cities}, {"fieldName": "smartInfo.objects", "items": things}]

"""The timeline: monthly buckets of assets by when they were taken, and one bucket's assets as columns.

Semantics follow Immich's TimelineService / AssetRepository.getTimeBuckets/getTimeBucket:
- A bucket is a calendar month of localDateTime, the wall-clock time where the photo was taken (stored as if it
  were UTC), so a photo taken at 23:30 on 31 January in New York is in January whatever the server's zone.
  Assets without EXIF dates carry the file's date there (ingest decides), and bucket the same way.
  orderBy=createdAt buckets by upload time (UTC) instead.
- Scope: with albumId, the album's assets (the caller must be able to read the album; assets of every
  contributor); otherwise one user's assets, the caller's own or (userId) a partner's.
- visibility: when not given, timeline and archive (what an album shows; the web's main timeline asks for
  visibility=timeline). hidden only when asked; locked only when asked by a session unlocked with the PIN.
- isTrashed=true: only trashed assets, otherwise never trashed ones. isFavorite filters; favourites are reported
  only for the caller's own assets.
- tagId: the tag's assets and those of its sub-tags (the tag must be the caller's). personId: the person's
  assets (the person must be the caller's).
- withPartners adds the timelines of partners who share with the caller and whom the caller shows in their
  timeline (Immich's restrictions apply); userId of a partner shows that partner's library.
- withStacked: a stack shows as its primary only, with [stackId, count] in the stack column.
- A share-link holder (key/slug) sees exactly the link's assets. withCoordinates adds latitude/longitude.
- Inside a bucket: by day of localDateTime, then by the instant taken (fileCreatedAt), then id; `order`
  (default desc) applies to both the bucket list and a bucket's assets.

Every query is scoped below (owner or album membership) and served by ix_asset_timeline
(owner_id, deleted_at, visibility, local_date_time); an album's months by album_timeline (its shown members by
local time, kept by triggers); see docs/PERFORMANCE.md. GET /timeline/bucket's responses are cached while the
database is unchanged (library.timeline_cache).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, Numeric, String, and_, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session as Db

from photonest.db.tables import AlbumAsset, AlbumTimeline, Asset, AssetExif, SharedLink, Stack, StackAsset, TagAsset
from photonest.library import albums as albums_lib
from photonest.library import errors
from photonest.library import partners as partners_lib
from photonest.library import people as people_lib
from photonest.library import shared_links as shared_links_lib
from photonest.library import stacks as stacks_lib
from photonest.library import tags as tags_lib
from photonest.library.auth import AuthContext

VISIBILITIES = ("archive", "timeline", "hidden", "locked")
_BUCKET = re.compile(r"^[+-]?(\d{4,6})-(\d{2})(?:-\d{2})?(?:[T ].*)?$")


@dataclass
class TimelineQuery:
    """The filters of GET /timeline/buckets and /timeline/bucket (TimeBucketDto)."""

    album_id: str | None = None
    person_id: str | None = None
    tag_id: str | None = None
    user_id: str | None = None
    is_favorite: bool | None = None
    is_trashed: bool | None = None
    visibility: str | None = None
    with_partners: bool | None = None
    with_stacked: bool | None = None
    with_coordinates: bool | None = None
    order: str = "desc"
    order_by: str = "takenAt"
    bbox: str | None = None


def _check(db: Db, ctx: AuthContext, q: TimelineQuery) -> list[str] | None:
    """Immich's timeBucketChecks: refuse what the caller may not see; returns the owners to scope by (None: the
    album, or a share link, is the scope)."""
    if q.visibility is not None and q.visibility not in VISIBILITIES:
        raise errors.BadRequest(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if q.order not in ("asc", "desc"):
        raise errors.BadRequest("order must be asc or desc")
    if q.visibility == "locked" and not ctx.is_elevated:
        raise errors.Unauthorized("Elevated permission is required")
    if q.with_partners and (q.visibility in (None, "archive", "locked") or q.is_favorite is not None
                            or q.is_trashed):
        raise errors.BadRequest(
            "withPartners is only supported for non-archived, non-trashed, non-favorited, non-locked assets")
    link = ctx.shared_link
    if isinstance(link, SharedLink):
        # A link holder sees the link's assets: an album link its album, nothing else (and never trash).
        if q.album_id is not None and q.album_id != link.album_id:
            raise errors.BadRequest("Not found or no album.read access")
        if q.is_trashed or q.visibility in ("hidden", "locked") or q.user_id or q.with_partners:
            raise errors.BadRequest("Not found or no timeline.read access")
        return None
    owners: list[str] | None = None
    if q.album_id is not None:
        albums_lib.get_readable(db, ctx, q.album_id, "album.read")
        if q.user_id is not None:
            owners = [str(q.user_id)]
    else:
        owners = [str(q.user_id or ctx.user.id)]
        if q.with_partners:
            owners += partners_lib.sharing_with(db, ctx.user.id, in_timeline_only=True)
    if q.visibility == "locked":
        owners = [ctx.user.id]  # a locked folder is its owner's alone, even inside a shared album
    if owners is not None and q.album_id is None:
        others = [o for o in owners if o != ctx.user.id]
        # Someone else's timeline: only a partner who shares with the caller, and only what partners see.
        if others and (set(others) - set(partners_lib.sharing_with(db, ctx.user.id))
                       or q.is_trashed or q.visibility in ("hidden", "locked")):
            raise errors.BadRequest("Not found or no timeline.read access")
    if q.tag_id is not None:
        tags_lib.get(db, ctx, str(q.tag_id))  # refuses a tag that is not the caller's
    return owners


def check(db: Db, ctx: AuthContext, q: TimelineQuery) -> None:
    """Refuse what the caller may not see (as buckets() and bucket() do first)."""
    _check(db, ctx, q)


def _bbox(value: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(p) for p in value.split(","))
    except ValueError as e:
        raise errors.BadRequest("bbox must be west,south,east,north (four numbers)") from e
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise errors.BadRequest("bbox is out of range")
    return west, south, east, north


def _date_column(q: TimelineQuery) -> Any:
    return Asset.created_at if q.order_by == "createdAt" else Asset.local_date_time


def _album_rows(q: TimelineQuery) -> bool:
    """Whether the album's shown members are all that is asked for, so album_timeline (the members shown, kept by
    triggers with their local_date_time) can stand for album_asset: not trash, hidden or locked."""
    return q.album_id is not None and not q.is_trashed and q.visibility in (None, *albums_lib.SHOWN)


def _filtered(db: Db, ctx: AuthContext, q: TimelineQuery, stmt: Any, *, album_rows: bool = False) -> Any:
    """The shared filter chain, so the bucket counts and a bucket's assets never disagree. album_rows: reach the
    album's members through album_timeline (the caller then bounds AlbumTimeline.local_date_time)."""
    owners = _check(db, ctx, q)
    link = ctx.shared_link
    if isinstance(link, SharedLink):
        stmt = stmt.where(Asset.id.in_(shared_links_lib.asset_ids_query(link)))
    if owners is not None:
        stmt = stmt.where(Asset.owner_id.in_(owners) if len(owners) > 1 else Asset.owner_id == owners[0])
        if len(owners) > 1 or owners[0] != ctx.user.id:
            # Partners' assets: their timeline only (withPartners) or timeline and archive (userId).
            stmt = stmt.where(or_(Asset.owner_id == ctx.user.id, Asset.visibility.in_(albums_lib.SHOWN)))
    if q.album_id is not None and album_rows and _album_rows(q):
        stmt = stmt.join(AlbumTimeline, and_(AlbumTimeline.asset_id == Asset.id,
                                             AlbumTimeline.album_id == str(q.album_id)))
    elif q.album_id is not None:
        stmt = stmt.join(AlbumAsset, AlbumAsset.asset_id == Asset.id).where(AlbumAsset.album_id == str(q.album_id))
    stmt = stmt.where(Asset.deleted_at.is_not(None) if q.is_trashed else Asset.deleted_at.is_(None))
    if q.visibility is None:
        stmt = stmt.where(Asset.visibility.in_(albums_lib.SHOWN))
    else:
        stmt = stmt.where(Asset.visibility == q.visibility)
    if q.is_favorite is not None:
        stmt = stmt.where(Asset.is_favorite.is_(q.is_favorite))
    if q.person_id is not None:
        stmt = stmt.where(Asset.id.in_(people_lib.asset_ids_with_people(db, ctx.user.id, [str(q.person_id)])))
    if q.tag_id is not None:
        stmt = stmt.where(Asset.id.in_(select(TagAsset.asset_id).where(
            TagAsset.tag_id.in_(tags_lib.descendant_ids(db, ctx, str(q.tag_id))))))
    if q.with_stacked:
        # A stack shows as its primary asset; the other members stay out of the timeline.
        stmt = stmt.where(Asset.id.not_in(select(StackAsset.asset_id).join(Stack, Stack.id == StackAsset.stack_id)
                                          .where(Stack.primary_asset_id != StackAsset.asset_id)))
    if q.bbox:
        west, south, east, north = _bbox(q.bbox)
        lon = AssetExif.longitude.between(west, east) if west <= east else or_(
            AssetExif.longitude >= west, AssetExif.longitude <= east)
        stmt = stmt.where(Asset.id.in_(select(AssetExif.asset_id).where(
            AssetExif.latitude.between(south, north), lon)))
    return stmt


def _sqlite(db: Db) -> bool:
    return db.get_bind().dialect.name == "sqlite"


def _month_key(db: Db, col: Any) -> ColumnElement[str]:
    """'YYYY-MM' of a stored (as-if-UTC) timestamp, computed in the database."""
    if _sqlite(db):
        return func.substr(type_coerce(col, String), 1, 7)  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'
    return func.to_char(func.timezone("UTC", col), "YYYY-MM")


def _day_key(db: Db, col: Any) -> ColumnElement[Any]:
    if _sqlite(db):
        return func.substr(type_coerce(col, String), 1, 10)
    return func.date(func.timezone("UTC", col))


MAX_RANGE_MONTHS = 600  # beyond this span (50 years of dates) the bucket list is one GROUP BY instead


def buckets(db: Db, ctx: AuthContext, q: TimelineQuery) -> list[dict[str, Any]]:
    """TimeBucketsResponseDto[]: [{timeBucket: 'YYYY-MM-01', count}], newest first unless order=asc.

    On SQLite a user's own timeline (the common case) is counted month by month as index ranges: the first and
    last date come from the ends of ix_asset_timeline, then one range count per month in between. That reads
    each index entry once without computing a month per row or sorting them (3x less work than GROUP BY month).
    Albums, people and map boxes are bounded by their own size, and PostgreSQL aggregates by hash: GROUP BY."""
    if (_sqlite(db) and q.album_id is None and q.person_id is None and not q.bbox
            and q.order_by == "takenAt"):
        found = _buckets_by_range(db, ctx, q)
        if found is not None:
            return found
    if _album_only(ctx, q):
        _check(db, ctx, q)
        return _album_buckets(db, str(q.album_id), q.order)
    key = _month_key(db, _date_column(q)).label("month")
    stmt = _filtered(db, ctx, q, select(key, func.count().label("n")).select_from(Asset))
    stmt = stmt.group_by(key).order_by(key.asc() if q.order == "asc" else key.desc())
    return [{"timeBucket": f"{month}-01", "count": n} for month, n in db.execute(stmt)]


def _album_only(ctx: AuthContext, q: TimelineQuery) -> bool:
    """An album's own timeline with no filter beyond what album_timeline holds (the web's album view)."""
    return (_album_rows(q) and q.visibility is None and q.order_by == "takenAt" and q.user_id is None
            and q.is_favorite is None and q.person_id is None and q.tag_id is None and not q.bbox
            and not q.with_stacked and not q.with_partners and not isinstance(ctx.shared_link, SharedLink))


def _album_buckets(db: Db, album_id: str, order: str) -> list[dict[str, Any]]:
    """An album's months from album_timeline alone (no asset row visited). SQLite: one range count per month of
    its primary key (album_id, local_date_time) between the album's first and last date; PostgreSQL (and an
    album spanning centuries): GROUP BY month."""
    mine = AlbumTimeline.album_id == album_id
    if _sqlite(db):
        col = type_coerce(AlbumTimeline.local_date_time, String)
        lo, hi = db.execute(select(select(func.min(col)).where(mine).scalar_subquery(),
                                   select(func.max(col)).where(mine).scalar_subquery())).one()
        if lo is None:
            return []
        first, last = str(lo)[:7] + "-01", str(hi)[:7] + "-01"
        span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
        if span <= MAX_RANGE_MONTHS and first[:4].isdigit():
            counted = _count_months(db, first, last, col, select(func.count()).select_from(AlbumTimeline).where(mine))
            counted.sort(reverse=order != "asc")
            return [{"timeBucket": m, "count": c} for m, c in counted]
    key = _month_key(db, AlbumTimeline.local_date_time).label("month")
    stmt = select(key, func.count()).where(mine).group_by(key)
    stmt = stmt.order_by(key.asc() if order == "asc" else key.desc())
    return [{"timeBucket": f"{month}-01", "count": n} for month, n in db.execute(stmt)]


def _count_months(db: Db, first: str, last: str, col: Any, count: Any) -> list[tuple[str, int]]:
    """SQLite: (month, n) for the non-empty months from first to last ('YYYY-MM-01'), n being `count` (a SELECT
    count()) over the rows whose `col` (a stored-timestamp string) falls in the month. The months come from a
    recursive CTE, so the statement is the same for every library (compiled once and cached) whatever its span."""
    months: Any = select(literal(first, String).label("lo")).cte("months", recursive=True)
    months = months.union_all(select(func.date(months.c.lo, "+1 month")).where(months.c.lo < last))
    n = count.where(col >= months.c.lo, col < func.date(months.c.lo, "+1 month")).scalar_subquery()
    return [(str(m), c) for m, c in db.execute(select(months.c.lo, n)) if c]


def _buckets_by_range(db: Db, ctx: AuthContext, q: TimelineQuery) -> list[dict[str, Any]] | None:
    """SQLite only: stored timestamps are 'YYYY-MM-DD HH:MM:SS.ffffff' strings, so a month is the string range
    ['YYYY-MM-01', next month's 'YYYY-MM-01') and SQLite's date() steps from one month to the next."""
    col = type_coerce(Asset.local_date_time, String)
    # min() and max() per visibility are single index probes (SQLite answers min/max from an index only for
    # one equality prefix and one aggregate at a time, hence one scalar subquery each).
    ends = []
    for v in [q.visibility] if q.visibility else list(albums_lib.SHOWN):
        one = replace(q, visibility=v)
        ends += [_filtered(db, ctx, one, select(func.min(col)).select_from(Asset)).scalar_subquery(),
                 _filtered(db, ctx, one, select(func.max(col)).select_from(Asset)).scalar_subquery()]
    bounds = [str(v) for v in db.execute(select(*ends)).one() if v is not None]
    if not bounds:
        return []
    first, last = min(bounds)[:7] + "-01", max(bounds)[:7] + "-01"
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    if span > MAX_RANGE_MONTHS or not first[:4].isdigit():
        return None
    counted = _count_months(db, first, last, col, _filtered(db, ctx, q, select(func.count()).select_from(Asset)))
    counted.sort(reverse=q.order != "asc")
    return [{"timeBucket": m, "count": c} for m, c in counted]


def parse_bucket(value: str) -> tuple[datetime, datetime] | None:
    """The month [start, end) a timeBucket names ('2024-01-01', an ISO date-time, or a 5-digit year); None for a
    month no stored date can be in."""
    m = _BUCKET.match(value.strip())
    if not m:
        raise errors.BadRequest("timeBucket must be a date like 2024-01-01")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise errors.BadRequest("timeBucket must be a date like 2024-01-01")
    if not 1 <= year <= 9999:
        return None
    start = datetime(year, month, 1, tzinfo=UTC)
    if year == 9999 and month == 12:
        return start, datetime.max.replace(tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


COLUMNS = ("id", "ownerId", "ratio", "isFavorite", "visibility", "isTrashed", "isImage", "thumbhash",
           "fileCreatedAt", "localOffsetHours", "duration", "projectionType", "livePhotoVideoId", "city",
           "country", "createdAt")


def _sqlite_iso(col: Any) -> ColumnElement[str]:
    """SQLite's stored 'YYYY-MM-DD HH:MM:SS.ffffff' as ISO 8601 UTC, formatted by the database: 5,000 rows cost
    ~1 ms there against ~10 ms of Python string work. A zero fraction is dropped, as _iso_stored does."""
    c = type_coerce(col, String)
    frac = func.substr(c, 20)
    return (func.substr(c, 1, 10) + "T" + func.substr(c, 12, 8)
            + case((func.trim(frac, ".0") == "", ""), else_=frac) + "Z")


def bucket(db: Db, ctx: AuthContext, time_bucket: str, q: TimelineQuery) -> dict[str, list[Any]]:
    """TimeBucketAssetResponseDto as parallel lists: timestamps as ISO 8601 UTC strings, thumbhash as bytes
    (api/ encodes them); latitude/longitude only with withCoordinates, stack only with withStacked.

    Built column-wise from one query (a month can hold thousands of assets). On SQLite the database computes
    every derived value (ISO strings, ratio, offset, flags) and the rows are read straight from the DBAPI
    cursor: a 5,000-asset month spends its time in the query, not in per-value Python."""
    span = parse_bucket(time_bucket)
    date_col = _date_column(q)
    sqlite = _sqlite(db)
    me = ctx.user.id
    # SQLite divides integers as integers and PostgreSQL rounds only numerics to a number of places.
    width = cast(Asset.width, Float if sqlite else Numeric)
    ratio: Any = case((and_(Asset.width > 0, Asset.height > 0), func.round(width / Asset.height, 3)), else_=1.0)
    favourite: Any = and_(Asset.is_favorite.is_(True), Asset.owner_id == me)
    if sqlite:  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'; julianday() reads that form
        ts: Any = _sqlite_iso
        offset: Any = func.round((func.julianday(type_coerce(Asset.local_date_time, String))
                                  - func.julianday(type_coerce(Asset.file_created_at, String))) * 24, 2)
    else:
        ts = lambda c: c  # noqa: E731
        offset = func.round(type_coerce(func.extract("epoch", Asset.local_date_time - Asset.file_created_at)
                                        / 3600, Numeric), 2)
    stmt = select(Asset.id, Asset.owner_id, ratio, favourite, Asset.visibility, Asset.deleted_at.is_not(None),
                  Asset.type == "IMAGE", Asset.thumbhash, ts(Asset.file_created_at), offset,
                  Asset.duration, AssetExif.projection_type, Asset.live_photo_video_id, AssetExif.city,
                  AssetExif.country, ts(Asset.created_at),
                  AssetExif.latitude if q.with_coordinates else literal(None),
                  AssetExif.longitude if q.with_coordinates else literal(None))
    # An album's month by local time: its members in that month are one range of album_timeline, found without
    # visiting the album's other members.
    album_rows = _album_rows(q) and q.order_by == "takenAt"
    stmt = _filtered(db, ctx, q, stmt.select_from(Asset), album_rows=album_rows)  # access checks first
    rows: Sequence[Any] = []
    if span is not None:
        stmt = stmt.outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
        stmt = stmt.with_hint(AssetExif, "INDEXED BY ix_asset_exif_timeline", "sqlite")
        stmt = stmt.where(date_col >= span[0], date_col < span[1])
        if album_rows:
            stmt = stmt.where(AlbumTimeline.local_date_time >= span[0], AlbumTimeline.local_date_time < span[1])
        direction: Any = (lambda c: c.asc()) if q.order == "asc" else (lambda c: c.desc())
        stmt = stmt.order_by(direction(_day_key(db, date_col)), direction(Asset.file_created_at),
                             direction(Asset.id))
        # The DBAPI's own tuples: every column above is already in its final form (no result processing).
        result = db.connection().execute(stmt)
        rows = result.cursor.fetchall()
        result.close()
    cols: list[Sequence[Any]] = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(18)]
    (ids, owners, ratios, favs, vis, trashed, images, thumbs, fca, offs, durs, proj, live, city, country, cra,
     lat, lon) = cols
    iso: Any = (lambda v: v) if sqlite else _iso
    out: dict[str, list[Any]] = {
        "id": list(ids), "ownerId": list(owners), "ratio": [float(r) for r in ratios],
        "isFavorite": list(map(bool, favs)), "visibility": list(vis), "isTrashed": list(map(bool, trashed)),
        "isImage": list(map(bool, images)), "thumbhash": list(thumbs),
        "fileCreatedAt": [iso(v) for v in fca] if not sqlite else list(fca),
        "localOffsetHours": [float(o) for o in offs], "duration": list(durs),
        "projectionType": list(proj), "livePhotoVideoId": list(live), "city": list(city),
        "country": list(country), "createdAt": [iso(v) for v in cra] if not sqlite else list(cra),
    }
    if q.with_coordinates:
        out["latitude"], out["longitude"] = list(lat), list(lon)
    if q.with_stacked:
        stacked = stacks_lib.stack_of(db, list(ids))
        out["stack"] = [[stacked[i][0], str(stacked[i][2])] if i in stacked else None for i in ids]
    return out


def _iso_stored(value: Any) -> str:
    """'2024-01-31 23:30:00.000000' (SQLite's stored form) -> '2024-01-31T23:30:00Z'."""
    if isinstance(value, datetime):
        return _iso(value)
    s = str(value)
    frac = s[19:]
    return f"{s[:10]}T{s[11:19]}{'' if frac.strip('.0') == '' else frac}Z"


def _iso(value: datetime) -> str:
    return _aware(value).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)

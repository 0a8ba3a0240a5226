"""Places: city/state/country of each asset from its GPS position, the map's markers, place suggestions.

Who sees what: every query here is scoped to the caller's assets (the map adds partners' and shared albums'
assets when asked, as Immich's does; suggestions and cities always add the partners the caller shows in their
timeline, as Immich's do) and leaves out trashed assets and those that are hidden (the motion part of
a live photo) or in the locked folder, as Immich's map and suggestions do.

The pipeline: `geocode_asset` fills (or clears) AssetExif city/state/country from latitude/longitude. It runs
as the "places" stage after "metadata" (`register_stage`), and should run again whenever a user edits a
location (`relocate`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, and_, func, literal_column, or_, select, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Album, AlbumAsset, AlbumUser, Asset, AssetExif, AssetPosition
from photonest.db.types import utcnow
from photonest.geo.geocoder import InvalidCoordinates, Place, geocoder
from photonest.library import errors

if TYPE_CHECKING:
    from photonest.jobs.registry import Apply, StageRun

log = logging.getLogger(__name__)

STAGE = "places"
TIMELINE = ("timeline",)
TIMELINE_AND_ARCHIVE = ("timeline", "archive")


# --- geocoding --------------------------------------------------------------------------------------------


def place_of(lat: float | None, lon: float | None) -> Place | None:
    """The place at a stored position; None without a position, for impossible coordinates, null island, sea."""
    if lat is None or lon is None:
        return None
    try:
        return geocoder().lookup(lat, lon)
    except InvalidCoordinates:
        log.info("not geocoding impossible coordinates %r, %r", lat, lon)
        return None


def apply_place(exif: AssetExif) -> bool:
    """Set exif's city/state/country from its latitude/longitude (cleared without one). True if they changed."""
    place = place_of(exif.latitude, exif.longitude)
    new = (place.city, place.state, place.country) if place else (None, None, None)
    if (exif.city, exif.state, exif.country) == new:
        return False
    exif.city, exif.state, exif.country = new
    return True


def geocode_asset(db: Db, asset_id: str) -> AssetExif | None:
    """Fill (or clear) one asset's city/state/country from its position. Flushes; the caller commits."""
    exif = db.get(AssetExif, asset_id)
    if exif is None:
        return None
    if apply_place(exif):
        asset = db.get(Asset, asset_id)
        if asset is not None:
            asset.updated_at = utcnow()  # what clients (and the marker cache) watch for changes
        db.flush()
    return exif


def relocate(db: Db, asset_id: str) -> AssetExif | None:
    """The hook for a location edit (PUT /assets/{id} or /assets with latitude/longitude): call it after
    the new position is set, in the same transaction. Loads the place table on its first use (~1 s)."""
    return geocode_asset(db, asset_id)


def reverse_geocode(lat: Any, lon: Any) -> list[dict[str, str | None]]:
    """GET /map/reverse-geocode: one item, all null where there is no place (at sea, null island), as Immich."""
    try:
        place = geocoder().lookup(lat, lon)
    except InvalidCoordinates as e:
        raise errors.BadRequest(str(e)) from e
    if place is None:
        return [{"city": None, "state": None, "country": None}]
    return [{"city": place.city, "state": place.state, "country": place.country}]


def search_places(name: str, limit: int = 20) -> list[dict[str, Any]]:
    """GET /search/places: GeoNames places whose name contains `name`, accents and case ignored (Immich matches
    trigrams of names and alternate names; we match substrings of the names), exact and prefix matches and
    bigger places first."""
    if len(name) > 200:
        raise errors.BadRequest("name is too long")
    return [{"name": p.name, "latitude": p.latitude, "longitude": p.longitude, "admin1name": p.admin1,
             "admin2name": p.admin2} for p in geocoder().search(name, limit)]


# --- map tiles --------------------------------------------------------------------------------------------

STYLE_PATH = "/api/map/style.json"


def map_settings(settings: Any, base_url: str = "") -> dict[str, Any]:
    """The map's configuration: {enabled, lightStyle, darkStyle} as Immich's system-config `map` (MapLibre style
    URLs: the configured ones, else our style.json, absolute when base_url or external_domain is known), plus
    tileUrl and attribution for Leaflet-style clients (our web UI)."""
    base = (getattr(settings, "external_domain", "") or base_url).rstrip("/")
    ours = f"{base}{STYLE_PATH}?theme="
    return {
        "enabled": bool(settings.map_enabled),
        "lightStyle": settings.map_style_light_url or ours + "light",
        "darkStyle": settings.map_style_dark_url or ours + "dark",
        "tileUrl": settings.map_tile_url,
        "attribution": settings.map_attribution,
    }


def map_style(settings: Any, theme: str = "light") -> dict[str, Any]:
    """A MapLibre style (v8) with one raster layer from the configured tile URL (what Immich's apps load)."""
    url = str(settings.map_tile_url)
    tiles = [url.replace("{s}", sub) for sub in "abc"] if "{s}" in url else [url]
    layer: dict[str, Any] = {"id": "tiles", "type": "raster", "source": "tiles"}
    if theme == "dark":  # no dark raster tiles by default: dim the light ones
        layer["paint"] = {"raster-brightness-max": 0.6, "raster-saturation": -0.4}
    return {
        "version": 8,
        "name": f"photonest {theme}",
        "sources": {"tiles": {"type": "raster", "tiles": tiles, "tileSize": 256, "maxzoom": 19,
                              "attribution": settings.map_attribution}},
        "layers": [layer],
    }


# --- the pipeline stage -----------------------------------------------------------------------------------


def run_stage(run: StageRun) -> Apply:
    # Load the tables outside the transaction that writes the result (the first load takes about a second).
    geocoder().load()

    def apply(db: Db, asset: Asset) -> None:
        exif = db.get(AssetExif, asset.id)
        if exif is not None:
            apply_place(exif)

    return apply


def register_stage() -> None:
    """Add the "places" stage (after "metadata") to the jobs registry; idempotent. Counted under Immich's
    metadataExtraction queue, where Immich does its reverse geocoding."""
    from photonest.jobs.registry import MEDIA, STAGES, Stage, register

    if STAGE in STAGES or "metadata" not in STAGES:
        return
    register(Stage(STAGE, queue="metadataExtraction", job_name="AssetExtractMetadata", run=run_stage,
                   types=MEDIA, after=("metadata",),
                   concurrency=lambda s: s.job_concurrency_metadata_extraction,
                   enabled=lambda s: bool(getattr(s, "reverse_geocoding", True))))


# --- queries ----------------------------------------------------------------------------------------------


Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")


def _scoped(q: Q, owner_ids: Sequence[str], visibilities: Sequence[str] = TIMELINE) -> Q:
    return q.where(Asset.owner_id.in_(owner_ids), Asset.deleted_at.is_(None), Asset.visibility.in_(visibilities))


@dataclass(frozen=True)
class MarkerFilter:
    is_archived: bool | None = None
    is_favorite: bool | None = None
    file_created_after: datetime | None = None
    file_created_before: datetime | None = None
    with_partners: bool = False
    with_shared_albums: bool = False


@dataclass(frozen=True)
class _Scope:
    owner_ids: tuple[str, ...]  # the caller, and with_partners the partners who share with them (in timeline)
    album_ids: tuple[str, ...]  # with_shared_albums: every album the caller owns or was given


def _scope(db: Db, user_id: str, f: MarkerFilter) -> _Scope:
    owners = [user_id]
    if f.with_partners:
        from photonest.library.partners import sharing_with

        owners += [o for o in sharing_with(db, user_id, in_timeline_only=True) if o != user_id]
    albums: list[str] = []
    if f.with_shared_albums:
        member = select(AlbumUser.album_id).where(AlbumUser.user_id == user_id)
        albums = sorted(db.scalars(select(Album.id).where(or_(Album.owner_id == user_id, Album.id.in_(member)))))
    return _Scope(tuple(owners), tuple(albums))


def _markers_query(scope: _Scope, f: MarkerFilter) -> Select[*tuple[Any, ...]]:
    """The markers' JSON (AssetPosition.marker), newest first. asset_position holds only assets the map may show
    (not trashed, timeline or archive, a valid position, not null island): an owner's markers are one range
    scan of its primary key, with no join."""
    p = AssetPosition
    whose: Any = p.owner_id.in_(scope.owner_ids)
    if scope.album_ids:
        in_albums = select(AlbumAsset.asset_id).where(AlbumAsset.album_id.in_(scope.album_ids))
        whose = or_(whose, p.asset_id.in_(in_albums))
    q: Select[*tuple[Any, ...]] = select(p.marker, p.file_created_at.label("t")).where(whose)
    if not f.is_archived:
        q = q.where(p.visibility.in_(TIMELINE))
    if f.is_favorite is not None:
        q = q.where(p.is_favorite.is_(f.is_favorite))
    if f.file_created_after is not None:
        q = q.where(p.file_created_at >= f.file_created_after)
    if f.file_created_before is not None:
        q = q.where(p.file_created_at <= f.file_created_before)
    return q.order_by(p.file_created_at.desc())


MARKER_CACHE_BYTES = 64 << 20  # the newest marker lists kept in memory, per process


class _MarkerCache:
    """Marker lists by (database, owner, filter, year), each valid while the owner's assets of that year are
    unchanged: their count and newest updated_at are its stamp. Every write that changes a marker changes the
    asset row too (edits, trash, visibility, the pipeline's stage commits, geocode_asset), so the stamp moves."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = OrderedDict()

    def get(self, key: tuple[Any, ...], stamp: tuple[Any, ...]) -> str | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != stamp:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[Any, ...], stamp: tuple[Any, ...], body: str) -> None:
        with self._lock:
            self._items[key] = (stamp, body)
            self._items.move_to_end(key)
            while len(self._items) > 1 and sum(len(b) for _, b in self._items.values()) > self.max_bytes:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


marker_cache = _MarkerCache(MARKER_CACHE_BYTES)


def _year_stamps(db: Db, owner_id: str) -> dict[str, tuple[Any, ...]]:
    """Each year of the owner's assets (by fileCreatedAt, UTC) with its count and newest updated_at. A change to
    any asset moves its year's stamp (both years' when its date moves to another year).

    One range scan of ix_asset_owner_created per year, in one statement: about as cheap as one count over the
    owner's assets, where GROUP BY year would sort every row (3x the time, measured on SQLite)."""
    own = Asset.owner_id == owner_id
    first, last = db.execute(select(func.min(Asset.file_created_at), func.max(Asset.file_created_at))
                             .where(own)).one()
    if first is None or last is None:
        return {}
    years = range(first.year, last.year + 1)
    if len(years) > 200:  # far-off dates (a broken camera clock): one grouped scan instead
        year = (func.substr(Asset.file_created_at, 1, 4) if db.get_bind().dialect.name == "sqlite"
                else func.to_char(func.timezone("UTC", Asset.file_created_at), "YYYY"))
        rows = db.execute(select(year, func.count(), func.max(Asset.updated_at)).where(own).group_by(year))
        return {str(int(y)): (n, t) for y, n, t in rows}
    per_year: list[Any] = [select(literal_column(str(y)), func.count(), func.max(Asset.updated_at))
                           .where(own, *_year_span(Asset.file_created_at, y)) for y in years]
    return {str(y): (n, t) for y, n, t in db.execute(union_all(*per_year)) if n}


def _year_span(column: Any, year: int) -> tuple[Any, Any]:
    end = datetime(year + 1, 1, 1, tzinfo=UTC) if year < 9999 else datetime.max.replace(tzinfo=UTC)
    return column >= datetime(year, 1, 1, tzinfo=UTC), column < end


def markers_json(db: Db, user_id: str, f: MarkerFilter | None = None, *, cache: bool = True) -> str:
    """GET /map/markers as a JSON array of MapMarkerResponseDto, newest first. As Immich: the caller's assets,
    with_partners also those of partners who share with them (and that they show in their timeline),
    with_shared_albums also those in albums they own or were given; archived ones only with isArchived=true;
    trashed, hidden and locked ones never; no null island.

    Each marker's JSON is stored in asset_position (rendered by the trigger that wrote the row) and the database
    only concatenates them: for 100k markers a tenth of rendering them per query, which itself was twice as fast
    as encoding rows in Python (docs/PERFORMANCE.md). The caller's own markers are
    built and kept (marker_cache) one year at a time, each until an asset of that year changes: an upload or
    an edit rebuilds one year's markers, not the whole list.
    """
    f = f or MarkerFilter()
    scope = _scope(db, user_id, f)
    if not (cache and scope.owner_ids == (user_id,) and not scope.album_ids):
        return _build_markers_json(db, scope, f)
    url = str(db.get_bind().engine.url)
    parts: list[str] = []
    for year, stamp in sorted(_year_stamps(db, user_id).items(), reverse=True):
        key = (url, user_id, f, year)
        part = marker_cache.get(key, stamp)
        if part is None:
            part = _build_markers_json(db, scope, f, int(year))[1:-1]
            marker_cache.put(key, stamp, part)
        if part:
            parts.append(part)
    return "[" + ",".join(parts) + "]"


def _build_markers_json(db: Db, scope: _Scope, f: MarkerFilter, year: int | None = None) -> str:
    q = _markers_query(scope, f)
    if year is not None:
        q = q.where(*_year_span(AssetPosition.file_created_at, year))
    # Each marker is JSON already (rendered by the trigger that wrote the row): the database only joins them,
    # a tenth of what rendering them (json_group_array) took.
    sub = q.subquery()
    if db.get_bind().dialect.name == "sqlite":
        body = db.scalar(select(func.group_concat(sub.c.marker, ",")))
    else:
        body = db.scalar(select(func.string_agg(sub.c.marker, aggregate_order_by(literal_column("','"),
                                                                                 sub.c.t.desc()))))
    return "[" + (body or "") + "]"


def markers(db: Db, owner_id: str, f: MarkerFilter | None = None) -> list[dict[str, Any]]:
    """The markers as dicts (see markers_json)."""
    result: list[dict[str, Any]] = json.loads(markers_json(db, owner_id, f))
    return result


SUGGESTION_FIELDS = {
    "country": AssetExif.country,
    "state": AssetExif.state,
    "city": AssetExif.city,
    "camera-make": AssetExif.make,
    "camera-model": AssetExif.model,
    "camera-lens-model": AssetExif.lens_model,
}


def suggestions(db: Db, owner_ids: Sequence[str], kind: str, *, country: str | None = None,
                state: str | None = None, make: str | None = None, model: str | None = None,
                lens_model: str | None = None, include_null: bool = False) -> list[str | None]:
    """GET /search/suggestions: the distinct values of one field over the owners' timeline assets (as Immich:
    the caller and the partners they show in their timeline), narrowed as Immich does (states by country;
    cities by country and state; camera makes, models and lenses by each other), sorted; a trailing null with
    includeNull."""
    column = SUGGESTION_FIELDS.get(kind)
    if column is None:
        raise errors.BadRequest(f"type must be one of {', '.join(SUGGESTION_FIELDS)}")
    q = _scoped(select(column).distinct().join(Asset, Asset.id == AssetExif.asset_id), owner_ids)
    q = q.where(column.is_not(None), column != "")
    narrow = {
        "state": {"country": country},
        "city": {"country": country, "state": state},
        "camera-make": {"model": model, "lens_model": lens_model},
        "camera-model": {"make": make, "lens_model": lens_model},
        "camera-lens-model": {"make": make, "model": model},
    }.get(kind, {})
    for name, value in narrow.items():
        if value:
            q = q.where(getattr(AssetExif, name) == value)
    values: list[str | None] = [*sorted(str(v) for v in db.scalars(q))]
    if include_null:
        values.append(None)
    return values


def assets_by_city(db: Db, owner_ids: Sequence[str], limit: int = 1000) -> list[Asset]:
    """GET /search/cities: one image per city (the newest), cities in name order, over the owners' timeline
    images (as Immich: the caller's and those of partners shown in their timeline)."""
    newest = _scoped(
        select(AssetExif.city, func.max(Asset.file_created_at).label("t"))
        .join(Asset, Asset.id == AssetExif.asset_id)
        .where(AssetExif.city.is_not(None), Asset.type == "IMAGE"), owner_ids,
    ).group_by(AssetExif.city).subquery()
    q = _scoped(
        select(AssetExif.city, Asset)
        .join(Asset, Asset.id == AssetExif.asset_id)
        .join(newest, and_(newest.c.city == AssetExif.city, newest.c.t == Asset.file_created_at))
        .where(Asset.type == "IMAGE"), owner_ids,
    ).order_by(AssetExif.city, Asset.id)
    out: dict[str, Asset] = {}
    for city, asset in db.execute(q):
        if city is not None and city not in out:
            out[city] = asset
            if len(out) >= limit:
                break
    return list(out.values())

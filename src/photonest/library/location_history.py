"""Location history (beyond Immich): where a user's photos were taken, day by day, grouped into trips.

Only the caller's own assets count (not partners' or shared albums'); trashed, hidden (motion parts of live
photos) and locked-folder assets never do; archived ones do (they were still taken there). A day is the
wall-clock date the photo was taken (localDateTime), as the timeline groups them.

Home is the user's setting (location_home) or, without one, inferred: the centre of the city where most of their
photos were taken (the densest 0.1-degree cell when none is named). A day is "away" when any of its photos is
farther than the home radius from home; a trip is a run of away days, where one calendar day without geotagged
photos between two away days does not break the run (a day at home does).
"""

from __future__ import annotations

import gc
import math
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import AssetPosition, LocationHome
from photonest.library import errors
from photonest.library.places import place_of

DEFAULT_RADIUS_KM = 50.0
MAX_RADIUS_KM = 20_000.0
DEFAULT_SPAN_DAYS = 365
BRIDGED_DAYS = 1  # calendar days without geotagged photos a trip may span
EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    day: str  # YYYY-MM-DD, wall clock
    asset_id: str
    lat: float
    lon: float
    local: str  # localDateTime, as the API writes it
    city: str | None
    country: str | None
    favorite: bool

    def dto(self) -> dict[str, Any]:
        return {"assetId": self.asset_id, "latitude": self.lat, "longitude": self.lon,
                "localDateTime": self.local, "city": self.city, "country": self.country}


@dataclass(frozen=True)
class Home:
    lat: float
    lon: float
    radius_km: float
    inferred: bool
    city: str | None = None
    country: str | None = None

    def dto(self) -> dict[str, Any]:
        return {"latitude": self.lat, "longitude": self.lon, "city": self.city, "country": self.country,
                "inferred": self.inferred, "radiusKm": self.radius_km}


def hops_km(lats: Sequence[float], lons: Sequence[float]) -> Any:
    """Great-circle distances between consecutive points (numpy, n-1 of them)."""
    la, lo = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lons, dtype=float))
    a = np.sin(np.diff(la) / 2) ** 2 + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(np.diff(lo) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def km_from(lat: float, lon: float, lats: Sequence[float], lons: Sequence[float]) -> Any:
    """Great-circle distances from one place to many (numpy)."""
    la, lo = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lons, dtype=float))
    p, q = math.radians(lat), math.radians(lon)
    a = np.sin((la - p) / 2) ** 2 + math.cos(p) * np.cos(la) * np.sin((lo - q) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def path_km(points: Sequence[Point]) -> float:
    return round(float(hops_km([p.lat for p in points], [p.lon for p in points]).sum()), 1)


_gc_lock = threading.Lock()
_gc_state = {"pausers": 0, "paused": False}


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a request turns 10^4-10^5 rows into Python objects: every few hundred
    new rows triggered a collection that walked the whole server heap (~250k objects), which took a year of
    days from ~50 to ~175 ms of CPU. Counted, so that overlapping requests re-enable it only when the last ends
    (and only if it was this that disabled it)."""
    with _gc_lock:
        _gc_state["pausers"] += 1
        if _gc_state["pausers"] == 1 and gc.isenabled():
            gc.disable()
            _gc_state["paused"] = True
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["pausers"] -= 1
            if _gc_state["pausers"] == 0 and _gc_state["paused"]:
                _gc_state["paused"] = False
                gc.enable()


# --- the points -------------------------------------------------------------------------------------------


def _positioned(owner_id: str) -> Any:
    """The owner's positioned assets that count (see the module docstring), as a select of Point columns.
    asset_position holds exactly those (kept by triggers), so this is a range scan without a join."""
    p = AssetPosition
    return select(p.asset_id, p.latitude, p.longitude, p.local_date_time, p.city, p.country,
                  p.is_favorite).where(p.owner_id == owner_id)


def points(db: Db, owner_id: str, start: date | None = None, end: date | None = None) -> list[Point]:
    """The owner's points taken on days start..end (inclusive; either open), in time order."""
    day, when = _rendered_time(db)
    p = AssetPosition
    q = _positioned(owner_id).with_only_columns(day, p.asset_id, p.latitude, p.longitude, when, p.city, p.country,
                                                p.is_favorite)
    q = _between(q, start, end)
    # Core rows, not ORM ones: a lifetime of points is 10^5 rows.
    with _gc_paused():
        rows = db.connection().execute(q.order_by(p.local_date_time, p.asset_id)).all()
        return [Point(d, str(i), float(la), float(lo), w, c, k, bool(f)) for d, i, la, lo, w, c, k, f in rows]


def _between(q: Any, start: date | None, end: date | None) -> Any:
    if start is not None:
        q = q.where(AssetPosition.local_date_time >= _midnight(start))
    if end is not None:
        q = q.where(AssetPosition.local_date_time < _midnight(end + timedelta(days=1)))
    return q


def _rendered_time(db: Db) -> tuple[Any, Any]:
    """SQL for the day (YYYY-MM-DD) and the localDateTime text (as the API writes dates) of an asset."""
    t = AssetPosition.local_date_time
    if db.get_bind().dialect.name == "sqlite":  # stored as 'YYYY-MM-DD hh:mm:ss.ffffff'
        return func.substr(t, 1, 10), func.strftime("%Y-%m-%dT%H:%M:%fZ", t)
    wall = func.timezone("UTC", t)
    return func.to_char(wall, "YYYY-MM-DD"), func.to_char(wall, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def by_day(pts: Sequence[Point]) -> Iterator[tuple[str, list[Point]]]:
    i = 0
    while i < len(pts):
        j = i + 1
        while j < len(pts) and pts[j].day == pts[i].day:
            j += 1
        yield pts[i].day, list(pts[i:j])
        i = j


def parse_day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise errors.BadRequest(f"{name} must be a date (YYYY-MM-DD), got {value[:40]!r}") from e


def days_json(db: Db, owner_id: str, start: date | None = None, end: date | None = None) -> str:
    """GET /location-history/days as JSON: each day with geotagged photos, oldest first. Without `to`, up to
    the newest day with data; without `from`, the 365 days up to `to`.

    Each point's JSON is stored rendered (asset_position.point); Python only strings them together per day (and
    adds up the distances): a year of 25k points takes a fraction of what building and encoding dicts did."""
    if start is not None and end is not None and start > end:
        raise errors.BadRequest("from must not be after to")
    if end is None:
        q = _positioned(owner_id).with_only_columns(func.max(AssetPosition.local_date_time))
        if start is not None:
            q = q.where(AssetPosition.local_date_time >= _midnight(start))
        newest = db.scalar(q)
        if newest is None:
            return "[]"
        end = newest.date()
    if start is None:
        start = end - timedelta(days=DEFAULT_SPAN_DAYS - 1)
    day, _ = _rendered_time(db)
    p = AssetPosition
    # Each point's JSON was rendered by the trigger that wrote its row (AssetPosition.point).
    q = _between(_positioned(owner_id).with_only_columns(day, p.latitude, p.longitude, p.point), start, end)
    with _gc_paused():
        return _days(db.connection().execute(q.order_by(p.local_date_time, p.asset_id)).all())


def _days(rows: Sequence[Any]) -> str:
    if not rows:
        return "[]"
    days, lats, lons, rendered = zip(*rows, strict=True)
    # Distance within each day: cumulative sums of the hops, read at the day's first and last point.
    run = np.concatenate(([0.0], np.cumsum(hops_km(lats, lons))))
    out: list[str] = []
    i = 0
    while i < len(days):
        j = i + 1
        while j < len(days) and days[j] == days[i]:
            j += 1
        km = round(float(run[j - 1] - run[i]), 1)
        out.append(f'{{"date":"{days[i]}","distanceKm":{km},"points":[{",".join(rendered[i:j])}]}}')
        i = j
    return "[" + ",".join(out) + "]"


# --- home -------------------------------------------------------------------------------------------------


def get_home(db: Db, owner_id: str) -> Home | None:
    """The user's home: as set, else inferred from their photos; None when they have no geotagged photos."""
    row = db.get(LocationHome, owner_id)
    if row is not None:
        return _named(Home(row.latitude, row.longitude, row.radius_km, inferred=False))
    return infer_home(db, owner_id)


def _named(h: Home) -> Home:
    place = place_of(h.lat, h.lon)
    if place is None:
        return h
    return Home(h.lat, h.lon, h.radius_km, h.inferred, place.city, place.country)


def infer_home(db: Db, owner_id: str) -> Home | None:
    sub = _positioned(owner_id).subquery()
    top = db.execute(select(sub.c.city, sub.c.country, func.count().label("n"), func.avg(sub.c.latitude),
                            func.avg(sub.c.longitude))
                     .where(sub.c.city.is_not(None)).group_by(sub.c.city, sub.c.country)
                     .order_by(func.count().desc(), sub.c.city).limit(1)).first()
    if top is not None:
        city, country, _, lat, lon = top
        return Home(round(float(lat), 6), round(float(lon), 6), DEFAULT_RADIUS_KM, True, city, country)
    # No named place (all at sea, or not geocoded yet): the densest 0.1-degree cell.
    cells: Counter[tuple[int, int]] = Counter()
    sums: dict[tuple[int, int], list[float]] = {}
    for la, lo in db.execute(select(sub.c.latitude, sub.c.longitude)):
        cell = (math.floor(la * 10), math.floor(lo * 10))
        cells[cell] += 1
        s = sums.setdefault(cell, [0.0, 0.0])
        s[0] += la
        s[1] += lo
    if not cells:
        return None
    cell, n = cells.most_common(1)[0]
    return _named(Home(round(sums[cell][0] / n, 6), round(sums[cell][1] / n, 6), DEFAULT_RADIUS_KM, True))


def set_home(db: Db, owner_id: str, latitude: Any, longitude: Any, radius_km: Any = None) -> Home:
    lat, lon = _coordinate(latitude, "latitude", 90), _coordinate(longitude, "longitude", 180)
    radius = DEFAULT_RADIUS_KM if radius_km is None else _coordinate(radius_km, "radiusKm", MAX_RADIUS_KM)
    if radius <= 0:
        raise errors.BadRequest("radiusKm must be greater than 0")
    row = db.get(LocationHome, owner_id)
    if row is None:
        db.add(LocationHome(user_id=owner_id, latitude=lat, longitude=lon, radius_km=radius))
    else:
        row.latitude, row.longitude, row.radius_km = lat, lon, radius
    db.flush()
    return _named(Home(lat, lon, radius, inferred=False))


def _coordinate(value: Any, name: str, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise errors.BadRequest(f"{name} must be a number")
    if not -limit <= value <= limit:
        raise errors.BadRequest(f"{name} must be between {-limit:g} and {limit:g}")
    return float(value)


def clear_home(db: Db, owner_id: str) -> None:
    row = db.get(LocationHome, owner_id)
    if row is not None:
        db.delete(row)
        db.flush()


# --- trips ------------------------------------------------------------------------------------------------


@dataclass
class Trip:
    start: date
    end: date
    points: list[Point]

    @property
    def id(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def dto(self, *, with_points: bool = False) -> dict[str, Any]:
        pts = self.points
        lats, lons = [p.lat for p in pts], [p.lon for p in pts]
        favorites = [p for p in pts if p.favorite]
        cover = (favorites or pts)[len(favorites or pts) // 2]
        out: dict[str, Any] = {
            "id": self.id, "startDate": self.start.isoformat(), "endDate": self.end.isoformat(),
            "days": (self.end - self.start).days + 1,
            "countries": _distinct(p.country for p in pts), "cities": _distinct(p.city for p in pts),
            "distanceKm": path_km(pts), "assetCount": len(pts), "coverAssetId": cover.asset_id,
            "bounds": {"north": max(lats), "south": min(lats), "east": max(lons), "west": min(lons)},
        }
        if with_points:
            out["points"] = [p.dto() for p in pts]
        return out


def _distinct(values: Iterable[str | None]) -> list[str]:
    """In order of first appearance (the order they were visited)."""
    return list(dict.fromkeys(v for v in values if v))


def find_trips(pts: list[Point], home: Home) -> list[Trip]:
    """Runs of away days, oldest first (see the module docstring)."""
    if not pts:
        return []
    # Each point's distance from home at once (numpy), then per day: is any point beyond the radius?
    n = len(pts)
    away = km_from(home.lat, home.lon, [p.lat for p in pts], [p.lon for p in pts]) > home.radius_km
    trips: list[Trip] = []
    current: Trip | None = None
    i = 0
    while i < n:
        j = i + 1
        while j < n and pts[j].day == pts[i].day:
            j += 1
        day = date.fromisoformat(pts[i].day)
        if not bool(away[i:j].any()):
            current = None
        elif current is not None and (day - current.end).days <= BRIDGED_DAYS + 1:
            current.end = day
            current.points.extend(pts[i:j])
        else:
            current = Trip(day, day, list(pts[i:j]))
            trips.append(current)
        i = j
    return trips


def trips(db: Db, owner_id: str) -> list[dict[str, Any]]:
    """GET /location-history/trips, newest first."""
    home = get_home(db, owner_id)
    if home is None:
        return []
    return [t.dto() for t in reversed(find_trips(points(db, owner_id), home))]


def trip(db: Db, owner_id: str, trip_id: str) -> dict[str, Any]:
    """GET /location-history/trips/{id}: the trip with its points."""
    first, sep, last = trip_id.partition("_")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        start = end = None  # type: ignore[assignment]
    if not sep or start is None or end is None or start > end:
        raise errors.BadRequest("A trip id is START_END (YYYY-MM-DD_YYYY-MM-DD)")
    home = get_home(db, owner_id)
    if home is not None:
        # Only the days around it decide where the trip starts and ends (the bridge can reach one day out).
        pad = timedelta(days=BRIDGED_DAYS + 1)
        for t in find_trips(points(db, owner_id, start - pad, end + pad), home):
            if t.start == start and t.end == end:
                return t.dto(with_points=True)
    raise errors.NotFound("Trip not found")

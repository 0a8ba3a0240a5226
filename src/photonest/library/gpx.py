"""GPX import: positions for photos from a GPS track recorded alongside the camera.

A preview matches the caller's photos to the track by time and is kept server-side (gpx_preview, per user,
PREVIEW_TTL); applying it sets each photo's position the way PUT /assets does (library.assets.apply_changes:
the field is locked against metadata refreshes, the place is named again, the asset row's updated_at moves so
the sync feed and the marker cache see it).

Times: GPX times are UTC. A photo whose time zone is known (EXIF offset, or a zone the user set) is matched at
its UTC instant (fileCreatedAt). A photo with a naive camera time is matched at that wall-clock time plus
offset_minutes ("camera time + offset = true UTC time"; a camera set to Tokyo time without a zone needs -540).
A photo between two track points no more than max_gap apart gets the linear interpolation between them; else the
nearest track point if it is within max_gap; else it stays unmatched.

The file is user input: no DTD (so no entity expansion, no external entities: defusedxml), a size limit, an
element nesting limit and a point limit.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from sqlalchemy import delete, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetExif, GpxPreview
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.library.places import TIMELINE_AND_ARCHIVE

MAX_BYTES = 64 << 20
MAX_POINTS = 2_000_000
MAX_DEPTH = 32
PREVIEW_TTL = timedelta(minutes=30)
PREVIEWS_PER_USER = 5
DEFAULT_MAX_GAP_MINUTES = 10
MAX_OFFSET_MINUTES = 7 * 24 * 60
MAX_GAP_MINUTES = 24 * 60
GPX_NAMESPACES = ("http://www.topografix.com/GPX/1/0", "http://www.topografix.com/GPX/1/1", "")
POINT_TAGS = ("trkpt", "rtept", "wpt")


@dataclass(frozen=True)
class Track:
    times: list[float]  # POSIX seconds, ascending, unique
    lats: list[float]
    lons: list[float]

    def __len__(self) -> int:
        return len(self.times)


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _time(text: str | None) -> float | None:
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # GPX times are UTC by definition
    return dt.timestamp()


def parse(source: IO[bytes]) -> Track:
    """The timestamped points of a GPX 1.0/1.1 file (tracks, routes, waypoints), in time order."""
    found: dict[float, tuple[float, float]] = {}
    depth, root_seen, n = 0, False, 0
    try:
        for event, el in iterparse(source, events=("start", "end"), forbid_dtd=True):
            ns, name = _local(el.tag)
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise errors.BadRequest("Not a GPX file: elements nested too deeply")
                if not root_seen:
                    if name != "gpx" or ns not in GPX_NAMESPACES:
                        raise errors.BadRequest("Not a GPX file (the root element is not <gpx>)")
                    root_seen = True
                continue
            depth -= 1
            if name in POINT_TAGS and ns in GPX_NAMESPACES:
                t = _time(next((c.text for c in el if _local(c.tag)[1] == "time"), None))
                try:
                    lat, lon = float(el.get("lat", "")), float(el.get("lon", ""))
                except ValueError:
                    raise errors.BadRequest("A GPX point has no valid lat/lon") from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
                    raise errors.BadRequest(f"A GPX point is outside the globe: {lat}, {lon}")
                if t is not None:
                    found.setdefault(t, (lat, lon))
                    n += 1
                    if n > MAX_POINTS:
                        raise errors.PayloadTooLarge(f"The GPX file has more than {MAX_POINTS} points")
                el.clear()
            elif depth <= 1:
                el.clear()  # finished tracks, routes, metadata: keep memory flat
    except DefusedXmlException as e:
        raise errors.BadRequest(f"The GPX file was refused: {type(e).__name__} (DTDs and entities are "
                                "not allowed)") from e
    except ParseError as e:
        raise errors.BadRequest(f"Not a GPX file: {e}") from e
    if not root_seen:
        raise errors.BadRequest("Not a GPX file")
    times = sorted(found)
    return Track(times, [found[t][0] for t in times], [found[t][1] for t in times])


def locate(track: Track, t: float, max_gap_s: float) -> tuple[float, float, float] | None:
    """(latitude, longitude, seconds to the nearest track point) at instant t, or None (see the docstring)."""
    i = bisect.bisect_left(track.times, t)
    n = len(track)
    if i < n and track.times[i] == t:
        return track.lats[i], track.lons[i], 0.0
    before, after = i - 1 if i > 0 else None, i if i < n else None
    if before is not None and after is not None:
        t0, t1 = track.times[before], track.times[after]
        gap = min(t - t0, t1 - t)
        if t1 - t0 <= max_gap_s:
            f = (t - t0) / (t1 - t0)
            lat = track.lats[before] + f * (track.lats[after] - track.lats[before])
            dlon = track.lons[after] - track.lons[before]
            if abs(dlon) > 180:  # the short way across the antimeridian
                dlon -= math.copysign(360, dlon)
            lon = (track.lons[before] + f * dlon + 540) % 360 - 180
            return lat, lon, gap
        nearest = before if t - t0 <= t1 - t else after
    else:
        edge = before if before is not None else after
        if edge is None:
            return None
        nearest, gap = edge, abs(t - track.times[edge])
    if gap > max_gap_s:
        return None
    return track.lats[nearest], track.lons[nearest], gap


def asset_instant(a: Asset, e: AssetExif | None, offset: timedelta) -> datetime:
    """When the photo was taken, in UTC: known for a photo with a time zone; camera time + offset without."""
    if e is not None and e.time_zone:
        return a.file_created_at
    return a.local_date_time + offset


def _has_position(e: AssetExif | None) -> bool:
    return (e is not None and e.latitude is not None and e.longitude is not None
            and not (e.latitude == 0 and e.longitude == 0))


def _check_range(value: int, name: str, limit: int, low: int) -> int:
    if not low <= value <= limit:
        raise errors.BadRequest(f"{name} must be between {low} and {limit}")
    return value


def preview(db: Db, ctx: AuthContext, source: IO[bytes], *, offset_minutes: int = 0,
            max_gap_minutes: int = DEFAULT_MAX_GAP_MINUTES, overwrite: bool = False) -> dict[str, Any]:
    """POST /location-history/gpx/preview: match the caller's photos to the track and keep the result."""
    if ctx.shared_link is not None:
        raise errors.Forbidden("Share links cannot import GPX files")
    _check_range(offset_minutes, "offsetMinutes", MAX_OFFSET_MINUTES, -MAX_OFFSET_MINUTES)
    _check_range(max_gap_minutes, "maxGapMinutes", MAX_GAP_MINUTES, 0)
    track = parse(source)
    if not len(track):
        raise errors.BadRequest("The GPX file has no points with a time")
    offset, gap_s = timedelta(minutes=offset_minutes), max_gap_minutes * 60.0
    start = datetime.fromtimestamp(track.times[0], UTC)
    end = datetime.fromtimestamp(track.times[-1], UTC)
    # Wall-clock times differ from UTC by at most 14 h; the offset moves naive ones further.
    pad = abs(offset) + timedelta(seconds=gap_s) + timedelta(hours=15)
    q = (select(Asset, AssetExif).outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
         .where(Asset.owner_id == ctx.user.id, Asset.deleted_at.is_(None),
                Asset.visibility.in_(TIMELINE_AND_ARCHIVE),
                Asset.local_date_time.between(start - pad, end + pad))
         .order_by(Asset.local_date_time, Asset.id))
    matches: list[dict[str, Any]] = []
    unmatched = 0
    for a, e in db.execute(q):
        had = _has_position(e)
        if had and not overwrite:
            continue
        hit = locate(track, asset_instant(a, e, offset).timestamp(), gap_s)
        if hit is None:
            unmatched += 1
            continue
        lat, lon, gap = hit
        matches.append({"assetId": a.id, "originalFileName": a.original_file_name,
                        "localDateTime": _iso(a.local_date_time), "latitude": round(lat, 7),
                        "longitude": round(lon, 7), "gapSeconds": round(gap), "hadLocation": had})
    row = GpxPreview(owner_id=ctx.user.id, expires_at=utcnow() + PREVIEW_TTL,
                     matches=[[m["assetId"], m["latitude"], m["longitude"]] for m in matches])
    _prune(db, ctx.user.id)
    db.add(row)
    db.flush()
    return {"previewId": row.id, "trackPoints": len(track), "trackStart": _iso(start), "trackEnd": _iso(end),
            "matches": matches, "unmatched": unmatched}


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _prune(db: Db, owner_id: str) -> None:
    """Expired previews (anyone's) go; a user keeps their newest few."""
    db.execute(delete(GpxPreview).where(GpxPreview.expires_at < utcnow()))
    keep = select(GpxPreview.id).where(GpxPreview.owner_id == owner_id) \
        .order_by(GpxPreview.created_at.desc()).limit(PREVIEWS_PER_USER - 1)
    db.execute(delete(GpxPreview).where(GpxPreview.owner_id == owner_id, GpxPreview.id.not_in(keep))
               .execution_options(synchronize_session=False))


def apply(db: Db, ctx: AuthContext, preview_id: str, *, geocode: bool = True) -> list[Asset]:
    """POST /location-history/gpx/apply: set the positions of a preview; it is used up. Assets trashed,
    locked or deleted since the preview are skipped; places are named only with `geocode` (the reverseGeocoding
    switch). Returns the assets changed."""
    from photonest.library.assets import apply_changes

    row = db.get(GpxPreview, preview_id) if isinstance(preview_id, str) and len(preview_id) <= 36 else None
    if row is None or row.owner_id != ctx.user.id or ctx.shared_link is not None or row.expires_at < utcnow():
        raise errors.BadRequest("GPX preview not found or expired")
    positions = {str(m[0]): (float(m[1]), float(m[2])) for m in row.matches}
    changed: list[Asset] = []
    ids = list(positions)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for a in db.scalars(select(Asset).where(Asset.id.in_(chunk), Asset.owner_id == ctx.user.id,
                                                Asset.deleted_at.is_(None),
                                                Asset.visibility.in_(TIMELINE_AND_ARCHIVE))):
            lat, lon = positions[a.id]
            apply_changes(db, ctx, a, {"latitude": lat, "longitude": lon}, geocode=geocode)
            changed.append(a)
    db.delete(row)
    db.flush()
    return changed


"""Dates and time zones of a capture, as Immich (exiftool-vendored) derives them.

A capture date is a wall-clock time plus, when it can be found, a zone. The zone comes from, in order:
an offset written with the date (XMP dates, OffsetTimeOriginal and friends, TimeZoneOffset), the GPS position
(IANA zone, DST-aware), or the difference between the camera clock and the GPS (UTC) clock. With no zone, the
wall-clock time is taken as UTC, as Immich does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Which tag holds the capture date, in order (Immich's EXIF_DATE_TAGS), with the offset tag that goes with it.
DATE_TAGS: list[tuple[str, str | None, str | None]] = [
    ("DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal"),
    ("CreationDate", None, None),
    ("CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized"),
    ("MediaCreateDate", None, None),
    ("DateTimeCreated", None, None),
    ("GPSDateTime", None, None),
]

_DATE = re.compile(
    r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?)?"
    r"\s*(Z|[+\-]\d{2}:?\d{2}|[+\-]\d{2})?"
)
_OFFSET = re.compile(r"^\s*(Z|[+\-]\d{2}:?\d{2}|[+\-]\d{1,2})\s*$")
MIN_YEAR, MAX_YEAR = 1826, 2200  # the oldest surviving photograph; anything later than 2200 is a broken clock


def parse_offset(text: str | None) -> timedelta | None:
    """'+02:00', '-0500', '+05', 'Z' -> timedelta; None if absent or nonsense."""
    if not text:
        return None
    m = _OFFSET.match(text)
    if not m:
        return None
    raw = m.group(1)
    if raw == "Z":
        return timedelta(0)
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    hours = int(digits[:2]) if len(digits) >= 2 else int(digits)
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    delta = sign * timedelta(hours=hours, minutes=minutes)
    return delta if timedelta(hours=-14) <= delta <= timedelta(hours=14) and minutes < 60 else None


def parse_date(text: Any, subsec: Any = None) -> tuple[datetime, timedelta | None] | None:
    """EXIF ('2015:02:13 13:51:35'), XMP/ISO ('2015-02-13T13:51:35.25+01:00') or odd camera strings
    -> (naive wall-clock time, offset written with it or None). Zero / impossible dates give None."""
    if not isinstance(text, str):
        return None
    m = _DATE.match(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hour, minute, second = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
    frac = m.group(7)
    if frac is None and isinstance(subsec, str) and subsec.strip().isdigit():
        frac = subsec.strip()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        wall = datetime(year, month, day, hour, minute, min(second, 59), micro)
    except ValueError:
        return None
    return wall, parse_offset(m.group(8))


def zone_name(offset: timedelta) -> str:
    """A fixed offset named the way Immich (luxon / exiftool-vendored) writes it: 'UTC+2', 'UTC-5', 'UTC+5:30'."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def zone_from_position(lat: float, lon: float) -> str | None:
    """IANA zone at a position (tzfpy, offline). None when unknown or the library is missing."""
    try:
        import tzfpy
    except ImportError:  # pragma: no cover - optional dependency
        return None
    try:
        name = tzfpy.get_tz(lon, lat)
    except Exception:
        return None
    if not name or name.startswith("Etc/"):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


@dataclass
class CaptureDate:
    utc: datetime  # aware, UTC
    local: datetime  # naive wall-clock time where taken
    time_zone: str | None  # 'UTC+2' or an IANA name, None when unknown


def capture_date(tags: dict[str, Any], *, is_video: bool = False) -> CaptureDate | None:
    """The capture date from merged tags, or None (the caller then uses the file's dates)."""
    chosen: tuple[datetime, timedelta | None] | None = None
    chosen_tag = ""
    for tag, subsec_tag, offset_tag in DATE_TAGS:
        parsed = parse_date(tags.get(tag), tags.get(subsec_tag) if subsec_tag else None)
        if parsed is None:
            continue
        wall, offset = parsed
        if offset is None and offset_tag:
            offset = parse_offset(tags.get(offset_tag)) or parse_offset(tags.get("OffsetTime"))
        chosen, chosen_tag = (wall, offset), tag
        break
    if chosen is None:
        return None
    wall, offset = chosen
    if chosen_tag == "GPSDateTime" or (is_video and chosen_tag in ("CreateDate", "MediaCreateDate") and offset is None):
        # Already UTC (GPS clock; QuickTime CreateDate is UTC by specification): find the zone, shift to local.
        instant = wall.replace(tzinfo=UTC) - (offset or timedelta(0))
        zone = _zone_for(tags)
        if zone is None:
            return CaptureDate(instant, instant.replace(tzinfo=None), None)
        local = instant.astimezone(zone)
        return CaptureDate(instant, local.replace(tzinfo=None), _name(zone, local))
    if offset is None:
        tzo = tags.get("TimeZoneOffset")
        if isinstance(tzo, int) and -14 <= tzo <= 14:
            offset = timedelta(hours=tzo)
    if offset is not None:
        return CaptureDate((wall - offset).replace(tzinfo=UTC), wall, zone_name(offset))
    position_zone = _position_zone(tags)
    if position_zone is not None:
        aware = wall.replace(tzinfo=position_zone)
        return CaptureDate(aware.astimezone(UTC), wall, str(position_zone))
    gps_offset = _offset_from_gps_clock(tags, wall)
    if gps_offset is not None:
        return CaptureDate((wall - gps_offset).replace(tzinfo=UTC), wall, zone_name(gps_offset))
    return CaptureDate(wall.replace(tzinfo=UTC), wall, None)


def _name(zone: tzinfo, local: datetime) -> str:
    if isinstance(zone, ZoneInfo):
        return zone.key
    off = local.utcoffset() or timedelta(0)
    return zone_name(off)


def _position_zone(tags: dict[str, Any]) -> ZoneInfo | None:
    lat, lon = tags.get("GPSLatitude"), tags.get("GPSLongitude")
    if not isinstance(lat, float | int) or not isinstance(lon, float | int) or not valid_position(lat, lon):
        return None
    name = zone_from_position(float(lat), float(lon))
    return ZoneInfo(name) if name else None


def _zone_for(tags: dict[str, Any]) -> tzinfo | None:
    zone = _position_zone(tags)
    if zone is not None:
        return zone
    for key in ("OffsetTimeOriginal", "OffsetTime"):
        off = parse_offset(tags.get(key))
        if off is not None:
            return timezone(off)
    return None


def _offset_from_gps_clock(tags: dict[str, Any], wall: datetime) -> timedelta | None:
    """Camera clock minus GPS (UTC) clock, rounded to 15 minutes, when both were written within a day."""
    gps = parse_date(tags.get("GPSDateTime"))
    if gps is None:
        return None
    diff = wall - gps[0]
    if abs(diff) > timedelta(hours=14):
        return None
    quarters = round(diff.total_seconds() / 900)
    return timedelta(minutes=15 * quarters)


def valid_position(lat: float, lon: float) -> bool:
    """Latitude/longitude that can be a place: in range, finite, and not the (0, 0) 'null island' of empty GPS."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return False
    return not (lat == 0 and lon == 0)

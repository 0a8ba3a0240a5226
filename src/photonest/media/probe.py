"""What a file says about itself: type, dimensions after orientation, capture date and zone, camera, place.

``probe`` reads metadata only (headers, EXIF, XMP, container tags); it decodes no pixels, except one video frame
to learn the display rotation. An XMP sidecar's values override the file's.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from photonest.media.dates import capture_date, parse_date, parse_offset, valid_position
from photonest.media.errors import CorruptMediaError, MediaError
from photonest.media.motion import find_motion_video
from photonest.media.registry import RawMeta, resolve
from photonest.media.xmp import read_sidecar

_ROTATION_TO_ORIENTATION = {0: 1, 90: 6, 180: 3, 270: 8}
_DATE_KEYS = ("DateTimeOriginal", "CreateDate", "CreationDate", "DateTimeCreated", "MediaCreateDate")
_SUBSIDIARY_DATE_KEYS = ("OffsetTimeOriginal", "OffsetTimeDigitized", "OffsetTime", "SubSecTimeOriginal",
                         "SubSecTimeDigitized", "SubSecTime", "TimeZoneOffset")


@dataclass
class MediaInfo:
    asset_type: str  # "IMAGE" | "VIDEO"
    mime_type: str
    width: int | None  # after orientation is applied
    height: int | None
    duration_ms: int | None  # videos
    exif: dict[str, Any] = field(default_factory=dict)  # keys: columns of photonest.db.tables.AssetExif
    local_date_time: datetime | None = None  # naive wall-clock time where taken (Immich's localDateTime)
    live_photo_cid: str | None = None  # Apple ContentIdentifier, pairs a Live Photo's still and video
    motion_photo: tuple[int, int] | None = None  # (offset, length) of a video embedded in a JPEG/HEIC


def format_exposure(seconds: float) -> str | None:
    """Exposure time the way exiftool (and so Immich) prints it: '1/250' below 1/4 s, else '0.5', '2', '30'."""
    if not seconds > 0 or seconds > 3600:
        return None
    if seconds < 0.25001:
        return f"1/{int(0.5 + 1 / seconds)}"
    text = f"{seconds:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _merge_sidecar(tags: dict[str, Any], sidecar: Path) -> dict[str, Any]:
    side = read_sidecar(sidecar)
    if not side:
        return tags
    merged = dict(tags)
    if any(k in side for k in _DATE_KEYS):
        for key in (*_DATE_KEYS, *_SUBSIDIARY_DATE_KEYS):
            merged.pop(key, None)  # a sidecar date comes with its own offset (or none): never mix the two
    if "GPSLatitude" in side or "GPSLongitude" in side:
        merged.pop("GPSLatitude", None)
        merged.pop("GPSLongitude", None)
    merged.update(side)
    return merged


def _positive(value: Any, digits: int) -> float | None:
    if isinstance(value, int | float) and 0 < value < 1e6:
        return round(float(value), digits)
    return None


def _clean_text(value: Any, limit: int = 200) -> str | None:
    if not isinstance(value, str):
        return None
    text = "".join(ch for ch in value if ch.isprintable()).strip()
    return text[:limit] or None


def build_info(raw: RawMeta, tags: dict[str, Any], asset_type: str, file_size: int | None) -> MediaInfo:
    """The shared rules that turn a handler's raw reading into a MediaInfo (dates, zone, GPS, sizes)."""
    exif: dict[str, Any] = {}
    orientation = tags.get("Orientation")
    if not (isinstance(orientation, int) and 1 <= orientation <= 8):
        orientation = None
    if asset_type == "VIDEO" and raw.width:
        orientation = _ROTATION_TO_ORIENTATION.get(raw.rotation, 1)

    width, height = raw.width, raw.height
    stored_w, stored_h = width, height
    turned = orientation in (5, 6, 7, 8)
    if width and height and turned:
        if raw.decoder_applies_orientation:
            stored_w, stored_h = height, width  # the decoder delivered it upright; the file stores it turned
        else:
            width, height = height, width

    for key, column in (("Make", "make"), ("Model", "model"), ("LensModel", "lens_model")):
        text = _clean_text(tags.get(key))
        if text:
            exif[column] = text
    if stored_w and stored_h:
        exif["exif_image_width"], exif["exif_image_height"] = stored_w, stored_h
    if file_size is not None:
        exif["file_size_in_byte"] = file_size
    if orientation is not None:
        exif["orientation"] = str(orientation)

    captured = capture_date(tags, is_video=asset_type == "VIDEO")
    local = None
    if captured is not None:
        exif["date_time_original"] = captured.utc
        local = captured.local
        if captured.time_zone:
            exif["time_zone"] = captured.time_zone
    modified = parse_date(tags.get("ModifyDate"), tags.get("SubSecTime"))
    if modified is not None:
        wall, off = modified
        off = off if off is not None else parse_offset(tags.get("OffsetTime"))
        exif["modify_date"] = (wall - off).replace(tzinfo=UTC) if off is not None else wall.replace(tzinfo=UTC)

    lat, lon = tags.get("GPSLatitude"), tags.get("GPSLongitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float) and valid_position(lat, lon):
        exif["latitude"], exif["longitude"] = round(float(lat), 7), round(float(lon), 7)

    description = _clean_text(tags.get("ImageDescription"), 5000) or _clean_text(tags.get("Description"), 5000)
    if description:
        exif["description"] = description
    if (f := _positive(tags.get("FNumber"), 2)) is not None:
        exif["f_number"] = f
    if (f := _positive(tags.get("FocalLength"), 2)) is not None:
        exif["focal_length"] = f
    iso = tags.get("ISO")
    if isinstance(iso, int) and 0 < iso < 10_000_000:
        exif["iso"] = iso
    exposure = tags.get("ExposureTime")
    if isinstance(exposure, int | float) and (text := format_exposure(float(exposure))):
        exif["exposure_time"] = text
    projection = _clean_text(tags.get("ProjectionType"), 50)
    if projection:
        exif["projection_type"] = projection.upper()
    rating = tags.get("Rating")
    if isinstance(rating, int) and -1 <= rating <= 5:
        exif["rating"] = rating
    if raw.fps:
        exif["fps"] = raw.fps
    if raw.codec:
        exif["codec"] = raw.codec
    cid = _clean_text(tags.get("ContentIdentifier")) or _clean_text(tags.get("MediaGroupUUID"))
    if cid:
        exif["live_photo_cid"] = cid
    return MediaInfo(asset_type=asset_type, mime_type=raw.mime_type, width=width, height=height,
                     duration_ms=raw.duration_ms, exif=exif, local_date_time=local, live_photo_cid=cid)


def probe(path: Path, sidecar: Path | None = None) -> MediaInfo:
    """Metadata of one file (and its XMP sidecar). Raises MediaError for empty, unsupported or damaged files."""
    handler, mime = resolve(path)
    try:
        raw = handler.read(path, mime)
    except MediaError:
        raise
    except Exception as exc:  # a parser bug on a hostile file must still be a clean, user-facing error
        raise CorruptMediaError(f"the file's metadata could not be read ({str(exc)[:160]})") from exc
    tags = raw.tags
    if sidecar is not None:
        with contextlib.suppress(OSError):
            tags = _merge_sidecar(tags, sidecar)
    info = build_info(raw, tags, handler.asset_type, path.stat().st_size)
    if handler.asset_type == "IMAGE" and mime in ("image/jpeg", "image/heic", "image/heif", "image/hif"):
        try:
            info.motion_photo = find_motion_video(path, tags)
        except (OSError, ValueError):
            info.motion_photo = None
    return info

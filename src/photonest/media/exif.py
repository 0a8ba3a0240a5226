"""EXIF (TIFF IFD) reading into a flat, exiftool-like tag dictionary, using Pillow's parser.

Every value is checked: cameras and fuzzers write NaN rationals, absurd counts and wrong types. A tag that cannot
be read is left out, never raised about.
"""

from __future__ import annotations

import contextlib
import math
import struct
from typing import Any

from PIL import Image

Tags = dict[str, Any]

# IFD0 / ExifIFD / GPS tag ids (TIFF/EXIF 2.32)
_IFD0 = {0x010F: "Make", 0x0110: "Model", 0x0112: "Orientation", 0x0132: "ModifyDate", 0x010E: "ImageDescription",
         0x4746: "Rating", 0x0100: "ImageWidth", 0x0101: "ImageHeight"}
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_EXIF = {0x9003: "DateTimeOriginal", 0x9004: "CreateDate", 0x9010: "OffsetTime", 0x9011: "OffsetTimeOriginal",
         0x9012: "OffsetTimeDigitized", 0x9290: "SubSecTime", 0x9291: "SubSecTimeOriginal",
         0x9292: "SubSecTimeDigitized", 0x829A: "ExposureTime", 0x829D: "FNumber", 0x8827: "ISO",
         0x8833: "ISO", 0x920A: "FocalLength", 0xA434: "LensModel", 0xA002: "ExifImageWidth",
         0xA003: "ExifImageHeight", 0x882A: "TimeZoneOffset", 0xA420: "ImageUniqueID"}
_MAKERNOTE = 0x927C


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.split(b"\x00", 1)[0].decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    if any("\x80" <= ch <= "\xff" for ch in value):
        # Pillow reads EXIF ASCII as Latin-1; most writers actually stored UTF-8
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("latin-1").decode("utf-8")
    value = value.replace("\x00", "").strip()
    return value or None


def _number(value: Any) -> float | None:
    if isinstance(value, tuple | list):
        if not value:
            return None
        value = value[0]
    try:
        result = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return result if math.isfinite(result) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    if number is None or abs(number) > 2**31:
        return None
    return int(number)


def _dms(value: Any) -> float | None:
    """Degrees, minutes, seconds (three rationals) to decimal degrees."""
    if not isinstance(value, tuple | list) or not value:
        return _number(value)
    parts = [_number(v) for v in value[:3]]
    if any(p is None for p in parts):
        return None
    nums = [p for p in parts if p is not None]
    while len(nums) < 3:
        nums.append(0.0)
    return nums[0] + nums[1] / 60 + nums[2] / 3600


def _apple_content_identifier(note: bytes) -> str | None:
    """ContentIdentifier (tag 0x11) from an Apple iOS maker note: pairs a Live Photo's still and video."""
    if not note.startswith(b"Apple iOS\x00") or len(note) < 16:
        return None
    order = note[12:14]
    endian = ">" if order == b"MM" else "<" if order == b"II" else None
    if endian is None:
        return None
    try:
        (count,) = struct.unpack_from(endian + "H", note, 14)
        for i in range(min(count, 200)):
            tag, typ, n, raw = struct.unpack_from(endian + "HHI4s", note, 16 + 12 * i)
            if tag != 0x0011 or typ != 2:
                continue
            if n <= 4:
                data = raw[:n]
            else:
                (offset,) = struct.unpack(endian + "I", raw)
                data = note[offset : offset + n]
            return _text(data)
    except struct.error:
        return None
    return None


def tags_from_exif(exif: Image.Exif) -> Tags:
    """Flatten a Pillow Exif object (IFD0 + Exif + GPS IFDs) into our tag names."""
    tags: Tags = {}

    def put(name: str, value: Any) -> None:
        if value is not None and name not in tags:
            tags[name] = value

    for tag_id, name in _IFD0.items():
        try:
            value = exif.get(tag_id)
        except Exception:
            continue
        if value is None:
            continue
        if name in ("Make", "Model", "ModifyDate", "ImageDescription"):
            put(name, _text(value))
        else:
            put(name, _integer(value))
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:
        sub = {}
    for tag_id, name in _EXIF.items():
        value = sub.get(tag_id)
        if value is None:
            continue
        if name in ("ExposureTime", "FNumber", "FocalLength"):
            put(name, _number(value))
        elif name in ("ISO", "ExifImageWidth", "ExifImageHeight", "TimeZoneOffset"):
            put(name, _integer(value))
        else:
            put(name, _text(value))
    note = sub.get(_MAKERNOTE)
    if isinstance(note, bytes):
        put("ContentIdentifier", _apple_content_identifier(note))
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:
        gps = {}
    if gps:
        lat, lon = _dms(gps.get(2)), _dms(gps.get(4))
        if lat is not None and lon is not None:
            if (_text(gps.get(1)) or "N").upper().startswith("S"):
                lat = -lat
            if (_text(gps.get(3)) or "E").upper().startswith("W"):
                lon = -lon
            tags["GPSLatitude"], tags["GPSLongitude"] = lat, lon
        datestamp, timestamp = _text(gps.get(0x1D)), gps.get(7)
        if datestamp and isinstance(timestamp, tuple | list) and len(timestamp) == 3:
            hms = [_number(v) for v in timestamp]
            if all(v is not None for v in hms):
                h, m, s = (float(v) for v in hms if v is not None)
                if 0 <= h < 24 and 0 <= m < 60 and 0 <= s < 61:
                    tags["GPSDateTime"] = f"{datestamp} {int(h):02d}:{int(m):02d}:{int(s):02d}Z"
    return tags


def tags_from_tiff_ifd0(data: bytes, table: str) -> Tags:
    """Map the first IFD of a bare TIFF blob with one of our tables ('exif' or 'gps'): CR3 keeps its Exif and GPS
    directories as separate little TIFFs (CMT2, CMT4)."""
    exif = Image.Exif()
    try:
        exif.load(data)
    except Exception:
        return {}
    if table == "gps":
        fake = Image.Exif()
        try:
            fake.load(_tiff_with_gps_pointer(data))
            return tags_from_exif(fake)
        except Exception:
            return {}
    tags: Tags = {}
    for tag_id, name in _EXIF.items():
        value = exif.get(tag_id)
        if value is None or name in tags:
            continue
        if name in ("ExposureTime", "FNumber", "FocalLength"):
            number = _number(value)
            if number is not None:
                tags[name] = number
        elif name in ("ISO", "ExifImageWidth", "ExifImageHeight", "TimeZoneOffset"):
            integer = _integer(value)
            if integer is not None:
                tags[name] = integer
        else:
            text = _text(value)
            if text is not None:
                tags[name] = text
    return tags


def _tiff_with_gps_pointer(data: bytes) -> bytes:
    """A TIFF whose IFD0 is a single GPSInfo pointer to the blob's own first IFD, so Pillow parses it as GPS."""
    endian = "<" if data[:2] == b"II" else ">"
    (first,) = struct.unpack_from(endian + "I", data, 4)
    header = data[:4] + struct.pack(endian + "I", len(data))
    ifd = struct.pack(endian + "H", 1) + struct.pack(endian + "HHII", _GPS_IFD, 4, 1, first) + b"\0\0\0\0"
    return header + data[8:] + ifd


def tags_from_exif_bytes(data: bytes) -> Tags:
    """Parse raw EXIF: either 'Exif\\0\\0' + TIFF, or a TIFF header (II*\\0 / MM\\0*)."""
    if data.startswith((b"IIU\x00", b"IIRO", b"IIRS", b"MMOR")):  # RW2 / ORF: TIFF with another magic number
        data = (b"II*\x00" if data[:2] == b"II" else b"MM\x00*") + data[4:]
    exif = Image.Exif()
    try:
        exif.load(data)
    except Exception:
        return {}
    return tags_from_exif(exif)

"""XMP packets (embedded or sidecar .xmp files) into the same flat tag names as EXIF.

Parsing uses defusedxml: a sidecar is user input, and entity expansion / external entities must never run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

Tags = dict[str, Any]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NS = {
    "exif": "http://ns.adobe.com/exif/1.0/",
    "exifEX": "http://cipa.jp/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "GPano": "http://ns.google.com/photos/1.0/panorama/",
    "GCamera": "http://ns.google.com/photos/1.0/camera/",
    "Item": "http://ns.google.com/photos/1.0/container/item/",
}
# (namespace prefix, property) -> our tag name; the first listed source of a tag wins.
_MAP: list[tuple[str, str, str]] = [
    ("exif", "DateTimeOriginal", "DateTimeOriginal"),
    ("exif", "DateTimeDigitized", "CreateDate"),
    ("xmp", "CreateDate", "CreateDate"),
    ("photoshop", "DateCreated", "DateTimeCreated"),
    ("xmp", "ModifyDate", "ModifyDate"),
    ("exif", "GPSLatitude", "GPSLatitude"),
    ("exif", "GPSLongitude", "GPSLongitude"),
    ("exif", "GPSTimeStamp", "GPSDateTime"),
    ("tiff", "Make", "Make"),
    ("tiff", "Model", "Model"),
    ("tiff", "Orientation", "Orientation"),
    ("tiff", "ImageDescription", "ImageDescription"),
    ("dc", "description", "Description"),
    ("xmp", "Rating", "Rating"),
    ("exif", "FNumber", "FNumber"),
    ("exif", "ExposureTime", "ExposureTime"),
    ("exif", "FocalLength", "FocalLength"),
    ("exif", "ISOSpeedRatings", "ISO"),
    ("exifEX", "PhotographicSensitivity", "ISO"),
    ("exifEX", "LensModel", "LensModel"),
    ("aux", "Lens", "LensModel"),
    ("exif", "PixelXDimension", "ExifImageWidth"),
    ("exif", "PixelYDimension", "ExifImageHeight"),
    ("GPano", "ProjectionType", "ProjectionType"),
    ("GCamera", "MotionPhoto", "MotionPhoto"),
    ("GCamera", "MicroVideo", "MicroVideo"),
    ("GCamera", "MicroVideoOffset", "MicroVideoOffset"),
]
_NUMERIC = {"FNumber", "ExposureTime", "FocalLength"}
_INTEGER = {"Orientation", "Rating", "ISO", "ExifImageWidth", "ExifImageHeight", "MotionPhoto", "MicroVideo",
            "MicroVideoOffset"}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _value(el: Element) -> str | None:
    """Text of a simple property, or the first item of an rdf:Alt / Seq / Bag (x-default first for Alt)."""
    for container in ("Alt", "Seq", "Bag"):
        c = el.find(f"{{{RDF}}}{container}")
        if c is not None:
            items = c.findall(f"{{{RDF}}}li")
            for li in items:
                if li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default":
                    return li.text
            return items[0].text if items else None
    return el.text


def _rational(text: str) -> float | None:
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


_COORD = re.compile(r"^\s*(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$", re.I)


def parse_xmp_coordinate(text: str) -> float | None:
    """XMP GPSCoordinate: 'DDD,MM.mmk' or 'DDD,MM,SSk' (k = N/S/E/W), or a plain signed decimal."""
    m = _COORD.match(text)
    if m:
        deg = float(m.group(1)) + float(m.group(2) or 0) / 60 + float(m.group(3) or 0) / 3600
        return -deg if m.group(4).upper() in "SW" else deg
    try:
        return float(text)
    except ValueError:
        return None


def _convert(tag: str, text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    if tag in ("GPSLatitude", "GPSLongitude"):
        return parse_xmp_coordinate(text)
    if tag in _NUMERIC:
        return _rational(text)
    if tag in _INTEGER:
        number = _rational(text)
        return int(number) if number is not None and abs(number) < 2**31 else None
    return text


def parse_xmp(data: bytes | str) -> Tags:
    """Tags from one XMP packet. Malformed XML gives an empty dict (metadata is best effort)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    start = data.find(b"<x:xmpmeta")
    if start < 0:
        start = data.find(b"<rdf:RDF")
    if start > 0 and b"\x00" not in data[:start]:  # keep UTF-16 packets whole: the parser reads their BOM
        end = max(data.rfind(b"</x:xmpmeta>"), data.rfind(b"</rdf:RDF>"))
        data = data[start : end + 12] if end > start else data[start:]
    try:
        root = SafeET.fromstring(data)
    except Exception:
        return {}
    props: dict[str, str] = {}
    for desc in root.iter(f"{{{RDF}}}Description"):
        for key, val in desc.attrib.items():
            props.setdefault(key, val)
        for child in desc:
            text = _value(child)
            if text is not None:
                props.setdefault(child.tag, text)
    tags: Tags = {}
    for prefix, prop, tag in _MAP:
        if tag in tags:
            continue
        raw = props.get(_q(prefix, prop))
        if raw is None:
            continue
        value = _convert(tag, raw)
        if value is not None:
            tags[tag] = value
    items = _container_items(root)
    if items:
        tags["ContainerItems"] = items
    return tags


def _container_items(root: Element) -> list[dict[str, Any]]:
    """Google Container:Directory items (motion photos): semantic, mime, length, padding, in file order."""
    items: list[dict[str, Any]] = []
    sem, mime, length, pad = (_q("Item", n) for n in ("Semantic", "Mime", "Length", "Padding"))
    for el in root.iter():
        attrs = dict(el.attrib)
        for child in el:
            if child.tag in (sem, mime, length, pad) and child.text:
                attrs[child.tag] = child.text
        if sem not in attrs:
            continue
        try:
            items.append({
                "semantic": attrs[sem].strip(),
                "mime": attrs.get(mime, "").strip(),
                "length": int(attrs.get(length, "0") or 0),
                "padding": int(attrs.get(pad, "0") or 0),
            })
        except ValueError:
            continue
    return items


def read_sidecar(path: Path, *, max_bytes: int = 8 * 1024 * 1024) -> Tags:
    """Tags from an .xmp sidecar file (at most ``max_bytes`` are read)."""
    with path.open("rb") as fh:
        return parse_xmp(fh.read(max_bytes))

"""Camera RAW: metadata from the TIFF/ISO-BMFF structure, pictures from the embedded preview or LibRaw (rawpy)."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

from PIL import Image

from photonest.media.errors import CorruptMediaError, MediaError, MediaTooLargeError
from photonest.media.exif import tags_from_exif_bytes, tags_from_tiff_ifd0
from photonest.media.images import check_pixels, decode, open_image, tags_from_pillow
from photonest.media.registry import Loaded, RawMeta, register
from photonest.media.types import IMAGE

try:
    import rawpy

    HAVE_RAWPY = True
except ImportError:  # pragma: no cover - rawpy is in the media extra
    HAVE_RAWPY = False

_HEAD = 8 * 1024 * 1024  # metadata of TIFF-based RAWs sits in the first megabytes
_FLIP_TO_ORIENTATION = {0: 1, 3: 3, 5: 8, 6: 6}


def _cr3_tags(head: bytes) -> dict[str, Any]:
    """Canon CR3 (ISO BMFF): IFD0 in box CMT1, Exif in CMT2, GPS in CMT4, each a small TIFF."""
    tags: dict[str, Any] = {}
    for box, kind in ((b"CMT1", "ifd0"), (b"CMT2", "exif"), (b"CMT4", "gps")):
        at = head.find(box)
        if at < 4:
            continue
        (size,) = struct.unpack(">I", head[at - 4 : at])
        blob = head[at + 4 : at - 4 + size]
        if not blob.startswith((b"II*\x00", b"MM\x00*")):
            continue
        found = tags_from_exif_bytes(blob) if kind == "ifd0" else tags_from_tiff_ifd0(blob, kind)
        for key, value in found.items():
            tags.setdefault(key, value)
    return tags


def _raf_jpeg(head: bytes) -> bytes | None:
    """Fujifilm RAF: the header points at a full embedded JPEG (which carries the EXIF)."""
    if not head.startswith(b"FUJIFILMCCD-RAW") or len(head) < 92:
        return None
    offset, length = struct.unpack(">II", head[84:92])
    return head[offset : offset + length] if offset + length <= len(head) and length > 0 else None


class RawHandler:
    name = "raw"
    asset_type = "IMAGE"
    mime_types = frozenset(m for m in IMAGE.values() if m.startswith("image/x-"))

    def is_browser_supported(self, mime_type: str) -> bool:
        return False

    def read(self, path: Path, mime_type: str) -> RawMeta:
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
        tags: dict[str, Any] = {}
        if mime_type == "image/x-canon-cr3":
            tags = _cr3_tags(head[: 4 * 1024 * 1024])
        elif (jpeg := _raf_jpeg(head)) is not None:
            try:
                with Image.open(io.BytesIO(jpeg)) as im:
                    tags = tags_from_pillow(im)
            except Exception:
                tags = {}
        elif head.startswith((b"II", b"MM")):
            tags = tags_from_exif_bytes(head)
        width = height = None
        flip = 0
        if HAVE_RAWPY:
            try:
                with rawpy.imread(str(path)) as r:
                    width, height, flip = int(r.sizes.width), int(r.sizes.height), int(r.sizes.flip)
            except Exception:
                pass
        if width is None:
            w, h = tags.get("ExifImageWidth"), tags.get("ExifImageHeight")
            if isinstance(w, int) and isinstance(h, int) and w > 0 and h > 0:
                width, height = w, h
        if width is None and not tags:
            raise CorruptMediaError("the RAW file is damaged or of an unsupported kind")
        if "Orientation" not in tags and flip in _FLIP_TO_ORIENTATION:
            tags["Orientation"] = _FLIP_TO_ORIENTATION[flip]
        return RawMeta(mime_type=mime_type, tags=tags, width=width, height=height)

    def load(self, path: Path, *, min_side: int, max_pixels: int) -> Loaded:
        small: Loaded | None = None
        if HAVE_RAWPY:
            try:
                r = rawpy.imread(str(path))
            except Exception:
                r = None
            if r is not None:
                with r:
                    orientation = _FLIP_TO_ORIENTATION.get(int(r.sizes.flip), 1)
                    thumb = self._thumb(r, orientation, min_side, max_pixels)
                    if thumb is not None and min(thumb.image.size) >= min_side:
                        return thumb
                    small = thumb
                    full = self._develop(r, min_side, max_pixels, path.stat().st_size)
                    if full is not None:
                        if small is not None:
                            small.image.close()
                        return full
        if small is None:
            with path.open("rb") as fh:
                jpeg = _raf_jpeg(fh.read(_HEAD))
            if jpeg is not None:
                try:
                    small = Loaded(decode(Image.open(io.BytesIO(jpeg))), 1)
                except MediaError:
                    small = None
        if small is not None:
            return small
        raise CorruptMediaError("the RAW file holds no image data that can be decoded")

    @staticmethod
    def _thumb(r: Any, orientation: int, min_side: int, max_pixels: int) -> Loaded | None:
        try:
            thumb = r.extract_thumb()
        except Exception:
            return None
        try:
            if thumb.format == rawpy.ThumbFormat.JPEG:
                im = Image.open(io.BytesIO(thumb.data))
                check_pixels(*im.size, max_pixels)
                if min_side and min(im.size) > 2 * min_side:
                    scale = min_side / min(im.size)
                    im.draft("RGB", (int(im.size[0] * scale) + 1, int(im.size[1] * scale) + 1))
                return Loaded(decode(im), orientation)
            if thumb.format == rawpy.ThumbFormat.BITMAP:
                return Loaded(Image.fromarray(thumb.data), orientation)
        except (MediaError, OSError, ValueError):
            return None
        return None

    @staticmethod
    def _develop(r: Any, min_side: int, max_pixels: int, file_size: int) -> Loaded | None:
        try:
            width, height = int(r.sizes.width), int(r.sizes.height)
            if file_size * 8 < width * height * 2:
                return None  # under 2 bits per photosite: a truncated or metadata-only file, no sensor data
            check_pixels(width, height, max_pixels * 4)
            half = bool(min_side) and min(width, height) // 2 >= min_side
            if not half:
                check_pixels(width, height, max_pixels)
            rgb = r.postprocess(use_camera_wb=True, half_size=half, output_bps=8, no_auto_bright=False)
        except MediaTooLargeError:
            raise
        except Exception:
            return None
        image = Image.fromarray(rgb)
        if image.getextrema() in (((0, 0),) * 3, ((255, 255),) * 3):
            return None  # LibRaw "developed" nothing: an empty picture
        return Loaded(image, 1)  # LibRaw has applied the flip already


register(RawHandler())

__all__ = ["RawHandler", "open_image"]

"""Image handlers: Pillow (JPEG, PNG, WebP, GIF, TIFF, BMP, JPEG 2000, PSD, AVIF), HEIF (pillow-heif), JPEG XL."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from photonest.media.errors import CorruptMediaError, MediaError, MediaTooLargeError
from photonest.media.exif import tags_from_exif, tags_from_exif_bytes
from photonest.media.registry import Loaded, RawMeta, register
from photonest.media.xmp import parse_xmp

try:
    import pillow_heif

    pillow_heif.register_heif_opener(thumbnails=False)
    HAVE_HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is a core dependency
    HAVE_HEIF = False

try:
    import pillow_jxl  # noqa: F401  (registers the JXL plugin with Pillow)

    HAVE_JXL = True
except ImportError:  # pragma: no cover - optional
    HAVE_JXL = False


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def open_image(path: Path) -> Image.Image:
    """Image.open with Pillow's own bomb guard turned into MediaError and its warning silenced (we check)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(path)
        except Image.DecompressionBombError as exc:
            raise MediaTooLargeError(f"image is too large to decode safely ({_describe(exc)})") from exc
        except UnidentifiedImageError as exc:
            raise CorruptMediaError("the file is damaged or not a supported image (cannot identify it)") from exc
        except MediaError:
            raise
        except Exception as exc:
            raise CorruptMediaError(f"the image header is damaged ({_describe(exc)})") from exc


def check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width <= 0 or height <= 0:
        raise CorruptMediaError(f"the image declares impossible dimensions {width}x{height}")
    if width * height > max_pixels:
        raise MediaTooLargeError(
            f"image is {width}x{height} ({width * height / 1e6:.1f} megapixels), over the limit of "
            f"{max_pixels / 1e6:.0f} megapixels"
        )


def decode(im: Image.Image) -> Image.Image:
    """Force decoding, translating every decoder failure into CorruptMediaError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im.load()
        except Image.DecompressionBombError as exc:
            raise MediaTooLargeError(f"image is too large to decode safely ({_describe(exc)})") from exc
        except MemoryError as exc:
            raise MediaTooLargeError("not enough memory to decode this image") from exc
        except Exception as exc:
            msg = _describe(exc)
            if "truncated" in msg:
                raise CorruptMediaError(f"the image is truncated ({msg})") from exc
            raise CorruptMediaError(f"the image data is damaged ({msg})") from exc
    return im


def tags_from_pillow(im: Image.Image) -> dict[str, Any]:
    """EXIF first, then the embedded XMP packet fills what EXIF lacks."""
    tags: dict[str, Any] = {}
    try:
        raw_exif = im.info.get("exif")
        if isinstance(raw_exif, bytes) and raw_exif:
            tags = tags_from_exif_bytes(raw_exif)
        else:
            tags = tags_from_exif(im.getexif())
    except Exception:
        tags = {}
    xmp = xmp_packet(im)
    if xmp:
        for key, value in parse_xmp(xmp).items():
            tags.setdefault(key, value)
    return tags


def _tags_from_info(info: dict[str, Any]) -> dict[str, Any]:
    raw_exif = info.get("exif")
    tags = tags_from_exif_bytes(raw_exif) if isinstance(raw_exif, bytes) and raw_exif else {}
    xmp = info.get("xmp")
    if isinstance(xmp, bytes) and xmp:
        for key, value in parse_xmp(xmp).items():
            tags.setdefault(key, value)
    return tags


def xmp_packet(im: Image.Image) -> bytes | None:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, bytes) and value:
            return value
    tag_v2 = getattr(im, "tag_v2", None)
    if tag_v2 is not None:
        try:
            value = tag_v2.get(700)
        except Exception:
            return None
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
    return None


def exif_orientation(im: Image.Image) -> int:
    """The EXIF (or XMP, via Pillow) orientation, reading IFD0 only: the full EXIF parse costs milliseconds."""
    try:
        value = im.getexif().get(0x0112)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


class PillowHandler:
    name = "pillow"
    asset_type = "IMAGE"
    mime_types = frozenset({
        "image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff", "image/bmp", "image/jp2",
        "image/vnd.adobe.photoshop", "image/avif",
    })
    # What a browser shows as is; everything else also gets a full-size JPEG.
    _browser = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/avif"})

    def is_browser_supported(self, mime_type: str) -> bool:
        return mime_type in self._browser

    def read(self, path: Path, mime_type: str) -> RawMeta:
        with open_image(path) as im:
            tags = tags_from_pillow(im)
            width, height = im.size  # stored size; Pillow turns AVIF's irot/imir boxes into an EXIF orientation
        return RawMeta(mime_type=mime_type, tags=tags, width=width, height=height)

    def load(self, path: Path, *, min_side: int, max_pixels: int) -> Loaded:
        im = open_image(path)
        try:
            width, height = im.size
            orientation = 1
            if im.format in ("JPEG", "MPO"):
                # Shrink-on-load: libjpeg scales by 1/2, 1/4 or 1/8 while decoding (DCT scaling).
                check_pixels(width, height, max_pixels * 64)
                if min_side and min(width, height) > min_side:
                    scale = min_side / min(width, height)
                    im.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
                check_pixels(*im.size, max_pixels)
                orientation = exif_orientation(im)
                decode(im)
            else:
                check_pixels(width, height, max_pixels)
                decode(im)
                orientation = exif_orientation(im)
            return Loaded(im, orientation)
        except BaseException:
            im.close()
            raise


class HeifHandler:
    name = "heif"
    asset_type = "IMAGE"
    mime_types = frozenset({"image/heic", "image/heif", "image/hif"})

    def is_browser_supported(self, mime_type: str) -> bool:
        return False

    def read(self, path: Path, mime_type: str) -> RawMeta:
        try:
            with open_image(path) as im:
                tags = tags_from_pillow(im)
                original = im.info.get("original_orientation")
                width, height = im.size  # libheif applies the rotation/mirror boxes: already display-oriented
        except MediaTooLargeError:
            # Pillow's bomb guard fires on open even though reading metadata decodes nothing: ask libheif.
            heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)
            tags = _tags_from_info(heif.info)
            original = heif.info.get("original_orientation")
            width, height = heif.size
        if isinstance(original, int) and 1 <= original <= 8:
            tags["Orientation"] = original
        return RawMeta(mime_type=mime_type, tags=tags, width=width, height=height, decoder_applies_orientation=True)

    def load(self, path: Path, *, min_side: int, max_pixels: int) -> Loaded:
        im = open_image(path)
        try:
            check_pixels(*im.size, max_pixels)
            decode(im)
            return Loaded(im, 1)
        except BaseException:
            im.close()
            raise


class JxlHandler(HeifHandler):
    name = "jxl"
    mime_types = frozenset({"image/jxl"})

    def read(self, path: Path, mime_type: str) -> RawMeta:
        if not HAVE_JXL:
            raise MediaError("JPEG XL support is not installed (pillow-jxl-plugin)")
        with open_image(path) as im:
            tags = tags_from_pillow(im)
            width, height = im.size  # libjxl applies the codestream orientation on decode
        return RawMeta(mime_type=mime_type, tags=tags, width=width, height=height, decoder_applies_orientation=True)

    def load(self, path: Path, *, min_side: int, max_pixels: int) -> Loaded:
        if not HAVE_JXL:
            raise MediaError("JPEG XL support is not installed (pillow-jxl-plugin)")
        return super().load(path, min_side=min_side, max_pixels=max_pixels)


register(PillowHandler())
if HAVE_HEIF:
    register(HeifHandler())
register(JxlHandler())

"""Thumbnail (WebP), preview (JPEG), optional full-size JPEG and ThumbHash, as Immich makes them.

Immich's defaults: thumbnail WebP q80 and preview JPEG q80, resized so the SHORT side is 250 / 1440 px (sharp's
``fit: 'outside'``), never enlarged; orientation applied; colour converted to sRGB; ThumbHash from the picture
shrunk to fit 100x100. Each picture is decoded once, shrunk on load where the format allows (JPEG DCT scaling),
and every smaller picture is made from the previous one.

Files appear atomically (written to a temporary name, then renamed): a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from photonest.media.errors import CorruptMediaError, MediaError
from photonest.media.registry import DEFAULT_MAX_PIXELS, Loaded, resolve
from photonest.media.thumbhash import image_thumbhash

# Keep up to four freed 16 MB image blocks for reuse instead of returning them to the OS and faulting fresh
# pages in for the next photo: ~12% less CPU per 12 MP photo, RSS about the same. PILLOW_BLOCKS_MAX overrides.
if "PILLOW_BLOCKS_MAX" not in os.environ:
    from PIL import _imaging

    _imaging.set_blocks_max(max(4, _imaging.get_blocks_max()))

THUMB_QUALITY = 80
PREVIEW_QUALITY = 80
FULLSIZE_QUALITY = 80
# libwebp effort: 2 instead of sharp's default 4 halves the encode time (~3.5 ms) for ~3% larger thumbnails.
WEBP_METHOD = 2

_TRANSPOSE: dict[int, list[Image.Transpose]] = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}


@dataclass
class Derivatives:
    thumbnail: Path  # WebP, short side thumb_size (or smaller if the source is smaller)
    preview: Path  # JPEG, short side preview_size, sRGB, orientation applied
    thumbhash: bytes
    fullsize: Path | None  # JPEG for formats browsers cannot show (HEIC, RAW, TIFF, JXL...), else None


def outside_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Size with the short side = ``short_side`` keeping the aspect ratio; never larger than the source."""
    if min(width, height) <= short_side:
        return width, height
    scale = short_side / min(width, height)
    if width <= height:
        return short_side, max(1, round(height * scale))
    return max(1, round(width * scale)), short_side


@lru_cache(maxsize=32)
def _transform_for(profile_digest: str, profile: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        dst = ImageCms.createProfile("sRGB")
        # NOCACHE: LittleCMS's one-pixel cache lives in the transform, which worker threads share here.
        return ImageCms.buildTransform(src, dst, mode, "RGB", renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                       flags=ImageCms.Flags.NOCACHE)
    except Exception:
        return None


def _is_srgb(profile: bytes) -> bool:
    try:
        desc = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    except Exception:
        return False
    return "srgb" in desc.lower().replace(" ", "").replace("-", "")


@lru_cache(maxsize=64)
def _srgb_cached(digest: str, profile: bytes) -> bool:
    return _is_srgb(profile)


def to_srgb(image: Image.Image) -> Image.Image:
    """RGB (or RGBA when really transparent) in sRGB: embedded ICC profiles (Display P3, Adobe RGB, grey, CMYK)
    are converted with LittleCMS; pictures without a profile are taken as sRGB. May convert ``image`` in place."""
    icc = image.info.get("icc_profile")
    alpha = None
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None
        image = rgba.convert("RGB")
    elif image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    elif image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    if isinstance(icc, bytes) and icc and image.mode in ("RGB", "L", "CMYK"):
        digest = hashlib.sha1(icc).hexdigest()
        if image.mode != "RGB" or not _srgb_cached(digest, icc):
            transform = _transform_for(digest, icc, image.mode)
            if transform is not None:
                with contextlib.suppress(Exception):
                    if image.mode == "RGB":  # in place: a 20 MP picture needs no second 80 MB buffer
                        ImageCms.applyTransform(image, transform, inPlace=True)
                    else:
                        image = ImageCms.applyTransform(image, transform) or image
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.info.pop("icc_profile", None)
    if alpha is not None:
        image.putalpha(alpha if alpha.size == image.size else alpha.resize(image.size))
    return image


def _orient(image: Image.Image, orientation: int) -> Image.Image:
    for step in _TRANSPOSE.get(orientation, []):
        image = image.transpose(step)
    return image


def _resize(image: Image.Image, short_side: int) -> Image.Image:
    """Shrink so the short side is ``short_side``. Large factors: an integer box reduction first (libvips'
    "shrink"), then Lanczos for the rest. Small factors, as left after JPEG shrink-on-load (1 to 2): an area
    average (box) below 1.25, bilinear above; at such ratios they look like Lanczos and cost a third to a half."""
    size = outside_size(image.width, image.height, short_side)
    if size == image.size:
        return image
    factor = min(image.size) / min(size)
    if factor < 1.25:
        return image.resize(size, Image.Resampling.BOX)
    if factor < 2:
        return image.resize(size, Image.Resampling.BILINEAR)
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode == "RGBA":
        base = Image.new("RGB", image.size, (255, 255, 255))
        base.paste(image, mask=image.getchannel("A"))
        return base
    return image


class _Writer:
    """Writes files to temporary names and renames them all at the end; on failure, removes them all."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.pending: list[tuple[Path, Path]] = []

    def save(self, image: Image.Image, name: str, fmt: str, **params: object) -> Path:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix="." + fmt.lower(), dir=self.out_dir)
        with os.fdopen(fd, "wb") as fh:
            self.pending.append((Path(tmp), self.out_dir / name))
            image.save(fh, fmt, **params)
        return self.out_dir / name

    def commit(self) -> None:
        for tmp, final in self.pending:
            os.replace(tmp, final)
        self.pending.clear()

    def abort(self) -> None:
        for tmp, _ in self.pending:
            tmp.unlink(missing_ok=True)
        self.pending.clear()


def derive(loaded: Loaded, out_dir: Path, *, stem: str, thumb_size: int, preview_size: int,
           fullsize: bool, thumb_quality: int = THUMB_QUALITY, preview_quality: int = PREVIEW_QUALITY) -> Derivatives:
    """Shared pipeline from a decoded picture. ``stem`` names the files: {stem}-thumbnail.webp etc."""
    writer = _Writer(out_dir)
    try:
        image = loaded.image
        full_path = None
        if fullsize:
            image = to_srgb(image)  # the full picture is converted anyway: convert once, then shrink
            full = _flatten(_orient(image, loaded.orientation))
            full_path = writer.save(full, f"{stem}-fullsize.jpeg", "JPEG", quality=FULLSIZE_QUALITY)
            preview = _resize(image, preview_size)
        elif image.mode in ("RGB", "RGBA", "L", "CMYK"):
            preview = to_srgb(_resize(image, preview_size))  # colour-convert the small picture (the profile
            # travels with it): a 12 MP Display P3 photo costs 2.5 MP of LittleCMS work instead of 6
        else:
            preview = _resize(to_srgb(image), preview_size)  # palette, 1-bit, 16-bit: normalise first
        preview = _orient(preview, loaded.orientation)
        preview_path = writer.save(_flatten(preview), f"{stem}-preview.jpeg", "JPEG", quality=preview_quality)
        thumb = _resize(preview, thumb_size)
        thumb_path = writer.save(thumb, f"{stem}-thumbnail.webp", "WEBP", quality=thumb_quality, method=WEBP_METHOD)
        thash = image_thumbhash(thumb)
        writer.commit()
    except MediaError:
        writer.abort()
        raise
    except MemoryError as exc:
        writer.abort()
        raise MediaError("not enough memory to process this image") from exc
    except Exception as exc:
        writer.abort()
        raise CorruptMediaError(f"the image could not be processed ({str(exc)[:200]})") from exc
    finally:
        loaded.image.close()
    return Derivatives(thumbnail=thumb_path, preview=preview_path, thumbhash=thash, fullsize=full_path)


def make_image_derivatives(src: Path, out_dir: Path, *, thumb_size: int = 250, preview_size: int = 1440,
                           max_pixels: int = DEFAULT_MAX_PIXELS, asset_id: str = "",
                           fullsize: bool = True, thumb_quality: int = THUMB_QUALITY,
                           preview_quality: int = PREVIEW_QUALITY) -> Derivatives:
    """Thumbnail, preview and ThumbHash of a photo; plus a full-size JPEG when browsers cannot show the original
    (and ``fullsize`` is True). Raises MediaError (corrupt, truncated, unsupported, over ``max_pixels``)."""
    handler, mime = resolve(src)
    if handler.asset_type != "IMAGE":
        raise MediaError(f"{mime} is not a photo")
    want_full = fullsize and not handler.is_browser_supported(mime)
    min_side = 0 if want_full else max(thumb_size, preview_size)
    loaded = handler.load(src, min_side=min_side, max_pixels=max_pixels)
    return derive(loaded, out_dir, stem=asset_id or src.stem, thumb_size=thumb_size, preview_size=preview_size,
                  fullsize=want_full, thumb_quality=thumb_quality, preview_quality=preview_quality)


def make_video_derivatives(src: Path, out_dir: Path, *, thumb_size: int = 250, preview_size: int = 1440,
                           max_pixels: int = DEFAULT_MAX_PIXELS, asset_id: str = "", thumb_quality: int = THUMB_QUALITY,
                           preview_quality: int = PREVIEW_QUALITY) -> Derivatives:
    """Thumbnail, preview and ThumbHash from a video's poster frame. Raises MediaError."""
    handler, mime = resolve(src)
    if handler.asset_type != "VIDEO":
        raise MediaError(f"{mime} is not a video")
    loaded = handler.load(src, min_side=max(thumb_size, preview_size), max_pixels=max_pixels)
    return derive(loaded, out_dir, stem=asset_id or src.stem, thumb_size=thumb_size, preview_size=preview_size,
                  fullsize=False, thumb_quality=thumb_quality, preview_quality=preview_quality)


__all__ = ["Derivatives", "make_image_derivatives", "make_video_derivatives", "outside_size", "to_srgb"]

"""Thumbnail (WebP), preview (JPEG), optional full-size JPEG and ThumbHash, as Immich makes them.

Immich's defaults: thumbnail WebP q80 and preview JPEG q80, resized so the SHORT side is 250 / 1440 px (sharp's
``fit: 'outside'``), never enlarged; orientation applied; colour converted to sRGB; ThumbHash from the picture
shrunk to fit 100x100. Each picture is decoded once, shrunk on load where the format allows (JPEG DCT scaling),
and every smaller picture is made from the previous one.

Files appear atomically (written to a temporary name, fsynced, then renamed): a failure leaves nothing behind,
and a crash never leaves a torn file that the database already points at (see _Writer).

Ordinary colour JPEGs take the OpenCV pixel path (fast_jpeg.py) when OpenCV is installed; everything else, and
any JPEG that path declines, takes the Pillow path (``derive``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from photonest.media import fast_jpeg
from photonest.media.errors import CorruptMediaError, MediaError
from photonest.media.registry import DEFAULT_MAX_PIXELS, Loaded, resolve
from photonest.media.thumbhash import image_thumbhash

log = logging.getLogger(__name__)

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


def is_srgb_profile(profile: bytes) -> bool:
    return _srgb_cached(hashlib.sha1(profile).hexdigest(), profile)


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
    """Writes files to temporary names and renames them all at the end; on failure, removes them all.

    Each file is fsynced before its rename and the directory after: the caller records the files in the database
    right after, and without this a power cut could leave that row pointing at an empty or partly written file
    (delayed allocation), which would be served as is. Costs ~0.3 ms CPU and ~2 ms wall per photo here."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.pending: list[tuple[Path, Path]] = []

    def _open(self, name: str) -> tuple[io.BufferedWriter, Path]:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=Path(name).suffix, dir=self.out_dir)
        self.pending.append((Path(tmp), self.out_dir / name))
        return os.fdopen(fd, "wb"), self.out_dir / name

    def save(self, image: Image.Image, name: str, fmt: str, **params: object) -> Path:
        fh, final = self._open(name)
        with fh:
            image.save(fh, fmt, **params)
            fh.flush()
            os.fsync(fh.fileno())
        return final

    def write(self, data: bytes, name: str) -> Path:
        fh, final = self._open(name)
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return final

    def commit(self) -> None:
        for tmp, final in self.pending:
            os.replace(tmp, final)
        self.pending.clear()
        fd = os.open(self.out_dir, os.O_RDONLY)
        try:
            os.fsync(fd)  # the renames themselves
        finally:
            os.close(fd)

    def abort(self) -> None:
        for tmp, _ in self.pending:
            tmp.unlink(missing_ok=True)
        self.pending.clear()

    @contextlib.contextmanager
    def cleanly(self) -> Iterator[None]:
        """On any failure: remove the temporary files and raise a MediaError (the cause kept in ``__cause__``)."""
        try:
            yield
        except MediaError:
            self.abort()
            raise
        except MemoryError as exc:
            self.abort()
            raise MediaError("not enough memory to process this image") from exc
        except Exception as exc:
            self.abort()
            raise CorruptMediaError(f"the image could not be processed ({str(exc)[:200]})") from exc


def derive(loaded: Loaded, out_dir: Path, *, stem: str, thumb_size: int, preview_size: int,
           fullsize: bool, thumb_quality: int = THUMB_QUALITY, preview_quality: int = PREVIEW_QUALITY) -> Derivatives:
    """Shared pipeline from a decoded picture. ``stem`` names the files: {stem}-thumbnail.webp etc."""
    writer = _Writer(out_dir)
    try:
        with writer.cleanly():
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
            thumb_path = writer.save(thumb, f"{stem}-thumbnail.webp", "WEBP", quality=thumb_quality,
                                     method=WEBP_METHOD)
            thash = image_thumbhash(thumb)
            writer.commit()
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
    if mime == "image/jpeg" and not want_full and fast_jpeg.available():
        fast = _derive_jpeg_fast(src, out_dir, stem=asset_id or src.stem, thumb_size=thumb_size,
                                 preview_size=preview_size, max_pixels=max_pixels, thumb_quality=thumb_quality,
                                 preview_quality=preview_quality)
        if fast is not None:
            return fast
    loaded = handler.load(src, min_side=min_side, max_pixels=max_pixels)
    return derive(loaded, out_dir, stem=asset_id or src.stem, thumb_size=thumb_size, preview_size=preview_size,
                  fullsize=want_full, thumb_quality=thumb_quality, preview_quality=preview_quality)


def _derive_jpeg_fast(src: Path, out_dir: Path, *, stem: str, thumb_size: int, preview_size: int, max_pixels: int,
                      thumb_quality: int, preview_quality: int) -> Derivatives | None:
    """The same derivatives as ``derive`` through OpenCV (fast_jpeg.py); None when that path declines the file."""
    try:
        reduced = fast_jpeg.load_reduced(src, min_side=max(thumb_size, preview_size), max_pixels=max_pixels)
    except MediaError:
        raise
    except Exception as exc:  # an OpenCV error: the Pillow path decides, and words any error
        log.debug("OpenCV declined %s: %s", src, exc)
        return None
    if reduced is None:
        return None
    writer = _Writer(out_dir)
    with writer.cleanly():
        height, width = reduced.pixels.shape[:2]
        preview = fast_jpeg.resize(reduced.pixels, outside_size(width, height, preview_size))
        reduced.pixels = None  # 10 MB for a 13 MP photo: free it before the encoders allocate theirs
        if reduced.icc and not is_srgb_profile(reduced.icc):
            # Wide gamut (Display P3, Adobe RGB): LittleCMS works on Pillow images, so finish in Pillow rather
            # than pay two more copies of the preview (measured: ~10 ms) to come back.
            image = fast_jpeg.to_pil(preview)
            image.info["icc_profile"] = reduced.icc
            image = _orient(to_srgb(image), reduced.orientation)
            preview_path = writer.save(image, f"{stem}-preview.jpeg", "JPEG", quality=preview_quality)
            thumb = _resize(image, thumb_size)
        else:
            preview = fast_jpeg.orient(preview, reduced.orientation)
            preview_path = writer.write(fast_jpeg.encode_jpeg(preview, preview_quality), f"{stem}-preview.jpeg")
            height, width = preview.shape[:2]
            thumb = fast_jpeg.to_pil(fast_jpeg.resize(preview, outside_size(width, height, thumb_size)))
        thumb_path = writer.save(thumb, f"{stem}-thumbnail.webp", "WEBP", quality=thumb_quality, method=WEBP_METHOD)
        thash = image_thumbhash(thumb)
        writer.commit()
    return Derivatives(thumbnail=thumb_path, preview=preview_path, thumbhash=thash, fullsize=None)


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

"""OpenCV pixel path for the commonest photo: an 8-bit colour JPEG (phones, cameras).

Measured on a 13 MP phone JPEG (docs/PERFORMANCE.md, "Media derivatives"): decoding costs the same as Pillow's
(libjpeg-turbo DCT scaling in both), but OpenCV's SIMD resize takes the 1/2-scale decode to 1440 px in ~5 ms where
Pillow's box filter needs ~21, and its JPEG encoder (also libjpeg-turbo) reads a packed 3-byte buffer. Pixels stay
in OpenCV's BGR order until the small thumbnail is handed to Pillow for WebP.

Anything else (greyscale, CMYK, 12-bit, a file OpenCV refuses, OpenCV not installed) gets ``None`` from
``load_reduced`` and takes the Pillow path, which also words the error for a damaged file. So do pictures
already within the preview size: with no big resize to win, OpenCV's fresh decode buffer (page faults, where
Pillow reuses its blocks) made them slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from PIL import Image

from photonest.media.images import check_pixels, exif_orientation, open_image

# OpenCV's matrices are numpy arrays; typed loosely because opencv ships no usable stubs for mypy --strict.
Pixels = Any


@lru_cache(maxsize=1)
def _cv2() -> ModuleType | None:
    # Imported on first use: ~16 MB and ~50 ms that a process needs only once it makes thumbnails.
    try:
        import cv2
    except ImportError:
        return None
    return cv2


ENABLED = True  # tests and the benchmark compare with the Pillow path by turning this off


def available() -> bool:
    return ENABLED and _cv2() is not None


def _mod() -> Any:
    cv2 = _cv2()
    assert cv2 is not None, "fast_jpeg used without OpenCV"
    return cv2


@dataclass
class Reduced:
    pixels: Pixels  # BGR, uint8, as stored (orientation not applied)
    icc: bytes | None
    orientation: int


def reduction(width: int, height: int, min_side: int) -> int:
    """libjpeg's DCT scale denominator (1, 2, 4, 8): the same choice as Pillow's ``Image.draft``, so both paths
    resize from the same pixels: the largest that keeps the short side >= ``min_side``."""
    if not min_side or min(width, height) <= min_side:
        return 1
    scale = min_side / min(width, height)
    fit = min(width // math.ceil(width * scale), height // math.ceil(height * scale))
    return next(k for k in (8, 4, 2, 1) if fit >= k)


def load_reduced(src: Path, *, min_side: int, max_pixels: int) -> Reduced | None:
    """Decode a colour JPEG larger than ``min_side``, shrunk on load so its short side stays >= ``min_side``;
    None for any other file. Raises MediaError for what the Pillow path would refuse too (too many pixels,
    unreadable header)."""
    cv2 = _mod()
    with open_image(src) as im:
        if im.format not in ("JPEG", "MPO") or im.mode != "RGB":
            return None
        width, height = im.size
        if min(width, height) <= min_side:
            return None  # nothing to shrink to the preview: measured no faster than Pillow, often slower
        check_pixels(width, height, max_pixels * 64)
        k = reduction(width, height, min_side)
        size = (-(-width // k), -(-height // k))  # libjpeg rounds scaled sizes up
        check_pixels(*size, max_pixels)
        icc = im.info.get("icc_profile")
        orientation = exif_orientation(im)
    flags = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
             8: cv2.IMREAD_REDUCED_COLOR_8}[k] | cv2.IMREAD_IGNORE_ORIENTATION
    pixels = cv2.imdecode(np.fromfile(src, dtype=np.uint8), flags)
    # None: libjpeg failed (truncated, damaged). A different size: the file changed since the header was read.
    if pixels is None or pixels.shape != (size[1], size[0], 3):
        return None
    return Reduced(pixels, icc if isinstance(icc, bytes) and icc else None, orientation)


def resize(pixels: Pixels, size: tuple[int, int]) -> Pixels:
    """Shrink to ``size`` (width, height) with the filter that measured best for the ratio against a Lanczos resize
    of the full-resolution decode, and always at least as close as the Pillow path (PERFORMANCE.md): bicubic
    below 1.5 (what shrink-on-load leaves for most photos: 5 ms for 13 MP where Pillow's box filter takes 21),
    bilinear from 1.5 to 2 (its 2x2 taps still see every pixel; OpenCV's area filter is 7x slower there), area
    averaging above, after exact 2x halvings while the ratio is 3 or more (OpenCV's fast integer path: the
    1440 -> 250 thumbnail in 3.7 ms instead of 9)."""
    cv2 = _mod()
    height, width = pixels.shape[:2]
    if (width, height) == size:
        return pixels
    factor = min(width / size[0], height / size[1])
    if factor < 1.5:
        return cv2.resize(pixels, size, interpolation=cv2.INTER_CUBIC)
    if factor < 2:
        return cv2.resize(pixels, size, interpolation=cv2.INTER_LINEAR)
    while factor >= 3:
        pixels = cv2.resize(pixels, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        factor /= 2
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)


def orient(pixels: Pixels, orientation: int) -> Pixels:
    """Apply an EXIF orientation (2-8), as Pillow's transposes in derivatives._TRANSPOSE do."""
    cv2 = _mod()
    if orientation == 2:
        return cv2.flip(pixels, 1)
    if orientation == 3:
        return cv2.rotate(pixels, cv2.ROTATE_180)
    if orientation == 4:
        return cv2.flip(pixels, 0)
    if orientation == 5:
        return cv2.transpose(pixels)
    if orientation == 6:
        return cv2.rotate(pixels, cv2.ROTATE_90_CLOCKWISE)
    if orientation == 7:
        return cv2.flip(cv2.transpose(pixels), -1)
    if orientation == 8:
        return cv2.rotate(pixels, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return pixels


def encode_jpeg(pixels: Pixels, quality: int) -> bytes:
    """Baseline JPEG, 4:2:0, no Huffman optimisation: the settings Pillow uses for the same quality."""
    cv2 = _mod()
    ok, data = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("OpenCV could not encode the preview")
    return bytes(data)


def to_pil(pixels: Pixels) -> Image.Image:
    return Image.fromarray(_mod().cvtColor(pixels, _mod().COLOR_BGR2RGB))

"""ThumbHash (https://evanw.github.io/thumbhash/): a ~25-byte placeholder of an image, as Immich stores.

A vectorised (numpy) port of the reference encoder ``rgbaToThumbHash``; Immich feeds it the picture shrunk to fit
100x100, as RGBA.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image


def _round(x: float) -> int:
    return math.floor(x + 0.5)  # JavaScript Math.round


def _encode_channel(channel: np.ndarray, nx: int, ny: int) -> tuple[float, list[float], float]:
    h, w = channel.shape
    fx = np.cos(np.pi / w * np.outer(np.arange(nx), np.arange(w) + 0.5))  # (nx, w)
    fy = np.cos(np.pi / h * np.outer(np.arange(ny), np.arange(h) + 0.5))  # (ny, h)
    coeffs = fy @ channel @ fx.T / (w * h)  # (ny, nx)
    dc = 0.0
    ac: list[float] = []
    for cy in range(ny):
        cx = 0
        while cx * ny < nx * (ny - cy):
            f = float(coeffs[cy, cx])
            if cx or cy:
                ac.append(f)
            else:
                dc = f
            cx += 1
    scale = max((abs(f) for f in ac), default=0.0)
    if scale:
        ac = [0.5 + 0.5 / scale * f for f in ac]
    return dc, ac, scale


def rgba_to_thumbhash(width: int, height: int, rgba: bytes | np.ndarray) -> bytes:
    if width > 100 or height > 100:
        raise ValueError(f"{width}x{height} does not fit in 100x100")
    px = np.frombuffer(bytes(rgba), dtype=np.uint8).reshape(height, width, 4).astype(np.float64) / 255.0
    alpha = px[..., 3]
    total_alpha = float(alpha.sum())
    avg = [(alpha * px[..., i]).sum() / total_alpha for i in range(3)] if total_alpha else [0.0, 0.0, 0.0]
    has_alpha = total_alpha < width * height
    l_limit = 5 if has_alpha else 7
    lx = max(1, _round(l_limit * width / max(width, height)))
    ly = max(1, _round(l_limit * height / max(width, height)))
    r = avg[0] * (1 - alpha) + alpha * px[..., 0]
    g = avg[1] * (1 - alpha) + alpha * px[..., 1]
    b = avg[2] * (1 - alpha) + alpha * px[..., 2]
    lum = (r + g + b) / 3
    p = (r + g) / 2 - b
    q = r - g
    l_dc, l_ac, l_scale = _encode_channel(lum, max(3, lx), max(3, ly))
    p_dc, p_ac, p_scale = _encode_channel(p, 3, 3)
    q_dc, q_ac, q_scale = _encode_channel(q, 3, 3)
    a_dc = a_scale = 0.0
    a_ac: list[float] = []
    if has_alpha:
        a_dc, a_ac, a_scale = _encode_channel(alpha, 5, 5)
    is_landscape = width > height
    header24 = (_round(63 * l_dc) | (_round(31.5 + 31.5 * p_dc) << 6) | (_round(31.5 + 31.5 * q_dc) << 12)
                | (_round(31 * l_scale) << 18) | (int(has_alpha) << 23))
    header16 = ((ly if is_landscape else lx) | (_round(63 * p_scale) << 3) | (_round(63 * q_scale) << 9)
                | (int(is_landscape) << 15))
    out = [header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8]
    if has_alpha:
        out.append(_round(15 * a_dc) | (_round(15 * a_scale) << 4))
    ac_start = len(out)
    index = 0
    for ac in [l_ac, p_ac, q_ac, a_ac] if has_alpha else [l_ac, p_ac, q_ac]:
        for f in ac:
            pos = ac_start + (index >> 1)
            while len(out) <= pos:
                out.append(0)
            out[pos] |= _round(15 * f) << ((index & 1) << 2)
            index += 1
    return bytes(v & 255 for v in out)


def image_thumbhash(image: Image.Image) -> bytes:
    """ThumbHash of a picture (any size or mode): shrunk to fit 100x100 first, as Immich does."""
    small = image if image.mode == "RGBA" else image.convert("RGBA")
    if small.width > 100 or small.height > 100:
        small = small.copy()
        small.thumbnail((100, 100), Image.Resampling.BILINEAR)
    return rgba_to_thumbhash(small.width, small.height, small.tobytes())

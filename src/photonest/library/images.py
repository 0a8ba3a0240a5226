"""Small image checks shared by features that accept pictures (profile images, ...)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from photonest.library import errors

# Formats a browser can show directly, with the extension we store them under.
WEB_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


def check_web_image(path: Path, max_pixels: int = 50_000_000) -> str:
    """Return the extension for a valid browser image at path, or raise BadRequest with the reason."""
    try:
        with Image.open(path) as im:
            if im.format not in WEB_FORMATS:
                raise errors.BadRequest(f"Unsupported image type {im.format}; use JPEG, PNG, WebP or GIF")
            if im.width * im.height > max_pixels:
                raise errors.BadRequest("Image has too many pixels")
            im.verify()
            return WEB_FORMATS[im.format]
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as e:
        raise errors.BadRequest(f"Not a valid image: {e}") from e

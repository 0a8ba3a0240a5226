"""One handler per format family behind one Protocol, looked up by MIME type (Paperless-ngx's parser registry).

A handler knows how to read a family's metadata and how to decode a picture from it, shrinking on load where the
format allows. Everything else (orientation, colour, sizes, encoding, thumbhash) is shared in derivatives.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from photonest.media.errors import UnsupportedMediaError
from photonest.media.sniff import detect_mime

DEFAULT_MAX_PIXELS = 120_000_000  # 120 MP decoded; ~360 MB of RGB. Configurable per call.


@dataclass
class RawMeta:
    """What a handler read from a file, before the shared rules turn it into a MediaInfo."""

    mime_type: str
    tags: dict[str, Any] = field(default_factory=dict)
    width: int | None = None  # as stored (before the EXIF orientation is applied)
    height: int | None = None
    decoder_applies_orientation: bool = False  # e.g. HEIF: libheif already rotates (irot/imir)
    duration_ms: int | None = None
    codec: str | None = None
    fps: float | None = None
    rotation: int = 0  # video display rotation, degrees clockwise


@dataclass
class Loaded:
    """A decoded picture (possibly already shrunk on load) plus the orientation still to apply (1 = none)."""

    image: Image.Image
    orientation: int = 1


class MediaHandler(Protocol):
    name: str
    asset_type: str  # "IMAGE" | "VIDEO"
    mime_types: frozenset[str]

    def is_browser_supported(self, mime_type: str) -> bool:
        """Can a browser show the original as is? (Else a full-size JPEG is made.)"""
        ...

    def read(self, path: Path, mime_type: str) -> RawMeta:
        """Metadata and stored dimensions. Raises MediaError for a file that is not what it claims."""
        ...

    def load(self, path: Path, *, min_side: int, max_pixels: int) -> Loaded:
        """A picture whose short side is at least ``min_side`` where the source allows (0 = full size).
        Raises MediaTooLargeError rather than decode more than ``max_pixels``; MediaError when undecodable."""
        ...


_REGISTRY: dict[str, MediaHandler] = {}


def register(handler: MediaHandler) -> MediaHandler:
    for mime in handler.mime_types:
        _REGISTRY[mime] = handler
    return handler


def handler_for_mime(mime_type: str) -> MediaHandler | None:
    _ensure_loaded()
    return _REGISTRY.get(mime_type)


def resolve(path: Path) -> tuple[MediaHandler, str]:
    """The handler for a file, by content first and extension second. Raises UnsupportedMediaError."""
    _ensure_loaded()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnsupportedMediaError(f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise UnsupportedMediaError("the file is empty (0 bytes)")
    mime = detect_mime(path)
    if mime is None:
        raise UnsupportedMediaError(f"unsupported file type '{path.suffix or '(no extension)'}'")
    handler = _REGISTRY.get(mime)
    if handler is None:
        raise UnsupportedMediaError(f"unsupported file type {mime}")
    return handler, mime


def supported_mime_types() -> list[str]:
    _ensure_loaded()
    return sorted(_REGISTRY)


_loaded = False
_load_lock = threading.RLock()


def _ensure_loaded() -> None:
    # Worker threads start together: the first loads the handlers, the others wait for it (a flag set before the
    # imports finished let them see an empty registry: "unsupported file type image/jpeg").
    global _loaded
    if _loaded:
        return
    with _load_lock:
        if _loaded:
            return
        from photonest.media import images, raw, video  # noqa: F401  (each module registers its handlers)

        _loaded = True

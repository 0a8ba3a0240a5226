"""Motion photos: the short video a phone appends to a JPEG or HEIC (Google "MicroVideo" / "Motion Photo",
Samsung "MotionPhoto_Data"). Finding it (offset, length) and copying it out, never loading it whole."""

from __future__ import annotations

import mmap
import os
import tempfile
from pathlib import Path
from typing import Any

from photonest.media.errors import MediaError

_SAMSUNG_MARKER = b"MotionPhoto_Data"
_MP4_BOXES = (b"ftyp", b"mdat", b"moov", b"free", b"wide", b"skip")


def _looks_like_mp4(mm: mmap.mmap, offset: int) -> bool:
    return offset >= 0 and offset + 8 <= len(mm) and mm[offset + 4 : offset + 8] in _MP4_BOXES


def _samsung_trailer_start(mm: mmap.mmap) -> int | None:
    """Start of Samsung's SEF trailer ('SEFH' ... 'SEFT' at the very end), where an appended video ends."""
    if len(mm) < 8 or mm[-4:] != b"SEFT":
        return None
    size = int.from_bytes(mm[-8:-4], "little")
    start = len(mm) - 8 - size
    if start >= 0 and mm[start : start + 4] == b"SEFH":
        return start
    return None


def _mpvd_box(mm: mmap.mmap) -> tuple[int, int] | None:
    """Samsung HEIC motion photos keep the MP4 in a top-level ISO-BMFF box 'mpvd' after the image boxes."""
    if mm[4:8] != b"ftyp":
        return None
    pos, end = 0, len(mm)
    for _ in range(64):  # a HEIC has a handful of top-level boxes
        if pos + 8 > end:
            return None
        size = int.from_bytes(mm[pos : pos + 4], "big")
        kind = mm[pos + 4 : pos + 8]
        header = 8
        if size == 1 and pos + 16 <= end:
            size, header = int.from_bytes(mm[pos + 8 : pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header:
            return None
        if kind == b"mpvd":
            return pos + header, min(size, end - pos) - header
        pos += size
    return None


def find_motion_video(path: Path, tags: dict[str, Any]) -> tuple[int, int] | None:
    """(offset, length) of an embedded video: Samsung HEIC's 'mpvd' box, the XMP (Google Container directory or
    MicroVideoOffset), or Samsung JPEG's 'MotionPhoto_Data' marker. Each candidate must start with an MP4 box."""
    size = path.stat().st_size
    if size < 16:
        return None
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        candidates: list[tuple[int, int]] = []
        box = _mpvd_box(mm)  # exact, when present: Samsung HEIC
        if box is not None:
            candidates.append(box)
        items = tags.get("ContainerItems") or []
        for item in items:
            if item.get("semantic") == "MotionPhoto" and item.get("length"):
                length = int(item["length"])
                candidates.append((size - length, length))
                pad = int(item.get("padding") or 0)
                if pad:
                    candidates.append((size - length - pad, length))
        offset_from_end = tags.get("MicroVideoOffset")
        if isinstance(offset_from_end, int) and 0 < offset_from_end < size:
            candidates.append((size - offset_from_end, offset_from_end))
        at = mm.rfind(_SAMSUNG_MARKER)
        if at >= 0:
            start = at + len(_SAMSUNG_MARKER)
            end = _samsung_trailer_start(mm) or size
            if end <= start:
                end = size
            candidates.append((start, end - start))
        for offset, length in candidates:
            if length > 0 and offset + length <= size and _looks_like_mp4(mm, offset):
                return offset, length
    return None


def extract_motion_video(src: Path, offset: int, length: int, dest: Path) -> None:
    """Copy bytes [offset, offset+length) of ``src`` to ``dest`` (appears only when complete)."""
    size = src.stat().st_size
    if offset < 0 or length <= 0 or offset + length > size:
        raise MediaError(f"embedded video range {offset}+{length} lies outside the file ({size} bytes)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".motion-", suffix=".mp4", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            fin.seek(offset)
            remaining = length
            while remaining:
                chunk = fin.read(min(remaining, 1 << 20))
                if not chunk:
                    raise MediaError("the file ended before the embedded video did")
                fout.write(chunk)
                remaining -= len(chunk)
        with tmp.open("rb") as check:
            head = check.read(8)
        if head[4:8] not in _MP4_BOXES:
            raise MediaError("the embedded data is not an MP4 video")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = ["extract_motion_video", "find_motion_video"]

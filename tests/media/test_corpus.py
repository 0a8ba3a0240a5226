"""Every file of the shared corpus: probe() succeeds or raises MediaError, never anything else."""

from __future__ import annotations

import struct

import pytest

from photonest.media.errors import MediaError
from photonest.media.exif import _apple_content_identifier
from photonest.media.probe import MediaInfo, probe

from .conftest import MEDIA

SKIP_SUFFIXES = {".tsv", ".md", ".json", ".xmp", ""}


def test_probe_never_raises_anything_but_media_error() -> None:
    if not MEDIA.exists():
        pytest.skip("shared media corpus missing")
    files = [p for p in sorted(MEDIA.rglob("*")) if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES
             and p.name != "LICENSE"]
    assert len(files) > 200
    ok = failed = 0
    for path in files:
        try:
            info = probe(path)
        except MediaError as exc:
            assert str(exc), path
            failed += 1
            continue
        assert isinstance(info, MediaInfo)
        assert info.asset_type in ("IMAGE", "VIDEO")
        if info.width is not None:
            assert info.width > 0 and info.height and info.height > 0, path
        lat = info.exif.get("latitude")
        if lat is not None:
            assert -90 <= lat <= 90 and -180 <= info.exif["longitude"] <= 180
        dto = info.exif.get("date_time_original")
        if dto is not None:
            assert dto.tzinfo is not None and info.local_date_time is not None
            assert info.local_date_time.tzinfo is None
        ok += 1
    assert ok > 200 and failed < 40


def _apple_note(cid: bytes) -> bytes:
    """An Apple iOS maker note as iPhones write it: header, big-endian IFD, tag 0x11 = ContentIdentifier."""
    header = b"Apple iOS\x00" + b"\x00\x01" + b"MM"
    entries = 2
    data_offset = 14 + 2 + entries * 12 + 4
    ifd = struct.pack(">H", entries)
    ifd += struct.pack(">HHI", 0x0001, 9, 1) + struct.pack(">i", 14)  # MakerNoteVersion
    ifd += struct.pack(">HHII", 0x0011, 2, len(cid), data_offset)
    ifd += b"\x00\x00\x00\x00"
    return header + ifd + cid


def test_apple_content_identifier_from_maker_note() -> None:
    cid = b"2A3BC4D5-6E7F-4A8B-9C0D-1E2F3A4B5C6D\x00"
    assert _apple_content_identifier(_apple_note(cid)) == "2A3BC4D5-6E7F-4A8B-9C0D-1E2F3A4B5C6D"
    assert _apple_content_identifier(b"Nikon\x00\x02\x10\x00\x00") is None
    assert _apple_content_identifier(_apple_note(cid)[:20]) is None  # truncated: no crash

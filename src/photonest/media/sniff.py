"""Recognise a file's real format from its first bytes; the extension is only a fallback.

Content wins over the name: a TIFF-based RAW called ``.jpg`` is treated as TIFF/RAW, a HEIC called ``.jpg``
as HEIC. Only the first 64 bytes are read.
"""

from __future__ import annotations

from pathlib import Path

from photonest.media.types import IMAGE, VIDEO

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_CR3_BRANDS = {b"crx "}
_QT_BRANDS = {b"qt  "}


def sniff(head: bytes) -> str | None:
    """The MIME type the leading bytes announce, or None when they announce nothing we know."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/avi"
    if head[:2] == b"BM" and len(head) >= 14:
        return "image/bmp"
    if head.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL \x0d\x0a\x87\x0a")):
        return "image/jxl"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n"):
        return "image/jp2"
    if head.startswith(b"8BPS"):
        return "image/vnd.adobe.photoshop"
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "image/x-fuji-raf"
    if head.startswith((b"IIU\x00", b"IIRO", b"IIRS", b"MMOR")):
        return "image/x-panasonic-rw2" if head.startswith(b"IIU") else "image/x-olympus-orf"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        if head[8:10] == b"CR":
            return "image/x-canon-cr2"
        return "image/tiff"  # DNG, NEF, ARW ... are TIFF too; the extension refines it
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        box_size = int.from_bytes(head[:4], "big")
        compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
        if brand in _AVIF_BRANDS or (brand in (b"mif1", b"msf1") and compatible & _AVIF_BRANDS):
            return "image/avif"
        if brand in _HEIF_BRANDS:
            return "image/heic"
        if brand in _CR3_BRANDS:
            return "image/x-canon-cr3"
        if brand in _QT_BRANDS:
            return "video/quicktime"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        return "video/mp4"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "video/quicktime"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"FLV"):
        return "video/x-flv"
    if head[:1] == b"\x47" and len(head) > 188 and head[188:189] == b"\x47":
        return "video/mp2t"
    if head[4:5] == b"\x47" and len(head) > 196 and head[196:197] == b"\x47":
        return "video/mp2t"  # M2TS: 4-byte timestamp before each 188-byte packet
    if head.startswith(b"\x00\x00\x01\xba") or head.startswith(b"\x00\x00\x01\xb3"):
        return "video/mpeg"
    if head.startswith(b"0&\xb2u\x8ef\xcf\x11"):
        return "video/x-ms-wmv"
    return None


def detect_mime(path: Path) -> str | None:
    """The file's MIME type: from its content where recognisable, refined or else decided by its extension."""
    with path.open("rb") as fh:
        head = fh.read(512)
    ext = path.suffix.lower()
    by_ext = IMAGE.get(ext) or VIDEO.get(ext)
    found = sniff(head)
    if found is None:
        return by_ext
    # TIFF-structured RAW formats and container video flavours: trust the more specific extension.
    if found == "image/tiff" and by_ext and by_ext.startswith("image/x-"):
        return by_ext
    if found in ("video/mp4", "video/quicktime") and by_ext and by_ext.startswith("video/"):
        return by_ext
    if found == "video/x-matroska" and by_ext == "video/webm":
        return by_ext
    if found == "image/heic" and by_ext in ("image/heif", "image/hif"):
        return by_ext
    if found == "image/jpeg" and by_ext == "image/jpeg":
        return by_ext
    return found

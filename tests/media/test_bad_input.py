"""Corrupt, truncated, hostile and huge files: a clear MediaError, nothing left on disk, bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from photonest.media.derivatives import make_image_derivatives, make_video_derivatives
from photonest.media.errors import CorruptMediaError, MediaError, MediaTooLargeError, UnsupportedMediaError
from photonest.media.probe import probe

from .conftest import MEDIA, media

CORRUPT_IMAGES = [
    ("broken_edge/truncated_jpeg.jpg", "truncated"),
    ("broken_edge/premature-end.jpg", "truncated"),
    ("broken_edge/truncated_image.png", "truncated"),
    ("broken_edge/broken_data_stream.png", "damaged"),
    ("broken_edge/bug775697.jpg", "damaged"),
    ("broken_edge/hang_114.gif", "damaged"),
    ("broken_edge/overflow-codes.gif", "truncated"),
    ("broken_edge/crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif", "damaged"),
]
UNIDENTIFIABLE = [
    "broken_edge/broken.png",
    "broken_edge/invalid.1.png",
    "broken_edge/CVE-2017-2862.jpg",
    "broken_edge/corrupted.heic",
    "broken_edge/clap-overflow-divide-zero.heic",
    "broken_edge/oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif",
    "broken_edge/bug784903-overflow-dimensions.tiff",
    "broken_edge/tiff_overflow_rows_per_strip.tif",
    "broken_edge/issue_1881_coverage.jpg",
]


@pytest.mark.parametrize(("rel", "word"), CORRUPT_IMAGES)
def test_corrupt_or_truncated_images_raise_a_clear_error(tmp_path: Path, rel: str, word: str) -> None:
    with pytest.raises(CorruptMediaError, match=word):
        make_image_derivatives(media(rel), tmp_path, asset_id="bad")
    assert list(tmp_path.iterdir()) == [], "a failed run must leave no file (not even a temporary one)"


@pytest.mark.parametrize("rel", UNIDENTIFIABLE)
def test_unidentifiable_files_fail_probe_and_derivatives(tmp_path: Path, rel: str) -> None:
    with pytest.raises(MediaError) as probe_error:
        probe(media(rel))
    assert str(probe_error.value)
    with pytest.raises(MediaError):
        make_image_derivatives(media(rel), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rel", ["broken_edge/empty-file.tga", "broken_edge/notjpeg.jpg", "broken_edge/empty.heic"])
def test_zero_byte_file_is_unsupported(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UnsupportedMediaError, match="empty"):
        make_image_derivatives(media(rel), tmp_path)


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    # 44-byte GIF declaring 4.3 gigapixels.
    with pytest.raises(MediaTooLargeError):
        make_image_derivatives(media("broken_edge/decompression_bomb.gif"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_pixel_limit_is_configurable(tmp_path: Path) -> None:
    src = media("camera_jpeg/exiv2-bug876.jpg")  # 1500x1000
    with pytest.raises(MediaTooLargeError, match="over the limit of 1 megapixels"):
        make_image_derivatives(src, tmp_path, max_pixels=1_000_000, fullsize=False)
    with pytest.raises(MediaTooLargeError):
        make_image_derivatives(media("heic/Stonehenge.heic"), tmp_path, max_pixels=50_000)
    make_image_derivatives(src, tmp_path, max_pixels=2_000_000)


def test_jpeg_limit_applies_to_the_pixels_actually_decoded(tmp_path: Path) -> None:
    # 6000x4000 = 24 MP, but shrink-on-load decodes it at 1/2 (6 MP) for a 1440 preview: allowed at 10 MP.
    make_image_derivatives(media("camera_jpeg/exiv2-bug922a.jpg"), tmp_path, max_pixels=10_000_000)


def test_200_megapixel_heic_is_refused_at_the_default_limit(tmp_path: Path) -> None:
    # A real Samsung S24 Ultra photo (16320x12240); decoding it would take ~600 MB before any resizing.
    with pytest.raises(MediaTooLargeError):
        make_image_derivatives(media("heic/200MP.heic"), tmp_path)
    info = probe(media("heic/200MP.heic"))  # metadata still works
    assert (info.width, info.height) == (12240, 16320)


def test_decoding_hostile_files_keeps_memory_bounded() -> None:
    """All hostile files in one child process: its peak RSS must stay far below what the bombs declare."""
    files = [str(MEDIA / rel) for rel, _ in CORRUPT_IMAGES] + [str(MEDIA / r) for r in UNIDENTIFIABLE] + [
        str(MEDIA / "broken_edge/decompression_bomb.gif"), str(MEDIA / "broken_edge/decompression_bomb_extents.gif"),
        str(MEDIA / "broken_edge/github_45.heic"), str(MEDIA / "heic/200MP.heic"),
    ]
    code = (
        "import json, resource, sys, tempfile, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from pathlib import Path\n"
        "from photonest.media.derivatives import make_image_derivatives\n"
        "from photonest.media.errors import MediaError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "out = Path(tempfile.mkdtemp())\n"
        "results = {}\n"
        "for f in sys.argv[1:]:\n"
        "    try:\n"
        "        make_image_derivatives(Path(f), out)\n"
        "        results[f] = 'ok'\n"
        "    except MediaError as e:\n"
        "        results[f] = type(e).__name__\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'base_mb': base / 1024, 'peak_mb': peak / 1024, 'results': results}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["peak_mb"] - report["base_mb"] < 250, report
    assert report["results"][str(MEDIA / "heic/200MP.heic")] == "MediaTooLargeError"
    assert report["results"][str(MEDIA / "broken_edge/decompression_bomb.gif")] == "MediaTooLargeError"


def test_malformed_exif_does_not_break_a_good_picture(tmp_path: Path) -> None:
    for rel in ("broken_edge/invalid-exif.jpg", "broken_edge/exif-dpi-zerodivision.jpg",
                "broken_edge/hopper_bad_exif.jpg", "broken_edge/truncated_app14.jpg",
                "broken_edge/sugarshack_bad_mpo_header.jpg", "broken_edge/empty_gps_ifd.jpg"):
        probe(media(rel))
        make_image_derivatives(media(rel), tmp_path)


def test_broken_video_and_stub_video(tmp_path: Path) -> None:
    with pytest.raises(CorruptMediaError):
        probe(media("video/sample.mkv"))  # Matroska header only
    with pytest.raises(MediaError):
        make_video_derivatives(media("video/QuickTime.mov"), tmp_path)  # metadata stub, no frames
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rel", ["raw/Nikon.nef", "raw/DNG.dng", "raw/CanonRaw.cr3", "raw/Canon-R6-pruned.CR3"])
def test_raw_stub_without_image_data(tmp_path: Path, rel: str) -> None:
    info = probe(media(rel))  # metadata is readable ...
    assert info.exif["make"]
    with pytest.raises(CorruptMediaError, match="no image data"):  # ... but there are no pixels (and LibRaw's
        make_image_derivatives(media(rel), tmp_path)  # "developed" black frame of a stub is not passed off as one)
    assert list(tmp_path.iterdir()) == []


def test_hostile_sidecar_is_not_expanded(tmp_path: Path) -> None:
    # Entity expansion ("billion laughs") and external entities in a user-supplied .xmp are refused, not run.
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "ha">{laughs}'
            '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>&l9;&ext;'
            '</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>')
    sidecar = tmp_path / "evil.xmp"
    sidecar.write_text(bomb)
    info = probe(media("camera_jpeg/FurnaceCreekInn.jpg"), sidecar=sidecar)
    assert "description" not in info.exif
    assert info.exif["model"] == "Canon PowerShot S5 IS"

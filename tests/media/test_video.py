"""Video probing, the transcode policy (Immich defaults) and transcoding; kept short (1 s clips)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from photonest.media.derivatives import make_video_derivatives
from photonest.media.errors import MediaError
from photonest.media.probe import probe
from photonest.media.video import ffmpeg_exe, needs_transcode, transcode

from .conftest import media


def remux(src: Path, dest: Path, *args: str, before_input: tuple[str, ...] = ()) -> Path:
    """A real clip re-muxed (no re-encoding) with extra container metadata, written by the bundled ffmpeg."""
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *before_input, "-i", str(src),
                    "-c", "copy", *args, str(dest)], check=True, timeout=60)
    return dest


def test_probe_video_fields() -> None:
    info = probe(media("video/cup.mp4"))
    assert info.asset_type == "VIDEO" and info.mime_type == "video/mp4"
    assert (info.width, info.height) == (640, 480)
    assert info.duration_ms == 8104
    assert info.exif["codec"] == "h264" and info.exif["fps"] == pytest.approx(26.777, abs=0.01)
    assert info.exif["date_time_original"] == datetime(2017, 9, 1, 2, 23, 48, tzinfo=UTC)  # QuickTime: UTC
    assert info.local_date_time == datetime(2017, 9, 1, 2, 23, 48)  # no zone known: shown as UTC
    assert info.motion_photo is None


@pytest.mark.parametrize(("rel", "codec", "size", "duration_ms"), [
    ("video/watershed.webm", "vp9", (311, 259), 19127),
    ("video/vtest.avi", "msmpeg4", (768, 576), 79500),
    ("video/BlueSquare.mov", "8bps", (720, 480), 3003),
    ("video/trailer_bbb.mp4", "h264", (1280, 720), 55125),
])
def test_probe_other_containers(rel: str, codec: str, size: tuple[int, int], duration_ms: int) -> None:
    info = probe(media(rel))
    assert info.exif["codec"] == codec
    assert (info.width, info.height) == size
    assert info.duration_ms == duration_ms


def test_apple_quicktime_metadata(tmp_path: Path) -> None:
    mov = remux(media("video/sample.mp4"), tmp_path / "IMG_0001.MOV", "-movflags", "use_metadata_tags",
                "-metadata", "com.apple.quicktime.content.identifier=5C1F3E2A-LIVE",
                "-metadata", "com.apple.quicktime.location.ISO6709=+48.8584+002.2945+035.000/",
                "-metadata", "com.apple.quicktime.creationdate=2023-06-01T10:00:00+0200",
                "-metadata", "com.apple.quicktime.make=Apple", "-metadata", "com.apple.quicktime.model=iPhone 14",
                "-metadata", "creation_time=2023-06-01T08:00:00Z")
    info = probe(mov)
    assert info.mime_type == "video/quicktime"
    assert info.live_photo_cid == "5C1F3E2A-LIVE" == info.exif["live_photo_cid"]
    assert info.exif["make"] == "Apple" and info.exif["model"] == "iPhone 14"
    assert info.exif["latitude"] == pytest.approx(48.8584) and info.exif["longitude"] == pytest.approx(2.2945)
    assert info.local_date_time == datetime(2023, 6, 1, 10, 0)
    assert info.exif["date_time_original"] == datetime(2023, 6, 1, 8, 0, tzinfo=UTC)
    assert info.exif["time_zone"] == "UTC+2"


def test_utc_creation_time_with_position_gets_local_zone(tmp_path: Path) -> None:
    mp4 = remux(media("video/sample.mp4"), tmp_path / "gps.mp4", "-movflags", "use_metadata_tags",
                "-metadata", "location=+35.6586+139.7454/", "-metadata", "creation_time=2023-01-05T03:00:00Z")
    info = probe(mp4)
    assert info.exif["time_zone"] == "Asia/Tokyo"
    assert info.local_date_time == datetime(2023, 1, 5, 12, 0)


def test_rotated_video_dimensions_and_poster(tmp_path: Path) -> None:
    rotated = remux(media("video/sample.mp4"), tmp_path / "rot.mp4", before_input=("-display_rotation", "90"))
    info = probe(rotated)
    assert (info.width, info.height) == (1080, 1920)
    assert info.exif["orientation"] == "8"  # ffprobe rotation 90 -> Immich's Rotate270CW
    poster = make_video_derivatives(rotated, tmp_path / "poster")
    with Image.open(poster.preview) as p:
        assert p.size == (1080, 1920)
        ours = np.asarray(p.convert("L").resize((54, 96)), dtype=float)
    # ffmpeg applies the display matrix when transcoding: its first frame must look like our poster.
    transcode(rotated, tmp_path / "rot-t.mp4")
    with av.open(str(tmp_path / "rot-t.mp4")) as c:
        frame = next(c.decode(video=0)).to_image()
    assert frame.size == (720, 1280)
    theirs = np.asarray(frame.convert("L").resize((54, 96)), dtype=float)
    assert np.abs(ours - theirs).mean() < 12


@pytest.mark.parametrize(("rel", "expected"), [
    ("video/sample.mp4", False),  # H.264 4:2:0 + AAC in MP4
    ("video/trailer_bbb.mp4", False),  # MP3 audio is accepted
    ("video/cup.mp4", False),
    ("video/watershed.mp4", True),  # H.264 but 4:4:4: browsers cannot play it
    ("video/watershed.webm", True),  # VP9 is not in Immich's default accepted codecs
    ("video/vtest.avi", True),
    ("video/BlueSquare.mov", True),
    ("video/M2TS.mts", True),  # AC-3 audio, MPEG-TS container
    ("video/mp4-with-audio.mp4", False),  # no video stream
])
def test_transcode_policy_is_immich_required(rel: str, expected: bool) -> None:
    src = media(rel)
    assert needs_transcode(probe(src), src) is expected


def _facts(path: Path) -> tuple[str, str, int, int, str | None, bytes]:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        frames = sum(1 for _ in c.decode(v))  # every frame decodes: the file is playable
        assert frames > 0
        audio = c.streams.audio[0].codec_context.name if c.streams.audio else None
        facts = (v.codec_context.name, v.codec_context.pix_fmt, v.codec_context.width, v.codec_context.height,
                 audio)
    with path.open("rb") as fh:
        head = fh.read(64)
    return (*facts, head)


def test_transcode_1080p_h264_to_720p_with_audio_and_faststart(tmp_path: Path) -> None:
    dest = tmp_path / "out" / "sample.mp4"
    progress: list[float] = []
    transcode(media("video/sample.mp4"), dest, progress=progress.append)
    codec, pix, w, h, audio, head = _facts(dest)
    assert (codec, pix, w, h, audio) == ("h264", "yuv420p", 1280, 720, "aac")
    assert head[4:8] == b"ftyp" and b"moov" in head  # index up front: plays while downloading
    assert progress and progress[-1] == 1.0
    assert [p.name for p in dest.parent.iterdir()] == ["sample.mp4"]  # no temporary file left
    assert not needs_transcode(probe(dest), dest)


def test_transcode_vp9_444_odd_size_keeps_size_and_makes_420(tmp_path: Path) -> None:
    dest = tmp_path / "w.mp4"
    transcode(media("video/watershed.webm"), dest)
    codec, pix, w, h, audio, _ = _facts(dest)
    assert (codec, pix, audio) == ("h264", "yuv420p", None)
    assert (w, h) == (310, 258)  # never enlarged; even dimensions for 4:2:0
    assert probe(dest).duration_ms == pytest.approx(19127, abs=100)


def test_transcode_failure_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(MediaError):
        transcode(media("video/mp4-with-audio.mp4"), tmp_path / "x.mp4")
    with pytest.raises(MediaError):
        transcode(media("video/QuickTime.mov"), tmp_path / "y.mp4")  # metadata-only stub
    assert list(tmp_path.iterdir()) == []

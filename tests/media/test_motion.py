"""Motion photos: a video embedded in a JPEG/HEIC is found and extracted as a playable MP4."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from photonest.media.errors import MediaError
from photonest.media.motion import extract_motion_video, find_motion_video
from photonest.media.probe import probe

from .conftest import IMMICH, media

SAMSUNG = IMMICH / "formats/motionphoto/samsung-one-ui-6.heic"


def test_samsung_motion_photo_is_detected() -> None:
    if not SAMSUNG.exists():
        pytest.skip("motion photo sample missing")
    info = probe(SAMSUNG)
    assert info.asset_type == "IMAGE" and info.mime_type == "image/heic"
    # The top-level 'mpvd' box; the XMP Container directory says the same offset (its length also counts the
    # 199-byte Samsung trailer that follows).
    assert info.motion_photo == (452284, 3226469)


def test_extracted_motion_video_plays(tmp_path: Path) -> None:
    if not SAMSUNG.exists():
        pytest.skip("motion photo sample missing")
    offset, length = probe(SAMSUNG).motion_photo or (0, 0)
    dest = tmp_path / "motion.mp4"
    extract_motion_video(SAMSUNG, offset, length, dest)
    assert dest.stat().st_size == length
    with av.open(str(dest)) as c:
        stream = c.streams.video[0]
        assert stream.codec_context.name == "hevc"
        frames = sum(1 for _ in c.decode(stream))
    assert frames >= 30
    video = probe(dest)
    assert video.asset_type == "VIDEO"
    assert video.duration_ms == pytest.approx(3130, abs=200)
    assert (video.width, video.height) == (1080, 1440)  # portrait, like its still
    assert video.local_date_time is not None


def test_found_without_xmp(tmp_path: Path) -> None:
    # Without the XMP directory, the container structure alone still finds the video.
    if not SAMSUNG.exists():
        pytest.skip("motion photo sample missing")
    found = find_motion_video(SAMSUNG, {})
    assert found is not None
    offset, length = found
    assert offset == 452284
    dest = tmp_path / "m.mp4"
    extract_motion_video(SAMSUNG, offset, length, dest)
    with av.open(str(dest)) as c:
        assert c.streams.video[0].codec_context.name == "hevc"


def test_google_microvideo_offset_is_honoured(tmp_path: Path) -> None:
    # A Google "MicroVideo" file is a JPEG with an MP4 appended and XMP MicroVideoOffset = bytes from the end.
    still = media("camera_jpeg/leuvenA.jpg").read_bytes()
    clip = media("video/sample.mp4").read_bytes()
    combined = tmp_path / "MVIMG_0001.jpg"
    combined.write_bytes(still + clip)
    assert find_motion_video(combined, {"MicroVideo": 1, "MicroVideoOffset": len(clip)}) == (len(still), len(clip))
    assert find_motion_video(combined, {"MicroVideoOffset": len(clip) + 7}) is None  # not an MP4 there


def test_plain_photos_are_not_motion_photos() -> None:
    assert probe(media("camera_jpeg/leuvenA.jpg")).motion_photo is None
    assert probe(media("heic/pug.heic")).motion_photo is None


def test_bad_ranges_are_refused(tmp_path: Path) -> None:
    src = media("camera_jpeg/leuvenA.jpg")
    with pytest.raises(MediaError):
        extract_motion_video(src, 10, src.stat().st_size, tmp_path / "x.mp4")
    with pytest.raises(MediaError, match="not an MP4"):
        extract_motion_video(src, 0, 1000, tmp_path / "y.mp4")
    assert list(tmp_path.iterdir()) == []


def test_google_container_directory(tmp_path: Path) -> None:
    # The Samsung file's XMP carries a Google Container:Directory; the same items locate a video appended
    # to a JPEG (Pixel "MP" files), where there is no 'mpvd' box.
    from photonest.media.images import open_image, tags_from_pillow

    if not SAMSUNG.exists():
        pytest.skip("motion photo sample missing")
    with open_image(SAMSUNG) as im:
        items = tags_from_pillow(im)["ContainerItems"]
    assert [(i["semantic"], i["mime"]) for i in items] == [("Primary", "image/heic"), ("MotionPhoto", "video/mp4")]
    assert items[1]["length"] == 3226668 and items[1]["padding"] == 199
    still = media("camera_jpeg/leuvenA.jpg").read_bytes()
    clip = media("video/sample.mp4").read_bytes()
    pixel = tmp_path / "PXL_20240101_MP.jpg"
    pixel.write_bytes(still + clip)
    tags = {"MotionPhoto": 1, "ContainerItems": [{"semantic": "Primary", "length": 0, "padding": 0},
                                                 {"semantic": "MotionPhoto", "length": len(clip), "padding": 0}]}
    assert find_motion_video(pixel, tags) == (len(still), len(clip))

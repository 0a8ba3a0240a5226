"""The OpenCV path for colour JPEGs (media/fast_jpeg.py) against the Pillow path it stands in for."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photonest.media import derivatives, fast_jpeg
from photonest.media.derivatives import Derivatives, make_image_derivatives, outside_size
from photonest.media.errors import CorruptMediaError, MediaTooLargeError

from .conftest import media

pytestmark = pytest.mark.skipif(not fast_jpeg.available(), reason="OpenCV is not installed")


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.float64)


def both(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch, **kw: int) -> tuple[Derivatives, Derivatives]:
    """(OpenCV path, Pillow path) for the same file; fails if the OpenCV path declined it."""
    with monkeypatch.context() as m:
        m.setattr(derivatives, "derive", _no_pillow)
        fast = make_image_derivatives(src, out / "fast", **kw)
    with monkeypatch.context() as m:
        m.setattr(fast_jpeg, "ENABLED", False)
        slow = make_image_derivatives(src, out / "pillow", **kw)
    return fast, slow


def _no_pillow(*args: object, **kw: object) -> Derivatives:
    raise AssertionError("the Pillow path ran: the OpenCV path declined this file")


@pytest.mark.parametrize(("rel", "preview"), [
    ("camera_jpeg/issue70.jpg", 1440),  # 13 MP phone photo: decoded at 1/2, bicubic 1.08
    ("camera_jpeg/exiv2-bug922a.jpg", 1440),  # 24 MP (an MPO): 1/2, bicubic 1.39
    ("immich-test-assets/albums/text/japanese-shop.jpg", 1440),  # 12 MP, full decode, bilinear 1.96
    ("camera_jpeg/issue70.jpg", 700),  # 1/4, bicubic 1.11, and a thumbnail ratio of 2.8 (area)
    ("camera_jpeg/xmp_test.jpg", 800),  # Adobe RGB (1998): LittleCMS, then Pillow from there
    ("camera_jpeg/bug725582-testrotate.jpg", 300),  # EXIF orientation 6
])
def test_opencv_path_matches_the_pillow_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str,
                                             preview: int) -> None:
    # Filters and encoders differ, so pixels differ by a few levels where there is detail (both paths are as far
    # from a Lanczos reference, see below); colours must agree closely: the mean of each channel moves by ~1.2
    # when the Adobe RGB profile is ignored, by 15+ when red and blue are swapped.
    fast, slow = both(media(rel), tmp_path, monkeypatch, preview_size=preview)
    for a, b, limit in ((fast.preview, slow.preview, 5), (fast.thumbnail, slow.thumbnail, 6)):
        with Image.open(a) as x, Image.open(b) as y:
            assert (x.format, x.mode, x.size) == (y.format, y.mode, y.size)
        got, want = pixels(a), pixels(b)
        mad = np.abs(got - want).mean()
        assert mad < limit, f"{a.name}: mean absolute difference {mad:.2f} from the Pillow path"
        colour = np.abs(got.mean(axis=(0, 1)) - want.mean(axis=(0, 1))).max()
        assert colour < 0.5, f"{a.name}: a channel's mean differs by {colour:.2f} from the Pillow path"
    with Image.open(fast.preview) as p:
        assert not p.info.get("icc_profile")
    assert len(fast.thumbhash) == len(slow.thumbhash)
    assert fast.thumbhash[:3] == slow.thumbhash[:3]  # average colour and luminance scale


@pytest.mark.parametrize("rel", ["camera_jpeg/issue70.jpg", "immich-test-assets/albums/text/japanese-shop.jpg"])
def test_opencv_preview_is_as_close_to_lanczos_as_pillows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          rel: str) -> None:
    # Reference: the full-resolution decode shrunk with Lanczos (what sharp does). The faster filters must
    # not lose to the Pillow path's box/bilinear choice.
    src = media(rel)
    fast, slow = both(src, tmp_path, monkeypatch)
    with Image.open(src) as im:
        ref = np.asarray(im.convert("RGB").resize(outside_size(*im.size, 1440), Image.Resampling.LANCZOS),
                         dtype=np.float64)
    fast_err = np.abs(pixels(fast.preview) - ref).mean()
    slow_err = np.abs(pixels(slow.preview) - ref).mean()
    assert fast_err <= slow_err + 0.1, (fast_err, slow_err)


@pytest.mark.parametrize("orientation", range(2, 9))
def test_orientation_on_the_opencv_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orientation: int) -> None:
    # A real 1536x2048 photo with each EXIF orientation: both paths must turn it the same way.
    with Image.open(media("camera_jpeg/exiv2-bug922.jpg")) as im:
        exif = Image.Exif()
        exif[0x0112] = orientation
        src = tmp_path / f"o{orientation}.jpg"
        im.save(src, "JPEG", quality=95, exif=exif.tobytes())
    fast, slow = both(src, tmp_path, monkeypatch, preview_size=1000)
    turned = orientation in (5, 6, 7, 8)
    with Image.open(fast.preview) as p:
        assert p.size == ((1333, 1000) if turned else (1000, 1333))
    assert np.abs(pixels(fast.preview) - pixels(slow.preview)).mean() < 1.5


def test_orient_is_pillows_transpose() -> None:
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    image = Image.fromarray(rgb)
    for orientation, steps in derivatives._TRANSPOSE.items():
        want = image
        for step in steps:
            want = want.transpose(step)
        bgr = np.ascontiguousarray(rgb[..., ::-1])
        got = fast_jpeg.orient(bgr, orientation)[..., ::-1]
        assert np.array_equal(got, np.asarray(want)), orientation


@pytest.mark.parametrize("preview", [2000, 1440, 1000, 780, 700, 390, 300])
def test_reduction_is_pillows_draft_choice(preview: int) -> None:
    with Image.open(media("camera_jpeg/issue70.jpg")) as im:
        w, h = im.size
        scale = preview / min(w, h)
        im.draft("RGB", (math.ceil(w * scale), math.ceil(h * scale)))
        pillow = w // im.size[0]
    assert fast_jpeg.reduction(w, h, preview) == pillow


def test_other_jpegs_are_declined(tmp_path: Path) -> None:
    big = media("camera_jpeg/issue70.jpg")
    assert fast_jpeg.load_reduced(big, min_side=1440, max_pixels=10**8) is not None
    with Image.open(media("camera_jpeg/exiv2-bug922.jpg")) as im:
        im.convert("CMYK").save(tmp_path / "cmyk.jpg", "JPEG")
        im.convert("L").save(tmp_path / "grey.jpg", "JPEG")
    for src in (tmp_path / "cmyk.jpg", tmp_path / "grey.jpg", media("png/32bit.png")):
        assert fast_jpeg.load_reduced(src, min_side=500, max_pixels=10**8) is None, src.name
    # Nothing to shrink: the Pillow path is as fast there.
    assert fast_jpeg.load_reduced(media("faces/sample1.jpg"), min_side=1440, max_pixels=10**8) is None
    # The declined ones still come out right (the Pillow path): a CMYK photo is not inverted.
    d = make_image_derivatives(tmp_path / "cmyk.jpg", tmp_path / "out", preview_size=500)
    with Image.open(media("camera_jpeg/exiv2-bug922.jpg")) as im:
        want = np.asarray(im.convert("RGB").resize(outside_size(*im.size, 500)), dtype=np.float64)
    assert np.abs(pixels(d.preview) - want).mean() < 12


def test_truncated_big_jpeg_still_reports_truncation(tmp_path: Path) -> None:
    # OpenCV refuses it; the Pillow path then words the error. Nothing is left behind.
    data = media("camera_jpeg/issue70.jpg").read_bytes()
    src = tmp_path / "cut.jpg"
    src.write_bytes(data[: len(data) * 7 // 10])
    out = tmp_path / "out"
    with pytest.raises(CorruptMediaError, match="truncated"):
        make_image_derivatives(src, out)
    assert not out.exists() or list(out.iterdir()) == []


def test_failure_after_the_preview_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(image: Image.Image) -> bytes:
        raise ValueError("thumbhash failed")

    monkeypatch.setattr(derivatives, "image_thumbhash", broken)
    with pytest.raises(CorruptMediaError, match="thumbhash failed"):
        make_image_derivatives(media("camera_jpeg/issue70.jpg"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_pixel_limit_counts_the_decoded_pixels(tmp_path: Path) -> None:
    src = media("camera_jpeg/issue70.jpg")  # 13.1 MP, decoded at 1/2 (3.3 MP) for a 1440 preview
    make_image_derivatives(src, tmp_path, max_pixels=4_000_000)
    with pytest.raises(MediaTooLargeError, match="over the limit"):
        make_image_derivatives(src, tmp_path, max_pixels=3_000_000)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_files_are_synced_before_they_are_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    d = make_image_derivatives(media("camera_jpeg/issue70.jpg"), tmp_path, asset_id="s")
    temporary = [Path(p) for p in synced if Path(p).name.startswith(".tmp-")]
    assert sorted(p.suffix for p in temporary) == [".jpeg", ".webp"]  # synced under their temporary names
    assert str(tmp_path) in synced  # and the directory after the renames
    assert d.preview.exists() and d.thumbnail.exists()


def test_threads_give_the_same_results_as_one_by_one(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    files = [media(r) for r in ("camera_jpeg/issue70.jpg", "camera_jpeg/exiv2-bug922.jpg",
                                "camera_jpeg/exiv2-bug922a.jpg")]
    alone = [make_image_derivatives(f, tmp_path / "a", asset_id=str(i)).thumbhash for i, f in enumerate(files)]
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(lambda a: make_image_derivatives(a[1], tmp_path / "b", asset_id=str(a[0])).thumbhash,
                                 enumerate(files * 2)))
    assert together == alone * 2

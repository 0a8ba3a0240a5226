"""make_image_derivatives / make_video_derivatives on every supported format family, with real files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from photonest.media.derivatives import Derivatives, make_image_derivatives, make_video_derivatives, outside_size
from photonest.media.errors import MediaError
from photonest.media.probe import probe
from photonest.media.thumbhash import rgba_to_thumbhash

from .conftest import media


def check(d: Derivatives, size: tuple[int, int], *, thumb: int = 250, preview: int = 1440) -> None:
    """Both files decode, have the expected format and the Immich sizes (short side, never enlarged)."""
    with Image.open(d.preview) as p:
        assert p.format == "JPEG" and p.mode == "RGB"
        assert p.size == outside_size(*size, preview)
        p.load()
    with Image.open(d.thumbnail) as t:
        assert t.format == "WEBP"
        assert t.size == outside_size(*outside_size(*size, preview), thumb)
        t.load()
    assert 5 <= len(d.thumbhash) <= 30
    assert d.preview.name.endswith("-preview.jpeg") and d.thumbnail.name.endswith("-thumbnail.webp")


FORMATS = [
    # (file, size after orientation, full-size JPEG expected)
    ("camera_jpeg/exiv2-bug922.jpg", (1536, 2048), False),  # JPEG bigger than the preview: shrink-on-load
    ("camera_jpeg/frozenpond.mpo", (640, 480), False),
    ("png/32bit.png", (626, 1200), False),  # RGBA
    ("png/tiff_16bit_RGB_target.png", (100, 40), False),
    ("png/camera.png", (512, 512), False),  # greyscale
    ("webp/flower.webp", (480, 360), False),
    ("webp/iss634.webp", (245, 245), False),  # animated: first frame
    ("gif/1_partyanimsm2.gif", (660, 666), False),
    ("tiff/tiff_16bit_RGB.tiff", (100, 40), True),
    ("tiff/hopper_g4_500.tif", (500, 500), True),  # 1-bit CCITT G4
    ("tiff/ifd_tag_type.tiff", (640, 512), True),  # 16-bit greyscale drone TIFF
    ("other_formats/hopper.bmp", (128, 128), False),
    ("other_formats/Reagan.jp2", (200, 130), True),
    ("other_formats/BlueSquare.psd", (360, 216), True),
    ("other_formats/Reagan.jxl", (200, 130), True),
    ("heic/IMG_3578.heic", (4032, 3024), True),
    ("heic/alpha.heic", (1440, 960), True),
    ("heic/RGB_10__128x128.heif", (128, 128), True),  # 10-bit
    ("avif/example.avif", (800, 533), False),
    ("raw/FujiFilm.raf", (160, 120), True),  # metadata stub: only the small embedded JPEG preview
]


@pytest.mark.parametrize(("rel", "size", "full"), FORMATS)
def test_every_format_family_gives_decodable_derivatives(tmp_path: Path, rel: str,
                                                         size: tuple[int, int] | None, full: bool) -> None:
    src = media(rel)
    d = make_image_derivatives(src, tmp_path, asset_id="a1")
    if size is None:
        with Image.open(d.preview) as p:
            size = p.size
    check(d, size)
    assert (d.fullsize is not None) == full
    if d.fullsize is not None:
        with Image.open(d.fullsize) as f:
            assert f.format == "JPEG"
            if rel.startswith(("heic", "tiff", "other")):
                assert f.size == size
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        n for n in ("a1-thumbnail.webp", "a1-preview.jpeg", "a1-fullsize.jpeg" if full else None) if n)


def test_large_jpeg_preview_is_1440_on_the_short_side(tmp_path: Path) -> None:
    d = make_image_derivatives(media("camera_jpeg/exiv2-bug922a.jpg"), tmp_path, asset_id="x")  # 6000x4000
    check(d, (6000, 4000))
    with Image.open(d.preview) as p:
        assert p.size == (2160, 1440)
    with Image.open(d.thumbnail) as t:
        assert t.size == (375, 250)


def test_sizes_are_configurable(tmp_path: Path) -> None:
    d = make_image_derivatives(media("camera_jpeg/issue70.jpg"), tmp_path, thumb_size=100, preview_size=600)
    with Image.open(d.preview) as p, Image.open(d.thumbnail) as t:
        assert p.size == (600, 809) and t.size == (100, 135)


@pytest.mark.parametrize("orientation", range(2, 9))
def test_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    # Pillow's hopper_orientation_N.jpg all show the same upright portrait once the tag is applied.
    upright = make_image_derivatives(media("camera_jpeg/hopper_orientation_2.jpg"), tmp_path / "ref")
    d = make_image_derivatives(media(f"camera_jpeg/hopper_orientation_{orientation}.jpg"), tmp_path / "o")
    a = np.asarray(Image.open(d.preview).convert("L"), dtype=float)
    b = np.asarray(Image.open(upright.preview).convert("L"), dtype=float)
    assert a.shape == b.shape
    assert np.abs(a - b).mean() < 8, f"orientation {orientation} does not match the upright picture"


def test_rotated_camera_jpeg_is_portrait(tmp_path: Path) -> None:
    d = make_image_derivatives(media("camera_jpeg/bug725582-testrotate.jpg"), tmp_path)  # 640x428, tag 6
    with Image.open(d.preview) as p:
        assert p.size == (428, 640)


def test_heic_orientation_not_applied_twice(tmp_path: Path) -> None:
    info = probe(media("heic/arrow.heic"))
    d = make_image_derivatives(media("heic/arrow.heic"), tmp_path)
    with Image.open(d.preview) as p:
        assert p.size == outside_size(info.width or 0, info.height or 0, 1440) == (1440, 1920)


@pytest.mark.parametrize("rel", ["camera_jpeg/xmp_test.jpg", "camera_jpeg/singlemarkersoriginal.jpg"])
def test_wide_gamut_is_converted_to_srgb(tmp_path: Path, rel: str) -> None:
    # Adobe RGB (1998) and Display P3 camera JPEGs: the preview must hold sRGB values (LittleCMS reference),
    # not the original numbers with the profile dropped.
    src = media(rel)
    d = make_image_derivatives(src, tmp_path)
    with Image.open(src) as im:
        icc = im.info["icc_profile"]
        original = im.convert("RGB")
    reference = ImageCms.profileToProfile(original, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                          ImageCms.createProfile("sRGB"), outputMode="RGB")
    assert reference is not None
    with Image.open(d.preview) as p:
        assert not p.info.get("icc_profile")
        size = p.size
        got = np.asarray(p.convert("RGB"), dtype=float)
    want = np.asarray(reference.resize(size, Image.Resampling.BOX), dtype=float)
    naive = np.asarray(original.resize(size, Image.Resampling.BOX), dtype=float)
    assert np.abs(got - want).mean() < np.abs(got - naive).mean()
    assert np.abs(got - want).mean() < 3


def test_grey_profile_on_greyscale_png(tmp_path: Path) -> None:
    check(make_image_derivatives(media("png/exiv2-bug1074.png"), tmp_path), (393, 241))


@pytest.mark.parametrize("rel", ["tiff/dpi.tiff", "gif/aero.gif"])
def test_transparency_kept_in_thumbnail_and_flattened_in_preview(tmp_path: Path, rel: str) -> None:
    d = make_image_derivatives(media(rel), tmp_path)
    with Image.open(d.thumbnail) as t:
        assert t.mode == "RGBA"
        assert t.getchannel("A").getextrema()[0] < 255
    with Image.open(d.preview) as p:
        assert p.mode == "RGB"


def test_fullsize_can_be_turned_off(tmp_path: Path) -> None:
    d = make_image_derivatives(media("heic/Stonehenge.heic"), tmp_path, fullsize=False)
    assert d.fullsize is None
    check(d, (300, 200))


def test_thumbhash_is_deterministic_and_matches_reference_encoder() -> None:
    # Expected bytes computed with the independent thumbhash-python 1.0.1 encoder on the same RGBA input.
    with Image.open(media("camera_jpeg/flower.jpg")) as im:
        rgba = im.convert("RGBA")
    rgba.thumbnail((100, 100))
    assert rgba_to_thumbhash(rgba.width, rgba.height, rgba.tobytes()).hex() == \
        "dce8050d825fe6489887778c8b836937995ba00839"
    with Image.open(media("png/32bit.png")) as im:
        rgba = im.convert("RGBA")
    rgba.thumbnail((100, 100))
    assert rgba_to_thumbhash(rgba.width, rgba.height, rgba.tobytes()).hex() == \
        "12280a140406e98639a7677696983037069582"


def test_video_poster_frame(tmp_path: Path) -> None:
    d = make_video_derivatives(media("video/sample.mp4"), tmp_path, asset_id="v")
    check(d, (1920, 1080))
    assert d.fullsize is None
    with Image.open(d.preview) as p:
        assert p.size == (1920, 1080)  # short side 1080 < 1440: never enlarged
        assert np.asarray(p).std() > 10  # a real picture, not a blank frame


@pytest.mark.parametrize(("rel", "size"), [
    ("video/watershed.webm", (311, 259)),
    ("video/vtest.avi", (768, 576)),
    ("video/BlueSquare.mov", (720, 480)),
    ("broken_edge/Megamind_bugy.avi", (720, 528)),
])
def test_video_posters_for_other_containers(tmp_path: Path, rel: str, size: tuple[int, int]) -> None:
    check(make_video_derivatives(media(rel), tmp_path), size)


def test_photo_function_refuses_video_and_vice_versa(tmp_path: Path) -> None:
    with pytest.raises(MediaError):
        make_image_derivatives(media("video/sample.mp4"), tmp_path)
    with pytest.raises(MediaError):
        make_video_derivatives(media("camera_jpeg/flower.jpg"), tmp_path)
    with pytest.raises(MediaError, match="no video stream"):
        make_video_derivatives(media("video/mp4-with-audio.mp4"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_threads_give_the_same_results_as_one_by_one(tmp_path: Path) -> None:
    # Workers may run derivatives in threads: shared caches (ICC transforms, Pillow's block cache) must be safe.
    from concurrent.futures import ThreadPoolExecutor

    files = [media(r) for r in ("camera_jpeg/xmp_test.jpg", "camera_jpeg/singlemarkersoriginal.jpg",
                                "heic/Stonehenge.heic", "png/coffee.png", "camera_jpeg/leuvenA.jpg",
                                "webp/exiv2-bug1199.webp")]
    alone = [make_image_derivatives(f, tmp_path / "a", asset_id=str(i)).thumbhash for i, f in enumerate(files)]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda a: make_image_derivatives(a[1], tmp_path / "b", asset_id=str(a[0])).thumbhash,
                                 enumerate(files * 2)))
    assert together == alone * 2


def test_avif_rotation_boxes_are_applied(tmp_path: Path) -> None:
    # Pillow writes EXIF orientation 6 as AVIF irot/imir boxes and reads them back as an EXIF orientation
    # without turning the pixels: the pipeline must turn them. Source: a real landscape camera photo.
    with Image.open(media("camera_jpeg/exiv2-bug876.jpg")) as im:
        landscape = im.convert("RGB").resize((300, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    src = tmp_path / "turned.avif"
    landscape.save(src, "AVIF", exif=exif.tobytes(), quality=90)
    info = probe(src)
    assert (info.width, info.height) == (200, 300) and info.exif["orientation"] == "6"
    d = make_image_derivatives(src, tmp_path / "out")
    with Image.open(d.preview) as p:
        assert p.size == (200, 300)
        got = np.asarray(p.convert("L"), dtype=float)
    want = np.asarray(landscape.transpose(Image.Transpose.ROTATE_270).convert("L"), dtype=float)
    assert np.abs(got - want).mean() < 10

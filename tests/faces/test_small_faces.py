"""Faces under HOG's 80 px window: small previews are also searched doubled (faces_detection_upsample = -1),
large ones are not (their cost is the 150 ms target's), and the plain pass's faces are never lost or changed."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

from photonest.ml.faces import (
    AUTO_UPSAMPLE_MAX_PIXELS,
    DLIB_MATCH_DISTANCE,
    HOG_WINDOW,
    Box,
    DlibFaces,
    FaceAnalyzer,
    FaceOptions,
    FaceResult,
    load_rgb,
)
from tests.faces.conftest import FACES_DIR, _dlib, _embedder
from tests.ml.conftest import make_preview

# Small group photos (500 px originals) whose faces are 44-53 px: found only on the doubled copy (checked by
# eye: every face is a real, distinct person).
SMALL_GROUPS = {"2008_002470.jpg": (0, 4), "2008_007676.jpg": (0, 4), "2008_002079.jpg": (0, 3)}


class Recording:
    """The real dlib detector, remembering the size of every image it searched."""

    def __init__(self, inner: DlibFaces) -> None:
        self.inner = inner
        self.sizes: list[tuple[int, int]] = []

    def detect(self, image: NDArray[np.uint8]) -> list[tuple[Box, float]]:
        self.sizes.append((image.shape[1], image.shape[0]))
        return self.inner.detect(image)


def _analyse(image: Image.Image, **options: int) -> tuple[FaceResult, list[tuple[int, int]]]:
    rec = Recording(_dlib)
    return FaceAnalyzer(rec, _embedder, FaceOptions(**options)).analyse(image), rec.sizes


@pytest.fixture(scope="module")
def small_groups() -> dict[str, tuple[FaceResult, FaceResult]]:
    auto = FaceAnalyzer(_dlib, _embedder, FaceOptions())
    plain = FaceAnalyzer(_dlib, _embedder, FaceOptions(upsample=0))
    out = {}
    for name in SMALL_GROUPS:
        im = make_preview(FACES_DIR / name)
        out[name] = (plain.analyse(im), auto.analyse(im))
    return out


@pytest.mark.parametrize("name", sorted(SMALL_GROUPS))
def test_small_preview_finds_faces_under_the_window(small_groups: dict[str, tuple[FaceResult, FaceResult]],
                                                    name: str) -> None:
    plain, auto = small_groups[name]
    assert (len(plain.faces), len(auto.faces)) == SMALL_GROUPS[name]
    # The plain pass's faces are all there, with the same boxes and scores.
    for f in plain.faces:
        assert any(g.box == f.box and g.score == f.score for g in auto.faces)
    added = [g for g in auto.faces if not any(g.box == f.box for f in plain.faces)]
    assert len(added) == len(auto.faces) - len(plain.faces)
    for g in added:
        side = min((g.box[2] - g.box[0]) * auto.width, (g.box[3] - g.box[1]) * auto.height)
        assert 40 <= side < HOG_WINDOW
    # Each is a usable, distinct person.
    e = np.stack([f.embedding for f in auto.faces if f.embedding is not None])
    assert len(e) == len(auto.faces)
    d = 1 - e @ e.T
    assert d[~np.eye(len(e), dtype=bool)].min() > DLIB_MATCH_DISTANCE


def test_tiny_portrait_is_found_doubled_only() -> None:
    im = make_preview(FACES_DIR / "hopper.jpg")  # 128 px, a 52 px face
    auto, sizes = _analyse(im)
    assert sizes == [(128, 128), (256, 256)]
    assert len(auto.faces) == 1 and auto.faces[0].usable
    plain, sizes = _analyse(im, upsample=0)
    assert sizes == [(128, 128)] and plain.faces == []
    # A minimum face size the plain pass already covers makes the doubled pass pointless.
    _, sizes = _analyse(im, min_size=HOG_WINDOW)
    assert sizes == [(128, 128)]


def test_large_previews_are_searched_once() -> None:
    preview = make_preview(FACES_DIR / "bald_guys.jpg")  # 1440x1120: the doubled pass would cost ~4x
    result, sizes = _analyse(preview)
    assert sizes == [preview.size] and len(result.faces) == 24
    # Above the pixel bound (0.2 MP): one pass, though 2 of group1's 6 faces are under the window (the doubled
    # pass would take it over 150 ms).
    group1 = make_preview(FACES_DIR / "group1.jpg")
    assert group1.width * group1.height > AUTO_UPSAMPLE_MAX_PIXELS
    result, sizes = _analyse(group1)
    assert sizes == [group1.size] and len(result.faces) == 4
    side = int(AUTO_UPSAMPLE_MAX_PIXELS ** 0.5)
    _, sizes = _analyse(group1.resize((side, side)))
    assert sizes == [(side, side), (2 * side, 2 * side)]
    # An original larger than max_resolution is scaled down, boxes mapped back to it.
    original = load_rgb(FACES_DIR / "bald_guys.jpg")
    result, sizes = _analyse(original)
    assert sizes == [(1440, round(original.height * 1440 / original.width))]
    assert (result.width, result.height) == original.size and len(result.faces) >= 20
    assert all(0 <= f.box[0] < f.box[2] <= 1 and 0 <= f.box[1] < f.box[3] <= 1 for f in result.faces)

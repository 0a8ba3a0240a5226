"""The int8 labels model (ml.quantize, ``ml_quantized``) against the float one, on real photos that were not used
to calibrate it (bench/calibrate_ml.py LABEL_CALIBRATION): the same top label for >= 90 % of them, every label
the float model is fairly sure of still among the int8 top 5, and nearly the same visual embedding."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

import photonest.media.images  # noqa: F401  (registers the HEIC/AVIF opener)
from photonest.ml.labels import INT8_FILE, ONNX_FILE, RANGES, Labeler, labeler_for, preprocess
from photonest.ml.quantize import int8_model
from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelStore
from tests.conftest import MEDIA
from tests.smart.conftest import make_settings

NATURE = "immich-test-assets/albums/nature/"
PHOTOS = [
    "png/chelsea.png", "faces/dogs.jpg", "faces/bus.jpg", "faces/messi5.jpg", "faces/obama3.jpg", "faces/sample2.jpg",
    "faces/bald_guys.jpg", "faces/2008_002470.jpg", "faces/2009_004587.jpg", "camera_jpeg/leuvenA.jpg",
    "camera_jpeg/leuvenB.jpg", "camera_jpeg/FurnaceCreekInn.jpg", "camera_jpeg/FurnaceCreekInn2.jpg",
    "camera_jpeg/Reagan.jpg", "camera_jpeg/board.jpg", "camera_jpeg/exiv2-bug876.jpg", "camera_jpeg/exiv2-bug1114.jpg",
    "camera_jpeg/bug725582-testrotate.jpg", "camera_jpeg/CaorVN.jpeg", "camera_jpeg/flower.jpg",
    "camera_jpeg/realsense.jpg", "camera_jpeg/resized_IMG_2891.jpg", "camera_jpeg/4_barcodes.jpg",
    "camera_jpeg/L01.jpg",
    "camera_jpeg/frozenpond.mpo", "camera_jpeg/sugarshack.mpo", "heic/pug.heic", "heic/bird_burst.heic",
    "heic/empty_icc.heic", "heic/IMG_3578.heic", "heic/Stonehenge.heic", "heic/alpha.heic", "webp/exiv2-bug1199.webp",
    "avif/avif.avif", "png/camera.png", "png/imagemagick.png", NATURE + "el_torcal_rocks.jpg",
    NATURE + "tanners_ridge.jpg", NATURE + "silver_fir.jpg", NATURE + "cyclamen_persicum.jpg",
    NATURE + "notocactus_minimus.jpg", NATURE + "orychophragmus_violaceus.jpg", NATURE + "polemonium_reptans.jpg",
    "immich-test-assets/albums/text/craft-beer.jpg", "immich-test-assets/albums/text/japanese-shop.jpg",
    "ocr_text/scenetext01.jpg",
]


def _input(rel: str) -> np.ndarray:
    """The network input for the server's preview of a photo (longest side 1440, JPEG)."""
    with Image.open(MEDIA / rel) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((1440, 1440), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
    buf.seek(0)
    with Image.open(buf) as preview:
        return preprocess(preview)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def test_calibration_photos_are_not_the_test_photos() -> None:
    from bench.calibrate_ml import LABEL_CALIBRATION

    assert len(PHOTOS) >= 30 and not set(PHOTOS) & set(LABEL_CALIBRATION)


def test_int8_labels_agree_with_float(model_cache: Path) -> None:
    store = ModelStore(model_cache, allow_download=False)
    runtime = ModelRuntime(intra_op_threads=1, ttl_seconds=0)
    fp32, int8 = Labeler(store, runtime, quantized=False), Labeler(store, runtime, quantized=True)
    assert fp32.model_path().name == ONNX_FILE and int8.model_path().name == INT8_FILE
    assert int8.model_path().stat().st_size < fp32.model_path().stat().st_size / 2
    same_top1, kept, cosines = 0, 0, []
    for rel in PHOTOS:
        x = _input(rel)
        (lf,), (ff,) = fp32.run(x)
        (li,), (fi,) = int8.run(x)
        top5 = set(np.argsort(-li)[:5].tolist())
        same_top1 += int(np.argmax(lf) == np.argmax(li))
        kept += int(all(int(i) in top5 for i in np.flatnonzero(_softmax(lf) >= 0.1)))
        cosines.append(float(ff @ fi / np.linalg.norm(ff) / np.linalg.norm(fi)))
    runtime.close()
    n = len(PHOTOS)
    # measured: top-1 44/46 (96 %), the float model's labels of p >= 0.1 kept 46/46, cosine mean 0.99
    assert same_top1 / n >= 0.9, f"top-1 agreement {same_top1}/{n}"
    assert kept / n >= 0.95, f"confident float labels kept in the int8 top 5: {kept}/{n}"
    assert min(cosines) > 0.95 and float(np.mean(cosines)) > 0.98, cosines


def test_the_setting_chooses_the_model(tmp_path: Path) -> None:
    on = labeler_for(make_settings(tmp_path / "a"))
    off = labeler_for(make_settings(tmp_path / "b", ml_quantized=False))
    assert on.quantized and not off.quantized and on is not off


def test_ranges_for_another_graph_fall_back_to_float(model_cache: Path, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    src = model_cache / "efficientnet-lite0" / ONNX_FILE
    data = json.loads(RANGES.read_text())
    data["data"] = dict(list(data["data"].items())[:10])  # most activations have no range
    bad = tmp_path / "ranges.json"
    bad.write_text(json.dumps(data))
    dst = tmp_path / "out" / INT8_FILE
    with caplog.at_level(logging.WARNING, logger="photonest.ml.quantize"):
        assert int8_model(src, dst, bad) == src
    assert not dst.exists() and not list(tmp_path.glob("out/*"))  # nothing half-written
    assert "cannot make the int8 model" in caplog.text

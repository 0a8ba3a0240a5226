"""Measure the activation ranges the int8 models are made from (ml/quantize.py) and write them to
src/photonest/ml/calibration/ (run again when a model or its graph changes; the tests check the result).

Run: .venv/bin/python -m bench.calibrate_ml [--only labels|ocr]

- labels: EfficientNet-Lite0 on 1440 px previews of 34 real photos (faces, people, streets, nature, HEIC/AVIF),
  none of which are in the photos tests/smart/test_labels_int8.py compares int8 with float on;
- OCR: the PP-OCRv6 detection inputs (as the engine makes them) of 13 photos and scans with text, none of them
  in the OCR tests' photos (tests/ml/conftest.py OCR_FILES). `--rec` also writes ranges for the recognition
  model; they are not shipped: recognition in int8 misread 1.7-3 % of the characters (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
NATURE = "immich-test-assets/albums/nature/"
TEXT = "immich-test-assets/albums/text/"

LABEL_CALIBRATION = [
    *(f"faces/{n}" for n in (
        "obama.jpg", "obama2.jpg", "biden.jpg", "227943776_1.jpg", "230501201_1.jpg", "group1.jpg", "group2.jpg",
        "group3.jpg", "2007_007763.jpg", "2008_001009.jpg", "2008_002079.jpg", "2008_004176.jpg",
        "Tom_Cruise_avp_2014_4.jpg", "sample1.jpg", "sample4.jpg", "t1.jpg", "zidane.jpg", "astronaut.png")),
    "camera_jpeg/exiv2-bug922.jpg", "camera_jpeg/DSC_3079.jpg", "camera_jpeg/xmp_test.jpg",
    "camera_jpeg/singlemarkersoriginal.jpg", "camera_jpeg/resized_IMG_2889.jpg", "camera_jpeg/iptc.jpg",
    "camera_jpeg/ela_original.jpg", "heic/xiaomi.heic", "heic/arrow.heic", "heic/example.heic", "avif/example.avif",
    "png/coffee.png", "png/basketball1.png", NATURE + "prairie_falcon.jpg", NATURE + "wood_anemones.jpg",
    TEXT + "book-beside-flowers.jpg",
]
OCR_CALIBRATION = [
    "ocr_text/scenetext04.jpg", "ocr_text/page.png", "ocr_text/8087_054.3B.tif", "ocr_text/imageTextN.png",
    "ocr_text/devatest.png", "ocr_text/text.png", "ocr_text/hebtypo.jpg", "ocr_text/phototest-rotated-R.png",
    "ocr_text/linn.png", TEXT + "book-beside-flowers.jpg", TEXT + "craft-beer.jpg", TEXT + "handwritten-notes.jpg",
    TEXT + "japanese-shop.jpg",
]


def preview(path: Path) -> bytes:
    """The server's preview: longest side 1440, JPEG quality 80."""
    import pillow_heif
    from PIL import Image, ImageOps

    pillow_heif.register_heif_opener()
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((1440, 1440), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def calibrate_labels(out_dir: Path) -> None:
    from PIL import Image

    from photonest.ml.labels import RANGES, Labeler
    from photonest.ml.quantize import calibrate
    from photonest.ml.runtime import ModelRuntime
    from photonest.ml.store import ModelStore

    with tempfile.TemporaryDirectory() as tmp:
        lab = Labeler(ModelStore(Path(tmp), allow_download=False), ModelRuntime(ttl_seconds=0), quantized=False)
        fp32 = lab.float_model_path()
        from photonest.ml.labels import preprocess

        feeds = [{"image": preprocess(Image.open(io.BytesIO(preview(MEDIA / p))))} for p in LABEL_CALIBRATION]
        calibrate(fp32, feeds, out_dir / RANGES.name)
    print(f"labels: {len(feeds)} photos -> {out_dir / RANGES.name}")


class _Recording:
    """A session that keeps a copy of every input it runs on (in slices of at most 2 images or lines: calibration
    runs the model with every activation as an output, which takes gigabytes for a batch of 8 wide lines)."""

    def __init__(self, session: Any, into: list[dict[str, NDArray[Any]]]) -> None:
        self.session, self.into = session, into

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    def run(self, outputs: Any, feeds: dict[str, NDArray[Any]]) -> Any:
        (key, x), = feeds.items()
        self.into.extend({key: np.ascontiguousarray(x[i:i + 2])} for i in range(0, len(x), 2))
        return self.session.run(outputs, feeds)


def calibrate_ocr(out_dir: Path, rec: bool = False) -> None:
    from PIL import Image

    from photonest.ml.ocr import DET_MODEL, OcrEngine, OcrOptions
    from photonest.ml.quantize import calibrate
    from photonest.ml.runtime import ModelRuntime
    from photonest.ml.store import ModelStore

    with tempfile.TemporaryDirectory() as tmp:
        engine = OcrEngine(ModelStore(Path(tmp), allow_download=False), ModelRuntime(ttl_seconds=0), OcrOptions(),
                           quantized=False)
        seen: dict[str, list[dict[str, NDArray[Any]]]] = {DET_MODEL: []}
        if rec:
            seen[engine.rec_model] = []
        plain = engine._session

        def recording(name: str) -> Any:
            session = plain(name)
            return _Recording(session, seen[name]) if name in seen else session

        engine._session = recording  # type: ignore[method-assign]
        for p in OCR_CALIBRATION:
            engine.read(Image.open(io.BytesIO(preview(MEDIA / p))))
        for name, feeds in seen.items():
            calibrate(engine.model_path(name), feeds, out_dir / f"{name}.json")
            print(f"{name}: {len(feeds)} inputs -> {out_dir / f'{name}.json'}")


def main() -> None:
    from photonest.ml.quantize import CALIBRATION_DIR

    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["labels", "ocr"])
    ap.add_argument("--out", type=Path, default=CALIBRATION_DIR)
    ap.add_argument("--rec", action="store_true", help="also the OCR recognition model's ranges (not shipped)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if args.only in (None, "labels"):
        calibrate_labels(args.out)
    if args.only in (None, "ocr"):
        calibrate_ocr(args.out, args.rec)
    print(f"done in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()

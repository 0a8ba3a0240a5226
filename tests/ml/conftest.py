"""OCR fixtures: the real rapidocr models (from the installed wheel) on previews of the real photos with text.

Each photo is OCR'd once per test session (the previews are made as the server makes them: longest side
1440 px, JPEG), so every test can use the results without paying for the model again.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from photonest.ml.ocr import OcrEngine, OcrLine, OcrOptions
from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelStore
from tests.conftest import MEDIA

OCR_DIR = MEDIA / "ocr_text"

# Photos used by the OCR tests (dense full pages are left to the benchmark to keep the run short).
OCR_FILES = (
    "scenetext01.jpg", "scenetext02.jpg", "scenetext03.jpg", "scenetext05.jpg", "scenetext06.jpg",
    "detect_test1.jpg", "phototest.tif", "eurotext.tif", "crom.png", "baiona_color.jpg", "typewriter.png",
    "licenseplate_motion.jpg",
)


def make_preview(src: Path, size: int = 1440) -> Image.Image:
    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((size, size), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


@pytest.fixture(scope="session")
def ocr_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OcrEngine]:
    runtime = ModelRuntime(ttl_seconds=0)
    store = ModelStore(tmp_path_factory.mktemp("models"), allow_download=False)
    yield OcrEngine(store, runtime, OcrOptions())
    runtime.close()


@pytest.fixture(scope="session")
def ocr_results(ocr_engine: OcrEngine) -> dict[str, list[OcrLine]]:
    return {name: ocr_engine.read(make_preview(OCR_DIR / name)) for name in OCR_FILES}

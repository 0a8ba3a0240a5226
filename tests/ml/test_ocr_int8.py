"""The int8 OCR detection model (ml.quantize, ``ml_quantized``, the default) finds what the float one finds.

The other OCR tests run the default engine, i.e. the int8 models; here the float models read the same previews
and the texts are compared character by character (none of these photos were used to calibrate the int8
models: bench/calibrate_ml.py OCR_CALIBRATION)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_ocr import cer
from photonest.config import Settings
from photonest.library.ocr import normalise
from photonest.ml.ocr import CLS_MODEL, DET_MODEL, OcrEngine, OcrLine, OcrOptions, engine_for
from photonest.ml.quantize import CALIBRATION_DIR
from tests.ml.conftest import OCR_DIR, OCR_FILES, make_preview


def test_calibration_photos_are_not_the_test_photos() -> None:
    from bench.calibrate_ml import OCR_CALIBRATION

    assert not {Path(p).name for p in OCR_CALIBRATION} & set(OCR_FILES)


def test_the_default_engine_runs_int8_detection(ocr_engine: OcrEngine) -> None:
    assert ocr_engine.quantized
    assert ocr_engine.model_path(DET_MODEL).name.endswith("-int8.onnx")
    # no ranges ship for these (recognition in int8 misread 1.7-3 % of the characters): float
    assert ocr_engine.model_path(ocr_engine.rec_model).name == "PP-OCRv6_rec_small.onnx"
    assert ocr_engine.model_path(CLS_MODEL).name == "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
    # made once, in the model cache (the packaged models are never written to)
    assert ocr_engine.model_path(DET_MODEL).parent == ocr_engine.store.cache_dir / DET_MODEL
    assert (CALIBRATION_DIR / f"{DET_MODEL}.json").is_file()


@pytest.fixture(scope="module")
def float_results(ocr_engine: OcrEngine) -> dict[str, list[OcrLine]]:
    fp32 = OcrEngine(ocr_engine.store, ocr_engine.runtime, OcrOptions(), quantized=False)
    assert fp32.model_path(DET_MODEL).name == "PP-OCRv6_det_small.onnx"
    return {name: fp32.read(make_preview(OCR_DIR / name)) for name in OCR_FILES}


def test_int8_reads_what_float_reads(ocr_results: dict[str, list[OcrLine]],
                                     float_results: dict[str, list[OcrLine]]) -> None:
    """Detection in int8 moves boxes by a pixel or two: a line may be split, merged or (rarely) found only by one
    model, so the texts are compared as a whole and by the words a search would use."""
    edits = chars = 0
    words = found = 0
    for name in OCR_FILES:
        ref = "\n".join(ln.text for ln in float_results[name])
        hyp = "\n".join(ln.text for ln in ocr_results[name])
        edits, chars = edits + cer(ref, hyp), chars + len(ref)
        seen = set(normalise(hyp).split())
        wanted = [w for w in normalise(ref).split() if len(w) >= 3]
        words, found = words + len(wanted), found + sum(w in seen for w in wanted)
    assert chars > 1000 and words > 150
    # measured on all 21 text files (bench_ocr --compare): 99.8 % of the words, 1.2 % of the characters (lines
    # split or joined differently)
    assert found / words >= 0.95, f"words the float model reads that int8 reads too: {found}/{words}"
    assert edits / chars <= 0.03, f"character error rate of int8 against float: {edits}/{chars}"


def test_the_setting_chooses_the_models(tmp_path: Path) -> None:
    def settings(**extra: object) -> Settings:
        return Settings(data=tmp_path, database_url=f"sqlite:///{tmp_path}/p.db", workers=False,
                        _env_file=None, **extra)  # type: ignore[call-arg, arg-type]

    on, off = engine_for(settings()), engine_for(settings(ml_quantized=False))
    assert on.quantized and not off.quantized and on is not off
    assert off.model_path(DET_MODEL).name == "PP-OCRv6_det_small.onnx"
    assert not (tmp_path / "models" / DET_MODEL).exists()  # the float engine makes nothing

"""The real OCR model on real photos: it reads what a person reads, with sane boxes and scores."""

from __future__ import annotations

import pytest

from photonest.library.ocr import normalise
from photonest.ml.ocr import OcrEngine, OcrLine, OcrOptions
from tests.ml.conftest import OCR_DIR, make_preview

# Words a person reads in each photo (MANIFEST.tsv); the model must read them too.
EXPECTED = {
    "scenetext01.jpg": ["notice", "double parking", "prohibited", "at all times"],
    "scenetext02.jpg": ["sports centre", "conference centre", "car parks"],
    "scenetext03.jpg": ["copy", "centre"],
    "scenetext05.jpg": ["parking"],
    "scenetext06.jpg": ["galleries", "ship"],
    "detect_test1.jpg": ["canon"],
    "phototest.tif": ["12 point text", "quick brown dog", "lazy fox"],
    "eurotext.tif": ["quick", "schnelle braune fuchs", "uber den faulen hund", "renard", "perezoso"],
    "crom.png": ["covfefe", "cromulent word"],
    "baiona_color.jpg": ["baiona", "komunikabideak", "mugerre", "bokale"],
    "typewriter.png": ["linzensoep", "liter water", "kopjes melk"],
}


def _text(lines: list[OcrLine]) -> str:
    return normalise(" ".join(ln.text for ln in lines))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reads_the_words_in_the_photo(ocr_results: dict[str, list[OcrLine]], name: str) -> None:
    text = _text(ocr_results[name])
    missing = [w for w in EXPECTED[name] if w not in text]
    assert not missing, f"{name}: {missing} not read; read: {text!r}"


def test_boxes_are_normalised_and_scores_pass_the_thresholds(ocr_results: dict[str, list[OcrLine]]) -> None:
    lines = [ln for v in ocr_results.values() for ln in v]
    assert len(lines) > 40
    for ln in lines:
        assert all(0.0 <= v <= 1.0 for v in ln.box), ln
        assert ln.text_score >= 0.8 and ln.box_score >= 0.5, ln
        xs, ys = ln.box[0::2], ln.box[1::2]
        assert max(xs) > min(xs) and max(ys) > min(ys)


def test_box_is_where_the_text_is(ocr_results: dict[str, list[OcrLine]]) -> None:
    # crom.png is one line of text across a thin strip: its box spans most of the width.
    lines = ocr_results["crom.png"]
    left = min(min(ln.box[0::2]) for ln in lines)
    right = max(max(ln.box[0::2]) for ln in lines)
    assert left < 0.2 and right > 0.8
    # The first line of phototest.tif is at the top of the page.
    first = ocr_results["phototest.tif"][0]
    assert "this is a lot" in normalise(first.text)
    assert max(first.box[1::2]) < 0.35


def test_thresholds_are_settings(ocr_engine: OcrEngine, ocr_results: dict[str, list[OcrLine]]) -> None:
    strict = OcrEngine(ocr_engine.store, ocr_engine.runtime,
                       OcrOptions(min_recognition_score=0.99, min_detection_score=0.7))
    lines = strict.read(make_preview(OCR_DIR / "scenetext06.jpg"))
    assert all(ln.text_score >= 0.99 and ln.box_score >= 0.7 for ln in lines)
    assert len(lines) < len(ocr_results["scenetext06.jpg"])

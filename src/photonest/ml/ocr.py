"""OCR: the text lines in an image, with normalised boxes and scores (Immich's AssetOcrResponseDto shape).

The models are PaddleOCR's, as packaged by rapidocr (PP-OCRv6 small detection and recognition, which read
Latin script, Chinese and Japanese, ship in its wheel). We run them in our own ONNX Runtime sessions
(ml.runtime: shared, thread-limited, unloaded when idle) and use rapidocr's pre/post-processing pieces,
following what Immich's machine-learning service does:

1. detection on the image scaled so its shorter side is ``max_resolution`` (736), sides multiples of 32;
   DB post-processing keeps boxes scoring at least ``min_detection_score``;
2. each box is cut out of the full-resolution image (perspective crop), turned upright by the angle
   classifier when it is upside down, and recognised line by line (CTC decoding);
3. lines whose recognition score is below ``min_recognition_score`` are dropped.

With ``ml_quantized`` (the default) detection runs an int8 copy of the default model (its first convolution
float), made once in the model cache (ml.quantize, from activation ranges shipped in ``ml/calibration/``):
about 1.25x faster on one core, which is most of what a photo of a sign costs. Recognition stays float: in
int8 it misread 1.1-3 % of the characters.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from photonest.ml.quantize import CALIBRATION_DIR, int8_model
from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelStore, ocr_rec_model_for

DET_MODEL = "ocr-det-PP-OCRv6-small"
CLS_MODEL = "ocr-cls-mobile-v2"

REC_HEIGHT = 48
# One line per recognition call: a batch is padded to its widest line, and on CPU the padding costs as much as
# text (measured, one core: linn.png's 81 lines 7.8 s in batches of 8, 5.5 s one by one; batches of 16-32 were
# slower still; the text read is the same but for 2 of 11,831 characters).
REC_BATCH = 1
CLS_BATCH = 8  # the angle classifier's input has a fixed width: batches cost nothing in padding
CLS_SHAPE = (48, 192)
CLS_THRESHOLD = 0.9


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[float, float, float, float, float, float, float, float]  # x1,y1 .. x4,y4 in 0..1, clockwise
    box_score: float
    text_score: float


@dataclass(frozen=True)
class OcrOptions:
    language: str = "default"
    max_resolution: int = 736
    min_detection_score: float = 0.5
    min_recognition_score: float = 0.8

    @classmethod
    def from_settings(cls, settings: Any) -> OcrOptions:
        return cls(settings.ocr_language, settings.ocr_max_resolution, settings.ocr_min_detection_score,
                   settings.ocr_min_recognition_score)


def _to_bgr(img: Image.Image) -> NDArray[np.uint8]:
    if img.mode != "RGB":
        img = img.convert("RGB")
    arr = np.asarray(img, dtype=np.uint8)
    return np.ascontiguousarray(arr[:, :, ::-1])


class OcrEngine:
    """Reads text; thread-safe (sessions are shared, per-call state is local)."""

    def __init__(self, store: ModelStore, runtime: ModelRuntime, options: OcrOptions | None = None,
                 quantized: bool = True) -> None:
        self.store = store
        self.runtime = runtime
        self.options = options or OcrOptions()
        self.quantized = quantized
        self.rec_model = ocr_rec_model_for(self.options.language)
        self._decoder: Any = None
        self._lock = threading.Lock()
        self._paths: dict[str, Path] = {}

    # --- models (resolved and loaded on first use; the runtime unloads idle sessions) ---------------------

    def model_path(self, name: str) -> Path:
        """The ONNX file that runs for model `name`: its int8 copy when quantized and ranges ship for it."""
        path = self._paths.get(name)
        if path is not None and path.is_file():
            return path
        resolved = self.store.resolve(name)
        path = resolved.path(next(f.name for f in resolved.spec.files if f.name.endswith(".onnx")))
        ranges = CALIBRATION_DIR / f"{name}.json"
        if self.quantized and ranges.is_file():
            with self._lock:
                path = int8_model(path, self.store.cache_dir / name / f"{path.stem}-int8.onnx", ranges)
        self._paths[name] = path
        return path

    def _session(self, name: str) -> Any:
        path = self.model_path(name)
        return self.runtime.session(f"{name}:{path.stem}", path)

    def _ctc(self, session: Any) -> Any:
        if self._decoder is None:
            with self._lock:
                if self._decoder is None:
                    from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

                    meta = session.get_modelmeta().custom_metadata_map
                    if "character" in meta:
                        self._decoder = CTCLabelDecode(character=meta["character"].splitlines())
                    else:
                        keys = self.store.resolve(self.rec_model).dir / "keys.txt"
                        self._decoder = CTCLabelDecode(character_path=keys)
        return self._decoder

    def warm_up(self) -> None:
        """Load every model now (benchmarks; a GPU box that should not pay the first-call latency)."""
        self._session(DET_MODEL)
        self._session(CLS_MODEL)
        self._ctc(self._session(self.rec_model))

    # --- the pipeline -------------------------------------------------------------------------------------

    def read_file(self, path: Path) -> list[OcrLine]:
        with Image.open(path) as im:
            return self.read(ImageOps.exif_transpose(im))

    def read(self, image: Image.Image) -> list[OcrLine]:
        w, h = image.size
        if w < 8 or h < 8:
            return []
        bgr = _to_bgr(image)
        boxes, box_scores = self._detect(image, w, h)
        if not boxes:
            return []
        crops = [self._crop(bgr, b) for b in boxes]
        crops = self._upright(crops)
        texts = self._recognise(crops)
        out: list[OcrLine] = []
        min_rec = self.options.min_recognition_score
        for box, box_score, (text, score) in zip(boxes, box_scores, texts, strict=True):
            text = text.strip()
            if not text or score < min_rec:
                continue
            flat = tuple(float(min(1.0, max(0.0, v))) for pt in box for v in (pt[0] / w, pt[1] / h))
            out.append(OcrLine(text, flat, float(box_score), float(score)))  # type: ignore[arg-type]
        return out

    def _detect(self, image: Image.Image, w: int, h: int) -> tuple[list[NDArray[np.float32]], list[float]]:
        from rapidocr.ch_ppocr_det.utils import DBPostProcess

        # Immich scales the shorter side to max_resolution (up or down); we also keep the longer side within
        # twice that, so a thin strip of text does not become a 6000-pixel-wide detection input.
        ratio = min(self.options.max_resolution / min(w, h), 2 * self.options.max_resolution / max(w, h))
        rw = max(32, round(w * ratio / 32) * 32)
        rh = max(32, round(h * ratio / 32) * 32)
        small = image.convert("RGB").resize((rw, rh), Image.Resampling.BICUBIC)
        x = (np.asarray(small, dtype=np.float32)[:, :, ::-1] / 127.5 - 1.0).transpose(2, 0, 1)[None]
        session = self._session(DET_MODEL)
        pred = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(x, dtype=np.float32)})[0]
        post = DBPostProcess(thresh=0.3, box_thresh=self.options.min_detection_score, max_candidates=1000,
                             unclip_ratio=1.6, use_dilation=True, score_mode="fast")
        boxes, scores = post(pred, (h, w))
        if len(boxes) == 0:
            return [], []
        arr = [np.asarray(b, dtype=np.float32) for b in boxes]
        # Reading order: top to bottom, left to right within a line (PaddleOCR's sorted_boxes).
        idx = sorted(range(len(arr)), key=lambda i: (float(arr[i][0][1]), float(arr[i][0][0])))
        for i in range(len(idx) - 1):
            for j in range(i, -1, -1):
                a, b = idx[j], idx[j + 1]
                if abs(arr[b][0][1] - arr[a][0][1]) < 10 and arr[b][0][0] < arr[a][0][0]:
                    idx[j], idx[j + 1] = b, a
                else:
                    break
        return [arr[i] for i in idx], [float(scores[i]) for i in idx]

    @staticmethod
    def _crop(bgr: NDArray[np.uint8], box: NDArray[np.float32]) -> NDArray[np.uint8]:
        from rapidocr.utils.process_img import get_rotate_crop_image

        crop: NDArray[np.uint8] = get_rotate_crop_image(bgr, box.copy())
        return crop

    def _upright(self, crops: list[NDArray[np.uint8]]) -> list[NDArray[np.uint8]]:
        import cv2

        session = self._session(CLS_MODEL)
        name = session.get_inputs()[0].name
        ch, cw = CLS_SHAPE
        out = list(crops)
        for start in range(0, len(crops), CLS_BATCH):
            batch = crops[start:start + CLS_BATCH]
            x = np.zeros((len(batch), 3, ch, cw), dtype=np.float32)
            for i, img in enumerate(batch):
                rw = min(cw, max(1, math.ceil(ch * img.shape[1] / max(1, img.shape[0]))))
                r = cv2.resize(img, (rw, ch)).astype(np.float32).transpose(2, 0, 1) / 127.5 - 1.0
                x[i, :, :, :rw] = r
            probs = session.run(None, {name: x})[0]
            for i, p in enumerate(probs):
                if int(np.argmax(p)) == 1 and float(p[1]) > CLS_THRESHOLD:
                    out[start + i] = np.ascontiguousarray(cv2.rotate(batch[i], cv2.ROTATE_180))
        return out

    def _recognise(self, crops: list[NDArray[np.uint8]]) -> list[tuple[str, float]]:
        import cv2

        session = self._session(self.rec_model)
        decoder = self._ctc(session)
        name = session.get_inputs()[0].name
        ratios = [c.shape[1] / max(1, c.shape[0]) for c in crops]
        order = np.argsort(ratios)  # similar widths in one batch: less padding
        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for start in range(0, len(crops), REC_BATCH):
            idx = order[start:start + REC_BATCH]
            max_ratio = max(320 / REC_HEIGHT, *(ratios[i] for i in idx))
            width = int(REC_HEIGHT * max_ratio)
            x = np.zeros((len(idx), 3, REC_HEIGHT, width), dtype=np.float32)
            for j, i in enumerate(idx):
                rw = min(width, max(1, math.ceil(REC_HEIGHT * ratios[i])))
                r = cv2.resize(crops[i], (rw, REC_HEIGHT)).astype(np.float32).transpose(2, 0, 1) / 127.5 - 1.0
                x[j, :, :, :rw] = r
            preds = session.run(None, {name: x})[0]
            lines, _ = decoder(preds, False)
            for j, i in enumerate(idx):
                text, score = lines[j]
                results[int(i)] = (str(text), float(score))
        return results


_engines: dict[tuple[Any, ...], OcrEngine] = {}
_engines_lock = threading.Lock()


def engine_for(settings: Any) -> OcrEngine:
    """The process-wide OCR engine for these settings (models load on its first use, not here)."""
    from photonest.ml.runtime import runtime_for
    from photonest.ml.store import store_for

    options = OcrOptions.from_settings(settings)
    runtime = runtime_for(settings)
    quantized = bool(settings.ml_quantized)
    key = (options, str(settings.models_dir), bool(settings.ml_download), id(runtime), quantized)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = OcrEngine(store_for(settings), runtime, options, quantized)
        return engine

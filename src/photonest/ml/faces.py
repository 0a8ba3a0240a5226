"""Faces in an image: where they are (detection) and who they look like (an identity embedding).

Two small Protocols keep the models replaceable: a :class:`FaceDetector` returns boxes and scores in pixels,
a :class:`FaceEmbedder` turns each box into a unit-length vector. :class:`FaceAnalyzer` runs one then the other
on a preview and returns boxes normalised to the image plus the image size (Immich's AssetFaceResponseDto needs
both). The offline default is dlib (it ships in PyPI wheels, see DESIGN.md):

* detection: dlib's HOG frontal face detector on the preview; a small preview (<= 0.2 MP) is also searched
  doubled for the faces under HOG's 80 px window (``faces_detection_upsample``, see HOG_WINDOW);
* identity: dlib's ResNet (``dlib_face_recognition_resnet_model_v1.dat``) on a 150 px chip aligned with the
  5-point landmark model, both from the ``face-recognition-models`` package, called directly (not through
  ``face_recognition``, which needs ``pkg_resources``). The same network runs in ONNX Runtime when it is
  installed (:mod:`photonest.ml.dlib_resnet` converts the .dat once; identical vectors, a quarter of the time);
  dlib's own ResNet is the fallback.

A stronger pair (SCRFD + ArcFace ONNX, run with ml.runtime) implements the same two methods; its embeddings are
also unit length, so clustering only needs the embedder's ``match_distance`` (cosine distance under which two
faces are likely the same person: dlib 0.06, ArcFace ~0.5 as Immich's maxDistance).

dlib's objects are not documented as thread-safe (the ResNet keeps per-call buffers), so each thread lazily
loads its own copy (about 30 MB) on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

Box = tuple[float, float, float, float]  # x1, y1, x2, y2
Vector = NDArray[np.float32]

DLIB_MODEL = "dlib-resnet-v1"
EMBEDDING_DIM = 128
CHIP_SIZE = 150  # the ResNet's input: a 150 px face chip
# dlib's documented "same person" threshold is Euclidean 0.6 on its raw vectors (norm ~1.25-1.6); on unit
# vectors that is a cosine distance of 0.07-0.09. Measured on shared/media/faces: the same person 0.01-0.045,
# different people 0.07 and up (two women in one photo: 0.071), so 0.06.
DLIB_MATCH_DISTANCE = 0.06


# A drawn face (cartoon, sketch, emoji) is found by HOG like a real one and gets an embedding that looks
# ordinary (18 drawn faces: 0.076-0.092 from the nearest real face, inside the suggestion zone), so the embedding
# cannot tell; the pixels can: measured on shared/media/faces (79 faces, JPEG previews), at most 12% of a real
# face's 64x64 crop is flat (no texture: |Laplacian| < 1), a drawn face 47-80%.
DRAWN_FLAT_FRACTION = 0.3

# dlib's frontal detector scans an 80x80 window over an image pyramid (each level 5/6 of the last), so it finds
# faces of ~75 px and up and costs ~70 ms of CPU per megapixel (a 1440x1120 preview: ~115 ms). Smaller faces
# need a larger image: AUTO_UPSAMPLE also searches a doubled copy of previews of at most 0.2 MP (a 500x400
# original; measured on shared/media: 24 more real faces, none lost). The bound keeps the 150 ms target: the
# doubled pass costs ~4x the plain one (detection ~80 ms at 0.2 MP, room for ~10 faces); at 0.27 MP a 6-face
# preview took 146-160 ms.
HOG_WINDOW = 80
AUTO_UPSAMPLE = -1
AUTO_UPSAMPLE_MAX_PIXELS = 200_000


@dataclass(frozen=True)
class DetectedFace:
    box: Box  # normalised to the image: 0..1
    score: float
    embedding: Vector | None  # unit length, float32; None: drawn, no usable identity (never clustered)

    @property
    def usable(self) -> bool:
        return self.embedding is not None


@dataclass(frozen=True)
class FaceResult:
    width: int  # of the image the boxes refer to (the preview)
    height: int
    faces: list[DetectedFace]


class FaceDetector(Protocol):
    def detect(self, image: NDArray[np.uint8]) -> list[tuple[Box, float]]:
        """Faces in an RGB image: (x1, y1, x2, y2) in pixels, and a confidence score."""
        ...


class FaceEmbedder(Protocol):
    model_name: str
    dim: int
    match_distance: float

    def embed(self, image: NDArray[np.uint8], boxes: list[Box]) -> NDArray[np.float32]:
        """One unit-length vector per box (shape (len(boxes), dim))."""
        ...


@dataclass(frozen=True)
class FaceOptions:
    # Times the preview is doubled before detection (dlib's own upsampling); -1: auto, a small preview (up to
    # AUTO_UPSAMPLE_MAX_PIXELS) is also searched doubled for the faces under HOG's window.
    upsample: int = AUTO_UPSAMPLE
    min_score: float = 0.2  # detector confidence below which a face is dropped
    min_size: int = 40  # smallest face kept, in pixels of the preview (shorter box side)
    max_resolution: int = 1440  # the preview's longer side is scaled down to this for detection

    @classmethod
    def from_settings(cls, settings: Any) -> FaceOptions:
        return cls(int(settings.faces_detection_upsample), float(settings.faces_min_score),
                   int(settings.faces_min_size), int(settings.faces_max_resolution))


def dlib_model_dir() -> Path:
    """Where face-recognition-models keeps its .dat files (found through importlib.resources)."""
    root = resources.files("face_recognition_models") / "models"
    return Path(str(root))


def _normalise(v: NDArray[Any]) -> NDArray[np.float32]:
    a: NDArray[np.float32] = np.asarray(v, dtype=np.float32)
    n = np.linalg.norm(a, axis=-1, keepdims=True)
    out: NDArray[np.float32] = (a / np.maximum(n, 1e-12)).astype(np.float32)
    return out


class _PerThread(threading.local):
    detector: Any = None
    predictor: Any = None
    resnet: Any = None


class DlibFaces:
    """dlib's HOG detector and ResNet embedder (a FaceDetector and a FaceEmbedder); models load lazily."""

    model_name = DLIB_MODEL
    dim = EMBEDDING_DIM
    match_distance = DLIB_MATCH_DISTANCE

    def __init__(self, upsample: int = 0, model_dir: Path | None = None) -> None:
        self.upsample = upsample
        self._dir = model_dir
        self._local = _PerThread()

    @property
    def resnet_path(self) -> Path:
        return (self._dir or dlib_model_dir()) / "dlib_face_recognition_resnet_model_v1.dat"

    def _models(self) -> _PerThread:
        """This thread's detector and landmark model (the ResNet loads separately: the ONNX embedder never
        needs it)."""
        loc = self._local
        if loc.predictor is None:
            import dlib

            d = self._dir or dlib_model_dir()
            loc.detector = dlib.get_frontal_face_detector()
            loc.predictor = dlib.shape_predictor(str(d / "shape_predictor_5_face_landmarks.dat"))
        return loc

    def resnet(self) -> Any:
        """This thread's dlib ResNet (dlib.face_recognition_model_v1)."""
        loc = self._local
        if loc.resnet is None:
            import dlib

            loc.resnet = dlib.face_recognition_model_v1(str(self.resnet_path))
        return loc.resnet

    def warm_up(self, resnet: bool = True) -> None:
        self._models()
        if resnet:
            self.resnet()

    def detect(self, image: NDArray[np.uint8]) -> list[tuple[Box, float]]:
        m = self._models()
        h, w = image.shape[:2]
        rects, scores, _ = m.detector.run(image, self.upsample, -0.5)
        out: list[tuple[Box, float]] = []
        for r, s in zip(rects, scores, strict=True):
            x1, y1 = max(0, r.left()), max(0, r.top())
            x2, y2 = min(w, r.right() + 1), min(h, r.bottom() + 1)
            if x2 > x1 and y2 > y1:
                out.append(((float(x1), float(y1), float(x2), float(y2)), float(s)))
        return out

    def chips(self, image: NDArray[np.uint8], boxes: list[Box]) -> NDArray[np.uint8]:
        """The ResNet's input per box: 150x150 RGB, aligned on the 5 landmarks (shape (len(boxes), 150, 150, 3))."""
        import dlib

        m = self._models()
        out = np.zeros((len(boxes), CHIP_SIZE, CHIP_SIZE, 3), dtype=np.uint8)
        for i, (x1, y1, x2, y2) in enumerate(boxes):
            rect = dlib.rectangle(round(x1), round(y1), round(x2) - 1, round(y2) - 1)
            out[i] = dlib.get_face_chip(image, m.predictor(image, rect), CHIP_SIZE, 0.25)
        return out

    def embed(self, image: NDArray[np.uint8], boxes: list[Box]) -> NDArray[np.float32]:
        if not boxes:
            return np.zeros((0, self.dim), dtype=np.float32)
        resnet = self.resnet()
        vecs = [np.asarray(resnet.compute_face_descriptor(chip), dtype=np.float32) for chip in self.chips(image, boxes)]
        return _normalise(np.stack(vecs))


def _iou(a: Box, b: Box) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return w * h / union if union > 0 else 0.0


def flat_fraction(image: Image.Image, box: Box) -> float:
    """The share of the face's 64x64 grey crop without texture (|4-neighbour Laplacian| < 1)."""
    crop = image.crop((int(box[0]), int(box[1]), int(box[2]), int(box[3]))).convert("L")
    crop = crop.resize((64, 64), Image.Resampling.BILINEAR)
    a = np.asarray(crop, dtype=np.float32)
    lap = np.abs(4 * a[1:-1, 1:-1] - a[:-2, 1:-1] - a[2:, 1:-1] - a[1:-1, :-2] - a[1:-1, 2:])
    return float((lap < 1.0).mean())


def is_drawn(image: Image.Image, box: Box) -> bool:
    return flat_fraction(image, box) > DRAWN_FLAT_FRACTION


def load_rgb(path: Path) -> Image.Image:
    with Image.open(path) as im:
        im.draft("RGB", (4096, 4096))
        out = ImageOps.exif_transpose(im).convert("RGB")
    return out


class FaceAnalyzer:
    """Detection then embedding on one image; thread-safe."""

    def __init__(self, detector: FaceDetector, embedder: FaceEmbedder, options: FaceOptions | None = None) -> None:
        self.detector = detector
        self.embedder = embedder
        self.options = options or FaceOptions()

    @property
    def model_name(self) -> str:
        return self.embedder.model_name

    def analyse_file(self, path: Path) -> FaceResult:
        return self.analyse(load_rgb(path))

    def _detect(self, image: Image.Image, factor: float,
                pixels: NDArray[np.uint8] | None = None) -> list[tuple[Box, float]]:
        """Faces kept by score and size, in preview pixels, detected on the image scaled by factor."""
        if pixels is None:
            size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
            pixels = np.asarray(image.resize(size, Image.Resampling.BILINEAR), dtype=np.uint8)
        out = []
        for (x1, y1, x2, y2), score in self.detector.detect(pixels):
            box = (x1 / factor, y1 / factor, x2 / factor, y2 / factor)
            if score >= self.options.min_score and min(box[2] - box[0], box[3] - box[1]) >= self.options.min_size:
                out.append((box, score))
        return out

    def analyse(self, image: Image.Image) -> FaceResult:
        if image.mode != "RGB":
            image = image.convert("RGB")
        w, h = image.size
        if w < 16 or h < 16:
            return FaceResult(w, h, [])
        full = np.asarray(image, dtype=np.uint8)
        o = self.options
        longest = max(w, h)
        if longest > o.max_resolution:
            found = self._detect(image, o.max_resolution / longest)
        else:
            found = self._detect(image, 1.0, full)
            if (o.upsample == AUTO_UPSAMPLE and o.min_size < HOG_WINDOW and w * h <= AUTO_UPSAMPLE_MAX_PIXELS
                    and 2 * longest <= o.max_resolution):
                # The doubled pass only adds the faces the plain one cannot see (under the window); larger ones
                # keep the plain pass's boxes and scores (doubled, a badge scored 0.21 where it scored 0.11).
                found += [(b, sc) for b, sc in self._detect(image, 2.0)
                          if min(b[2] - b[0], b[3] - b[1]) < HOG_WINDOW and not any(_iou(b, f) > 0.3 for f, _ in found)]
        if not found:
            return FaceResult(w, h, [])
        drawn = [is_drawn(image, b) for b, _ in found]
        vecs = self.embedder.embed(full, [b for (b, _), d in zip(found, drawn, strict=True) if not d])
        faces: list[DetectedFace] = []
        i = 0
        for (b, s), d in zip(found, drawn, strict=True):
            vec = None if d else vecs[i]
            i += 0 if d else 1
            faces.append(DetectedFace((b[0] / w, b[1] / h, b[2] / w, b[3] / h), s, vec))
        return FaceResult(w, h, faces)


_analyzers: dict[tuple[Any, ...], FaceAnalyzer] = {}
_analyzers_lock = threading.Lock()


def analyzer_for(settings: Any) -> FaceAnalyzer:
    """The process-wide face analyzer for these settings (models load on first use, per thread). The ResNet runs
    in ONNX Runtime when it is installed (same vectors, ~4x faster: ml.dlib_resnet), else in dlib."""
    options = FaceOptions.from_settings(settings)
    model = str(getattr(settings, "faces_model", DLIB_MODEL))
    runtime = None
    if _onnx_available():
        from photonest.ml.runtime import runtime_for

        runtime = runtime_for(settings)
    key = (options, model, id(runtime), str(getattr(settings, "models_dir", "")))
    with _analyzers_lock:
        a = _analyzers.get(key)
        if a is None:
            if model != DLIB_MODEL:
                raise ValueError(f"unknown face model {model!r} (known: {DLIB_MODEL})")
            dl = DlibFaces(upsample=max(0, options.upsample))
            embedder: FaceEmbedder = dl
            if runtime is not None:
                from photonest.ml.dlib_resnet import OnnxDlibEmbedder

                embedder = OnnxDlibEmbedder(dl, runtime, Path(settings.models_dir))
            a = _analyzers[key] = FaceAnalyzer(dl, embedder, options)
        return a


def _onnx_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx"))


def to_bytes(v: NDArray[np.float32]) -> bytes:
    return np.asarray(v, dtype="<f4").tobytes()


def from_bytes(b: bytes | None) -> NDArray[np.float32]:
    return np.frombuffer(b or b"", dtype="<f4").astype(np.float32)

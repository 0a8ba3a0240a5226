"""Faces fixtures: the real dlib models (from the installed wheels; the ResNet in ONNX Runtime) on previews of
the real photos in shared/media/faces. Each photo is analysed once per test session (previews made as the server
makes them: longest side 1440 px, JPEG); API tests reuse the results through a cache keyed by the preview's
bytes."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from photonest.library import people as people_lib
from photonest.ml.dlib_resnet import OnnxDlibEmbedder
from photonest.ml.faces import DlibFaces, FaceAnalyzer, FaceOptions, FaceResult
from photonest.ml.runtime import ModelRuntime
from tests.conftest import MEDIA
from tests.ml.conftest import make_preview

FACES_DIR = MEDIA / "faces"

# Identities of the single-person photos (MANIFEST.tsv); face_swapped.jpg shows 230501201_1's face.
IDENTITY = {
    "obama.jpg": "obama", "obama2.jpg": "obama", "obama3.jpg": "obama", "obama_partial_face.jpg": "obama",
    "obama_partial_face2.jpg": "obama", "biden.jpg": "biden", "227943776_1.jpg": "person-c",
    "230501201_1.jpg": "person-d", "face_swapped.jpg": "person-d", "Tom_Cruise_avp_2014_4.jpg": "cruise",
    "Tom_Hanks_54745.png": "hanks", "arnie_30_30_200_200.jpg": "arnie", "astronaut.png": "collins",
    "ab.jpg": "person-ab",
}
# Group photos whose every face the HOG detector finds (counts from MANIFEST.tsv).
GROUPS = {"2008_002506.jpg": 3, "2008_001322.jpg": 3, "2008_001009.jpg": 2, "2009_004587.jpg": 2,
          "sample5.jpg": 5, "sample6.jpg": 4}
ANIMALS = ("dogs.jpg", "group3.jpg")

# The server's default: dlib's detector and chips, the ResNet in ONNX Runtime (converted once into a model folder
# shared by test runs; the file is named by the .dat's hash, so it is never stale).
MODELS_DIR = Path(tempfile.gettempdir()) / "photonest-test-models"
_dlib = DlibFaces()
_embedder = OnnxDlibEmbedder(_dlib, ModelRuntime(intra_op_threads=1, ttl_seconds=0), MODELS_DIR)
_analyzer = FaceAnalyzer(_dlib, _embedder, FaceOptions())
_by_bytes: dict[str, FaceResult] = {}


def analyse(path: Path) -> FaceResult:
    """Analyse a file, once per distinct content in the whole session."""
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    hit = _by_bytes.get(digest)
    if hit is None:
        hit = _by_bytes[digest] = _analyzer.analyse_file(path)
    return hit


@pytest.fixture(scope="session")
def analysed() -> dict[str, FaceResult]:
    """name -> faces found on the 1440 px preview, for the labelled photos, groups and animals."""
    out: dict[str, FaceResult] = {}
    for name in (*IDENTITY, *GROUPS, *ANIMALS):
        out[name] = _analyzer.analyse(make_preview(FACES_DIR / name))
    return out


@pytest.fixture
def cached_detection(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The faces stage with a per-preview cache (the SQLite and PostgreSQL runs share the results)."""
    monkeypatch.setattr(people_lib, "detect", lambda settings, path: analyse(path))
    yield


@pytest.fixture
def faces_stage(cached_detection: None) -> Iterator[None]:
    """The stage registered for this test only (other pipeline tests expect exactly their own stages)."""
    from photonest.jobs import stages
    from photonest.jobs.registry import STAGES

    stages.register_builtin()
    added = people_lib.STAGE not in STAGES
    people_lib.register_stage()
    yield
    if added:
        STAGES.pop(people_lib.STAGE, None)

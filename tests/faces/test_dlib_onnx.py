"""dlib's face ResNet read from its .dat and run in ONNX Runtime: the same vectors as dlib on every real face,
a clear error for any other file, dlib as the fallback, the converted model reused."""

from __future__ import annotations

import hashlib
import logging
import time
import unittest.mock
from pathlib import Path

import httpx
import numpy as np
import pytest

from photonest.config import Settings
from photonest.library import people as people_lib
from photonest.ml import dlib_resnet, faces
from photonest.ml.dlib_resnet import DlibFormatError, OnnxDlibEmbedder, read_dlib_resnet
from photonest.ml.faces import DlibFaces, FaceAnalyzer, FaceOptions
from photonest.ml.runtime import ModelRuntime
from tests.conftest import PASSWORD
from tests.faces.conftest import FACES_DIR, MODELS_DIR
from tests.helpers import running_server
from tests.ml.conftest import make_preview
from tests.uploading import DATES, multipart

_dlib = DlibFaces()


def _embedder(models_dir: Path = MODELS_DIR, faces_: DlibFaces = _dlib) -> OnnxDlibEmbedder:
    return OnnxDlibEmbedder(faces_, ModelRuntime(intra_op_threads=1, ttl_seconds=0), models_dir)


@pytest.fixture(scope="module")
def chips() -> np.ndarray:
    """The 150 px chip of every face dlib finds on the 1440 px previews of shared/media/faces."""
    out = []
    for p in sorted(FACES_DIR.iterdir()):
        if p.suffix.lower() == ".tsv":
            continue
        img = np.asarray(make_preview(p).convert("RGB"))
        boxes = [b for b, _ in _dlib.detect(img)]
        if boxes:
            out.append(_dlib.chips(img, boxes))
    return np.concatenate(out)


def test_same_vectors_as_dlib_on_every_face(chips: np.ndarray) -> None:
    assert len(chips) >= 70  # the whole folder: portraits, groups, drawn faces, partial faces
    resnet = _dlib.resnet()
    want = np.stack([np.asarray(resnet.compute_face_descriptor(c), np.float32) for c in chips])
    got = _embedder().run(chips)  # 16 at a time: also crosses a batch boundary
    assert got.shape == want.shape == (len(chips), 128)
    cos = (got * want).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(want, axis=1)
    assert cos.min() >= 0.9999
    assert np.abs(got - want).max() < 1e-4  # dlib's raw vectors (norm ~1.3), not just their direction


def test_embed_matches_the_dlib_embedder_on_a_group_photo() -> None:
    img = np.asarray(make_preview(FACES_DIR / "sample5.jpg").convert("RGB"))
    boxes = [b for b, _ in _dlib.detect(img)]
    assert len(boxes) == 5
    got, want = _embedder().embed(img, boxes), _dlib.embed(img, boxes)
    assert got.dtype == np.float32 and np.allclose(np.linalg.norm(got, axis=1), 1, atol=1e-5)
    assert (got * want).sum(1).min() >= 0.9999
    assert _embedder().embed(img, []).shape == (0, 128)


def test_the_network_as_read(tmp_path: Path) -> None:
    net = read_dlib_resnet(_dlib.resnet_path)
    assert net.means == pytest.approx((122.782, 117.001, 104.298), abs=1e-3)  # input_rgb_image_sized's means
    convs = [p["w"].shape for layer, p in zip(net.layers, net.params, strict=True) if layer[0] == "con"]
    assert len(convs) == 29 and convs[0] == (32, 3, 7, 7) and convs[-1] == (256, 256, 3, 3)
    assert net.params[-1]["w"].shape == (256, 128)


def _copy(tmp_path: Path, data: bytes) -> Path:
    p = tmp_path / "model.dat"
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("damage", ["truncated", "trailing", "garbage", "other-dlib-model", "empty"])
def test_other_files_are_refused(tmp_path: Path, damage: str) -> None:
    data = _dlib.resnet_path.read_bytes()
    bad = {
        "truncated": data[: len(data) // 2],
        "trailing": data + b"\x00",
        "garbage": bytes(range(256)) * 64,
        "other-dlib-model": (_dlib.resnet_path.parent / "shape_predictor_5_face_landmarks.dat").read_bytes(),
        "empty": b"",
    }[damage]
    with pytest.raises(DlibFormatError):
        read_dlib_resnet(_copy(tmp_path, bad))


def test_falls_back_to_dlib_when_the_model_cannot_be_written(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "models"
    blocked.write_text("a file where the model folder should be")
    emb = _embedder(blocked)
    img = np.asarray(make_preview(FACES_DIR / "obama.jpg").convert("RGB"))
    boxes = [b for b, _ in _dlib.detect(img)]
    with caplog.at_level(logging.WARNING, logger="photonest.ml.dlib_resnet"):
        got = emb.embed(img, boxes)
    assert "using dlib's own" in caplog.text
    assert np.allclose(got, _dlib.embed(img, boxes), atol=1e-6)
    assert emb.runtime.loaded() == []  # nothing half-made
    assert list(tmp_path.iterdir()) == [blocked]


def test_converted_once_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _embedder(tmp_path)
    path = first.model_path()
    # Named by the .dat's content: another .dat (a newer face-recognition-models) never meets a stale file.
    digest = hashlib.sha256(_dlib.resnet_path.read_bytes()).hexdigest()[:16]
    assert path == tmp_path / faces.DLIB_MODEL / f"resnet-{digest}.onnx"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left

    def refuse(*_: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(dlib_resnet, "convert", refuse)
    assert _embedder(tmp_path).model_path() == path


def test_the_server_uses_onnx_runtime(tmp_path: Path) -> None:
    s = Settings(data=tmp_path / "data", workers=False, _env_file=None)  # type: ignore[call-arg]
    a = faces.analyzer_for(s)
    assert isinstance(a.embedder, OnnxDlibEmbedder) and a.model_name == faces.DLIB_MODEL
    assert a.embedder.models_dir == s.models_dir
    assert faces.analyzer_for(s) is a
    # The faces stage's call on a preview file: the model is converted into the server's model folder.
    preview = tmp_path / "preview.jpg"
    make_preview(FACES_DIR / "sample6.jpg").save(preview)
    got = people_lib.detect(s, preview)
    assert [p.name[:7] for p in (s.models_dir / faces.DLIB_MODEL).iterdir()] == ["resnet-"]
    want = FaceAnalyzer(_dlib, _dlib, FaceOptions.from_settings(s)).analyse_file(preview)
    assert len(got.faces) == len(want.faces) == 4
    for a, b in zip(got.faces, want.faces, strict=True):
        assert a.box == b.box and a.embedding is not None and b.embedding is not None
        assert float(a.embedding @ b.embedding) >= 0.9999
    # Without onnxruntime, dlib's own ResNet.
    faces._analyzers.clear()
    try:
        with unittest.mock.patch.object(faces, "_onnx_available", return_value=False):
            b = faces.analyzer_for(s)
        assert isinstance(b.embedder, DlibFaces)
    finally:
        faces._analyzers.clear()


def test_analyzer_with_onnx_finds_and_embeds_like_dlib() -> None:
    im = make_preview(FACES_DIR / "2008_002506.jpg")
    onnx = FaceAnalyzer(_dlib, _embedder(), FaceOptions()).analyse(im)
    ref = FaceAnalyzer(_dlib, _dlib, FaceOptions()).analyse(im)
    assert [f.box for f in onnx.faces] == [f.box for f in ref.faces] and len(onnx.faces) == 3
    for a, b in zip(onnx.faces, ref.faces, strict=True):
        assert a.embedding is not None and b.embedding is not None
        assert float(a.embedding @ b.embedding) >= 0.9999


@pytest.mark.timeout(300)
def test_a_real_server_embeds_faces_in_onnx_runtime(tmp_path: Path) -> None:
    """Upload a group photo to a real server with the faces stage on: its faces appear, embedded by the ONNX
    model the server converted into its own model folder."""
    data = tmp_path / "data"
    with running_server(data, {"PHOTONEST_FACES_ENABLED": "true"}) as (url, proc):
        httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD,
                                                          "name": "A"}).raise_for_status()
        token = httpx.post(f"{url}/api/auth/login", json={"email": "a@example.com", "password": PASSWORD}
                           ).json()["accessToken"]
        h = {"Authorization": f"Bearer {token}"}
        ctype, body = multipart({**DATES}, {"assetData": ("sample5.jpg", (FACES_DIR / "sample5.jpg").read_bytes())})
        r = httpx.post(f"{url}/api/assets", headers={**h, "content-type": ctype}, content=body, timeout=60)
        assert r.status_code == 201, r.text
        asset = r.json()["id"]
        deadline = time.monotonic() + 240
        got: list[dict[str, object]] = []
        while len(got) < 5:
            assert time.monotonic() < deadline, "faces not found in time"
            time.sleep(0.5)
            got = httpx.get(f"{url}/api/faces", headers=h, params={"id": asset}).json()
        assert len(got) == 5
    onnx_files = list((data / "models" / faces.DLIB_MODEL).glob("resnet-*.onnx"))
    assert len(onnx_files) == 1 and onnx_files[0].stat().st_size > 20_000_000
    log = proc.stdout.read().decode() if proc.stdout else ""
    assert "using dlib's own" not in log  # no fallback

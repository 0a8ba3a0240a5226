"""The model store (package, cache, download, the offline message) and the ONNX Runtime session cache."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from photonest.cli import main
from photonest.ml import store as store_mod
from photonest.ml.runtime import ModelRuntime, choose_providers
from photonest.ml.store import ModelError, ModelStore, ModelUnavailable, UnknownModel, ocr_rec_model_for

KOREAN = "ocr-rec-korean-PP-OCRv5-mobile"


def test_default_ocr_models_come_from_the_installed_wheel(tmp_path: Path) -> None:
    store = ModelStore(tmp_path, allow_download=False)
    for name in ("ocr-det-PP-OCRv6-small", "ocr-rec-PP-OCRv6-small", "ocr-cls-mobile-v2"):
        found = store.resolve(name)
        assert found.source == "package"
        assert found.path().is_file() and found.path().stat().st_size > 100_000
        assert "site-packages" in str(found.dir)
    assert not any(tmp_path.iterdir())  # nothing copied, nothing downloaded


def test_offline_machine_gets_a_message_naming_model_files_and_folder(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models", allow_download=False)
    with pytest.raises(ModelUnavailable) as e:
        store.resolve(KOREAN)
    msg = str(e.value)
    assert KOREAN in msg
    assert "korean_PP-OCRv5_rec_mobile.onnx" in msg  # which file
    assert str(tmp_path / "models" / KOREAN) in msg  # where to put it
    assert "photonest models download" in msg  # how to get it elsewhere
    assert "modelscope" in msg  # and where it comes from


def test_failed_download_says_what_failed_and_leaves_nothing(tmp_path: Path) -> None:
    def offline(url: str, dest: Path) -> None:
        dest.write_bytes(b"partial")
        raise OSError("Name or service not known")

    store = ModelStore(tmp_path, fetch=offline)
    with pytest.raises(ModelUnavailable, match="Name or service not known"):
        store.resolve(KOREAN)
    assert list(tmp_path.iterdir()) == []


def test_download_checks_the_hash_then_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = b"not really a model"
    urls: list[str] = []

    def fetch(url: str, dest: Path) -> None:
        urls.append(url)
        dest.write_bytes(payload)

    store = ModelStore(tmp_path, fetch=fetch)
    with pytest.raises(ModelUnavailable, match="wrong SHA-256"):
        store.resolve(KOREAN)
    assert not (tmp_path / KOREAN).exists()

    # A Hugging Face model (as Immich's immich-app/* repositories), with its hash: downloaded once, then cached.
    spec = store_mod.ModelSpec("test-clip", "clip", "a test model",
                               (store_mod.ModelFile("model.onnx", sha256=hashlib.sha256(payload).hexdigest()),),
                               hf_repo="immich-app/ViT-B-32__openai")
    monkeypatch.setattr(store_mod, "_BUILTIN", (*store_mod._BUILTIN, spec))
    urls.clear()
    got = store.resolve("test-clip")
    assert got.source == "download" and got.path().read_bytes() == payload
    assert urls == ["https://huggingface.co/immich-app/ViT-B-32__openai/resolve/main/model.onnx"]
    again = ModelStore(tmp_path, allow_download=False).resolve("test-clip")
    assert again.source == "cache" and len(urls) == 1
    assert store.remove("test-clip") and not store.remove("test-clip")
    assert not (tmp_path / "test-clip").exists()


def test_unknown_names(tmp_path: Path) -> None:
    with pytest.raises(UnknownModel):
        ModelStore(tmp_path).resolve("no-such-model")
    assert ocr_rec_model_for("default") == "ocr-rec-PP-OCRv6-small"
    assert ocr_rec_model_for("korean") == KOREAN
    with pytest.raises(ModelError, match="klingon"):
        ocr_rec_model_for("klingon")


def test_models_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["models", "list", "--data", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "ocr-det-PP-OCRv6-small" in r.output and "package" in r.output
    assert KOREAN in r.output and "missing" in r.output
    r = runner.invoke(main, ["models", "remove", KOREAN, "--data", str(tmp_path)])
    assert r.exit_code == 0 and "not in the cache" in r.output
    # Already installed: download has nothing to fetch (no network touched).
    r = runner.invoke(main, ["models", "download", "ocr-det-PP-OCRv6-small", "--data", str(tmp_path)])
    assert r.exit_code == 0 and "package" in r.output, r.output
    r = runner.invoke(main, ["models", "download", "nope", "--data", str(tmp_path)])
    assert r.exit_code != 0 and "unknown model" in r.output


def test_providers() -> None:
    cpu_only = ["AzureExecutionProvider", "CPUExecutionProvider"]
    assert choose_providers("auto", cpu_only) == ["CPUExecutionProvider"]
    gpu = ["CUDAExecutionProvider", "OpenVINOExecutionProvider", "CPUExecutionProvider"]
    assert choose_providers("auto", gpu) == gpu
    assert choose_providers("openvino", gpu) == ["OpenVINOExecutionProvider", "CPUExecutionProvider"]
    assert choose_providers("cuda,cpu", cpu_only) == ["CPUExecutionProvider"]  # absent ones are skipped


def test_sessions_load_lazily_once_and_unload_when_idle(tmp_path: Path) -> None:
    path = ModelStore(tmp_path).resolve("ocr-cls-mobile-v2").path()
    rt = ModelRuntime(intra_op_threads=1, ttl_seconds=0.3)
    assert rt.loaded() == []
    sessions: list[object] = []
    threads = [threading.Thread(target=lambda: sessions.append(rt.session("cls", path))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in sessions}) == 1  # concurrent first calls load it once
    assert rt.loaded() == ["cls"]
    assert rt.unload_idle(now=time.monotonic()) == []  # just used
    deadline = time.monotonic() + 5
    while rt.loaded() and time.monotonic() < deadline:  # the reaper thread drops it after the TTL
        time.sleep(0.05)
    assert rt.loaded() == []
    assert rt.session("cls", path) is not sessions[0]  # and it comes back on the next use
    rt.close()


def test_server_start_loads_no_model() -> None:
    # Importing the app (and the OCR library) must not import onnxruntime or load a model.
    import subprocess
    import sys

    code = ("import sys, photonest.app, photonest.library.ocr, photonest.ml.ocr; "
            "print('onnxruntime' in sys.modules, 'rapidocr' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_another_ocr_language_is_resolved_through_the_store(tmp_path: Path) -> None:
    from PIL import Image

    from photonest.ml.ocr import OcrEngine, OcrOptions
    from tests.ml.conftest import OCR_DIR

    engine = OcrEngine(ModelStore(tmp_path, allow_download=False), ModelRuntime(ttl_seconds=0),
                       OcrOptions(language="korean"))
    assert engine.rec_model == KOREAN
    with Image.open(OCR_DIR / "crom.png") as im, pytest.raises(ModelUnavailable, match=KOREAN):
        engine.read(im.convert("RGB"))

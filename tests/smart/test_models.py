"""The models without torch: the checkpoint reader, MiniLM in ONNX Runtime and numpy, and the whole CLIP path
(store -> loader -> tokenizer -> ONNX sessions -> stored vectors -> ranking) with a tiny CLIP-shaped model
built here with the `onnx` package, in Immich's repository layout."""

from __future__ import annotations

import io
import json
import pickle
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from photonest.app import create_app
from photonest.jobs.registry import STAGES
from photonest.ml import vectors
from photonest.ml.clip import ClipModel, model_from_store
from photonest.ml.labels import imagenet_classes, read_torch_checkpoint
from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelStore
from photonest.ml.text_embed import embedder_from_store
from tests.conftest import make_user
from tests.smart.conftest import MEDIA, make_settings, put_all, share_models, sign_up


def test_checkpoint_is_read_without_torch() -> None:
    store = ModelStore(Path("/nonexistent"), allow_download=False)
    state = read_torch_checkpoint(store.resolve("efficientnet-lite0").path())
    assert state["_fc.weight"].shape == (1000, 1280) and state["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert all(np.isfinite(v).all() for v in state.values())
    assert len(imagenet_classes()) == 1000 and imagenet_classes()[281].name == "tabby cat"


def test_hostile_checkpoint_is_refused(tmp_path: Path) -> None:
    class Evil:
        def __reduce__(self) -> Any:
            return (print, ("pwned",))

    buf = io.BytesIO()
    for header in (0x1950A86A20F9469CFC6C, 1001, {}):
        pickle.dump(header, buf)
    pickle.dump({"w": Evil()}, buf)
    bad = tmp_path / "evil.pth"
    bad.write_bytes(buf.getvalue() + struct.pack("<q", 0))
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        read_torch_checkpoint(bad)


def test_text_embeddings_onnx_and_numpy_agree(model_cache: Path) -> None:
    store = ModelStore(model_cache, allow_download=False)
    ort = embedder_from_store(store, ModelRuntime(intra_op_threads=1, ttl_seconds=0))
    ref = embedder_from_store(store, None)
    texts = ["tabby cat, tiger cat", "seashore, coast, sandy beach", "kitty", "beach holiday", ""]
    a, b = ort.embed_many(texts), ref.embed_many(texts)
    assert a.shape == (5, 384) and np.abs(a - b).max() < 1e-3
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert a[2] @ a[0] > a[2] @ a[1] and a[3] @ a[1] > a[3] @ a[0]


# --- a tiny CLIP in Immich's layout --------------------------------------------------------------------------
WORDS = ["<|endoftext|>", "red", "green", "blue", "photo", "a", "of", "[UNK]"]
SIZE = 32


def build_tiny_clip(root: Path) -> Path:
    """visual: mean of each normalised colour channel -> 3-d embedding; textual: mean of word vectors where
    red/green/blue point along the colour axes. So "green" ranks the greenest photo first."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from tokenizers import Tokenizer, models, pre_tokenizers

    (root / "visual").mkdir(parents=True)
    (root / "textual").mkdir()
    vis = helper.make_graph(
        [helper.make_node("ReduceMean", ["image"], ["embedding"], axes=[2, 3], keepdims=0)], "visual",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3])])
    table = np.zeros((len(WORDS), 3), np.float32)
    table[1, 0] = table[2, 1] = table[3, 2] = 1.0
    table[4:7] = 0.01
    txt = helper.make_graph(
        [helper.make_node("Cast", ["text"], ["ids"], to=TensorProto.INT64),
         helper.make_node("Gather", ["table", "ids"], ["vecs"]),
         helper.make_node("ReduceMean", ["vecs"], ["embedding"], axes=[1], keepdims=0)], "textual",
        [helper.make_tensor_value_info("text", TensorProto.INT32, ["n", 77])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3])],
        [numpy_helper.from_array(table, "table")])
    for graph, part in ((vis, "visual"), (txt, "textual")):
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 8
        onnx.checker.check_model(m)
        onnx.save(m, str(root / part / "model.onnx"))
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(root / "textual" / "tokenizer.json"))
    (root / "textual" / "tokenizer_config.json").write_text(json.dumps({"pad_token": "<|endoftext|>"}))
    (root / "config.json").write_text(json.dumps({"embed_dim": 3, "text_cfg": {"context_length": 77}}))
    (root / "visual" / "preprocess_cfg.json").write_text(json.dumps({
        "size": [SIZE, SIZE], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "interpolation": "bicubic",
        "resize_mode": "shortest"}))
    return root


def test_clip_loader_and_encoders(tmp_path: Path) -> None:
    build_tiny_clip(tmp_path / "ViT-B-32__openai")
    runtime = ModelRuntime(intra_op_threads=1, ttl_seconds=0)
    model = model_from_store(ModelStore(tmp_path, allow_download=False), runtime, "ViT-B-32__openai")
    assert isinstance(model, ClipModel) and model.dim == 3
    ids = model.tokenize("A  photo of GREEN &amp; red")
    assert ids.shape == (1, 77) and ids.dtype == np.int32 and ids[0, 0] == WORDS.index("a")
    assert int((ids[0] == 0).sum()) == 77 - 6  # padded with <|endoftext|>
    g = model.encode_text("green")
    assert np.allclose(g, [0, 1, 0], atol=1e-6)
    green = model.encode_image(Image.new("RGB", (64, 40), (10, 200, 10)))
    red = model.encode_image(Image.new("RGB", (64, 40), (220, 10, 10)))
    assert green @ g > red @ g and abs(np.linalg.norm(green) - 1) < 1e-5


def test_clip_in_the_pipeline_and_search(tmp_path: Path, model_cache: Path, smart_stages: None) -> None:
    """CLIP on: the clip stage embeds the previews, POST /search/smart ranks by it (and similar photos use it)."""
    from photonest.library import smart_search

    settings = make_settings(tmp_path / "data", clip_enabled=True, ml_download=False)
    share_models(model_cache, settings)
    build_tiny_clip(settings.models_dir / "ViT-B-32__openai")
    added = smart_search.CLIP not in STAGES
    smart_search.register_stages(settings)
    files = {"fir": MEDIA / "immich-test-assets" / "albums" / "nature" / "silver_fir.jpg",
             "denali": MEDIA / "immich-test-assets" / "formats" / "webp" / "denali.webp",
             "cat": MEDIA / "png" / "chelsea.png"}
    try:
        with TestClient(create_app(settings)) as c:
            alice = make_user(c, sign_up(c), "alice@example.com", "Alice")
            ids = put_all(c, alice, files)
            c.app.state.jobs.drain()  # type: ignore[attr-defined]
            model = model_from_store(ModelStore(settings.models_dir, False), ModelRuntime(ttl_seconds=0),
                                     "ViT-B-32__openai")
            with c.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
                idx = vectors.index_for(s, "clip:ViT-B-32__openai")
                assert idx.size() == 3
                stored = {n: idx.vector_of([alice.id], i) for n, i in ids.items()}
            for word in ("red", "green", "blue"):
                q = model.encode_text(word)
                expected = max(stored, key=lambda n: float(stored[n] @ q))  # type: ignore[operator]
                r = c.post("/api/search/smart?debug=true", headers=alice.headers, json={"query": word})
                assert r.status_code == 200, r.text
                body = r.json()
                assert body["debug"]["signals"]["clip"] == 3
                first = body["debug"]["hits"][0]
                assert first["id"] == ids[expected] and first["signals"]["clip"]["rank"] == 1, (word, body["debug"])
            r = c.post("/api/search/smart", headers=alice.headers, json={"queryAssetId": ids["fir"]})
            assert r.status_code == 200 and ids["fir"] not in {a["id"] for a in r.json()["assets"]["items"]}
    finally:
        if added:
            STAGES.pop(smart_search.CLIP, None)

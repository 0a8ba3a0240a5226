"""CLIP: image and text embeddings in one space, from the ONNX exports Immich publishes.

A model is a folder laid out as Immich's Hugging Face repositories (``immich-app/ViT-B-32__openai`` and the
others in ml/store.py)::

    config.json                   {"embed_dim": 512, "text_cfg": {"context_length": 77, ...}, ...}
    visual/model.onnx             input "image" float [n, 3, size, size] -> embedding [n, embed_dim]
    visual/preprocess_cfg.json    {"size": [224, 224], "mean": [...], "std": [...], "interpolation": "bicubic",
                                   "resize_mode": "shortest"}
    textual/model.onnx            input "text" int32 [n, context_length] -> embedding [n, embed_dim]
    textual/tokenizer.json        a `tokenizers` tokenizer;  textual/tokenizer_config.json: {"pad_token": ...}

The files come through the model store (package, ``<data>/models/<name>/`` or a Hugging Face download) and the
sessions through the shared runtime. Embeddings are L2-normalised, so a dot product is a cosine similarity.
CLIP is off unless ``clip_enabled`` is set and the model is on this machine (or may be downloaded).
"""

from __future__ import annotations

import html
import json
import re
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelError, ModelStore

_RESAMPLING = {"bicubic": Image.Resampling.BICUBIC, "bilinear": Image.Resampling.BILINEAR,
               "nearest": Image.Resampling.NEAREST, "lanczos": Image.Resampling.LANCZOS}


def _unit(x: NDArray[np.float32]) -> NDArray[np.float32]:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    out: NDArray[np.float32] = (x / np.maximum(norm, 1e-12)).astype(np.float32)
    return out


def clean_text(text: str) -> str:
    """open_clip's basic cleaning: unescape HTML, collapse whitespace, lower case."""
    return re.sub(r"\s+", " ", html.unescape(html.unescape(text))).strip().lower()


class ClipModel:
    """One CLIP model's two encoders; thread-safe (sessions shared, per-call state local)."""

    def __init__(self, name: str, model_dir: Path, runtime: ModelRuntime) -> None:
        self.name = name
        self.dir = model_dir
        self.runtime = runtime
        self._lock = threading.Lock()

    @cached_property
    def config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = json.loads((self.dir / "config.json").read_text(encoding="utf-8"))
        return cfg

    @cached_property
    def preprocess_cfg(self) -> dict[str, Any]:
        cfg: dict[str, Any] = json.loads((self.dir / "visual" / "preprocess_cfg.json").read_text(encoding="utf-8"))
        return cfg

    @cached_property
    def tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        context = int(self.config.get("text_cfg", {}).get("context_length", 77))
        tok_cfg = json.loads((self.dir / "textual" / "tokenizer_config.json").read_text(encoding="utf-8"))
        pad = tok_cfg.get("pad_token", "<|endoftext|>")
        pad = str(pad.get("content", "<|endoftext|>") if isinstance(pad, dict) else pad)
        tokenizer = Tokenizer.from_file(str(self.dir / "textual" / "tokenizer.json"))
        pad_id = tokenizer.token_to_id(pad)
        tokenizer.enable_padding(length=context, pad_token=pad, pad_id=pad_id if pad_id is not None else 0)
        tokenizer.enable_truncation(max_length=context)
        return tokenizer

    @property
    def dim(self) -> int:
        return int(self.config.get("embed_dim", 512))

    def _session(self, part: str) -> Any:
        return self.runtime.session(f"clip:{self.name}:{part}", self.dir / part / "model.onnx")

    # --- text ----------------------------------------------------------------------------------------------

    def tokenize(self, text: str) -> NDArray[np.int32]:
        return np.array([self.tokenizer.encode(clean_text(text)).ids], dtype=np.int32)

    def encode_text(self, text: str) -> NDArray[np.float32]:
        session = self._session("textual")
        name = session.get_inputs()[0].name
        out: NDArray[np.float32] = session.run(None, {name: self.tokenize(text)})[0][0]
        return _unit(out.astype(np.float32))

    # --- images --------------------------------------------------------------------------------------------

    def preprocess(self, image: Image.Image) -> NDArray[np.float32]:
        cfg = self.preprocess_cfg
        size_cfg = cfg.get("size", 224)
        size = int(size_cfg[0] if isinstance(size_cfg, list) else size_cfg)
        resample = _RESAMPLING.get(str(cfg.get("interpolation", "bicubic")), Image.Resampling.BICUBIC)
        img = image.convert("RGB")
        mode = cfg.get("resize_mode", "shortest")
        if mode == "squash":
            img = img.resize((size, size), resample)
        elif mode == "shortest":
            w, h = img.size
            r = size / min(w, h)
            nw, nh = max(size, round(w * r)), max(size, round(h * r))
            img = img.resize((nw, nh), resample)
            left, top = (nw - size) // 2, (nh - size) // 2
            img = img.crop((left, top, left + size, top + size))
        else:
            raise ModelError(f"CLIP model {self.name}: unsupported resize_mode {mode!r}")
        mean = np.array(cfg.get("mean", [0.48145466, 0.4578275, 0.40821073]), dtype=np.float32)
        std = np.array(cfg.get("std", [0.26862954, 0.2613026, 0.2757771]), dtype=np.float32)
        arr = (np.asarray(img, dtype=np.float32) / 255.0 - mean) / std
        return np.ascontiguousarray(arr.transpose(2, 0, 1)[None])

    def encode_image(self, image: Image.Image) -> NDArray[np.float32]:
        session = self._session("visual")
        name = session.get_inputs()[0].name
        out: NDArray[np.float32] = session.run(None, {name: self.preprocess(image)})[0][0]
        return _unit(out.astype(np.float32))

    def encode_file(self, path: Path) -> NDArray[np.float32]:
        with Image.open(path) as im:
            return self.encode_image(im)


_models: dict[tuple[Any, ...], ClipModel] = {}
_models_lock = threading.Lock()


def model_from_store(store: ModelStore, runtime: ModelRuntime, name: str) -> ClipModel:
    """The model's files through the store (downloaded when allowed); raises ModelError when unavailable."""
    resolved = store.resolve(name)
    key = (name, str(resolved.dir), id(runtime))
    with _models_lock:
        m = _models.get(key)
        if m is None:
            m = _models[key] = ClipModel(name, resolved.dir, runtime)
        return m


def available(settings: Any) -> bool:
    """CLIP is switched on and its model is here (or may be fetched)."""
    if not settings.clip_enabled:
        return False
    from photonest.ml.store import store_for

    store = store_for(settings)
    try:
        return store.find(settings.clip_model) is not None or store.allow_download
    except ModelError:
        return False


def model_for(settings: Any) -> ClipModel:
    from photonest.ml.runtime import runtime_for
    from photonest.ml.store import store_for

    return model_from_store(store_for(settings), runtime_for(settings), settings.clip_model)

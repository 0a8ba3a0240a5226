"""int8 copies of ONNX models, made once in the model cache (``ml_quantized``, on by default).

Static quantization with ONNX Runtime's tools: QDQ format, int8 weights per output channel, uint8 activations
(the fast u8s8 path of its CPU kernels). Static quantization needs the range of every activation; they were
measured once on real photos (``bench/calibrate_ml.py`` over the shared test media) and ship as JSON files in
``ml/calibration/`` (ONNX Runtime's calibration-cache format), so the first use on a server needs no photos and
makes the same model everywhere. Measured (docs/PERFORMANCE.md): labels 9.8 -> 4.7 ms per image, OCR detection
1.25x faster, with the accuracy checked against the float models by tests.

A model that cannot be quantized (an onnxruntime without calibration caches, ranges that do not match the graph)
is logged and the float model is used instead: slower, never wrong.
"""

from __future__ import annotations

import inspect
import logging
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from numpy.typing import NDArray

log = logging.getLogger(__name__)

CALIBRATION_DIR = Path(__file__).with_name("calibration")
OPSET = 13  # per-channel QDQ needs DequantizeLinear's axis (opset 13)


def _prepared(src: Path) -> Any:
    """The model at opset >= 13 with every node named (nodes are excluded from quantization by name)."""
    import onnx
    from onnx import version_converter

    model = onnx.load(str(src))
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), OPSET)
    if opset < OPSET:
        model = version_converter.convert_version(model, OPSET)
    for i, node in enumerate(model.graph.node):
        if not node.name:
            node.name = f"{node.op_type}_{node.output[0] if node.output else i}"
    return model


def first_conv(src: Path) -> str:
    """The name of the first Conv node (as named by :func:`_prepared`): the stem, which sees the raw pixels."""
    return str(next(n.name for n in _prepared(src).graph.node if n.op_type == "Conv"))


class _Feeds:
    """onnxruntime's CalibrationDataReader protocol over a list of input dicts, read in ranges (strides)."""

    def __init__(self, feeds: Sequence[dict[str, NDArray[Any]]]) -> None:
        self._feeds = feeds
        self._it = iter(feeds)

    def __len__(self) -> int:
        return len(self._feeds)

    def set_range(self, start_index: int, end_index: int) -> None:
        self._it = iter(self._feeds[start_index:end_index])

    def get_next(self) -> dict[str, NDArray[Any]] | None:
        return next(self._it, None)


def _quantize(src: Path, dst: Path, ranges: Path, feeds: Sequence[dict[str, NDArray[Any]]] | None,
              exclude: Sequence[str]) -> None:
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

    if "calibration_cache_path" not in inspect.signature(quantize_static).parameters:
        raise RuntimeError("this onnxruntime cannot read calibration caches (needs a newer onnxruntime)")
    model = _prepared(src)
    quiet = _QuietQuantizer()
    root = logging.getLogger()  # onnxruntime.quantization advises "pre-processing" on the root logger
    root.addFilter(quiet)
    try:
        with tempfile.TemporaryDirectory(prefix="photonest-quant-") as tmp:
            out = Path(tmp) / "model.onnx"
            quantize_static(
                model, out, _Feeds(feeds) if feeds is not None else None,
                quant_format=QuantFormat.QDQ, per_channel=True, activation_type=QuantType.QUInt8,
                weight_type=QuantType.QInt8, nodes_to_exclude=list(exclude), calibration_cache_path=ranges,
                # calibration folds each input's activations into the ranges at once: the memory of one input
                # (CalibMaxIntermediateOutputs would drop all but the last chunk's: onnxruntime 1.32)
                extra_options={"CalibStridedMinMax": 1},
            )
            dst.parent.mkdir(parents=True, exist_ok=True)
            part = dst.with_name(f".{dst.name}.{uuid.uuid4().hex}.part")  # two processes may make it at once
            try:
                shutil.move(out, part)
                part.replace(dst)
            finally:
                part.unlink(missing_ok=True)
    finally:
        root.removeFilter(quiet)


class _QuietQuantizer(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname or record.levelno >= logging.ERROR


def quantize(src: Path, dst: Path, ranges: Path, float_stem: bool = True) -> None:
    """Write the int8 copy of `src` to `dst` (atomically), with the activation ranges in `ranges`.

    float_stem: the first convolution, which sees the raw pixels, stays float. Measured: quantizing it cost the
    labels 11 points of top-1 agreement with the float model and OCR detection 0.8 % of the words (a whole line
    of a page lost); keeping it float costs ~10 % of the int8 speed-up."""
    if not ranges.is_file():
        raise FileNotFoundError(f"no calibration ranges at {ranges}")
    _quantize(src, dst, ranges, None, [first_conv(src)] if float_stem else [])


def calibrate(src: Path, feeds: Sequence[dict[str, NDArray[Any]]], ranges: Path) -> None:
    """Measure the activation ranges (min and max) of `src` over `feeds` (model inputs) into `ranges`."""
    if not feeds:
        raise ValueError("no calibration inputs")
    ranges.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="photonest-calib-") as tmp:
        _quantize(src, Path(tmp) / "check.onnx", ranges, feeds, ())
    ranges.chmod(0o644)  # written by onnxruntime through mkstemp (0600); it ships with the package


def int8_model(src: Path, dst: Path, ranges: Path, float_stem: bool = True) -> Path:
    """`dst` (made from `src` when missing), or `src` itself when it cannot be quantized here."""
    if dst.is_file():
        return dst
    try:
        quantize(src, dst, ranges, float_stem)
    except Exception as e:  # an old onnxruntime, ranges for another graph: the float model still works
        log.warning("cannot make the int8 model %s (%s); using the float model %s", dst, e, src.name)
        return src
    return dst

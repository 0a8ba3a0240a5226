"""The streaming multipart splitter used by POST /api/assets, against python-multipart on random bodies cut at
random places (delimiters split across chunks, CR/LF and '--' inside the data, preamble and epilogue)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from python_multipart.multipart import MultipartParser

from photonest.api.streaming import MultipartStream
from photonest.library import errors


def _body(rng: random.Random, boundary: bytes) -> tuple[bytes, list[bytes]]:
    parts = []
    alphabet = b"\r\n-ab" + boundary[:3]
    for _ in range(rng.randint(1, 4)):
        n = rng.choice([0, 1, 5, 100, 5000, 70_000])
        if rng.random() < 0.5:
            parts.append(bytes(rng.choice(alphabet) for _ in range(n)))
        else:
            parts.append(rng.randbytes(n))
    out = b"preamble\r\n" if rng.random() < 0.3 else b""
    for i, p in enumerate(parts):
        out += b"--" + boundary + b'\r\nContent-Disposition: form-data; name="f%d"; filename="x%d.jpg"\r\n\r\n' % (i, i)
        out += p + b"\r\n"
    out += b"--" + boundary + b"--\r\n" + (b"epilogue" if rng.random() < 0.3 else b"")
    return out, parts


def _ours(boundary: bytes, body: bytes, cuts: list[int]) -> list[bytes]:
    s = MultipartStream(boundary)
    parts: list[bytearray] = []
    for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True):
        for kind, value in s.feed(body[a:b]):
            if kind == "part":
                parts.append(bytearray())
            elif kind == "data":
                parts[-1] += value
    assert s.done
    return [bytes(p) for p in parts]


def _reference(boundary: bytes, body: bytes) -> list[bytes]:
    parts: list[bytearray] = []
    cb: Any = {"on_part_begin": lambda: parts.append(bytearray()),
               "on_part_data": lambda d, a, b: parts[-1].extend(d[a:b])}
    p = MultipartParser(boundary, cb)
    p.write(body)
    p.finalize()
    return [bytes(x) for x in parts]


@pytest.mark.parametrize("seed", range(40))
def test_same_parts_as_python_multipart(seed: int) -> None:
    rng = random.Random(seed)
    boundary = b"----WebKitFormBoundary" + rng.randbytes(6).hex().encode()
    body, parts = _body(rng, boundary)
    cuts = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(0, 40))))
    if seed % 5 == 0:
        cuts = list(range(1, len(body), 1 + seed // 5))  # tiny chunks, even single bytes
    assert _ours(boundary, body, cuts) == parts
    if not body.startswith(b"preamble"):  # python-multipart refuses a preamble (RFC 2046 allows one)
        assert _reference(boundary, body) == parts


def test_refuses_malformed() -> None:
    s = MultipartStream(b"bnd")
    with pytest.raises(errors.BadRequest):
        s.feed(b"--bnd\r\nno colon here\r\n\r\ndata")
    s = MultipartStream(b"bnd")
    with pytest.raises(errors.BadRequest):
        s.feed(b"--bnd" + b"x" * 300)
    s = MultipartStream(b"bnd")
    with pytest.raises(errors.BadRequest):
        s.feed(b"--bnd\r\n" + b"H: v\r\n" * 5000)

"""Uploads against a real server on a loopback port: a connection dropped mid-body leaves no row and no file;
concurrent uploads of the same bytes make one asset; a tus upload survives a broken PATCH and a restart."""

from __future__ import annotations

import base64
import hashlib
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.helpers import running_server
from tests.uploading import DATES, VIDEO, multipart

pytestmark = pytest.mark.timeout(180)


def _account(url: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD,
                                                          "name": "A"})
    assert r.status_code in (201, 400), r.text
    r = httpx.post(f"{url}/api/auth/login", json={"email": "a@example.com", "password": PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}


@pytest.fixture
def server(tmp_path: Path, db_url: str) -> Iterator[tuple[str, Path, str]]:
    data = tmp_path / "data"
    with running_server(data, {"PHOTONEST_DATABASE_URL": db_url, "PHOTONEST_WORKERS": "false"}) as (url, _):
        yield url, data, db_url


def _files(data: Path, sub: str) -> list[Path]:
    root = data / sub
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _total(url: str, h: dict[str, str]) -> int:
    return int(httpx.get(f"{url}/api/assets/statistics", headers=h).json()["total"])


def _wait_until(check: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def _send_half_and_close(url: str, data: Path, request_head: bytes, body: bytes) -> None:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(request_head + body[: len(body) // 2])
        # The server is now streaming this body into upload/ ...
        _wait_until(lambda: any(p.stat().st_size > 0 for p in _files(data, "upload")))
        s.shutdown(socket.SHUT_RDWR)  # ... and the client goes away mid-body.


def test_dropped_connection_leaves_no_row_and_no_file(server: tuple[str, Path, str]) -> None:
    url, data, _ = server
    h = _account(url)
    ctype, body = multipart({**DATES}, {"assetData": ("big.mp4", VIDEO.read_bytes() * 8)})
    head = (f"POST /api/assets HTTP/1.1\r\nHost: x\r\nAuthorization: {h['Authorization']}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    _send_half_and_close(url, data, head, body)
    _wait_until(lambda: _files(data, "upload") == [])
    assert _files(data, "library") == [] and _total(url, h) == 0
    # The server is fine and the same upload goes through whole.
    r = httpx.post(f"{url}/api/assets", headers={**h, "content-type": ctype}, content=body, timeout=60)
    assert r.status_code == 201, r.text
    assert len(_files(data, "library")) == 1 and _total(url, h) == 1


def test_concurrent_same_bytes_make_one_asset(server: tuple[str, Path, str]) -> None:
    url, data, _ = server
    h = _account(url)
    ctype, body = multipart({**DATES}, {"assetData": ("clip.mp4", VIDEO.read_bytes())})

    def post(_: int) -> tuple[int, str]:
        r = httpx.post(f"{url}/api/assets", headers={**h, "content-type": ctype}, content=body, timeout=60)
        return r.status_code, r.json()["id"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(post, range(8)))
    assert sorted(code for code, _ in results) == [200] * 7 + [201], results
    assert len({i for _, i in results}) == 1
    assert len(_files(data, "library")) == 1 and _files(data, "upload") == [] and _total(url, h) == 1


def test_tus_survives_a_broken_patch_and_a_restart(server: tuple[str, Path, str], tmp_path: Path) -> None:
    url, data, db_url = server
    h = _account(url)
    blob = VIDEO.read_bytes() * 6
    tus = {**h, "Tus-Resumable": "1.0.0"}
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                    for k, v in {"filename": "long.mp4", "fileCreatedAt": "2016-02-06T00:53:22Z"}.items())
    r = httpx.post(f"{url}/api/upload/tus", headers={**tus, "Upload-Length": str(len(blob)), "Upload-Metadata": meta})
    assert r.status_code == 201, r.text
    loc = r.headers["location"]
    # A PATCH whose connection breaks half way: the bytes that arrived are kept.
    head = (f"PATCH {loc} HTTP/1.1\r\nHost: x\r\nAuthorization: {h['Authorization']}\r\nTus-Resumable: 1.0.0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
            f"Content-Length: {len(blob)}\r\n\r\n").encode()
    _send_half_and_close(url, data, head, blob)

    def offset(base: str) -> int:
        return int(httpx.head(f"{base}{loc}", headers=tus).headers["upload-offset"])

    _wait_until(lambda: offset(url) > 0)
    time.sleep(0.3)
    got = offset(url)
    assert 0 < got <= len(blob) // 2
    # Resume one more piece, then the server restarts (the hash state in memory is gone).
    r = httpx.patch(f"{url}{loc}", headers={**tus, "Content-Type": "application/offset+octet-stream",
                                             "Upload-Offset": str(got)}, content=blob[got:got + 100_000])
    assert r.status_code == 204 and r.headers["upload-offset"] == str(got + 100_000)
    got += 100_000
    with running_server(data, {"PHOTONEST_DATABASE_URL": db_url, "PHOTONEST_WORKERS": "false"}) as (url2, _):
        assert offset(url2) == got
        r = httpx.patch(f"{url2}{loc}", headers={**tus, "Content-Type": "application/offset+octet-stream",
                                                  "Upload-Offset": str(got)}, content=blob[got:], timeout=60)
        assert r.status_code == 204, r.text
        aid = r.headers["x-immich-asset-id"]
        asset = httpx.get(f"{url2}/api/assets/{aid}", headers=h).json()
        assert asset["checksum"] == base64.b64encode(hashlib.sha1(blob).digest()).decode()
        assert (data / asset["originalPath"]).read_bytes() == blob
        assert _files(data, "upload") == []

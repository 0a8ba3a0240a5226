"""deploy/nginx.conf in front of a real server: a large streamed upload and a websocket pass through it."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import MEDIA
from tests.helpers import free_port, running_server

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BIG = 600 * 1024 * 1024  # far above nginx's default 1 MB body limit and its in-memory buffers


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(url through nginx, direct url) of a real photonest behind the shipped nginx.conf."""
    if not Path(NGINX).exists():
        pytest.fail("nginx not found: install Debian's nginx (apt-get install nginx)")
    with running_server(tmp_path / "data") as (direct, _):
        port = free_port()
        upstream = direct.removeprefix("http://")
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site = site.replace("server 127.0.0.1:2283;", f"server {upstream};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
        prefix = tmp_path / "nginx"
        (prefix / "logs").mkdir(parents=True)
        conf = prefix / "nginx.conf"
        conf.write_text(
            f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log warn;\n"
            f"events {{ worker_connections 256; }}\n"
            f"http {{\n access_log off;\n client_body_temp_path {prefix}/body;\n proxy_temp_path {prefix}/proxy;\n"
            f" fastcgi_temp_path {prefix}/fcgi;\n uwsgi_temp_path {prefix}/uwsgi;\n scgi_temp_path {prefix}/scgi;\n"
            f"{site}\n}}\n")
        proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)], stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{url}/api/server/ping", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            else:
                raise AssertionError(f"nginx did not come up: {(prefix / 'logs' / 'error.log').read_text()}")
            yield url, direct
        finally:
            proc.terminate()
            proc.wait(10)
            assert not (prefix / "body").exists() or not any((prefix / "body").rglob("*")), \
                "nginx spooled a request body to disk"


def _admin(url: str) -> dict[str, str]:
    httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "a@example.com", "password": "pw-pw-pw", "name": "A"})
    token = httpx.post(f"{url}/api/auth/login", json={"email": "a@example.com", "password": "pw-pw-pw"}).json()
    return {"Authorization": f"Bearer {token['accessToken']}"}


def test_large_upload_streams_through_nginx(proxied: tuple[str, str], tmp_path: Path) -> None:
    url, _ = proxied
    headers = _admin(url)
    # A real video header followed by filler: big enough to prove streaming, typed so ingest accepts it.
    video = next(p for p in sorted((MEDIA / "video").iterdir()) if p.suffix.lower() == ".mp4")
    big = tmp_path / "big.mp4"
    sha = hashlib.sha1()
    with big.open("wb") as f:
        head = video.read_bytes()
        f.write(head)
        sha.update(head)
        chunk = os.urandom(1 << 20)
        for _ in range(BIG // len(chunk)):
            f.write(chunk)
            sha.update(chunk)
    size = big.stat().st_size

    def body() -> Iterator[bytes]:
        yield b"--x\r\nContent-Disposition: form-data; name=\"fileCreatedAt\"\r\n\r\n2024-01-01T00:00:00.000Z\r\n"
        yield b"--x\r\nContent-Disposition: form-data; name=\"fileModifiedAt\"\r\n\r\n2024-01-01T00:00:00.000Z\r\n"
        yield b"--x\r\nContent-Disposition: form-data; name=\"assetData\"; filename=\"big.mp4\"\r\n"
        yield b"Content-Type: video/mp4\r\n\r\n"
        with big.open("rb") as f:
            while chunk := f.read(1 << 20):
                yield chunk
        yield b"\r\n--x--\r\n"

    r = httpx.post(f"{url}/api/assets", content=body(), timeout=600,
                   headers={**headers, "Content-Type": "multipart/form-data; boundary=x"})
    assert r.status_code == 201, r.text
    asset = httpx.get(f"{url}/api/assets/{r.json()['id']}", headers=headers).json()
    assert base64.b64decode(asset["checksum"]) == sha.digest()
    # And a Range request for its last bytes comes back exact, through the proxy.
    rng = httpx.get(f"{url}/api/assets/{asset['id']}/original", headers={**headers, "Range": f"bytes={size - 100}-"})
    assert rng.status_code == 206
    with big.open("rb") as f:
        f.seek(size - 100)
        assert rng.content == f.read()


def test_websocket_passes_through_nginx(proxied: tuple[str, str]) -> None:
    import socketio

    url, _ = proxied
    headers = _admin(url)
    client = socketio.Client(reconnection=False)
    uploaded = threading.Event()
    client.on("on_upload_success", lambda *a: uploaded.set())
    client.connect(url, socketio_path="/api/socket.io", transports=["websocket"], headers=headers, wait_timeout=10)
    try:
        assert client.connected and client.transport() == "websocket"
        photo = MEDIA / "camera_jpeg" / "flower.jpg"
        r = httpx.post(f"{url}/api/assets", headers=headers, files={"assetData": (photo.name, photo.read_bytes())},
                       data={"fileCreatedAt": "2024-01-01T00:00:00Z", "fileModifiedAt": "2024-01-01T00:00:00Z"})
        assert r.status_code == 201, r.text
        assert uploaded.wait(10), "no on_upload_success event came through the proxied websocket"
    finally:
        client.disconnect()

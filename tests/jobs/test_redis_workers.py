"""Scale-out: a server without workers plus a `photonest worker` process sharing Redis (PHOTONEST_REDIS_URL).

The worker processes the upload; its AssetUploadReady events travel through Redis to the server's socket.io
and reach the owner's client.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio

from tests.conftest import PASSWORD
from tests.helpers import free_port, running_server
from tests.uploading import DATES, JPEG

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("redis")
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    deadline = time.monotonic() + 20
    while True:
        try:
            if redis.Redis(port=port).ping():
                break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def test_worker_process_does_the_work_and_its_events_reach_the_client(tmp_path: Path, redis_url: str) -> None:
    data = tmp_path / "data"
    env = {"PHOTONEST_REDIS_URL": redis_url, "PHOTONEST_WORKERS": "false"}
    with running_server(data, env, timeout=120) as (url, _server):
        worker = subprocess.Popen([sys.executable, "-m", "photonest.cli", "worker", "--data", str(data)],
                                  env={**os.environ, **env, "PHOTONEST_LOG_LEVEL": "warning"})
        http = httpx.Client(base_url=url, timeout=30)
        client = socketio.Client(reconnection=False)
        events: list[tuple[str, Any]] = []
        client.on("*", lambda event, *args: events.append((event, args[0] if args else None)))
        try:
            http.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD, "name": "A"})
            token = http.post("/api/auth/login", json={"email": "a@example.com", "password": PASSWORD}
                              ).json()["accessToken"]
            headers = {"Authorization": f"Bearer {token}"}
            client.connect(url, socketio_path="/api/socket.io", transports=["websocket"], headers=headers,
                           wait_timeout=10)
            r = http.post("/api/assets", headers=headers, data={**DATES, "deviceAssetId": "1", "deviceId": "t"},
                          files={"assetData": (JPEG.name, JPEG.read_bytes(), "image/jpeg")})
            assert r.status_code == 201, r.text
            asset_id = r.json()["id"]
            deadline = time.monotonic() + 90
            while not any(e == "AssetUploadReadyV2" for e, _ in events):
                assert worker.poll() is None, "the worker died"
                assert time.monotonic() < deadline, events
                time.sleep(0.1)
            ready = next(p for e, p in events if e == "AssetUploadReadyV2")
            assert ready["asset"]["id"] == asset_id and ready["exif"]["make"] == "Canon"
            assert "on_upload_success" in [e for e, _ in events]
            body = http.get(f"/api/assets/{asset_id}", headers=headers).json()
            assert body["exifInfo"]["model"] == "Canon PowerShot S5 IS" and body["thumbhash"]
        finally:
            client.disconnect()
            http.close()
            worker.terminate()
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()

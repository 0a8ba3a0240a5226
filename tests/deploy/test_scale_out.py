"""Scale-out mode end to end: PostgreSQL + Redis, `photonest serve --no-workers` and separate `photonest worker`
processes with --queues. The server runs no consumer, so whatever gets processed was done by a worker; a worker
restricted to some queues leaves the other queues' jobs alone until a worker for them starts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, _drop_pg_database, _fresh_pg_database
from tests.helpers import running_server
from tests.jobs.test_redis_workers import redis_url  # noqa: F401  (the fixture)
from tests.uploading import DATES, JPEG, JPEG2

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


@pytest.fixture
def pg_url(pg_server: str, pg_template: str) -> Iterator[str]:
    name, url = _fresh_pg_database(pg_server, pg_template)
    yield url
    _drop_pg_database(pg_server, name)


def _worker(data: Path, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "photonest.cli", "worker", "--data", str(data), *args],
                            env={**os.environ, **env, "PHOTONEST_LOG_LEVEL": "info"},
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


def _wait(what: str, check: Callable[[], bool], procs: list[subprocess.Popen[bytes]], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert all(p.poll() is None for p in procs), f"a worker died while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_server_without_workers_and_workers_restricted_to_queues(tmp_path: Path, pg_url: str,
                                                                  redis_url: str) -> None:  # noqa: F811
    data = tmp_path / "data"
    env = {"PHOTONEST_DATABASE_URL": pg_url, "PHOTONEST_REDIS_URL": redis_url, "PHOTONEST_REVERSE_GEOCODING": "false"}
    quiet_ml = {f"PHOTONEST_{k}": "false" for k in ("OCR_ENABLED", "FACES_ENABLED", "LABELS_ENABLED",
                                                    "TEXT_EMBEDDING_ENABLED", "CLIP_ENABLED", "DUPLICATES_ENABLED")}
    env |= quiet_ml
    with running_server(data, env, timeout=60, args=["--no-workers"]) as (url, server):
        http = httpx.Client(base_url=url, timeout=30)
        http.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD, "name": "A"})
        r = http.post("/api/auth/login", json={"email": "a@example.com", "password": PASSWORD})
        h = {"Authorization": f"Bearer {r.json()['accessToken']}"}

        def asset(i: str) -> dict[str, Any]:
            return http.get(f"/api/assets/{i}", headers=h).json()  # type: ignore[no-any-return]

        def queue(name: str) -> dict[str, Any]:
            return http.get(f"/api/queues/{name}", headers=h).json()["statistics"]  # type: ignore[no-any-return]

        ids = []
        for n, path in enumerate((JPEG, JPEG2)):
            r = http.post("/api/assets", headers=h, data={**DATES, "deviceAssetId": str(n), "deviceId": "t"},
                          files={"assetData": (path.name, path.read_bytes(), "image/jpeg")})
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        # The server runs no consumer (its health says so), and no worker runs yet: nothing is processed.
        assert http.get("/health").json()["workers"] == "off"
        time.sleep(1.5)
        assert all(not asset(i)["exifInfo"].get("make") for i in ids)

        # A metadata-only worker: metadata gets done, thumbnails (queued after it) are left waiting.
        meta = _worker(data, env, tmp_path / "meta.log", "--queues", "metadata", "--concurrency", "2")
        thumbs: subprocess.Popen[bytes] | None = None
        try:
            _wait("metadata", lambda: all(asset(i)["exifInfo"].get("make") == "Canon" for i in ids), [meta])
            _wait("thumbnail jobs queued", lambda: queue("thumbnailGeneration")["waiting"] == 2, [meta])
            time.sleep(2.0)  # long enough for a wrong worker to take them
            assert queue("thumbnailGeneration")["waiting"] == 2
            assert all(not asset(i)["thumbhash"] for i in ids)
            assert http.get(f"/api/assets/{ids[0]}/thumbnail", headers=h).status_code == 404

            # A thumbnails worker (e.g. another machine) takes them.
            thumbs = _worker(data, env, tmp_path / "thumbs.log", "--queues", "thumbnailGeneration")
            _wait("thumbnails", lambda: all(asset(i)["thumbhash"] for i in ids), [meta, thumbs])
            r = http.get(f"/api/assets/{ids[0]}/thumbnail", headers=h)
            assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
            assert queue("thumbnailGeneration")["completed"] >= 2 and queue("metadataExtraction")["waiting"] == 0
        finally:
            codes = [_stop(p) for p in (meta, thumbs) if p is not None]
        # SIGTERM is a graceful stop: exit 0, after saying so.
        assert codes == [0, 0], [(tmp_path / f).read_text()[-2000:] for f in ("meta.log", "thumbs.log")]
        for f in ("meta.log", "thumbs.log"):
            text = (tmp_path / f).read_text()
            assert "worker stopped" in text, text[-2000:]
        meta_log, thumbs_log = (tmp_path / "meta.log").read_text(), (tmp_path / "thumbs.log").read_text()
        assert "queues: metadataExtraction\n" in meta_log and "queues: thumbnailGeneration\n" in thumbs_log
        # Each worker ran stage jobs itself (huey logs every task it executes).
        assert "photonest.jobs.tasks.stage" in meta_log and "executed in" in meta_log
        assert "photonest.jobs.tasks.stage" in thumbs_log and "executed in" in thumbs_log
        assert server.poll() is None
        http.close()

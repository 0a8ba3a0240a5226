"""Scale-out mode end to end: PostgreSQL + Redis, `photonest serve --no-workers` and separate `photonest worker`
processes with --queues. The server runs no consumer, so whatever gets processed was done by a worker; a worker
restricted to some queues leaves the other queues' jobs alone until a worker for them starts. A worker killed
(SIGKILL) in the middle of a job loses no work: another one takes the job once its lease runs out; one stopped
(SIGTERM) mid-job hands it over at once (jobs/leases.py)."""

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

from tests.conftest import MEDIA, PASSWORD, _drop_pg_database, _fresh_pg_database
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


ROOT = Path(__file__).resolve().parents[2]
JPEG3 = MEDIA / "camera_jpeg" / "FurnaceCreekInn3.jpg"
LEASE, HEARTBEAT, REAP, SLOW = 3.0, 0.5, 1.0, 5.0  # seconds; short so the test stays short


def _slow_worker(data: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A real `photonest worker` (every queue) whose thumbnails stage takes SLOW seconds longer."""
    return subprocess.Popen([sys.executable, "-m", "tests.deploy.slow_worker", "--data", str(data),
                             "--concurrency", "2"],
                            env={**os.environ, **env, "PHOTONEST_LOG_LEVEL": "info",
                                 "SLOW_THUMBNAILS_SECONDS": str(SLOW), "PYTHONPATH": str(ROOT)},
                            cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def test_a_worker_killed_mid_job_loses_no_work_and_a_stopped_one_hands_over_at_once(
        tmp_path: Path, pg_url: str, redis_url: str) -> None:  # noqa: F811
    from sqlalchemy import create_engine, text

    data = tmp_path / "data"
    env = {"PHOTONEST_DATABASE_URL": pg_url, "PHOTONEST_REDIS_URL": redis_url, "PHOTONEST_REVERSE_GEOCODING": "false",
           "PHOTONEST_JOB_LEASE_SECONDS": str(LEASE), "PHOTONEST_JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
           "PHOTONEST_JOB_REAP_INTERVAL_SECONDS": str(REAP), "PHOTONEST_METRICS_TOKEN": "metrics-secret"}
    env |= {f"PHOTONEST_{k}": "false" for k in ("OCR_ENABLED", "FACES_ENABLED", "LABELS_ENABLED",
                                                "TEXT_EMBEDDING_ENABLED", "CLIP_ENABLED", "DUPLICATES_ENABLED")}
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))

    def active_thumbnails() -> dict[str, str]:
        """asset id -> the worker holding its thumbnails job."""
        with engine.connect() as c:
            return dict(c.execute(text("SELECT asset_id, worker FROM asset_job WHERE stage = 'thumbnails' "
                                       "AND state = 'active' AND worker IS NOT NULL")).all())

    def pid_of(worker: str) -> int:
        return int(worker.split(":")[-2])

    workers: dict[str, subprocess.Popen[bytes]] = {}
    with running_server(data, env, timeout=60, args=["--no-workers"]) as (url, server):
        http = httpx.Client(base_url=url, timeout=30)
        http.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD, "name": "A"})
        r = http.post("/api/auth/login", json={"email": "a@example.com", "password": PASSWORD})
        h = {"Authorization": f"Bearer {r.json()['accessToken']}"}

        def upload(n: int, path: Path) -> str:
            r = http.post("/api/assets", headers=h, data={**DATES, "deviceAssetId": str(n), "deviceId": "t"},
                          files={"assetData": (path.name, path.read_bytes(), "image/jpeg")})
            assert r.status_code == 201, r.text
            return str(r.json()["id"])

        def finished(ids: list[str]) -> bool:
            return all(http.get(f"/api/assets/{i}", headers=h).json()["thumbhash"] for i in ids)

        try:
            for name in ("a", "b", "c"):
                workers[name] = _slow_worker(data, env, tmp_path / f"{name}.log")
            _wait("the workers to start", lambda: all("workers started" in (tmp_path / f"{n}.log").read_text()
                                                      for n in workers), list(workers.values()), 60)
            ids = [upload(0, JPEG), upload(1, JPEG2)]

            # 1. SIGKILL the worker holding a thumbnails job in the middle of it (no chance to clean up).
            _wait("a thumbnails job running", lambda: bool(active_thumbnails()), list(workers.values()), 60)
            victim_id = next(iter(active_thumbnails().values()))
            victim = next(n for n, p in workers.items() if p.pid == pid_of(victim_id))
            workers[victim].kill()
            killed_at = time.monotonic()
            workers[victim].wait(10)
            survivors = [p for n, p in workers.items() if n != victim]
            # The other worker takes the job once the lease runs out (a heartbeat renews it to `now + LEASE`)
            # and its reaper runs, then does the slow stage again.
            _wait("the killed worker's jobs to be finished by the other", lambda: finished(ids), survivors,
                  LEASE + REAP + SLOW + 30)
            took = time.monotonic() - killed_at
            assert took >= LEASE - HEARTBEAT, took  # not before the lease ran out
            logs = "".join((tmp_path / f"{n}.log").read_text() for n in workers if n != victim)
            assert f"the worker running it stopped ({victim_id}); its lease ran out; queued again (attempt 1)" in logs

            # 2. SIGTERM (docker stop, a deploy) instead: the stopping worker gives its job back at once, no
            # attempt is counted, and another worker takes it without waiting for the lease.
            third = upload(2, JPEG3)
            _wait("the new upload's thumbnails running", lambda: third in active_thumbnails(), survivors, 60)
            holder = active_thumbnails()[third]
            stopping = next(n for n, p in workers.items() if p.returncode is None and p.pid == pid_of(holder))
            workers[stopping].send_signal(signal.SIGTERM)
            stopped_at = time.monotonic()
            _wait("another worker to take the job",
                  lambda: active_thumbnails().get(third, holder) != holder, [], LEASE + 10)
            assert time.monotonic() - stopped_at < LEASE - HEARTBEAT  # handed over, not reaped
            _wait("the handed-over job", lambda: finished([third]), [], SLOW + 30)
            assert workers[stopping].wait(SLOW + 30) == 0  # still a graceful exit
            ids.append(third)

            # Every asset has every stage done; no job or failure row is left (attempts counted while a job
            # was reaped go once it succeeds).
            with engine.connect() as c:
                assert c.execute(text("SELECT count(*) FROM asset_job")).scalar_one() == 0
                assert c.execute(text("SELECT count(*) FROM asset_job_failure")).scalar_one() == 0
                done = dict(c.execute(text("SELECT id, stages_done FROM asset")).all())
            assert set(done) == set(ids)
            for stages in done.values():
                assert {"metadata", "thumbnails"} <= set(stages), stages
            metrics = http.get("/metrics", headers={"Authorization": "Bearer metrics-secret"}).text
            reaped = [line for line in metrics.splitlines() if line.startswith("photonest_jobs_reaped_total")]
            assert 'photonest_jobs_reaped_total{outcome="failed"} 0.0' in reaped
            assert any(line.startswith('photonest_jobs_reaped_total{outcome="requeued"}') and
                       float(line.split()[-1]) >= 1 for line in reaped), reaped
            stats = http.get("/api/queues/thumbnailGeneration", headers=h).json()["statistics"]
            assert stats["completed"] == 3 and stats["failed"] == 0 and stats["active"] == 0
            assert server.poll() is None
        finally:
            for p in workers.values():
                _stop(p)
            engine.dispose()
            http.close()

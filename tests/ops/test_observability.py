"""GET /metrics (Prometheus, behind a token), GET /health (503 when the database is gone), JSON request logs."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import make_url

from photonest.config import Settings
from tests.conftest import Account
from tests.helpers import running_server
from tests.jobs.conftest import jobs_of
from tests.uploading import JPEG, upload

TOKEN = "metrics-secret-1"


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(m.group(4))
    return 0.0


def scrape(client: TestClient) -> str:
    r = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return r.text


def test_metrics_are_off_by_default_and_need_the_token(client: TestClient, settings: Settings) -> None:
    r = client.get("/metrics")
    assert r.status_code == 404 and r.json()["statusCode"] == 404
    settings.metrics_token = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_counters_move_with_requests_and_jobs(client: TestClient, settings: Settings, admin: Account,
                                              alice: Account) -> None:
    settings.metrics_token = TOKEN
    before = scrape(client)
    ping = {"method": "GET", "route": "/api/server/ping", "status": "200"}
    for _ in range(3):
        client.get("/api/server/ping")
    asset_id = upload(client, alice, JPEG).json()["id"]
    assert client.get(f"/api/assets/{asset_id}", headers=bob_headers()).status_code == 401
    queued = scrape(client)
    assert sample(queued, "photonest_http_requests_total", **ping) == sample(before, "photonest_http_requests_total",
                                                                             **ping) + 3
    assert sample(queued, "photonest_http_request_duration_seconds_count", method="GET",
                  route="/api/server/ping") >= 3
    # Routes are labelled by template, never by id.
    assert sample(queued, "photonest_http_requests_total", method="GET", route="/api/assets/{id}",
                  status="401") == 1
    assert asset_id not in queued
    assert sample(queued, "photonest_assets", type="IMAGE") == 1
    assert sample(queued, "photonest_users") == 2
    assert sample(queued, "photonest_database_size_bytes") > 0
    assert sample(queued, "photonest_queue_jobs", queue="metadataExtraction", state="completed") == 0

    jobs_of(client).drain()
    done = scrape(client)
    assert sample(done, "photonest_queue_jobs", queue="metadataExtraction", state="completed") == 1
    assert sample(done, "photonest_queue_jobs", queue="metadataExtraction", state="waiting") == 0
    assert sample(done, "photonest_jobs_total", queue="thumbnailGeneration", job="thumbnails", outcome="done") == 1
    assert sample(done, "photonest_job_duration_seconds_count", queue="metadataExtraction", job="metadata") == 1


def bob_headers() -> dict[str, str]:
    return {"Authorization": "Bearer not-a-token"}


def test_health_is_503_when_the_database_is_gone(client: TestClient, settings: Settings, db_url: str,
                                                 request: pytest.FixtureRequest) -> None:
    r = client.get("/health")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ok" and r.json()["database"] == "ok" and r.json()["workers"] == "off"
    if settings.is_sqlite:
        db = Path(make_url(db_url).database or "")
        for p in db.parent.glob(db.name + "*"):
            shutil.move(p, p.with_name("moved-" + p.name))
    else:
        import psycopg

        server = request.getfixturevalue("pg_server")
        with psycopg.connect(server, autocommit=True) as c:
            c.execute(f'DROP DATABASE "{make_url(db_url).database}" WITH (FORCE)')
    r = client.get("/health")
    assert r.status_code == 503 and r.json()["status"] == "error"
    assert r.json()["database"].startswith("error")
    if settings.is_sqlite:
        assert not Path(make_url(db_url).database or "").exists()  # the check did not create an empty database


@pytest.mark.timeout(120)
def test_real_server_health_workers_and_json_request_logs(tmp_path: Path) -> None:
    env = {"PHOTONEST_LOG_FORMAT": "json", "PHOTONEST_LOG_LEVEL": "info", "PHOTONEST_METRICS_TOKEN": TOKEN}
    with running_server(tmp_path / "data", env) as (url, proc):
        deadline = time.monotonic() + 30
        while (h := httpx.get(f"{url}/health").json())["workers"] != "ok":
            assert h["workers"] == "starting" and time.monotonic() < deadline, h
            time.sleep(0.2)
        assert httpx.get(f"{url}/api/server/features").status_code == 200
        r = httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert sample(r.text, "photonest_http_requests_total", method="GET", route="/api/server/features",
                      status="200") == 1
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    lines = [json.loads(x) for x in out.decode().splitlines() if x.startswith("{")]
    assert lines, out.decode()
    assert all({"time", "level", "logger", "message"} <= set(x) for x in lines)
    req = [x for x in lines if x.get("path") == "/api/server/features"]
    assert req and req[0]["method"] == "GET" and req[0]["status"] == 200 and req[0]["duration_ms"] >= 0
    assert req[0]["logger"] == "photonest.http" and req[0]["level"] == "info"
    assert any(x["logger"].startswith("uvicorn") for x in lines)  # uvicorn's own lines are JSON too

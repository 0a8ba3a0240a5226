"""/api/queues and the legacy /api/jobs: real counts from the database, pause / resume / empty / start."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.api.dto import immich as dto
from tests.conftest import MEDIA, Account
from tests.jobs.conftest import jobs_of, process, rows
from tests.uploading import JPEG, JPEG2, upload

CORRUPT = MEDIA / "broken_edge" / "bug775697.jpg"


def stats(client: TestClient, who: Account, queue: str) -> dict[str, Any]:
    r = client.get(f"/api/queues/{queue}", headers=who.headers)
    assert r.status_code == 200, r.text
    dto.QueueResponseDto.model_validate(r.json())
    return r.json()  # type: ignore[no-any-return]


def command(client: TestClient, who: Account, queue: str, cmd: str, force: bool | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"command": cmd}
    if force is not None:
        body["force"] = force
    r = client.put(f"/api/jobs/{queue}", headers=who.headers, json=body)
    assert r.status_code == 200, r.text
    dto.QueueResponseLegacyDto.model_validate(r.json())
    return r.json()  # type: ignore[no-any-return]


def test_lists_every_queue_and_only_for_admins(client: TestClient, admin: Account, alice: Account) -> None:
    r = client.get("/api/queues", headers=admin.headers)
    assert r.status_code == 200
    names = [q["name"] for q in r.json()]
    assert names == [q.value for q in dto.QueueName]
    legacy = client.get("/api/jobs", headers=admin.headers)
    assert legacy.status_code == 200
    dto.QueuesResponseLegacyDto.model_validate(legacy.json())
    for path in ("/api/queues", "/api/jobs", "/api/queues/thumbnailGeneration"):
        assert client.get(path, headers=alice.headers).status_code == 403
    client.cookies.clear()  # the login cookie
    assert client.get("/api/queues").status_code == 401
    assert client.get("/api/queues/noSuchQueue", headers=admin.headers).status_code == 400


def test_counts_move_and_pause_holds_work_until_resume(client: TestClient, admin: Account, alice: Account) -> None:
    r = client.put("/api/queues/metadataExtraction", headers=admin.headers, json={"isPaused": True})
    assert r.status_code == 200 and r.json()["isPaused"] is True
    ids = [upload(client, alice, p).json()["id"] for p in (JPEG, JPEG2)]
    process(client)  # the worker records the jobs but runs nothing from a paused queue
    s = stats(client, admin, "metadataExtraction")
    assert s["isPaused"] is True
    assert s["statistics"] == {"active": 0, "completed": 0, "delayed": 0, "failed": 0, "paused": 2, "waiting": 0}
    assert all(rows(client, i)["asset"].stages_done == [] for i in ids)
    assert client.get("/api/jobs", headers=admin.headers).json()["metadataExtraction"]["queueStatus"] == \
        {"isActive": False, "isPaused": True}
    jobs = client.get("/api/queues/metadataExtraction/jobs", headers=admin.headers, params={"status": "paused"})
    assert jobs.status_code == 200 and sorted(j["data"]["id"] for j in jobs.json()) == sorted(ids)
    assert {j["name"] for j in jobs.json()} == {"AssetExtractMetadata"}

    r = client.put("/api/queues/metadataExtraction", headers=admin.headers, json={"isPaused": False})
    assert r.json()["isPaused"] is False and r.json()["statistics"]["waiting"] == 2
    process(client)
    assert stats(client, admin, "metadataExtraction")["statistics"]["completed"] == 2
    assert stats(client, admin, "thumbnailGeneration")["statistics"] == \
        {"active": 0, "completed": 2, "delayed": 0, "failed": 0, "paused": 0, "waiting": 0}


def test_empty_start_missing_and_all_clear_failed(client: TestClient, admin: Account, alice: Account) -> None:
    command(client, admin, "thumbnailGeneration", "pause")
    ok = upload(client, alice, JPEG).json()["id"]
    bad = upload(client, alice, CORRUPT).json()["id"]
    process(client)
    assert stats(client, admin, "thumbnailGeneration")["statistics"]["paused"] == 2

    r = client.request("DELETE", "/api/queues/thumbnailGeneration/jobs", headers=admin.headers, json={})
    assert r.status_code == 204
    assert stats(client, admin, "thumbnailGeneration")["statistics"]["paused"] == 0
    command(client, admin, "thumbnailGeneration", "resume")
    process(client)
    assert rows(client, ok)["asset"].stages_done == ["metadata"]  # emptied: nothing ran

    # start (missing): the database knows both still need thumbnails.
    out = command(client, admin, "thumbnailGeneration", "start", force=False)
    assert out["jobCounts"]["waiting"] == 2
    process(client)
    counts = stats(client, admin, "thumbnailGeneration")["statistics"]
    assert (counts["completed"], counts["failed"], counts["waiting"]) == (1, 1, 0)
    assert jobs_of(client).sweep() == 0

    # start (all): every asset again, the done one included; the failure gets fresh attempts.
    before = rows(client, ok)["files"]
    command(client, admin, "thumbnailGeneration", "start", force=True)
    assert stats(client, admin, "thumbnailGeneration")["statistics"]["waiting"] == 2
    process(client)
    assert rows(client, ok)["files"] == before
    assert stats(client, admin, "thumbnailGeneration")["statistics"]["failed"] == 1
    failed = client.get("/api/queues/thumbnailGeneration/jobs", headers=admin.headers,
                        params={"status": "failed"}).json()
    assert [j["data"]["id"] for j in failed] == [bad] and failed[0]["data"]["error"]

    out = command(client, admin, "thumbnailGeneration", "clear-failed")
    assert out["jobCounts"]["failed"] == 0
    assert rows(client, bad)["failures"] == {}


def test_start_of_a_queue_without_work_is_a_clear_400(client: TestClient, admin: Account) -> None:
    r = client.put("/api/jobs/workflow", headers=admin.headers, json={"command": "start"})
    assert r.status_code == 400 and "workflow" in r.json()["message"]
    r = client.put("/api/jobs/backupDatabase", headers=admin.headers, json={"command": "bogus"})
    assert r.status_code == 400


@pytest.mark.timeout(120)
def test_pause_stops_the_real_workers_and_resume_continues(client: TestClient, admin: Account,
                                                            alice: Account) -> None:
    jobs = jobs_of(client)
    jobs.drain()  # the start-up sweep has run
    client.put("/api/queues/thumbnailGeneration", headers=admin.headers, json={"isPaused": True})
    jobs.start_consumer(2)
    try:
        asset_id = upload(client, alice, JPEG).json()["id"]
        deadline = time.monotonic() + 60
        while "metadata" not in rows(client, asset_id)["asset"].stages_done:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1.5)  # give a worker every chance to run the paused stage
        assert rows(client, asset_id)["asset"].stages_done == ["metadata"]
        assert stats(client, admin, "thumbnailGeneration")["statistics"]["paused"] == 1

        client.put("/api/queues/thumbnailGeneration", headers=admin.headers, json={"isPaused": False})
        while "thumbnails" not in rows(client, asset_id)["asset"].stages_done:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert stats(client, admin, "thumbnailGeneration")["statistics"]["completed"] == 1
    finally:
        jobs.stop()

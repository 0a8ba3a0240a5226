"""Memories: "on this day" made on demand from real photos' dates, plus create/update/delete and assets."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from photonest.db.tables import Asset
from photonest.db.types import utcnow
from tests.conftest import MEDIA, Account

FLOWER = MEDIA / "camera_jpeg" / "flower.jpg"      # taken 2003-12-14 12:01:44
LEUVEN = MEDIA / "camera_jpeg" / "leuvenA.jpg"     # taken 2019-04-14 13:46:10


def _upload(client: TestClient, who: Account, path: object) -> str:
    from pathlib import Path

    p = Path(str(path))
    r = client.post("/api/assets", headers=who.headers, files={"assetData": (p.name, p.read_bytes())},
                    data={"fileCreatedAt": "2024-06-01T00:00:00Z", "fileModifiedAt": "2024-06-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    client.app.state.jobs.drain()  # type: ignore[attr-defined]  # metadata: the date taken
    return str(r.json()["id"])


def test_on_this_day_is_made_on_demand(client: TestClient, alice: Account, bob: Account) -> None:
    flower = _upload(client, alice, FLOWER)
    _upload(client, alice, LEUVEN)
    r = client.get("/api/memories", headers=alice.headers, params={"for": "2025-12-14T09:00:00Z"})
    assert r.status_code == 200
    memories = r.json()
    assert len(memories) == 1
    m = memories[0]
    assert m["type"] == "on_this_day" and m["data"] == {"year": 2003}
    assert [a["id"] for a in m["assets"]] == [flower]
    assert m["showAt"].startswith("2025-12-14") and m["hideAt"].startswith("2025-12-15")
    # Asking again does not make it twice; another day has none; Bob has none of Alice's.
    assert len(client.get("/api/memories", headers=alice.headers, params={"for": "2025-12-14T20:00:00Z"}).json()) == 1
    assert client.get("/api/memories", headers=alice.headers, params={"for": "2025-12-15T09:00:00Z"}).json() == []
    assert client.get("/api/memories", headers=bob.headers, params={"for": "2025-12-14T09:00:00Z"}).json() == []
    stats = client.get("/api/memories/statistics", headers=alice.headers, params={"for": "2025-12-14T09:00:00Z"})
    assert stats.json() == {"total": 1}
    # A photo taken this very year is not a memory yet.
    assert client.get("/api/memories", headers=alice.headers, params={"for": "2003-12-14T09:00:00Z"}).json() == []


def test_trashed_photos_leave_memories(client: TestClient, alice: Account) -> None:
    flower = _upload(client, alice, FLOWER)
    assert len(client.get("/api/memories", headers=alice.headers, params={"for": "2024-12-14T09:00:00Z"}).json()) == 1
    client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [flower]})
    assert client.get("/api/memories", headers=alice.headers, params={"for": "2024-12-14T09:00:00Z"}).json() == []


def test_memory_crud_and_assets(client: TestClient, alice: Account, bob: Account) -> None:
    flower = _upload(client, alice, FLOWER)
    leuven = _upload(client, alice, LEUVEN)
    bobs = _upload(client, bob, FLOWER)
    r = client.post("/api/memories", headers=alice.headers, json={
        "type": "on_this_day", "data": {"year": 2019}, "memoryAt": "2019-04-14T00:00:00Z", "assetIds": [leuven]})
    assert r.status_code == 201
    mid = r.json()["id"]
    assert [a["id"] for a in r.json()["assets"]] == [leuven]
    res = client.put(f"/api/memories/{mid}/assets", headers=alice.headers, json={"ids": [flower, leuven, bobs]}).json()
    assert [(x["id"], x["success"], x.get("error")) for x in res] == [
        (flower, True, None), (leuven, False, "duplicate"), (bobs, False, "no_permission")]
    r = client.put(f"/api/memories/{mid}", headers=alice.headers,
                   json={"isSaved": True, "seenAt": "2026-01-01T00:00:00Z"})
    assert r.json()["isSaved"] is True and r.json()["seenAt"].startswith("2026-01-01")
    saved = client.get("/api/memories", headers=alice.headers, params={"isSaved": True}).json()
    assert [m["id"] for m in saved] == [mid]
    # Bob can neither read nor change Alice's memory.
    assert client.get(f"/api/memories/{mid}", headers=bob.headers).status_code == 400
    assert client.put(f"/api/memories/{mid}", headers=bob.headers, json={"isSaved": False}).status_code == 400
    assert client.put(f"/api/memories/{mid}/assets", headers=bob.headers, json={"ids": [bobs]}).status_code == 400
    assert client.delete(f"/api/memories/{mid}", headers=bob.headers).status_code == 400
    res = client.request("DELETE", f"/api/memories/{mid}/assets", headers=alice.headers, json={"ids": [flower]}).json()
    assert res == [{"id": flower, "success": True}]
    assert client.delete(f"/api/memories/{mid}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/memories/{mid}", headers=alice.headers).status_code == 400


@pytest.mark.postgres
def test_on_this_day_is_made_while_others_write(client: TestClient, alice: Account) -> None:
    """GET /memories?for= makes the day's memories, a write inside a GET. Another connection committing after the
    request's first read (the pipeline does, all the time) must not fail it: on SQLite a read transaction cannot
    become a writer after another commit ("database is locked" at once), which left the web UI's home page
    without its memories now and then (the browser suite's memories flake)."""
    flower = _upload(client, alice, FLOWER)
    db = client.app.state.db  # type: ignore[attr-defined]
    fired: list[str] = []

    def another_writer(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not fired and "FROM memory" in statement:
            fired.append(statement)
            with db.session() as s:  # another connection's write, committed before the request writes
                s.execute(update(Asset).where(Asset.id == flower).values(updated_at=utcnow()))

    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()
    for e in engines:
        event.listen(e, "before_cursor_execute", another_writer)
    try:
        r = client.get("/api/memories", headers=alice.headers, params={"for": "2025-12-14T09:00:00Z"})
    finally:
        for e in engines:
            event.remove(e, "before_cursor_execute", another_writer)
    assert fired
    assert r.status_code == 200, r.text
    assert [[a["id"] for a in m["assets"]] for m in r.json()] == [[flower]]
    # Made once, and kept.
    r = client.get("/api/memories", headers=alice.headers, params={"for": "2025-12-14T20:00:00Z"})
    assert [m["data"] for m in r.json()] == [{"year": 2003}]

"""The timeline month cache (library.timeline_cache) never hands one user's month to another: access is checked
on every request, and entries are per caller. Losing access (a partner revoking, an album deleted) takes effect
at once, though the month is still in memory."""

from __future__ import annotations

from fastapi.testclient import TestClient

from photonest.library import timeline_cache
from tests.conftest import Account
from tests.library.factory import insert_asset


def _get(client: TestClient, who: Account, **params: str) -> tuple[int, list[str]]:
    r = client.get("/api/timeline/bucket", headers=who.headers, params={"timeBucket": "2024-06-01", **params})
    return r.status_code, r.json().get("id", []) if r.status_code == 200 else []


def test_cached_months_stay_private(client: TestClient, alice: Account, bob: Account) -> None:
    timeline_cache.clear()
    a = insert_asset(client, alice.id, "2024-06-10T10:00:00", 0)
    album = client.post("/api/albums", headers=alice.headers, json={"albumName": "A", "assetIds": [a]}).json()["id"]
    assert _get(client, alice) == (200, [a])
    assert _get(client, alice, albumId=album) == (200, [a])
    # Bob: his own (empty) month, never Alice's cached one; her library and album are refused.
    assert _get(client, bob) == (200, [])
    assert _get(client, bob, userId=alice.id)[0] == 400
    assert _get(client, bob, albumId=album)[0] == 400
    # A partner sees her month while she shares, and not a moment longer.
    client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id})
    assert _get(client, bob, userId=alice.id) == (200, [a])
    assert _get(client, bob, userId=alice.id) == (200, [a])
    client.delete(f"/api/partners/{bob.id}", headers=alice.headers)
    assert _get(client, bob, userId=alice.id)[0] == 400

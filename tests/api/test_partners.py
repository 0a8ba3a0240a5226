"""Partner sharing: create, list both directions, the receiver's inTimeline switch, remove."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account


def test_partner_lifecycle(client: TestClient, alice: Account, bob: Account) -> None:
    r = client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id})
    assert r.status_code == 201
    assert r.json()["id"] == bob.id and r.json()["inTimeline"] is False
    assert client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id}).status_code == 400

    by = client.get("/api/partners", headers=alice.headers, params={"direction": "shared-by"}).json()
    assert [p["email"] for p in by] == ["bob@example.com"]
    assert client.get("/api/partners", headers=alice.headers, params={"direction": "shared-with"}).json() == []
    with_bob = client.get("/api/partners", headers=bob.headers, params={"direction": "shared-with"}).json()
    assert [p["id"] for p in with_bob] == [alice.id]

    # Only the receiver decides whether the partner's photos join their timeline.
    assert client.put(f"/api/partners/{bob.id}", headers=alice.headers, json={"inTimeline": True}).status_code == 400
    r = client.put(f"/api/partners/{alice.id}", headers=bob.headers, json={"inTimeline": True})
    assert r.status_code == 200 and r.json()["inTimeline"] is True

    # Only the sharer can stop sharing.
    assert client.delete(f"/api/partners/{alice.id}", headers=bob.headers).status_code == 400
    assert client.delete(f"/api/partners/{bob.id}", headers=alice.headers).status_code == 204
    assert client.get("/api/partners", headers=bob.headers, params={"direction": "shared-with"}).json() == []


def test_partner_bad_requests(client: TestClient, alice: Account) -> None:
    assert client.post("/api/partners", headers=alice.headers, json={"sharedWithId": alice.id}).status_code == 400
    nobody = "5f1b3f7e-4b9c-4f7e-9a51-1d2f3e4a5b6c"
    r = client.post("/api/partners", headers=alice.headers, json={"sharedWithId": nobody})
    assert r.status_code == 400
    assert client.get("/api/partners", headers=alice.headers).status_code == 400  # direction is required
    assert client.get("/api/partners", headers=alice.headers, params={"direction": "sideways"}).status_code == 400


def test_deprecated_create_path(client: TestClient, alice: Account, bob: Account) -> None:
    r = client.post(f"/api/partners/{bob.id}", headers=alice.headers)
    assert r.status_code == 201 and r.json()["id"] == bob.id

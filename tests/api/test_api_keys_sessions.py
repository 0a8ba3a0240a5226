"""API keys (hashed, permission-scoped) and sessions (list, create, revoke, lock)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account, login


def _key(client: TestClient, who: Account, *perms: str, name: str = "k") -> tuple[str, str]:
    r = client.post("/api/api-keys", headers=who.headers, json={"name": name, "permissions": list(perms)})
    assert r.status_code == 201, r.text
    return r.json()["apiKey"]["id"], r.json()["secret"]


def test_api_key_lifecycle(client: TestClient, alice: Account) -> None:
    key_id, secret = _key(client, alice, "all", name="cli")
    h = {"x-api-key": secret}
    client.cookies.clear()
    assert client.get("/api/users/me", headers=h).json()["id"] == alice.id
    me = client.get("/api/api-keys/me", headers=h).json()
    assert me["id"] == key_id and me["permissions"] == ["all"] and "secret" not in me
    listed = client.get("/api/api-keys", headers=alice.headers).json()
    assert [k["name"] for k in listed] == ["cli"]
    r = client.put(f"/api/api-keys/{key_id}", headers=alice.headers, json={"name": "renamed"})
    assert r.json()["name"] == "renamed"
    assert client.delete(f"/api/api-keys/{key_id}", headers=alice.headers).status_code == 204
    assert client.get("/api/users/me", headers=h).status_code == 401


def test_api_key_secret_is_not_stored(client: TestClient, alice: Account, settings: object) -> None:
    from sqlalchemy import create_engine, text

    _, secret = _key(client, alice, "all")
    engine = create_engine(settings.db_url)  # type: ignore[attr-defined]
    with engine.connect() as c:
        stored = [r[0] for r in c.execute(text("select key_hash from api_key"))]
    engine.dispose()
    assert stored and secret not in stored and all(len(s) == 64 for s in stored)


def test_api_key_permissions_are_enforced(client: TestClient, alice: Account) -> None:
    _, secret = _key(client, alice, "user.read")
    h = {"x-api-key": secret}
    client.cookies.clear()
    assert client.get("/api/users/me", headers=h).status_code == 200
    r = client.put("/api/users/me", headers=h, json={"name": "hacked"})
    assert r.status_code == 403 and "user.update" in r.json()["message"]
    assert client.get("/api/api-keys", headers=h).status_code == 403
    # A key cannot mint a stronger key.
    _, strong = _key(client, alice, "apiKey.create", "user.read")
    r = client.post("/api/api-keys", headers={"x-api-key": strong}, json={"name": "x", "permissions": ["all"]})
    assert r.status_code == 400
    assert client.get("/api/users/me", headers=alice.headers).json()["name"] == "Alice"


def test_admin_key_needs_admin_owner(client: TestClient, alice: Account) -> None:
    _, secret = _key(client, alice, "all")
    client.cookies.clear()
    assert client.get("/api/admin/users", headers={"x-api-key": secret}).status_code == 403


def test_api_keys_are_private(client: TestClient, alice: Account, bob: Account) -> None:
    key_id, _ = _key(client, alice, "all")
    assert client.get("/api/api-keys", headers=bob.headers).json() == []
    assert client.get(f"/api/api-keys/{key_id}", headers=bob.headers).status_code == 400
    assert client.put(f"/api/api-keys/{key_id}", headers=bob.headers, json={"name": "x"}).status_code == 400
    assert client.delete(f"/api/api-keys/{key_id}", headers=bob.headers).status_code == 400
    assert client.get(f"/api/api-keys/{key_id}", headers=alice.headers).json()["name"] == "k"


def test_invalid_api_key_and_empty_permissions(client: TestClient, alice: Account) -> None:
    client.cookies.clear()
    assert client.get("/api/users/me", headers={"x-api-key": "nope"}).status_code == 401
    r = client.post("/api/api-keys", headers=alice.headers, json={"name": "x", "permissions": []})
    assert r.status_code == 400
    r = client.post("/api/api-keys", headers=alice.headers, json={"name": "x", "permissions": ["bogus.perm"]})
    assert r.status_code == 400


def test_sessions_list_and_revoke(client: TestClient, alice: Account, bob: Account) -> None:
    second = login(client, alice.email)
    client.cookies.clear()
    sessions = client.get("/api/sessions", headers=alice.headers).json()
    assert len(sessions) == 2
    current = [s for s in sessions if s["current"]]
    assert len(current) == 1
    other = next(s for s in sessions if not s["current"])
    # Bob cannot touch Alice's sessions.
    assert client.delete(f"/api/sessions/{other['id']}", headers=bob.headers).status_code == 400
    assert client.get("/api/users/me", headers=second.headers).status_code == 200
    assert client.delete(f"/api/sessions/{other['id']}", headers=alice.headers).status_code == 204
    assert client.get("/api/users/me", headers=second.headers).status_code == 401
    assert client.get("/api/users/me", headers=alice.headers).status_code == 200


def test_delete_all_other_sessions(client: TestClient, alice: Account) -> None:
    others = [login(client, alice.email) for _ in range(2)]
    client.cookies.clear()
    assert client.delete("/api/sessions", headers=alice.headers).status_code == 204
    assert all(client.get("/api/users/me", headers=o.headers).status_code == 401 for o in others)
    assert client.get("/api/users/me", headers=alice.headers).status_code == 200


def test_create_child_session_with_duration(client: TestClient, alice: Account) -> None:
    r = client.post("/api/sessions", headers=alice.headers, json={"deviceType": "Cast", "duration": 3600})
    assert r.status_code == 201
    body = r.json()
    assert body["deviceType"] == "Cast" and body["expiresAt"] and body["token"]
    client.cookies.clear()
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {body['token']}"}).status_code == 200
    r = client.put(f"/api/sessions/{body['id']}", headers=alice.headers, json={"isPendingSyncReset": True})
    assert r.json()["isPendingSyncReset"] is True
    assert client.post(f"/api/sessions/{body['id']}/lock", headers=alice.headers).status_code == 204

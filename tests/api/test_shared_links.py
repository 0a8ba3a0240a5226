"""Share links: owner-side CRUD, the holder's /me and password login, expiry, and the limits of a link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import MEDIA, Account

PHOTOS = [MEDIA / "camera_jpeg" / n for n in ("leuvenA.jpg", "flower.jpg", "ela_original.jpg")]


def upload(client: TestClient, who: Account, path: Path) -> str:
    r = client.post("/api/assets", headers=who.headers, files={"assetData": (path.name, path.read_bytes())},
                    data={"fileCreatedAt": "2024-06-01T00:00:00Z", "fileModifiedAt": "2024-06-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def link(client: TestClient, who: Account, **body: object) -> dict[str, object]:
    r = client.post("/api/shared-links", headers=who.headers, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_individual_link_lifecycle(client: TestClient, alice: Account) -> None:
    a, b, c = (upload(client, alice, p) for p in PHOTOS)
    created = link(client, alice, type="INDIVIDUAL", assetIds=[a, b], description="Trip", allowDownload=False)
    key = str(created["key"])
    assert len(key) >= 40 and created["password"] is None and created["allowDownload"] is False
    assert {x["id"] for x in created["assets"]} == {a, b}  # type: ignore[union-attr]

    client.cookies.clear()
    me = client.get("/api/shared-links/me", params={"key": key})
    assert me.status_code == 200 and {x["id"] for x in me.json()["assets"]} == {a, b}
    by_header = client.get("/api/shared-links/me", headers={"x-immich-share-key": key})
    assert by_header.status_code == 200

    res = client.put(f"/api/shared-links/{created['id']}/assets", headers=alice.headers,
                     json={"assetIds": [c, a]}).json()
    assert [(x["assetId"], x["success"]) for x in res] == [(c, True), (a, False)]
    res = client.request("DELETE", f"/api/shared-links/{created['id']}/assets", headers=alice.headers,
                         json={"assetIds": [a]}).json()
    assert res == [{"assetId": a, "success": True}]
    client.cookies.clear()
    assert {x["id"] for x in client.get("/api/shared-links/me", params={"key": key}).json()["assets"]} == {b, c}

    r = client.patch(f"/api/shared-links/{created['id']}", headers=alice.headers,
                     json={"description": "Trip 2", "slug": "trip-2"})
    assert r.status_code == 200 and r.json()["slug"] == "trip-2"
    client.cookies.clear()
    assert client.get("/api/shared-links/me", params={"slug": "trip-2"}).json()["description"] == "Trip 2"
    listed = client.get("/api/shared-links", headers=alice.headers).json()
    assert [x["id"] for x in listed] == [created["id"]]
    assert client.delete(f"/api/shared-links/{created['id']}", headers=alice.headers).status_code == 204
    client.cookies.clear()
    assert client.get("/api/shared-links/me", params={"key": key}).status_code == 401


def test_password_protected_link(client: TestClient, alice: Account) -> None:
    a = upload(client, alice, PHOTOS[0])
    created = link(client, alice, type="INDIVIDUAL", assetIds=[a], password="open sesame")
    key = str(created["key"])
    assert created["password"]  # set, but never the password itself
    assert created["password"] != "open sesame"
    client.cookies.clear()
    r = client.get("/api/shared-links/me", params={"key": key})
    assert r.status_code == 401 and r.json()["message"] == "Password required"
    bad = client.post("/api/shared-links/login", params={"key": key}, json={"password": "nope"})
    assert bad.status_code == 401
    ok = client.post("/api/shared-links/login", params={"key": key}, json={"password": "open sesame"})
    assert ok.status_code == 201 and "immich_shared_link_token" in ok.headers["set-cookie"]
    assert client.get("/api/shared-links/me", params={"key": key}).status_code == 200
    # Changing the password signs out everyone who unlocked the old one.
    client.patch(f"/api/shared-links/{created['id']}", headers=alice.headers, json={"password": "new one"})
    assert client.get("/api/shared-links/me", params={"key": key}).status_code == 401


def test_password_guessing_is_throttled(client: TestClient, alice: Account) -> None:
    a = upload(client, alice, PHOTOS[0])
    key = str(link(client, alice, type="INDIVIDUAL", assetIds=[a], password="right")["key"])
    client.cookies.clear()
    for _ in range(5):
        assert client.post("/api/shared-links/login", params={"key": key}, json={"password": "x"}).status_code == 401
    assert client.post("/api/shared-links/login", params={"key": key}, json={"password": "right"}).status_code == 429


def test_key_guessing_is_throttled(client: TestClient) -> None:
    for i in range(5):
        assert client.get("/api/shared-links/me", params={"key": f"guess{i}"}).status_code == 401
    assert client.get("/api/shared-links/me", params={"key": "guess-more"}).status_code == 429


def test_expired_link_sees_nothing(client: TestClient, alice: Account) -> None:
    a = upload(client, alice, PHOTOS[0])
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = link(client, alice, type="INDIVIDUAL", assetIds=[a], expiresAt=soon)
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    client.patch(f"/api/shared-links/{created['id']}", headers=alice.headers, json={"expiresAt": past})
    client.cookies.clear()
    assert client.get("/api/shared-links/me", params={"key": created["key"]}).status_code == 401
    r = client.post("/api/shared-links", headers=alice.headers, json={"type": "INDIVIDUAL", "assetIds": [a],
                                                                      "expiresAt": past})
    assert r.status_code == 400


def test_links_only_share_own_assets(client: TestClient, alice: Account, bob: Account) -> None:
    a = upload(client, alice, PHOTOS[0])
    r = client.post("/api/shared-links", headers=bob.headers, json={"type": "INDIVIDUAL", "assetIds": [a]})
    assert r.status_code == 400
    created = link(client, alice, type="INDIVIDUAL", assetIds=[a])
    for method, path, body in (("GET", f"/api/shared-links/{created['id']}", None),
                               ("PATCH", f"/api/shared-links/{created['id']}", {"allowDownload": False}),
                               ("PUT", f"/api/shared-links/{created['id']}/assets", {"assetIds": [a]}),
                               ("DELETE", f"/api/shared-links/{created['id']}", None)):
        assert client.request(method, path, headers=bob.headers, json=body).status_code == 400, (method, path)
    assert client.get("/api/shared-links", headers=bob.headers).json() == []
    assert client.get(f"/api/shared-links/{created['id']}", headers=alice.headers).json()["allowDownload"] is True


def test_link_holder_cannot_use_the_owners_account(client: TestClient, admin: Account) -> None:
    a = upload(client, admin, PHOTOS[0])
    key = str(link(client, admin, type="INDIVIDUAL", assetIds=[a])["key"])
    client.cookies.clear()
    # The key authenticates only routes that admit link holders; everything else still wants a login.
    for path in ("/api/users/me", "/api/admin/users", "/api/shared-links", "/api/api-keys"):
        assert client.get(path, params={"key": key}).status_code == 401, path


def test_album_link(client: TestClient, alice: Account) -> None:
    a = upload(client, alice, PHOTOS[0])
    album = client.post("/api/albums", headers=alice.headers, json={"albumName": "Shared", "assetIds": [a]}).json()
    created = link(client, alice, type="ALBUM", albumId=album["id"])
    client.cookies.clear()
    me = client.get("/api/shared-links/me", params={"key": created["key"]}).json()
    assert me["type"] == "ALBUM" and me["album"]["id"] == album["id"] and me["album"]["albumName"] == "Shared"

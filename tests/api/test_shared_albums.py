"""Shared albums: roles (editor adds own photos, viewer only looks), leaving, removal, and activity."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_downloads import PHOTOS, _upload
from tests.conftest import Account, make_user


def _album(client: TestClient, owner: Account, asset_ids: list[str]) -> str:
    r = client.post("/api/albums", headers=owner.headers, json={"albumName": "Family", "assetIds": asset_ids})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_roles(client: TestClient, admin: Account, alice: Account, bob: Account) -> None:
    carol = make_user(client, admin, "carol@example.com", "Carol")
    a = _upload(client, alice, PHOTOS[0].read_bytes(), PHOTOS[0].name)
    b = _upload(client, bob, PHOTOS[1].read_bytes(), PHOTOS[1].name)
    c = _upload(client, carol, PHOTOS[2].read_bytes(), PHOTOS[2].name)
    album = _album(client, alice, [a])
    r = client.put(f"/api/albums/{album}/users", headers=alice.headers,
                   json={"albumUsers": [{"userId": bob.id, "role": "editor"}, {"userId": carol.id, "role": "viewer"}]})
    assert r.status_code == 200
    assert {u["user"]["id"]: u["role"] for u in r.json()["albumUsers"]} == {
        alice.id: "owner", bob.id: "editor", carol.id: "viewer"}
    assert r.json()["shared"] is True
    # Both see it among their albums and can read it.
    for who in (bob, carol):
        assert album in [x["id"] for x in client.get("/api/albums", headers=who.headers).json()]
        assert client.get(f"/api/albums/{album}", headers=who.headers).status_code == 200
    # The editor adds their own photo; the viewer cannot add anything.
    res = client.put(f"/api/albums/{album}/assets", headers=bob.headers, json={"ids": [b]})
    assert res.status_code == 200 and res.json()[0]["success"] is True
    res = client.put(f"/api/albums/{album}/assets", headers=carol.headers, json={"ids": [c]})
    assert res.status_code == 400 or res.json()[0]["success"] is False
    # Members read the album's photos, whoever owns them (and nothing else of the owner's).
    for who in (bob, carol):
        assert client.get(f"/api/assets/{a}", headers=who.headers).status_code == 200
        assert client.get(f"/api/assets/{a}/thumbnail", headers=who.headers).status_code in (200, 404)
    # Only the owner manages members; a member can leave.
    assert client.put(f"/api/albums/{album}/user/{carol.id}", headers=bob.headers,
                      json={"role": "editor"}).status_code == 400
    assert client.put(f"/api/albums/{album}/user/{carol.id}", headers=alice.headers,
                      json={"role": "editor"}).status_code == 204
    assert client.delete(f"/api/albums/{album}/user/{bob.id}", headers=carol.headers).status_code == 400
    assert client.delete(f"/api/albums/{album}/user/me", headers=carol.headers).status_code == 204
    assert client.get(f"/api/albums/{album}", headers=carol.headers).status_code == 400
    assert client.get(f"/api/assets/{a}", headers=carol.headers).status_code == 400
    assert client.delete(f"/api/albums/{album}/user/{bob.id}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/albums/{album}", headers=bob.headers).status_code == 400


def test_cannot_add_bad_users(client: TestClient, alice: Account, bob: Account) -> None:
    album = _album(client, alice, [])
    nobody = "5f1b3f7e-4b9c-4f7e-9a51-1d2f3e4a5b6c"
    for users in ([{"userId": alice.id}], [{"userId": nobody}]):
        assert client.put(f"/api/albums/{album}/users", headers=alice.headers,
                          json={"albumUsers": users}).status_code == 400
    assert client.put(f"/api/albums/{album}/users", headers=bob.headers,
                      json={"albumUsers": [{"userId": bob.id}]}).status_code == 400


def test_activity(client: TestClient, alice: Account, bob: Account) -> None:
    a = _upload(client, alice, PHOTOS[0].read_bytes(), PHOTOS[0].name)
    album = _album(client, alice, [a])
    client.put(f"/api/albums/{album}/users", headers=alice.headers, json={"albumUsers": [{"userId": bob.id}]})
    r = client.post("/api/activities", headers=bob.headers,
                    json={"albumId": album, "assetId": a, "type": "comment", "comment": "<b>lovely</b>"})
    assert r.status_code == 201 and r.json()["comment"] == "<b>lovely</b>" and r.json()["user"]["id"] == bob.id
    comment_id = r.json()["id"]
    like = client.post("/api/activities", headers=alice.headers, json={"albumId": album, "type": "like"})
    assert like.status_code == 201
    again = client.post("/api/activities", headers=alice.headers, json={"albumId": album, "type": "like"})
    assert again.status_code == 200 and again.json()["id"] == like.json()["id"]
    listed = client.get("/api/activities", headers=alice.headers, params={"albumId": album}).json()
    assert [x["type"] for x in listed] == ["comment", "like"]
    only_asset = client.get("/api/activities", headers=bob.headers, params={"albumId": album, "level": "asset"}).json()
    assert [x["id"] for x in only_asset] == [comment_id]
    stats = client.get("/api/activities/statistics", headers=bob.headers, params={"albumId": album}).json()
    assert stats == {"comments": 1, "likes": 1}
    # Alice (owner) may delete Bob's comment; Bob may not delete Alice's like.
    assert client.delete(f"/api/activities/{like.json()['id']}", headers=bob.headers).status_code == 400
    assert client.delete(f"/api/activities/{comment_id}", headers=alice.headers).status_code == 204
    # Switched off, nobody can add more.
    client.patch(f"/api/albums/{album}", headers=alice.headers, json={"isActivityEnabled": False})
    r = client.post("/api/activities", headers=bob.headers, json={"albumId": album, "type": "comment", "comment": "x"})
    assert r.status_code == 400


def test_strangers_see_no_activity(client: TestClient, alice: Account, bob: Account) -> None:
    album = _album(client, alice, [])
    client.post("/api/activities", headers=alice.headers, json={"albumId": album, "type": "comment", "comment": "hi"})
    assert client.get("/api/activities", headers=bob.headers, params={"albumId": album}).status_code == 400
    assert client.post("/api/activities", headers=bob.headers,
                       json={"albumId": album, "type": "like"}).status_code == 400
    assert client.get("/api/activities/statistics", headers=bob.headers, params={"albumId": album}).status_code == 400

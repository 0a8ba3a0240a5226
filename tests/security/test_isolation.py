"""One suite, every resource: a stranger gets 4xx and nothing changes (the pattern Mealie uses).

Each case creates a resource as Alice, then Bob tries every operation on it. After Bob's attempts, Alice reads
the resource back and it must be unchanged. New resources join by adding a Case to CASES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account, login


@dataclass
class Case:
    name: str
    create: Callable[[TestClient, Account], str]  # returns the resource id
    read: Callable[[TestClient, Account, str], Any]  # what "unchanged" compares
    attacks: list[tuple[str, str, dict[str, Any] | None]]  # (method, path with {id}, json body)


def _api_key(c: TestClient, a: Account) -> str:
    return str(c.post("/api/api-keys", headers=a.headers, json={"name": "mine", "permissions": ["all"]})
               .json()["apiKey"]["id"])


def _read_api_key(c: TestClient, a: Account, rid: str) -> Any:
    return c.get(f"/api/api-keys/{rid}", headers=a.headers).json()


def _session(c: TestClient, a: Account) -> str:
    login(c, a.email)
    c.cookies.clear()
    return str(next(s["id"] for s in c.get("/api/sessions", headers=a.headers).json() if not s["current"]))


def _read_session(c: TestClient, a: Account, rid: str) -> Any:
    return next((s for s in c.get("/api/sessions", headers=a.headers).json() if s["id"] == rid), None)


def _me(c: TestClient, a: Account) -> str:
    return a.id


def _read_me(c: TestClient, a: Account, rid: str) -> Any:
    me = c.get("/api/users/me", headers=a.headers).json()
    return {k: me[k] for k in ("email", "name", "isAdmin", "quotaSizeInBytes", "storageLabel", "deletedAt")}



def _album(c: TestClient, a: Account) -> str:
    from tests.library.factory import insert_asset

    asset = insert_asset(c, a.id, "2024-01-10T10:00:00", 0)
    r = c.post("/api/albums", headers=a.headers, json={"albumName": "Alice's", "assetIds": [asset]})
    return str(r.json()["id"])


def _read_album(c: TestClient, a: Account, rid: str) -> Any:
    r = c.get(f"/api/albums/{rid}", headers=a.headers)
    return r.json() if r.status_code == 200 else None


def _person(c: TestClient, a: Account) -> str:
    r = c.post("/api/people", headers=a.headers, json={"name": "Alice's friend", "birthDate": "1990-01-02"})
    return str(r.json()["id"])


def _read_person(c: TestClient, a: Account, rid: str) -> Any:
    r = c.get(f"/api/people/{rid}", headers=a.headers)
    stats = c.get(f"/api/people/{rid}/statistics", headers=a.headers).json()
    return (r.json(), stats) if r.status_code == 200 else None


_FACE_ASSET: dict[str, str] = {}


def _face(c: TestClient, a: Account) -> str:
    """A face drawn by hand on one of Alice's photos, on one of her people (no model needed)."""
    from tests.library.factory import insert_asset

    asset = insert_asset(c, a.id, "2024-01-10T10:00:00", 0)
    body = {"assetId": asset, "personId": _person(c, a), "x": 10, "y": 10, "width": 50, "height": 50,
            "imageWidth": 400, "imageHeight": 300}
    assert c.post("/api/faces", headers=a.headers, json=body).status_code == 201
    face = str(c.get("/api/faces", headers=a.headers, params={"id": asset}).json()[0]["id"])
    _FACE_ASSET[face] = asset
    return face


def _read_face(c: TestClient, a: Account, rid: str) -> Any:
    return c.get("/api/faces", headers=a.headers, params={"id": _FACE_ASSET[rid]}).json()


def _duplicate_group(c: TestClient, a: Account) -> str:
    """Two of Alice's photos in one near-duplicate group (rows written directly: no models needed)."""
    import uuid

    from photonest.db.tables import AssetDuplicate
    from tests.library.factory import insert_asset

    gid = str(uuid.uuid4())
    ids = [insert_asset(c, a.id, "2024-01-10T10:00:00", 0), insert_asset(c, a.id, "2024-01-10T10:00:05", 0)]
    with c.app.state.db.session() as s:  # type: ignore[attr-defined]
        for i in ids:
            s.add(AssetDuplicate(asset_id=i, dhash=b"\x01" * 8, duplicate_id=gid))
    return gid


def _read_duplicates(c: TestClient, a: Account, rid: str) -> Any:
    return [(g["duplicateId"], sorted(x["id"] for x in g["assets"]), [x["isTrashed"] for x in g["assets"]])
            for g in c.get("/api/duplicates", headers=a.headers).json()]


CASES = [
    Case("api key", _api_key, _read_api_key, [
        ("GET", "/api/api-keys/{id}", None),
        ("PUT", "/api/api-keys/{id}", {"name": "pwned", "permissions": ["all"]}),
        ("DELETE", "/api/api-keys/{id}", None),
    ]),
    Case("session", _session, _read_session, [
        ("PUT", "/api/sessions/{id}", {"isPendingSyncReset": True}),
        ("POST", "/api/sessions/{id}/lock", None),
        ("DELETE", "/api/sessions/{id}", None),
    ]),
    Case("user (admin routes)", _me, _read_me, [
        ("GET", "/api/admin/users/{id}", None),
        ("PUT", "/api/admin/users/{id}", {"name": "pwned", "isAdmin": True, "quotaSizeInBytes": 1}),
        ("DELETE", "/api/admin/users/{id}", {"force": True}),
        ("POST", "/api/admin/users/{id}/restore", None),
        ("GET", "/api/admin/users/{id}/sessions", None),
        ("GET", "/api/admin/users/{id}/preferences", None),
        ("PUT", "/api/admin/users/{id}/preferences", {"memories": {"enabled": False}}),
        ("GET", "/api/admin/users/{id}/statistics", None),
    ]),
    Case("album", _album, _read_album, [
        ("GET", "/api/albums/{id}", None),
        ("GET", "/api/albums/{id}/map-markers", None),
        ("PATCH", "/api/albums/{id}", {"albumName": "pwned", "description": "pwned"}),
        ("PUT", "/api/albums/{id}/assets", {"ids": ["4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"]}),
        ("DELETE", "/api/albums/{id}/assets", {"ids": ["4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"]}),
        ("DELETE", "/api/albums/{id}", None),
        ("GET", "/api/timeline/buckets?albumId={id}", None),
        ("GET", "/api/timeline/bucket?albumId={id}&timeBucket=2024-01-01", None),
    ]),
    Case("person", _person, _read_person, [
        ("GET", "/api/people/{id}", None),
        ("PUT", "/api/people/{id}", {"name": "pwned", "isHidden": True, "birthDate": None}),
        ("GET", "/api/people/{id}/thumbnail", None),
        ("GET", "/api/people/{id}/statistics", None),
        ("POST", "/api/people/{id}/merge", {"ids": []}),
        ("PUT", "/api/people/{id}/reassign", {"data": []}),
        ("PUT", "/api/faces/{id}", {"id": "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"}),
        ("DELETE", "/api/people/{id}", None),
        ("GET", "/api/people?closestPersonId={id}", None),
        ("POST", "/api/people/suggestions/answers",
         {"personId": "{id}", "otherId": "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f", "samePerson": False}),
        ("POST", "/api/people/suggestions/answers",
         {"personId": "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f", "otherId": "{id}", "samePerson": True}),
        ("DELETE", "/api/people/suggestions/answers?personId={id}&otherId=4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f",
         None),
    ]),
    Case("duplicate group", _duplicate_group, _read_duplicates, [
        ("DELETE", "/api/duplicates/{id}", None),
    ]),
    Case("face", _face, _read_face, [
        ("DELETE", "/api/faces/{id}", {"force": True}),
        ("DELETE", "/api/faces/{id}", {"force": False}),
        ("GET", "/api/faces?id={id}", None),
    ]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_stranger_cannot_read_or_change(client: TestClient, alice: Account, bob: Account, case: Case) -> None:
    rid = case.create(client, alice)
    client.cookies.clear()
    before = case.read(client, alice, rid)
    assert before is not None
    for method, path, body in case.attacks:
        r = client.request(method, path.format(id=rid), headers=bob.headers, json=body)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
    client.cookies.clear()
    assert case.read(client, alice, rid) == before


def test_lists_show_only_own_things(client: TestClient, alice: Account, bob: Account) -> None:
    _api_key(client, alice)
    client.cookies.clear()
    assert client.get("/api/api-keys", headers=bob.headers).json() == []
    bob_sessions = client.get("/api/sessions", headers=bob.headers).json()
    assert len(bob_sessions) == 1 and bob_sessions[0]["current"]


def test_admin_sees_accounts_not_private_data(client: TestClient, admin: Account, alice: Account) -> None:
    key = _api_key(client, alice)
    client.cookies.clear()
    assert client.get(f"/api/api-keys/{key}", headers=admin.headers).status_code == 400
    assert client.get("/api/api-keys", headers=admin.headers).json() == []


def test_cookie_auth_has_no_state_change_on_get(client: TestClient, admin: Account) -> None:
    # Every GET under /api is side-effect free for users and keys: a cross-site GET with cookies changes nothing.
    before = client.get("/api/users/me", headers=admin.headers).json()
    for path in ("/api/auth/logout", "/api/sessions", "/api/api-keys", "/api/users/me/preferences"):
        client.get(path, headers=admin.headers)
    assert client.get("/api/users/me", headers=admin.headers).json() == before


def test_timeline_and_albums_show_only_own_things(client: TestClient, alice: Account, bob: Account) -> None:
    from tests.library.factory import insert_asset

    mine = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    archived = insert_asset(client, alice.id, "2024-01-11T10:00:00", 0, visibility="archive")
    album = _album(client, alice)
    before = _read_album(client, alice, album)
    # Bob's timeline, whatever he asks for, never holds Alice's photos.
    for params in ({}, {"visibility": "archive"}, {"visibility": "hidden"}, {"isTrashed": "true"},
                   {"isFavorite": "false"}, {"order": "asc"}, {"withCoordinates": "true"}):
        r = client.get("/api/timeline/buckets", headers=bob.headers, params=params)
        assert r.status_code == 200 and r.json() == [], params
        r = client.get("/api/timeline/bucket", headers=bob.headers, params={"timeBucket": "2024-01-01", **params})
        assert r.status_code == 200 and r.json()["id"] == [], params
    r = client.get("/api/timeline/buckets", headers=bob.headers, params={"userId": alice.id})
    assert r.status_code == 400
    # Nor his album list, even asked by Alice's asset or album id; bulk adds to her album are refused.
    assert client.get("/api/albums", headers=bob.headers).json() == []
    assert client.get("/api/albums", headers=bob.headers, params={"assetId": mine}).json() == []
    assert client.get("/api/albums", headers=bob.headers, params={"id": album}).json() == []
    r = client.put("/api/albums/assets", headers=bob.headers, json={"albumIds": [album], "assetIds": [archived]})
    assert r.json() == {"success": False, "error": "no_permission"}
    # Nor may he put Alice's photos into an album of his own.
    own = client.post("/api/albums", headers=bob.headers, json={"albumName": "Bob's", "assetIds": [mine]}).json()
    assert own["assetCount"] == 0
    r = client.put(f"/api/albums/{own['id']}/assets", headers=bob.headers, json={"ids": [mine, archived]})
    assert [x["error"] for x in r.json()] == ["no_permission", "no_permission"]
    assert client.get("/api/albums/statistics", headers=bob.headers).json() == {
        "owned": 1, "shared": 0, "notShared": 1}
    assert _read_album(client, alice, album) == before


def test_duplicates_and_smart_search_show_only_own_things(client: TestClient, alice: Account, bob: Account) -> None:
    from photonest.db.tables import AssetLabel
    from tests.library.factory import insert_asset

    gid = _duplicate_group(client, alice)
    before = _read_duplicates(client, alice, gid)
    assert client.get("/api/duplicates", headers=bob.headers).json() == []
    r = client.request("DELETE", "/api/duplicates", headers=bob.headers, json={"ids": [gid]})
    assert r.status_code == 400
    # Resolve answers per group (200, as Immich): Bob's attempt fails and changes nothing.
    trash = before[0][1][0]
    r = client.post("/api/duplicates/resolve", headers=bob.headers, json={"groups": [
        {"duplicateId": gid, "keepAssetIds": [], "trashAssetIds": [trash]}]})
    assert r.status_code == 200 and r.json()[0]["success"] is False
    assert _read_duplicates(client, alice, gid) == before

    cat = insert_asset(client, alice.id, "2024-01-12T10:00:00", 0)
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.add(AssetLabel(asset_id=cat, label="tabby cat", score=0.9))
    mine = client.post("/api/search/smart", headers=alice.headers, json={"query": "cat"}).json()
    assert [a["id"] for a in mine["assets"]["items"]] == [cat]
    theirs = client.post("/api/search/smart", headers=bob.headers, json={"query": "cat"})
    assert theirs.status_code == 200 and theirs.json()["assets"]["items"] == []
    r = client.post("/api/search/smart", headers=bob.headers, json={"queryAssetId": cat})
    assert r.status_code == 400

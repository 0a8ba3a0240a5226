"""The isolation suite, continued for the library's resources (see test_isolation.py for the pattern), then the
other two sides of sharing: a shared album's viewer reads but cannot write, and a share-link holder reaches
exactly the link's assets, until the link expires or is revoked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_downloads import PHOTOS, _upload
from tests.conftest import Account
from tests.security.test_isolation import Case, test_stranger_cannot_read_or_change


def _asset(c: TestClient, a: Account) -> str:
    return _upload(c, a, PHOTOS[0].read_bytes(), PHOTOS[0].name)


def _read_asset(c: TestClient, a: Account, rid: str) -> Any:
    d = c.get(f"/api/assets/{rid}", headers=a.headers).json()
    return {k: d.get(k) for k in ("isFavorite", "visibility", "isTrashed", "exifInfo", "checksum")}


def _tag(c: TestClient, a: Account) -> str:
    return str(c.put("/api/tags", headers=a.headers, json={"tags": ["Secret/Place"]}).json()[0]["id"])


def _read_tag(c: TestClient, a: Account, rid: str) -> Any:
    return c.get(f"/api/tags/{rid}", headers=a.headers).json()


def _stack(c: TestClient, a: Account) -> str:
    ids = [_upload(c, a, p.read_bytes(), p.name) for p in PHOTOS[:2]]
    return str(c.post("/api/stacks", headers=a.headers, json={"assetIds": ids}).json()["id"])


def _read_stack(c: TestClient, a: Account, rid: str) -> Any:
    return c.get(f"/api/stacks/{rid}", headers=a.headers).json()


def _memory(c: TestClient, a: Account) -> str:
    return str(c.post("/api/memories", headers=a.headers, json={
        "type": "on_this_day", "data": {"year": 2020}, "memoryAt": "2020-01-01T00:00:00Z",
        "assetIds": [_asset(c, a)]}).json()["id"])


def _read_memory(c: TestClient, a: Account, rid: str) -> Any:
    return c.get(f"/api/memories/{rid}", headers=a.headers).json()


def _link(c: TestClient, a: Account) -> str:
    return str(c.post("/api/shared-links", headers=a.headers,
                      json={"type": "INDIVIDUAL", "assetIds": [_asset(c, a)]}).json()["id"])


def _read_link(c: TestClient, a: Account, rid: str) -> Any:
    return c.get(f"/api/shared-links/{rid}", headers=a.headers).json()


def _album_with_activity(c: TestClient, a: Account) -> str:
    album = c.post("/api/albums", headers=a.headers, json={"albumName": "A", "assetIds": [_asset(c, a)]}).json()
    act = c.post("/api/activities", headers=a.headers, json={"albumId": album["id"], "type": "comment",
                                                             "comment": "mine"}).json()
    return f"{album['id']}/{act['id']}"


def _read_activity(c: TestClient, a: Account, rid: str) -> Any:
    album, _ = rid.split("/")
    return c.get("/api/activities", headers=a.headers, params={"albumId": album}).json()


OTHER = "5f1b3f7e-4b9c-4f7e-9a51-1d2f3e4a5b6c"
CASES = [
    Case("asset", _asset, _read_asset, [
        ("GET", "/api/assets/{id}", None), ("GET", "/api/assets/{id}/original", None),
        ("GET", "/api/assets/{id}/thumbnail", None), ("GET", "/api/assets/{id}/thumbnail?size=preview", None),
        ("GET", "/api/assets/{id}/video/playback", None),
        ("PUT", "/api/assets/{id}", {"isFavorite": True, "description": "pwned", "visibility": "archive"}),
        ("PUT", "/api/assets", {"ids": ["{id}"], "isFavorite": True}),
        ("DELETE", "/api/assets", {"ids": ["{id}"], "force": True}),
        ("POST", "/api/download/archive", {"assetIds": ["{id}"]}),
        ("POST", "/api/download/info", {"assetIds": ["{id}"]}),
        ("POST", "/api/trash/restore/assets", {"ids": ["{id}"]}),
        ("POST", "/api/shared-links", {"type": "INDIVIDUAL", "assetIds": ["{id}"]}),
        ("POST", "/api/stacks", {"assetIds": ["{id}", OTHER]}),
    ]),
    Case("tag", _tag, _read_tag, [
        ("GET", "/api/tags/{id}", None), ("PUT", "/api/tags/{id}", {"color": "#000000", "name": "x"}),
        ("DELETE", "/api/tags/{id}", None), ("PUT", "/api/tags/{id}/assets", {"ids": [OTHER]}),
        ("GET", "/api/timeline/buckets?tagId={id}", None),
    ]),
    Case("stack", _stack, _read_stack, [
        ("GET", "/api/stacks/{id}", None), ("PUT", "/api/stacks/{id}", {"primaryAssetId": OTHER}),
        ("DELETE", "/api/stacks/{id}", None), ("DELETE", "/api/stacks", {"ids": ["{id}"]}),
    ]),
    Case("memory", _memory, _read_memory, [
        ("GET", "/api/memories/{id}", None), ("PUT", "/api/memories/{id}", {"isSaved": True}),
        ("DELETE", "/api/memories/{id}", None), ("PUT", "/api/memories/{id}/assets", {"ids": [OTHER]}),
    ]),
    Case("shared link", _link, _read_link, [
        ("GET", "/api/shared-links/{id}", None), ("PATCH", "/api/shared-links/{id}", {"allowDownload": False}),
        ("DELETE", "/api/shared-links/{id}", None), ("PUT", "/api/shared-links/{id}/assets", {"assetIds": [OTHER]}),
    ]),
    Case("activity", _album_with_activity, _read_activity, [
        ("GET", "/api/activities?albumId={album}", None), ("DELETE", "/api/activities/{activity}", None),
        ("POST", "/api/activities", {"albumId": "{album}", "type": "like"}),
        ("GET", "/api/activities/statistics?albumId={album}", None),
        ("PUT", "/api/albums/{album}/users", {"albumUsers": [{"userId": OTHER}]}),
    ]),
]


def _fill(value: Any, rid: str) -> Any:
    parts = {"id": rid}
    if "/" in rid:
        parts["album"], parts["activity"] = rid.split("/")
    if isinstance(value, str):
        for k, v in parts.items():
            value = value.replace("{" + k + "}", v)
        return value
    if isinstance(value, list):
        return [_fill(v, rid) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, rid) for k, v in value.items()}
    return value


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_stranger_cannot_touch_library(client: TestClient, alice: Account, bob: Account, case: Case) -> None:
    rid = case.create(client, alice)
    client.cookies.clear()
    before = case.read(client, alice, rid)
    for method, path, body in case.attacks:
        r = client.request(method, _fill(path, rid), headers=bob.headers, json=_fill(body, rid))
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
    client.cookies.clear()
    assert case.read(client, alice, rid) == before


assert test_stranger_cannot_read_or_change  # the foundation's cases run in test_isolation.py


def test_lists_and_searches_hold_nothing_of_others(client: TestClient, alice: Account, bob: Account) -> None:
    a = _asset(client, alice)
    client.put("/api/tags", headers=alice.headers, json={"tags": ["Hers"]})
    client.post("/api/shared-links", headers=alice.headers, json={"type": "INDIVIDUAL", "assetIds": [a]})
    for path in ("/api/tags", "/api/stacks", "/api/shared-links", "/api/map/markers", "/api/memories",
                 "/api/albums"):
        r = client.get(path, headers=bob.headers)
        assert r.status_code == 200 and r.json() == [], path
    # An album made with someone else's photo skips it (as Immich does): nothing of Alice's goes in.
    stolen = client.post("/api/albums", headers=bob.headers, json={"albumName": "x", "assetIds": [a]}).json()
    assert stolen["assetCount"] == 0
    stats = client.get("/api/assets/statistics", headers=bob.headers).json()
    assert stats["total"] == 0
    r = client.post("/api/download/info", headers=bob.headers, json={"userId": bob.id})
    assert r.status_code == 201 and r.json()["totalSize"] == 0


def test_album_viewer_reads_but_cannot_write(client: TestClient, alice: Account, bob: Account) -> None:
    a = _asset(client, alice)
    mine = _upload(client, bob, PHOTOS[1].read_bytes(), PHOTOS[1].name)
    album = client.post("/api/albums", headers=alice.headers, json={"albumName": "Look", "assetIds": [a]}).json()["id"]
    client.put(f"/api/albums/{album}/users", headers=alice.headers,
               json={"albumUsers": [{"userId": bob.id, "role": "viewer"}]})
    for path in (f"/api/albums/{album}", f"/api/assets/{a}", f"/api/assets/{a}/thumbnail?size=preview",
                 f"/api/timeline/buckets?albumId={album}"):
        assert client.get(path, headers=bob.headers).status_code in (200, 404), path  # 404: no thumbnail yet
    before = client.get(f"/api/albums/{album}", headers=alice.headers).json()
    for method, path, body in (
            ("PATCH", f"/api/albums/{album}", {"albumName": "pwned"}),
            ("PUT", f"/api/albums/{album}/assets", {"ids": [mine]}),
            ("DELETE", f"/api/albums/{album}/assets", {"ids": [a]}),
            ("DELETE", f"/api/albums/{album}", None),
            ("PUT", f"/api/albums/{album}/users", {"albumUsers": [{"userId": OTHER}]}),
            ("PUT", f"/api/assets/{a}", {"isFavorite": True}),
            ("DELETE", "/api/assets", {"ids": [a]}),
            ("POST", "/api/shared-links", {"type": "ALBUM", "albumId": album})):
        r = client.request(method, path, headers=bob.headers, json=body)
        ok = r.status_code >= 400 or (isinstance(r.json(), list) and not any(x.get("success") for x in r.json()))
        assert ok, (method, path, r.status_code, r.text)
    after = client.get(f"/api/albums/{album}", headers=alice.headers).json()
    assert (after["albumName"], after["assetCount"]) == (before["albumName"], before["assetCount"])
    assert client.get(f"/api/assets/{a}", headers=alice.headers).json()["isFavorite"] is False


def test_link_holder_reaches_exactly_the_link(client: TestClient, alice: Account) -> None:
    inside = _asset(client, alice)
    outside = _upload(client, alice, PHOTOS[1].read_bytes(), PHOTOS[1].name)
    link = client.post("/api/shared-links", headers=alice.headers,
                       json={"type": "INDIVIDUAL", "assetIds": [inside], "allowDownload": False}).json()
    client.cookies.clear()
    k = {"key": link["key"]}
    assert client.get(f"/api/assets/{inside}", params=k).status_code == 200
    assert client.get(f"/api/assets/{inside}/thumbnail", params=k).status_code in (200, 404)
    assert client.get(f"/api/assets/{inside}/original", params=k).status_code in (400, 403)  # no downloads
    for path in (f"/api/assets/{outside}", f"/api/assets/{outside}/thumbnail", f"/api/assets/{outside}/original"):
        assert client.get(path, params=k).status_code in (400, 401, 403), path
    for path in ("/api/albums", "/api/users/me", "/api/map/markers", "/api/tags", "/api/memories",
                 "/api/assets/statistics", "/api/shared-links", "/api/partners?direction=shared-by"):
        assert client.get(path, params=k).status_code in (401, 403), path
    total = sum(b["count"] for b in client.get("/api/timeline/buckets", params=k).json())
    assert total == 1
    for method, path, body in (("PUT", f"/api/assets/{inside}", {"isFavorite": True}),
                               ("DELETE", "/api/assets", {"ids": [inside]}),
                               ("POST", "/api/albums", {"albumName": "x"}),
                               ("POST", "/api/download/archive", {"assetIds": [inside]})):
        assert client.request(method, path, params=k, json=body).status_code in (400, 401, 403), (method, path)
    assert client.get(f"/api/assets/{inside}", headers=alice.headers).json()["isFavorite"] is False


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_dead_link_sees_nothing(client: TestClient, alice: Account, how: str) -> None:
    a = _asset(client, alice)
    link = client.post("/api/shared-links", headers=alice.headers,
                       json={"type": "INDIVIDUAL", "assetIds": [a]}).json()
    if how == "expired":
        past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
        client.patch(f"/api/shared-links/{link['id']}", headers=alice.headers, json={"expiresAt": past})
    else:
        client.delete(f"/api/shared-links/{link['id']}", headers=alice.headers)
    client.cookies.clear()
    k = {"key": link["key"]}
    for path in ("/api/shared-links/me", f"/api/assets/{a}", f"/api/assets/{a}/thumbnail",
                 f"/api/assets/{a}/original", "/api/timeline/buckets"):
        # 401, or 429 once the unknown key has been tried a few times: either way nothing.
        assert client.get(path, params=k).status_code in (401, 429), path
    assert client.post("/api/download/archive", params=k, json={"assetIds": [a]}).status_code in (401, 429)

"""Search never reaches another user's assets: not by id, checksum, camera, place, file name, album, person or
tag ids, nor through statistics, random, large assets or explore; a partner's library only as Immich allows it
(timeline and archive, never trash, hidden or locked); a share-link holder finds only the link's assets."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import JPEG, JPEG2, upload

pytestmark = pytest.mark.postgres


def _put(client: TestClient, who: Account, path: Any = JPEG) -> str:
    r = upload(client, who, path)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _found(client: TestClient, who: Account | None, body: dict[str, Any], **params: str) -> set[str]:
    r = client.post("/api/search/metadata", headers=who.headers if who else {}, params=params, json=body)
    assert r.status_code == 200, r.text
    return {i["id"] for i in r.json()["assets"]["items"]}


def test_stranger_finds_nothing_of_anothers(client: TestClient, alice: Account, bob: Account) -> None:
    a1, a2 = _put(client, alice, JPEG), _put(client, alice, JPEG2)
    client.app.state.jobs.drain()  # type: ignore[attr-defined]
    h = alice.headers
    album = client.post("/api/albums", headers=h, json={"albumName": "A", "assetIds": [a1]}).json()["id"]
    person = client.post("/api/people", headers=h, json={"name": "Ann"}).json()["id"]
    assert client.post("/api/faces", headers=h, json={
        "assetId": a1, "personId": person, "imageWidth": 400, "imageHeight": 300,
        "x": 1, "y": 1, "width": 9, "height": 9}).status_code == 201
    tag = client.put("/api/tags", headers=h, json={"tags": ["Secret"]}).json()[0]["id"]
    assert client.put(f"/api/tags/{tag}/assets", headers=h, json={"ids": [a1]}).status_code == 200
    sha = hashlib.sha1(JPEG.read_bytes()).hexdigest()
    probes: list[dict[str, Any]] = [
        {}, {"id": a1}, {"checksum": sha}, {"make": "Canon"}, {"originalFileName": "Furnace"},
        {"albumIds": [album]}, {"personIds": [person]}, {"tagIds": [tag]}, {"withDeleted": True},
        {"visibility": "archive"}, {"visibility": "hidden"}, {"city": None}]
    # Alice finds her own (the probes are real matches) ...
    assert _found(client, alice, {"id": a1, "make": "Canon", "albumIds": [album], "personIds": [person],
                                  "tagIds": [tag], "checksum": sha}) == {a1}
    # ... Bob, with nothing of his own, finds nothing by any of them.
    for body in probes:
        assert _found(client, bob, body) == set(), body
        r = client.post("/api/search/statistics", headers=bob.headers, json=body)
        assert r.status_code == 200 and r.json()["total"] == 0, body
        r = client.post("/api/search/random", headers=bob.headers, json=body)
        assert r.status_code == 200 and r.json() == [], body
    assert client.post("/api/search/large-assets", headers=bob.headers).json() == []
    assert client.post("/api/search/large-assets", headers=bob.headers, params={"make": "Canon"}).json() == []
    assert all(f["items"] == [] for f in client.get("/api/search/explore", headers=bob.headers).json())
    assert client.post("/api/search/statistics", headers=alice.headers, json={}).json()["total"] == 2
    assert {a1, a2} == _found(client, alice, {})


def test_partner_search_shows_only_what_partners_share(client: TestClient, alice: Account, bob: Account,
                                                      tmp_path: Path) -> None:
    shown, archived, trashed, locked = (_put(client, bob, p) for p in (JPEG, JPEG2, *_variants(tmp_path, 2)))
    client.app.state.jobs.drain()  # type: ignore[attr-defined]
    b = bob.headers
    assert client.post("/api/partners", headers=b, json={"sharedWithId": alice.id}).status_code == 201
    assert client.put(f"/api/partners/{bob.id}", headers=alice.headers, json={"inTimeline": True}).status_code == 200
    assert client.put("/api/assets", headers=b, json={"ids": [archived], "visibility": "archive"}).status_code == 204
    assert client.request("DELETE", "/api/assets", headers=b, json={"ids": [trashed]}).status_code == 204
    assert client.post("/api/auth/pin-code", headers=b, json={"pinCode": "123456"}).status_code == 204
    assert client.post("/api/auth/session/unlock", headers=b, json={"pinCode": "123456"}).status_code == 204
    assert client.put("/api/assets", headers=b, json={"ids": [locked], "visibility": "locked"}).status_code == 204
    assert _found(client, alice, {}) == {shown, archived}
    assert _found(client, alice, {"withDeleted": True}) == {shown, archived}
    assert _found(client, alice, {"trashedAfter": "2000-01-01T00:00:00Z"}) == set()
    # Alice's own locked folder (her session unlocked) holds none of Bob's locked assets.
    a = alice.headers
    assert client.post("/api/auth/pin-code", headers=a, json={"pinCode": "654321"}).status_code == 204
    assert client.post("/api/auth/session/unlock", headers=a, json={"pinCode": "654321"}).status_code == 204
    assert _found(client, alice, {"visibility": "locked"}) == set()
    assert client.post("/api/search/statistics", headers=a, json={"withDeleted": True}).json()["total"] == 2
    # Bob sees all of his own
    assert _found(client, bob, {"withDeleted": True, "visibility": "archive"}) == {archived}
    # Nothing of the partner once the share ends.
    assert client.delete(f"/api/partners/{alice.id}", headers=b).status_code == 204
    assert _found(client, alice, {}) == set()


def test_share_link_holder_searches_only_the_link(client: TestClient, alice: Account) -> None:
    shared, private = _put(client, alice, JPEG), _put(client, alice, JPEG2)
    client.app.state.jobs.drain()  # type: ignore[attr-defined]
    r = client.post("/api/shared-links", headers=alice.headers, json={"type": "INDIVIDUAL", "assetIds": [shared]})
    assert r.status_code == 201, r.text
    key = r.json()["key"]
    client.cookies.clear()
    assert _found(client, None, {}, key=key) == {shared}
    assert _found(client, None, {"id": private}, key=key) == set()
    assert _found(client, None, {"make": "Canon"}, key=key) == {shared}
    # Only metadata search admits a link, as in Immich's contract.
    assert client.post("/api/search/statistics", params={"key": key}, json={}).status_code == 401
    assert client.post("/api/search/random", params={"key": key}, json={}).status_code == 401


def _variants(folder: Path, n: int) -> list[Path]:
    """n more real JPEGs with checksums of their own (the same photo, a trailing byte apart)."""
    out = []
    for i in range(n):
        p = folder / f"copy{i}.jpg"
        p.write_bytes(JPEG.read_bytes() + b"\0" * (i + 1))
        out.append(p)
    return out

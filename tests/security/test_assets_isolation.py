"""A stranger (Bob) gets 4xx for every operation on Alice's asset, learns nothing of it, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.config import Settings
from tests.conftest import Account
from tests.uploading import JPEG, JPEG2, VIDEO, sha1, stats, upload

ATTACKS: list[tuple[str, str, Any]] = [
    ("GET", "/api/assets/{id}", None),
    ("PUT", "/api/assets/{id}", {"isFavorite": True, "description": "pwned", "visibility": "archive"}),
    ("PUT", "/api/assets", {"ids": ["{id}"], "isFavorite": True, "rating": 1}),
    ("DELETE", "/api/assets", {"ids": ["{id}"]}),
    ("DELETE", "/api/assets", {"ids": ["{id}"], "force": True}),
    ("GET", "/api/assets/{id}/original", None),
    ("GET", "/api/assets/{id}/thumbnail", None),
    ("GET", "/api/assets/{id}/thumbnail?size=fullsize", None),
    ("GET", "/api/assets/{id}/thumbnail?size=preview", None),
    ("GET", "/api/assets/{id}/video/playback", None),
    ("POST", "/api/trash/restore/assets", {"ids": ["{id}"]}),
    ("POST", "/api/assets/jobs", {"assetIds": ["{id}"], "name": "regenerate-thumbnail"}),
]


def _fill(body: Any, rid: str) -> Any:
    if isinstance(body, dict):
        return {k: _fill(v, rid) for k, v in body.items()}
    if isinstance(body, list):
        return [_fill(v, rid) for v in body]
    return body.replace("{id}", rid) if isinstance(body, str) else body


@pytest.mark.parametrize("source", [JPEG, VIDEO], ids=["photo", "video"])
@pytest.mark.parametrize("trashed", [False, True], ids=["live", "trashed"])
def test_stranger_cannot_touch_an_asset(client: TestClient, settings: Settings, alice: Account, bob: Account,
                                        source: Any, trashed: bool) -> None:
    rid = upload(client, alice, source).json()["id"]
    if trashed:
        client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [rid]})
    before = client.get(f"/api/assets/{rid}", headers=alice.headers).json()
    original = (settings.data / before["originalPath"]).read_bytes()
    for method, path, body in ATTACKS:
        r = client.request(method, path.format(id=rid), headers=bob.headers, json=_fill(body, rid))
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
        assert original not in r.content
    # Bob's trash operations are his own: they do not reach Alice's asset.
    assert client.post("/api/trash/empty", headers=bob.headers).json() == {"count": 0}
    assert client.post("/api/trash/restore", headers=bob.headers).json() == {"count": 0}
    assert client.get(f"/api/assets/{rid}", headers=alice.headers).json() == before
    assert (settings.data / before["originalPath"]).read_bytes() == original


def test_stranger_learns_nothing_from_checksums(client: TestClient, alice: Account, bob: Account) -> None:
    rid = upload(client, alice, JPEG).json()["id"]
    digest = sha1(JPEG.read_bytes())
    r = client.post("/api/assets/bulk-upload-check", headers=bob.headers,
                    json={"assets": [{"id": "x", "checksum": digest.hex()}]})
    assert r.json()["results"] == [{"id": "x", "action": "accept"}]
    # The checksum header does not reveal Alice's asset either: Bob's upload is his own new asset.
    r = upload(client, bob, JPEG, headers={"x-immich-checksum": digest.hex()})
    assert r.status_code == 201 and r.json()["id"] != rid
    # Nor can Bob link Alice's asset as his live photo video.
    vid = upload(client, alice, VIDEO).json()["id"]
    r = upload(client, bob, JPEG2, livePhotoVideoId=vid)
    assert r.status_code == 400 and "not found" in r.json()["message"]
    assert client.get(f"/api/assets/{vid}", headers=alice.headers).json()["visibility"] == "timeline"
    assert stats(client, bob)["total"] == 1 and stats(client, alice)["total"] == 2


def test_stranger_cannot_touch_a_tus_upload(client: TestClient, alice: Account, bob: Account) -> None:
    tus = {"Tus-Resumable": "1.0.0"}
    data = JPEG.read_bytes()
    r = client.post("/api/upload/tus", headers={**alice.headers, **tus, "Upload-Length": str(len(data)),
                                                "Upload-Metadata": "filename YS5qcGc="})
    loc = r.headers["location"]
    r = client.patch(loc, headers={**bob.headers, **tus, "Content-Type": "application/offset+octet-stream",
                                   "Upload-Offset": "0"}, content=data)
    assert r.status_code == 404
    assert client.head(loc, headers={**bob.headers, **tus}).status_code == 404
    assert client.delete(loc, headers={**bob.headers, **tus}).status_code == 404
    assert client.head(loc, headers={**alice.headers, **tus}).headers["upload-offset"] == "0"

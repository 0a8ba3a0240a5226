"""Asset metadata: a stranger (Bob) can neither read nor change the metadata of Alice's asset, whether it is live,
trashed or in her locked folder; a share-link holder reaches none of it; nothing Alice stored leaks or changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import JPEG, upload

SECRET = "icloud-secret-7f3a"


def _attacks(rid: str) -> list[tuple[str, str, object]]:
    return [
        ("GET", f"/api/assets/{rid}/metadata", None),
        ("GET", f"/api/assets/{rid}/metadata/mobile-app", None),
        ("PUT", f"/api/assets/{rid}/metadata", {"items": [{"key": "mobile-app", "value": {"iCloudId": "pwned"}}]}),
        ("PUT", f"/api/assets/{rid}/metadata", {"items": [{"key": "new", "value": {}}]}),
        ("DELETE", f"/api/assets/{rid}/metadata/mobile-app", None),
        ("PUT", "/api/assets/metadata", {"items": [{"assetId": rid, "key": "mobile-app", "value": {"x": 1}}]}),
        ("DELETE", "/api/assets/metadata", {"items": [{"assetId": rid, "key": "mobile-app"}]}),
    ]


def _stored(client: TestClient, alice: Account, rid: str) -> list[dict[str, object]]:
    r = client.get(f"/api/assets/{rid}/metadata", headers=alice.headers)
    assert r.status_code == 200, r.text
    return list(r.json())


@pytest.mark.parametrize("state", ["live", "trashed", "locked"])
def test_stranger_cannot_read_or_change_metadata(client: TestClient, alice: Account, bob: Account,
                                                  state: str) -> None:
    rid = upload(client, alice, JPEG).json()["id"]
    r = client.put(f"/api/assets/{rid}/metadata", headers=alice.headers,
                   json={"items": [{"key": "mobile-app", "value": {"iCloudId": SECRET}}]})
    assert r.status_code == 200, r.text
    # Bob is Alice's partner: he would see her timeline, never her trash or locked folder.
    client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id})
    if state == "trashed":
        client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [rid]})
    if state == "locked":  # Alice's session is unlocked with her PIN, so she still sees it; Bob never does
        for path in ("/api/auth/pin-code", "/api/auth/session/unlock"):
            assert client.post(path, headers=alice.headers, json={"pinCode": "123456"}).status_code == 204
        assert client.put(f"/api/assets/{rid}", headers=alice.headers,
                          json={"visibility": "locked"}).status_code == 200
    before = _stored(client, alice, rid)
    if state == "live":  # a plain stranger: the partnership ends
        assert client.request("DELETE", f"/api/partners/{bob.id}", headers=alice.headers).status_code == 204
    for method, path, body in _attacks(rid):
        r = client.request(method, path, headers=bob.headers, json=body)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
        assert SECRET not in r.text
    assert _stored(client, alice, rid) == before


def test_share_link_reaches_no_metadata(client: TestClient, alice: Account) -> None:
    rid = upload(client, alice, JPEG).json()["id"]
    client.put(f"/api/assets/{rid}/metadata", headers=alice.headers,
               json={"items": [{"key": "mobile-app", "value": {"iCloudId": SECRET}}]})
    r = client.post("/api/shared-links", headers=alice.headers,
                    json={"type": "INDIVIDUAL", "assetIds": [rid], "allowDownload": True})
    key = r.json()["key"]
    before = _stored(client, alice, rid)
    client.cookies.clear()
    assert client.get(f"/api/assets/{rid}", params={"key": key}).status_code == 200  # the link works
    for method, path, body in _attacks(rid):
        r = client.request(method, path, params={"key": key}, json=body)
        assert r.status_code == 401, (method, path, r.status_code, r.text)
        assert SECRET not in r.text
    assert _stored(client, alice, rid) == before

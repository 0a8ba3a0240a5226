"""An asset's tags (GET /assets/{id} "tags", which the web viewer shows and edits) are its owner's alone: someone
who sees the photo through a shared album or a share link gets it without them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import JPEG, upload


def test_tags_only_reach_the_owner(client: TestClient, alice: Account, bob: Account) -> None:
    a = upload(client, alice, JPEG).json()["id"]
    tag = client.put("/api/tags", headers=alice.headers, json={"tags": ["Private/Diagnosis"]}).json()[0]
    assert client.put(f"/api/tags/{tag['id']}/assets", headers=alice.headers, json={"ids": [a]}).status_code == 200
    mine = client.get(f"/api/assets/{a}", headers=alice.headers).json()
    assert [t["value"] for t in mine["tags"]] == ["Private/Diagnosis"]

    album = client.post("/api/albums", headers=alice.headers,
                        json={"albumName": "Shared", "assetIds": [a]}).json()["id"]
    r = client.put(f"/api/albums/{album}/users", headers=alice.headers,
                   json={"albumUsers": [{"userId": bob.id, "role": "viewer"}]})
    assert r.status_code == 200, r.text
    seen = client.get(f"/api/assets/{a}", headers=bob.headers)
    assert seen.status_code == 200 and seen.json()["tags"] == []
    # Nor can Bob untag it through the tag's id.
    r = client.request("DELETE", f"/api/tags/{tag['id']}/assets", headers=bob.headers, json={"ids": [a]})
    assert r.status_code >= 400 or not any(x.get("success") for x in r.json())

    key = client.post("/api/shared-links", headers=alice.headers,
                      json={"type": "INDIVIDUAL", "assetIds": [a]}).json()["key"]
    client.cookies.clear()
    via_link = client.get(f"/api/assets/{a}", params={"key": key})
    assert via_link.status_code == 200 and via_link.json()["tags"] == []
    assert [t["value"] for t in client.get(f"/api/assets/{a}", headers=alice.headers).json()["tags"]] \
        == ["Private/Diagnosis"]

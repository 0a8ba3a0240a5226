"""Folder view: another user (a stranger, or even a partner) never sees Alice's folders or the assets in them,
even when he knows the exact path."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import JPEG, upload


def test_folders_are_the_owners_only(client: TestClient, alice: Account, bob: Account) -> None:
    aid = upload(client, alice, JPEG).json()["id"]
    folder = client.get(f"/api/assets/{aid}", headers=alice.headers).json()["originalPath"].rsplit("/", 1)[0]
    assert client.get("/api/view/folder", headers=alice.headers, params={"path": folder}).json()[0]["id"] == aid
    for partner in (False, True):
        if partner:
            client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id})
        assert client.get("/api/view/folder/unique-paths", headers=bob.headers).json() == []
        for path in (folder, folder + "/", "library", "%", ""):
            r = client.get("/api/view/folder", headers=bob.headers, params={"path": path})
            assert r.status_code == 200 and r.json() == [], (path, r.text)
    # An API key without folder.read gets nothing, even for Alice herself.
    key = client.post("/api/api-keys", headers=alice.headers,
                      json={"name": "k", "permissions": ["asset.read"]}).json()["secret"]
    client.cookies.clear()
    assert client.get("/api/view/folder/unique-paths", headers={"x-api-key": key}).status_code == 403
    assert client.get("/api/view/folder", headers={"x-api-key": key}, params={"path": folder}).status_code == 403

"""Asset metadata (Immich's per-asset key/value objects): single and bulk upsert, read, delete, errors that
change nothing, partner reads, API-key permissions, the sync stream, and cascade on purge. Both databases."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from photonest.config import Settings
from tests.conftest import Account
from tests.sync.phone import Phone, sign_in
from tests.uploading import JPEG, JPEG2, library_files, stats, upload, upload_files


def _meta(client: TestClient, who: Account | dict[str, str], aid: str) -> dict[str, Any]:
    headers = who if isinstance(who, dict) else who.headers
    r = client.get(f"/api/assets/{aid}/metadata", headers=headers)
    assert r.status_code == 200, r.text
    return {m["key"]: m["value"] for m in r.json()}


def test_upsert_read_delete(client: TestClient, alice: Account) -> None:
    mobile = json.dumps([{"key": "mobile-app", "value": {"iCloudId": "icloud-1"}}])
    aid = upload(client, alice, JPEG, metadata=mobile).json()["id"]
    # What the app sent with the upload is there.
    assert _meta(client, alice, aid) == {"mobile-app": {"iCloudId": "icloud-1"}}
    first = client.get(f"/api/assets/{aid}/metadata/mobile-app", headers=alice.headers).json()

    r = client.put(f"/api/assets/{aid}/metadata", headers=alice.headers, json={"items": [
        {"key": "mobile-app", "value": {"iCloudId": "icloud-2", "createdAt": "2024-01-01"}},
        {"key": "my-tool", "value": {"nested": {"a": [1, 2, None]}, "ok": True}}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [m["key"] for m in body] == ["mobile-app", "my-tool"]
    assert all(set(m) == {"key", "value", "updatedAt"} and m["updatedAt"].endswith("Z") for m in body)
    assert _meta(client, alice, aid) == {"mobile-app": {"iCloudId": "icloud-2", "createdAt": "2024-01-01"},
                                         "my-tool": {"nested": {"a": [1, 2, None]}, "ok": True}}
    again = client.get(f"/api/assets/{aid}/metadata/mobile-app", headers=alice.headers).json()
    assert again["value"]["iCloudId"] == "icloud-2" and again["updatedAt"] >= first["updatedAt"]

    # Deleting one key leaves the others; deleting it again is not an error (as Immich).
    assert client.delete(f"/api/assets/{aid}/metadata/my-tool", headers=alice.headers).status_code == 204
    assert client.delete(f"/api/assets/{aid}/metadata/my-tool", headers=alice.headers).status_code == 204
    assert set(_meta(client, alice, aid)) == {"mobile-app"}
    r = client.get(f"/api/assets/{aid}/metadata/my-tool", headers=alice.headers)
    assert r.status_code == 400 and r.json()["message"] == (
        f'Metadata with key "my-tool" not found for asset with id "{aid}"')
    # An empty upsert changes nothing and returns nothing.
    r = client.put(f"/api/assets/{aid}/metadata", headers=alice.headers, json={"items": []})
    assert r.status_code == 200 and r.json() == []


def test_bad_input_changes_nothing(client: TestClient, alice: Account) -> None:
    aid = upload(client, alice, JPEG).json()["id"]
    client.put(f"/api/assets/{aid}/metadata", headers=alice.headers, json={"items": [{"key": "k", "value": {"v": 1}}]})
    bad: list[Any] = [
        {"items": [{"key": "k", "value": {"v": 2}}, {"key": "k", "value": {"v": 3}}]},  # duplicate key
        {"items": [{"key": "k", "value": {"v": 2}}, {"key": "", "value": {}}]},  # empty key
        {"items": [{"key": "k", "value": {"v": 2}}, {"key": "x" * 201, "value": {}}]},  # key too long
        {"items": [{"key": "k", "value": {"v": 2}}, {"key": "big", "value": {"b": "x" * 70_000}}]},  # too large
        {"items": [{"key": "k", "value": "not an object"}]},
        {"items": [{"key": "k"}]},
        {"items": "nope"},
        {},
    ]
    for body in bad:
        r = client.put(f"/api/assets/{aid}/metadata", headers=alice.headers, json=body)
        assert r.status_code == 400, (body, r.text)
        assert set(r.json()) >= {"message", "error", "statusCode"} and r.json()["statusCode"] == 400
    dup = client.put(f"/api/assets/{aid}/metadata", headers=alice.headers,
                     json={"items": [{"key": "k", "value": {}}, {"key": "k", "value": {}}]}).json()
    assert dup["message"] == f'Duplicate items are not allowed: "({aid}, k)"'
    assert _meta(client, alice, aid) == {"k": {"v": 1}}
    assert client.get("/api/assets/not-a-uuid/metadata", headers=alice.headers).status_code == 400


def test_bulk_upsert_and_delete(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = upload(client, alice, JPEG).json()["id"]
    a2 = upload(client, alice, JPEG2).json()["id"]
    r = client.put("/api/assets/metadata", headers=alice.headers, json={"items": [
        {"assetId": a1, "key": "k", "value": {"n": 1}}, {"assetId": a2, "key": "k", "value": {"n": 2}},
        {"assetId": a2, "key": "other", "value": {}}]})
    assert r.status_code == 200, r.text
    assert [(m["assetId"], m["key"], m["value"]) for m in r.json()] == [
        (a1, "k", {"n": 1}), (a2, "k", {"n": 2}), (a2, "other", {})]
    assert all(set(m) == {"assetId", "key", "value", "updatedAt"} for m in r.json())
    # The same (asset, key) twice is refused; so is any asset that is not the caller's: nothing changes.
    r = client.put("/api/assets/metadata", headers=alice.headers, json={"items": [
        {"assetId": a1, "key": "k", "value": {"n": 9}}, {"assetId": a1, "key": "k", "value": {"n": 8}}]})
    assert r.status_code == 400 and "Duplicate" in r.json()["message"]
    bob_asset = upload(client, bob, JPEG).json()["id"]
    r = client.put("/api/assets/metadata", headers=alice.headers, json={"items": [
        {"assetId": a1, "key": "k", "value": {"n": 9}}, {"assetId": bob_asset, "key": "k", "value": {}}]})
    assert r.status_code == 400
    r = client.request("DELETE", "/api/assets/metadata", headers=alice.headers, json={"items": [
        {"assetId": a1, "key": "k"}, {"assetId": bob_asset, "key": "k"}]})
    assert r.status_code == 400
    assert _meta(client, alice, a1) == {"k": {"n": 1}} and _meta(client, bob, bob_asset) == {}

    r = client.request("DELETE", "/api/assets/metadata", headers=alice.headers, json={"items": [
        {"assetId": a1, "key": "k"}, {"assetId": a2, "key": "k"}, {"assetId": a2, "key": "absent"}]})
    assert r.status_code == 204
    assert _meta(client, alice, a1) == {} and _meta(client, alice, a2) == {"other": {}}


def test_partner_reads_but_cannot_change(client: TestClient, alice: Account, bob: Account) -> None:
    aid = upload(client, alice, JPEG).json()["id"]
    client.put(f"/api/assets/{aid}/metadata", headers=alice.headers, json={"items": [{"key": "k", "value": {}}]})
    assert client.get(f"/api/assets/{aid}/metadata", headers=bob.headers).status_code == 400
    assert client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id}).status_code == 201
    assert _meta(client, bob, aid) == {"k": {}}
    assert client.get(f"/api/assets/{aid}/metadata/k", headers=bob.headers).status_code == 200
    r = client.put(f"/api/assets/{aid}/metadata", headers=bob.headers,
                   json={"items": [{"key": "k", "value": {"x": 1}}]})
    assert r.status_code == 400
    assert client.delete(f"/api/assets/{aid}/metadata/k", headers=bob.headers).status_code == 400
    assert _meta(client, alice, aid) == {"k": {}}


def test_api_key_permissions(client: TestClient, alice: Account) -> None:
    aid = upload(client, alice, JPEG).json()["id"]
    r = client.post("/api/api-keys", headers=alice.headers, json={"name": "ro", "permissions": ["asset.read"]})
    h = {"x-api-key": r.json()["secret"]}
    client.cookies.clear()
    assert client.get(f"/api/assets/{aid}/metadata", headers=h).json() == []
    r = client.put(f"/api/assets/{aid}/metadata", headers=h, json={"items": [{"key": "k", "value": {}}]})
    assert r.status_code == 403 and "asset.update" in r.json()["message"]
    assert client.delete(f"/api/assets/{aid}/metadata/k", headers=h).status_code == 403
    assert client.put("/api/assets/metadata", headers=h, json={"items": []}).status_code == 403


def test_sync_stream_and_purge(client: TestClient, alice: Account) -> None:
    _uid, headers = sign_in(client, "alice@example.com")
    phone = Phone(client, headers)
    phone.sync(reset=True)
    aid = upload(client, alice, JPEG, headers=headers).json()["id"]
    client.put(f"/api/assets/{aid}/metadata", headers=headers,
               json={"items": [{"key": "mobile-app", "value": {"iCloudId": "i-1"}}, {"key": "t", "value": {}}]})
    phone.sync()
    assert phone.metadata == {(aid, "mobile-app"): {"iCloudId": "i-1"}, (aid, "t"): {}}
    client.delete(f"/api/assets/{aid}/metadata/t", headers=headers)
    client.put(f"/api/assets/{aid}/metadata", headers=headers,
               json={"items": [{"key": "mobile-app", "value": {"iCloudId": "i-2"}}]})
    phone.sync()
    assert phone.metadata == {(aid, "mobile-app"): {"iCloudId": "i-2"}}
    # Purging the asset removes its metadata (the table cascades), and the phone hears of it.
    client.request("DELETE", "/api/assets", headers=headers, json={"ids": [aid], "force": True})
    phone.sync()
    assert phone.metadata == {}
    assert client.get(f"/api/assets/{aid}/metadata", headers=headers).status_code == 400


def test_upload_with_bad_metadata_stores_nothing(client: TestClient, settings: Settings, alice: Account) -> None:
    for bad in ([{"key": "k" * 201, "value": {}}], [{"key": "", "value": {}}],
                [{"key": "a", "value": {}}, {"key": "a", "value": {"x": 1}}]):
        r = upload(client, alice, JPEG, metadata=json.dumps(bad))
        assert r.status_code == 400, r.text
    assert stats(client, alice)["total"] == 0 and upload_files(settings) == [] == library_files(settings)

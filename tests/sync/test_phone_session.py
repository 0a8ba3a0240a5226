"""A full simulated phone session against the sync protocol (SQLite and PostgreSQL): sign in, sync from scratch,
back up photos and a live photo as the app uploads them, sync again and get only the changes (including
deletions made on the web), partners, shared albums, acks, resets. Every line is validated against the contract."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import Account, make_user
from tests.sync.phone import Phone, sign_in
from tests.uploading import JPEG, JPEG2, VIDEO, b64, multipart, sha1, upload

LIVE_STILL = JPEG2


def backup(client: TestClient, headers: dict[str, str], path: object = JPEG, **fields: object) -> str:
    who = Account("", "", "")
    r = upload(client, who, path, headers={"Authorization": "", **headers}, **fields)  # type: ignore[arg-type]
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def types_of(lines: list) -> list[str]:  # type: ignore[type-arg]
    return [ln.type for ln in lines]


def test_phone_session(client: TestClient, admin: Account) -> None:
    make_user(client, admin, "alice@example.com", "Alice")
    alice_id, alice_h = sign_in(client, "alice@example.com", cookie=True)  # the app's HTTP client: the cookie
    phone = Phone(client, alice_h)

    # sign-in and start-up calls of the app
    for path in ("/api/server/ping", "/api/server/version", "/api/server/features", "/api/server/config",
                 "/api/server/media-types", "/.well-known/immich"):
        assert client.get(path).status_code == 200, path
    assert client.post("/api/auth/validateToken", headers=alice_h).json() == {"authStatus": True}
    assert client.get("/api/users/me", headers=alice_h).json()["id"] == alice_id
    assert client.get("/api/users/me/preferences", headers=alice_h).status_code == 200

    # from scratch: the user, everyone, and nothing else
    first = phone.sync(reset=True)
    assert types_of(first)[-1] == "SyncCompleteV1"
    assert {"AuthUserV1", "UserV1"} <= set(types_of(first))
    assert not phone.assets and phone.users[alice_id]["email"] == "alice@example.com"
    assert phone.sync()[:-1] == [] or set(types_of(phone.fetch())) == {"SyncCompleteV1"}

    # back up two photos and a live photo, as the app uploads: old device fields, video first (hidden)
    p1 = backup(client, alice_h, JPEG, deviceAssetId="local-1", deviceId="phone-1")
    video = backup(client, alice_h, VIDEO, deviceAssetId="local-2v", deviceId="phone-1", visibility="hidden")
    ctype, body = multipart(
        {"deviceAssetId": "local-2", "deviceId": "phone-1", "fileCreatedAt": "2008-05-08T09:54:28.000Z",
         "fileModifiedAt": "2008-05-08T09:54:28.000Z", "livePhotoVideoId": video, "filename": "IMG_0002.HEIC.jpg",
         "metadata": json.dumps([{"key": "mobile-app", "value": {"iCloudId": "icloud-42"}}])},
        {"assetData": (LIVE_STILL.name, LIVE_STILL.read_bytes())})
    r = client.post("/api/assets", headers={**alice_h, "content-type": ctype}, content=body)
    assert r.status_code == 201, r.text
    still = r.json()["id"]

    changes = phone.sync()
    assets = {ln.data["id"]: ln.data for ln in changes if ln.type == "AssetV2"}
    assert set(assets) == {p1, video, still}
    # the app decides what is backed up by comparing these with its local SHA-1s: exact base64 SHA-1
    assert assets[p1]["checksum"] == b64(sha1(JPEG.read_bytes()))
    assert assets[still]["checksum"] == b64(sha1(LIVE_STILL.read_bytes()))
    assert assets[still]["livePhotoVideoId"] == video and assets[video]["visibility"] == "hidden"
    assert assets[video]["type"] == "VIDEO" and assets[p1]["isFavorite"] is False
    meta = [ln.data for ln in changes if ln.type == "AssetMetadataV1"]
    assert {"assetId": still, "key": "mobile-app", "value": {"iCloudId": "icloud-42"}} in meta
    assert "UserV1" in types_of(changes)  # quota usage changed
    # nothing new: only the end
    assert types_of(phone.fetch()) == ["SyncCompleteV1"]

    # a change made on the web (favourite) comes as an update of that one asset
    assert client.put(f"/api/assets/{p1}", json={"isFavorite": True}, headers=alice_h).status_code == 200
    again = phone.sync()
    assert [ln.data["id"] for ln in again if ln.type == "AssetV2"] == [p1]
    assert phone.assets[p1]["isFavorite"] is True

    # deleted on the web: trash (an update with deletedAt), then empty the trash (a delete line)
    assert client.request("DELETE", "/api/assets", json={"ids": [p1]}, headers=alice_h).status_code == 204
    trashed = phone.sync()
    assert [ln.data["id"] for ln in trashed if ln.type == "AssetV2"] == [p1]
    assert phone.assets[p1]["deletedAt"] is not None
    assert client.post("/api/trash/empty", headers=alice_h).status_code == 200
    gone = phone.sync()
    assert [ln.data for ln in gone if ln.type == "AssetDeleteV1"] == [{"assetId": p1}]
    assert p1 not in phone.assets
    # force delete of the live photo takes its motion part with it
    assert client.request("DELETE", "/api/assets", json={"ids": [still], "force": True},
                          headers=alice_h).status_code == 204
    gone = phone.sync()
    assert {ln.data["assetId"] for ln in gone if ln.type == "AssetDeleteV1"} == {still, video}
    assert phone.assets == {} and phone.metadata == {}
    assert types_of(phone.fetch()) == ["SyncCompleteV1"]

    # the server's checkpoints are the phone's acks
    acks = client.get("/api/sync/ack", headers=alice_h).json()
    by_type = {a["type"]: a["ack"] for a in acks}
    assert {"AssetV2", "AssetDeleteV1", "SyncCompleteV1", "AuthUserV1"} <= set(by_type)
    assert all(a["ack"].startswith(a["type"] + "|") for a in acks)

    # deleting the AssetV2 checkpoint re-sends the assets (none left here) but not the deletes
    p4 = backup(client, alice_h, JPEG, deviceAssetId="local-4", deviceId="phone-1")
    assert types_of(phone.sync()).count("AssetV2") == 1
    r = client.request("DELETE", "/api/sync/ack", json={"types": ["AssetV2"]}, headers=alice_h)
    assert r.status_code == 204
    resent = phone.fetch()
    assert [ln.data["id"] for ln in resent if ln.type == "AssetV2"] == [p4]
    assert "AssetDeleteV1" not in types_of(resent)

    # reset asked from the web (PUT /sessions/{id}): the next stream is one SyncResetV1, then everything again
    sessions = client.get("/api/sessions", headers=alice_h).json()
    current = next(s for s in sessions if s["current"])
    r = client.put(f"/api/sessions/{current['id']}", json={"isPendingSyncReset": True}, headers=alice_h)
    assert r.status_code == 200 and r.json()["isPendingSyncReset"] is True
    reset = phone.sync()
    assert types_of(reset) == ["SyncResetV1"] and phone.resets == 1
    assert client.get("/api/sync/ack", headers=alice_h).json() == []  # the phone acked the reset
    full = phone.sync()
    assert set(phone.assets) == {p4} and types_of(full)[-1] == "SyncCompleteV1"
    # and the reset flag is gone
    current = next(s for s in client.get("/api/sessions", headers=alice_h).json() if s["current"])
    assert current["isPendingSyncReset"] is False


def test_partners_and_shared_albums(client: TestClient, admin: Account) -> None:
    for email, name in (("alice@example.com", "Alice"), ("bob@example.com", "Bob"), ("carol@example.com", "Carol")):
        make_user(client, admin, email, name)
    alice_id, alice_h = sign_in(client, "alice@example.com")
    bob_id, bob_h = sign_in(client, "bob@example.com")
    carol_id, carol_h = sign_in(client, "carol@example.com")
    a1 = backup(client, alice_h, JPEG)
    a2 = backup(client, alice_h, JPEG2)
    c1 = backup(client, carol_h, JPEG)
    bobs = Phone(client, bob_h)

    # Bob sees none of Alice's or Carol's assets
    bobs.sync()
    assert bobs.assets == {}

    # Carol shares with Bob: her assets come as PartnerAssetV2 (not as Bob's own)
    assert client.post("/api/partners", json={"sharedWithId": bob_id}, headers=carol_h).status_code == 201
    lines = bobs.sync()
    assert [ln.data["id"] for ln in lines if ln.type == "PartnerAssetV2"] == [c1]
    assert "AssetV2" not in types_of(lines)
    assert (carol_id, bob_id) in bobs.partners
    assert all(ln.data["ownerId"] != alice_id for ln in lines if "data" in ln.__dict__ and "ownerId" in ln.data)

    # Alice shares later: Bob already has a PartnerAssetV2 checkpoint newer than Alice's photos, so they come
    # as a backfill for the new partner (then its completion ack)
    assert client.post("/api/partners", json={"sharedWithId": bob_id}, headers=alice_h).status_code == 201
    lines = bobs.sync()
    backfill = [ln.data["id"] for ln in lines if ln.type == "PartnerAssetBackfillV2"]
    assert set(backfill) == {a1, a2}
    assert any(ln.type == "SyncAckV1" and ln.ack.startswith("PartnerAssetBackfillV2|") and
               ln.ack.endswith("|complete") for ln in lines)
    assert {ln.data["assetId"] for ln in lines if ln.type == "PartnerAssetExifBackfillV1"} <= {a1, a2}
    assert bobs.owned(alice_id) == {a1, a2} and bobs.owned(carol_id) == {c1}
    assert all(a["isFavorite"] is False for a in bobs.assets.values())
    assert types_of(bobs.fetch()) == ["SyncCompleteV1"]

    # Alice deletes a photo for good: Bob's phone drops it (PartnerAssetDeleteV1)
    assert client.request("DELETE", "/api/assets", json={"ids": [a2], "force": True},
                          headers=alice_h).status_code == 204
    lines = bobs.sync()
    assert [ln.data for ln in lines if ln.type == "PartnerAssetDeleteV1"] == [{"assetId": a2}]
    assert bobs.owned(alice_id) == {a1}

    # Alice stops sharing: the partnership goes (the app then drops the partner's assets itself)
    assert client.delete(f"/api/partners/{bob_id}", headers=alice_h).status_code == 204
    lines = bobs.sync()
    assert [ln.data for ln in lines if ln.type == "PartnerDeleteV1"] == [
        {"sharedById": alice_id, "sharedWithId": bob_id}]
    a3 = backup(client, alice_h, VIDEO)
    assert "PartnerAssetV2" not in types_of(bobs.sync())  # no longer a partner: nothing of Alice's

    # an album Alice shares with Bob: the album, its users (owner first-class, role owner), its assets
    r = client.post("/api/albums", json={"albumName": "Trip", "assetIds": [a1, a3],
                                         "albumUsers": [{"userId": bob_id, "role": "viewer"}]}, headers=alice_h)
    assert r.status_code == 201, r.text
    album = r.json()["id"]
    lines = bobs.sync()
    assert bobs.albums[album]["name"] == "Trip"
    assert {(album, alice_id, "owner"), (album, bob_id, "viewer")} <= bobs.album_users
    assert bobs.album_assets == {(album, a1), (album, a3)}
    created = {ln.data["id"] for ln in lines if ln.type == "AlbumAssetCreateV2"}
    assert created == {a1, a3}
    assert any(ln.type == "SyncAckV1" and ln.ack.startswith("AlbumAssetUpdateV2|") for ln in lines)
    # Alice renames it and removes an asset; Bob gets the update and the unlink
    assert client.patch(f"/api/albums/{album}", json={"albumName": "Trip 2026"},
                        headers=alice_h).status_code == 200
    assert client.request("DELETE", f"/api/albums/{album}/assets", json={"ids": [a3]},
                          headers=alice_h).status_code == 200
    lines = bobs.sync()
    assert bobs.albums[album]["name"] == "Trip 2026"
    assert bobs.album_assets == {(album, a1)}
    assert {"albumId": album, "assetId": a3} in [ln.data for ln in lines if ln.type == "AlbumToAssetDeleteV1"]
    # an update of an album asset Bob already has comes as AlbumAssetUpdateV2
    assert client.put(f"/api/assets/{a1}", json={"description": "sunset"}, headers=alice_h).status_code == 200
    assert client.put(f"/api/assets/{a1}", json={"isFavorite": True}, headers=alice_h).status_code == 200
    lines = bobs.sync()
    assert [ln.data["id"] for ln in lines if ln.type == "AlbumAssetUpdateV2"] == [a1]
    assert bobs.assets[a1]["isFavorite"] is False  # Alice's favourite, not Bob's
    assert bobs.exif[a1]["description"] == "sunset"
    # Alice deletes the album: gone from Bob's phone
    assert client.delete(f"/api/albums/{album}", headers=alice_h).status_code == 204
    lines = bobs.sync()
    assert {"albumId": album} in [ln.data for ln in lines if ln.type == "AlbumDeleteV1"]
    assert album not in bobs.albums and bobs.album_assets == set()
    # Carol's phone never heard of any of it
    carols = Phone(client, carol_h)
    carols.sync()
    assert set(carols.assets) == {c1} and carols.albums == {}


def test_api_keys_cannot_sync_and_bad_input(client: TestClient, admin: Account) -> None:
    r = client.post("/api/api-keys", json={"name": "k", "permissions": ["all"]}, headers=admin.headers)
    assert r.status_code == 201, r.text
    key = {"x-api-key": r.json()["secret"]}
    client.cookies.clear()  # the login's cookie would authenticate as a session
    r = client.post("/api/sync/stream", json={"types": ["AssetsV2"]}, headers=key)
    assert r.status_code == 403 and "API keys" in r.json()["message"]
    assert client.get("/api/sync/ack", headers=key).status_code == 403
    r = client.post("/api/sync/stream", json={"types": ["NoSuchV9"]}, headers=admin.headers)
    assert r.status_code == 400
    r = client.post("/api/sync/ack", json={"acks": ["NoSuchV9|1"]}, headers=admin.headers)
    assert r.status_code == 400
    assert client.post("/api/sync/stream", json={"types": ["AssetsV2"]}).status_code == 401
    # every request type works, including the ones photonest has nothing for yet (stacks, people, faces)
    every = ["AlbumsV1", "AlbumsV2", "AlbumUsersV1", "AlbumToAssetsV1", "AlbumAssetsV1", "AlbumAssetsV2",
             "AlbumAssetExifsV1", "AssetsV1", "AssetsV2", "AssetExifsV1", "AssetEditsV1", "AssetMetadataV1",
             "AssetOcrV1", "AuthUsersV1", "MemoriesV1", "MemoryToAssetsV1", "PartnersV1", "PartnerAssetsV1",
             "PartnerAssetsV2", "PartnerAssetExifsV1", "PartnerStacksV1", "StacksV1", "UsersV1", "PeopleV1",
             "AssetFacesV1", "AssetFacesV2", "UserMetadataV1"]
    phone = Phone(client, admin.headers, types=every)
    lines = phone.sync()
    assert lines[-1].type == "SyncCompleteV1"

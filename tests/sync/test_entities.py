"""The other synced entities (memories, people and faces, OCR, exif) and the ordering guarantee under concurrent
writers on PostgreSQL. Lines are validated against the contract by the Phone (tests/sync/phone.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from photonest.db.tables import AssetOcr
from tests.conftest import Account, make_user
from tests.sync.phone import Phone, sign_in
from tests.sync.test_phone_session import backup, types_of
from tests.uploading import JPEG, JPEG2


def test_memories_people_faces_ocr_exif(client: TestClient, admin: Account) -> None:
    make_user(client, admin, "alice@example.com", "Alice")
    make_user(client, admin, "bob@example.com", "Bob")
    alice_id, alice_h = sign_in(client, "alice@example.com")
    _bob_id, bob_h = sign_in(client, "bob@example.com")
    a1 = backup(client, alice_h, JPEG)
    phone, bobs = Phone(client, alice_h), Phone(client, bob_h)
    phone.sync()
    bobs.sync()

    # a memory with an asset
    r = client.post("/api/memories", headers=alice_h, json={
        "type": "on_this_day", "data": {"year": 2008}, "memoryAt": "2008-05-08T00:00:00.000Z", "assetIds": [a1]})
    assert r.status_code == 201, r.text
    memory = r.json()["id"]
    # a person with a face on the photo
    r = client.post("/api/people", headers=alice_h, json={"name": "Ann"})
    assert r.status_code == 201, r.text
    person = r.json()["id"]
    r = client.post("/api/faces", headers=alice_h, json={
        "assetId": a1, "personId": person, "imageWidth": 1000, "imageHeight": 800, "x": 100, "y": 80,
        "width": 200, "height": 160})
    assert r.status_code == 201, r.text
    # text read in the photo (the OCR stage's rows)
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.add(AssetOcr(asset_id=a1, x1=0.1, y1=0.1, x2=0.5, y2=0.1, x3=0.5, y3=0.2, x4=0.1, y4=0.2,
                       box_score=0.9, text_score=0.8, text="FURNACE CREEK"))
    # an edit that creates / changes the exif row
    assert client.put(f"/api/assets/{a1}", json={"description": "desert"}, headers=alice_h).status_code == 200

    lines = phone.sync()
    got = {ln.type for ln in lines}
    assert {"MemoryV1", "MemoryToAssetV1", "PersonV1", "AssetFaceV2", "AssetOcrV1", "AssetExifV1"} <= got
    face = next(ln.data for ln in lines if ln.type == "AssetFaceV2")
    assert face["personId"] == person and face["assetId"] == a1
    assert (face["imageWidth"], face["imageHeight"]) == (1000, 800)
    assert (face["boundingBoxX1"], face["boundingBoxY1"], face["boundingBoxX2"], face["boundingBoxY2"]) == (
        100, 80, 300, 240)
    assert next(ln.data for ln in lines if ln.type == "AssetOcrV1")["text"] == "FURNACE CREEK"
    assert next(ln.data for ln in lines if ln.type == "AssetExifV1")["description"] == "desert"
    assert {"memoryId": memory, "assetId": a1} in [ln.data for ln in lines if ln.type == "MemoryToAssetV1"]
    assert next(ln.data for ln in lines if ln.type == "PersonV1")["name"] == "Ann"
    # Bob (no partner, no album) gets none of it
    assert set(types_of(bobs.sync())) <= {"UserV1", "SyncCompleteV1"}

    # deletions
    faces = client.get("/api/faces", params={"id": a1}, headers=alice_h).json()
    r = client.request("DELETE", f"/api/faces/{faces[0]['id']}", headers=alice_h, json={"force": True})
    assert r.status_code == 204, r.text
    assert client.delete(f"/api/memories/{memory}", headers=alice_h).status_code == 204
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(text("DELETE FROM asset_ocr"))
    lines = phone.sync()
    assert [ln.data for ln in lines if ln.type == "AssetFaceDeleteV1"] == [{"assetFaceId": faces[0]["id"]}]
    assert {"memoryId": memory} in [ln.data for ln in lines if ln.type == "MemoryDeleteV1"]
    assert [ln.data["assetId"] for ln in lines if ln.type == "AssetOcrDeleteV1"] == [a1]
    assert alice_id


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_slow_transaction_is_never_skipped(client: TestClient, admin: Account) -> None:
    """T1 changes asset A and stays open; T2 changes asset B and commits. A stream now must not send B (or the
    phone would ack past A's marker and never get A): it waits for T1; once T1 commits, both come."""
    make_user(client, admin, "alice@example.com", "Alice")
    _alice_id, alice_h = sign_in(client, "alice@example.com")
    a, b = backup(client, alice_h, JPEG), backup(client, alice_h, JPEG2)
    phone = Phone(client, alice_h)
    phone.sync()
    engine = client.app.state.db.engine  # type: ignore[attr-defined]
    slow = engine.connect()
    t1 = slow.begin()
    slow.execute(text("UPDATE asset SET is_favorite = true WHERE id = :id"), {"id": a})
    with engine.begin() as fast:
        fast.execute(text("UPDATE asset SET is_favorite = true WHERE id = :id"), {"id": b})
    try:
        assert "AssetV2" not in types_of(phone.sync())
    finally:
        t1.commit()
        slow.close()
    lines = phone.sync()
    assert sorted(ln.data["id"] for ln in lines if ln.type == "AssetV2") == sorted([a, b])
    assert phone.assets[a]["isFavorite"] and phone.assets[b]["isFavorite"]


def test_bulk_writes_are_synced(client: TestClient, admin: Account) -> None:
    """Changes that bypass the ORM's per-object flush (bulk PUT /assets, UPDATE and DELETE statements) are
    stamped and audited by the database triggers all the same."""
    make_user(client, admin, "alice@example.com", "Alice")
    _alice_id, alice_h = sign_in(client, "alice@example.com")
    a, b = backup(client, alice_h, JPEG), backup(client, alice_h, JPEG2)
    phone = Phone(client, alice_h)
    phone.sync()
    r = client.put("/api/assets", json={"ids": [a, b], "visibility": "archive"}, headers=alice_h)
    assert r.status_code == 204, r.text
    assert sorted(ln.data["id"] for ln in phone.sync() if ln.type == "AssetV2") == sorted([a, b])
    assert {x["visibility"] for x in phone.assets.values()} == {"archive"}
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(text("UPDATE asset SET is_favorite = true"))
    assert sorted(ln.data["id"] for ln in phone.sync() if ln.type == "AssetV2") == sorted([a, b])
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(text("DELETE FROM asset WHERE id = :id"), {"id": b})
    assert [ln.data for ln in phone.sync() if ln.type == "AssetDeleteV1"] == [{"assetId": b}]
    assert set(phone.assets) == {a}


def test_album_shared_later_is_backfilled(client: TestClient, admin: Account) -> None:
    """Bob is added to an album whose assets are older than his checkpoints: they come as backfill lines."""
    from photonest.db.tables import AlbumUser

    for email, name in (("alice@example.com", "Alice"), ("bob@example.com", "Bob"), ("carol@example.com", "Carol")):
        make_user(client, admin, email, name)
    alice_id, alice_h = sign_in(client, "alice@example.com")
    bob_id, bob_h = sign_in(client, "bob@example.com")
    _carol_id, carol_h = sign_in(client, "carol@example.com")
    a1 = backup(client, alice_h, JPEG)
    album = client.post("/api/albums", json={"albumName": "Old", "assetIds": [a1]}, headers=alice_h).json()["id"]
    c1 = backup(client, carol_h, JPEG2)
    r = client.post("/api/albums", json={"albumName": "Carol's", "assetIds": [c1],
                                         "albumUsers": [{"userId": bob_id, "role": "editor"}]}, headers=carol_h)
    assert r.status_code == 201, r.text
    bobs = Phone(client, bob_h)
    bobs.sync()
    assert set(bobs.assets) == {c1}
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]  (what sharing the album does)
        s.add(AlbumUser(album_id=album, user_id=bob_id, role="viewer"))
    lines = bobs.sync()
    assert [ln.data["id"] for ln in lines if ln.type == "AlbumAssetBackfillV2"] == [a1]
    assert [ln.data for ln in lines if ln.type == "AlbumToAssetBackfillV1"] == [{"albumId": album, "assetId": a1}]
    assert bobs.albums[album]["name"] == "Old"
    assert {(album, alice_id, "owner"), (album, bob_id, "viewer")} <= bobs.album_users
    assert set(bobs.assets) == {c1, a1} and (album, a1) in bobs.album_assets
    assert types_of(bobs.fetch()) == ["SyncCompleteV1"]


def test_stacks(client: TestClient, admin: Account) -> None:
    """StacksV1 for the owner, PartnerStacksV1 for a partner; an asset's stackId follows its membership."""
    make_user(client, admin, "alice@example.com", "Alice")
    make_user(client, admin, "bob@example.com", "Bob")
    _alice_id, alice_h = sign_in(client, "alice@example.com")
    bob_id, bob_h = sign_in(client, "bob@example.com")
    a, b = backup(client, alice_h, JPEG), backup(client, alice_h, JPEG2)
    assert client.post("/api/partners", json={"sharedWithId": bob_id}, headers=alice_h).status_code == 201
    phone, bobs = Phone(client, alice_h), Phone(client, bob_h)
    phone.sync()
    bobs.sync()
    r = client.post("/api/stacks", json={"assetIds": [a, b]}, headers=alice_h)
    assert r.status_code == 201, r.text
    stack = r.json()["id"]
    lines = phone.sync()
    assert [ln.data["id"] for ln in lines if ln.type == "StackV1"] == [stack]
    assert {phone.assets[a]["stackId"], phone.assets[b]["stackId"]} == {stack}
    lines = bobs.sync()
    assert [ln.data["id"] for ln in lines if ln.type == "PartnerStackV1"] == [stack]
    assert bobs.assets[a]["stackId"] == stack
    assert client.request("DELETE", "/api/stacks", json={"ids": [stack]}, headers=alice_h).status_code == 204
    lines = phone.sync()
    assert [ln.data for ln in lines if ln.type == "StackDeleteV1"] == [{"stackId": stack}]
    assert phone.assets[a]["stackId"] is None and phone.assets[b]["stackId"] is None
    assert [ln.data for ln in bobs.sync() if ln.type == "PartnerStackDeleteV1"] == [{"stackId": stack}]
    # a stacked asset deleted for good (its stack_asset row goes by cascade)
    r = client.post("/api/stacks", json={"assetIds": [a, b]}, headers=alice_h)
    assert r.status_code == 201, r.text
    phone.sync()
    assert client.request("DELETE", "/api/assets", json={"ids": [b], "force": True},
                          headers=alice_h).status_code == 204
    lines = phone.sync()
    assert {"assetId": b} in [ln.data for ln in lines if ln.type == "AssetDeleteV1"]

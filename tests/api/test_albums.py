"""/api/albums: CRUD, adding and removing assets (duplicates, not owned, not found), empty albums, covers that
leave (trash, removal), deleting an album keeps its photos, the list filters, statistics, bulk add, markers."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from photonest.api.dto import immich as dto
from photonest.db.types import utcnow
from tests.conftest import CONTRACT, Account
from tests.library.factory import insert_asset
from tests.uploading import JPEG, JPEG2, upload

NOBODY = "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"


def create(client: TestClient, who: Account, **body: Any) -> dict[str, Any]:
    r = client.post("/api/albums", headers=who.headers, json={"albumName": "Album", **body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def info(client: TestClient, who: Account, album_id: str) -> dict[str, Any]:
    r = client.get(f"/api/albums/{album_id}", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def add(client: TestClient, who: Account, album_id: str, ids: list[str]) -> list[dict[str, Any]]:
    r = client.put(f"/api/albums/{album_id}/assets", headers=who.headers, json={"ids": ids})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def remove(client: TestClient, who: Account, album_id: str, ids: list[str]) -> list[dict[str, Any]]:
    r = client.request("DELETE", f"/api/albums/{album_id}/assets", headers=who.headers, json={"ids": ids})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_crud_and_empty_album_shape(client: TestClient, alice: Account) -> None:
    schema = json.loads(CONTRACT.read_text())["components"]["schemas"]["AlbumResponseDto"]
    a = create(client, alice, albumName="Holidays", description="Summer 2024")
    dto.AlbumResponseDto.model_validate(a)
    assert set(schema["required"]) <= set(a) <= set(schema["properties"])
    assert a["albumName"] == "Holidays" and a["description"] == "Summer 2024"
    assert a["assetCount"] == 0 and a["albumThumbnailAssetId"] is None
    assert "startDate" not in a and "endDate" not in a and "lastModifiedAssetTimestamp" not in a
    assert a["shared"] is False and a["hasSharedLink"] is False and a["isActivityEnabled"] is True
    assert a["order"] == "desc"
    assert a["albumUsers"] == [{"role": "owner", "user": client.get(f"/api/users/{alice.id}",
                                                                    headers=alice.headers).json()}]
    assert info(client, alice, a["id"]) == a
    assert [x["id"] for x in client.get("/api/albums", headers=alice.headers).json()] == [a["id"]]

    r = client.patch(f"/api/albums/{a['id']}", headers=alice.headers, json={
        "albumName": "Hols", "description": "", "isActivityEnabled": False, "order": "asc"})
    assert r.status_code == 200, r.text
    b = r.json()
    assert (b["albumName"], b["description"], b["isActivityEnabled"], b["order"]) == ("Hols", "", False, "asc")
    assert b["updatedAt"] >= a["updatedAt"] and info(client, alice, a["id"]) == b
    for body in ({"order": "sideways"}, {"albumThumbnailAssetId": NOBODY}, {"albumThumbnailAssetId": "x"}):
        assert client.patch(f"/api/albums/{a['id']}", headers=alice.headers, json=body).status_code == 400

    assert client.delete(f"/api/albums/{a['id']}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/albums/{a['id']}", headers=alice.headers).status_code == 400
    assert client.delete(f"/api/albums/{a['id']}", headers=alice.headers).status_code == 400
    assert client.get("/api/albums", headers=alice.headers).json() == []
    assert client.post("/api/albums", headers=alice.headers, json={}).status_code == 400  # albumName required


def test_add_and_remove_assets(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    a2 = insert_asset(client, alice.id, "2024-03-10T10:00:00", 0)
    locked = insert_asset(client, alice.id, "2024-03-11T10:00:00", 0, visibility="locked")
    theirs = insert_asset(client, bob.id, "2024-03-12T10:00:00", 0)
    album = create(client, alice)
    assert add(client, alice, album["id"], [a1, a1, theirs, NOBODY, locked]) == [
        {"id": a1, "success": True}, {"id": a1, "success": False, "error": "duplicate"},
        {"id": theirs, "success": False, "error": "no_permission"},
        {"id": NOBODY, "success": False, "error": "no_permission"},
        {"id": locked, "success": False, "error": "no_permission"}]
    assert add(client, alice, album["id"], [a2, a1]) == [
        {"id": a2, "success": True}, {"id": a1, "success": False, "error": "duplicate"}]
    got = info(client, alice, album["id"])
    assert got["assetCount"] == 2 and got["albumThumbnailAssetId"] == a1  # the first asset added
    assert got["startDate"] == "2024-01-10T10:00:00Z" and got["endDate"] == "2024-03-10T10:00:00Z"
    assert "lastModifiedAssetTimestamp" in got and got["updatedAt"] >= album["updatedAt"]
    assert remove(client, alice, album["id"], [a1, a1, NOBODY, theirs]) == [
        {"id": a1, "success": True}, {"id": a1, "success": False, "error": "not_found"},
        {"id": NOBODY, "success": False, "error": "not_found"},
        {"id": theirs, "success": False, "error": "not_found"}]
    got = info(client, alice, album["id"])
    assert got["assetCount"] == 1 and got["albumThumbnailAssetId"] == a2  # the cover left; the next one
    # The removed asset is still there, on the timeline.
    assert client.get(f"/api/assets/{a1}", headers=alice.headers).status_code == 200
    assert remove(client, alice, album["id"], [a2]) == [{"id": a2, "success": True}]
    empty = info(client, alice, album["id"])
    assert empty["assetCount"] == 0 and empty["albumThumbnailAssetId"] is None and "startDate" not in empty
    for bad in ({"ids": ["x"]}, {}, {"ids": "x"}):
        r = client.put(f"/api/albums/{album['id']}/assets", headers=alice.headers, json=bad)
        assert r.status_code == 400, bad


def test_create_with_assets_skips_what_is_not_yours(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    theirs = insert_asset(client, bob.id, "2024-01-11T10:00:00", 0)
    a = create(client, alice, assetIds=[theirs, a1, NOBODY])
    assert a["assetCount"] == 1 and a["albumThumbnailAssetId"] == a1
    assert client.post("/api/albums", headers=alice.headers, json={
        "albumName": "x", "albumUsers": [{"userId": NOBODY, "role": "editor"}]}).status_code == 400
    assert client.post("/api/albums", headers=alice.headers, json={
        "albumName": "x", "albumUsers": [{"userId": alice.id, "role": "editor"}]}).status_code == 400


def test_trashing_the_cover_resets_it(client: TestClient, alice: Account) -> None:
    older = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    cover = insert_asset(client, alice.id, "2024-02-10T10:00:00", 0)
    newest = insert_asset(client, alice.id, "2024-03-10T10:00:00", 0)
    album = create(client, alice, assetIds=[cover, older, newest])
    assert album["albumThumbnailAssetId"] == cover
    r = client.patch(f"/api/albums/{album['id']}", headers=alice.headers, json={"albumThumbnailAssetId": older})
    assert r.json()["albumThumbnailAssetId"] == older
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [older]}).status_code == 204
    got = info(client, alice, album["id"])
    assert got["albumThumbnailAssetId"] == newest and got["assetCount"] == 2  # trashed: neither cover nor count
    # A trashed asset cannot be chosen as the cover either.
    r = client.patch(f"/api/albums/{album['id']}", headers=alice.headers, json={"albumThumbnailAssetId": older})
    assert r.status_code == 400
    # Archived photos stay in albums; hidden and locked ones never show.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        from photonest.db.tables import Asset

        s.get(Asset, newest).visibility = "archive"  # type: ignore[union-attr]
        s.get(Asset, cover).visibility = "locked"  # type: ignore[union-attr]
    got = info(client, alice, album["id"])
    assert got["assetCount"] == 1 and got["albumThumbnailAssetId"] == newest
    # Purging the cover for good clears it too (the row goes, and with it the album link).
    assert client.request("DELETE", "/api/assets", headers=alice.headers,
                          json={"ids": [newest], "force": True}).status_code == 204
    got = info(client, alice, album["id"])
    assert got["assetCount"] == 0 and got["albumThumbnailAssetId"] is None


def test_deleting_an_album_keeps_its_photos(client: TestClient, alice: Account) -> None:
    ids = [upload(client, alice, p).json()["id"] for p in (JPEG, JPEG2)]
    album = create(client, alice, assetIds=ids)
    assert album["assetCount"] == 2
    assert client.delete(f"/api/albums/{album['id']}", headers=alice.headers).status_code == 204
    for i in ids:
        r = client.get(f"/api/assets/{i}", headers=alice.headers)
        assert r.status_code == 200 and r.json()["isTrashed"] is False
    assert sum(b["count"] for b in client.get("/api/timeline/buckets", headers=alice.headers).json()) == 2


def test_list_filters_and_statistics(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    mine = create(client, alice, albumName="Mine", assetIds=[a1])
    shared = create(client, alice, albumName="Shared", albumUsers=[{"userId": bob.id, "role": "viewer"}])
    bobs = create(client, bob, albumName="Bob's")
    assert shared["shared"] is True and [u["role"] for u in shared["albumUsers"]] == ["owner", "viewer"]
    assert shared["albumUsers"][1]["user"]["id"] == bob.id

    def names(who: Account, **params: Any) -> list[str]:
        r = client.get("/api/albums", headers=who.headers, params=params)
        assert r.status_code == 200, r.text
        return [a["albumName"] for a in r.json()]

    assert names(alice) == ["Shared", "Mine"]  # newest first
    assert names(bob) == ["Bob's", "Shared"]
    assert names(bob, isOwned="true") == ["Bob's"] and names(bob, isOwned="false") == ["Shared"]
    assert names(alice, isShared="true") == ["Shared"] and names(alice, isShared="false") == ["Mine"]
    assert names(alice, name="Mine") == ["Mine"] and names(alice, name="mine") == []
    assert names(alice, id=mine["id"]) == ["Mine"] and names(bob, id=mine["id"]) == []
    assert names(alice, assetId=a1, isShared="true") == ["Mine"]  # assetId ignores the other filters
    assert names(bob, assetId=a1) == []
    # Bob sees the album shared with him: the owner first, then himself.
    seen = info(client, bob, shared["id"])
    assert [u["user"]["id"] for u in seen["albumUsers"]] == [alice.id, bob.id]
    # A viewer may not add, edit or delete.
    b1 = insert_asset(client, bob.id, "2024-01-11T10:00:00", 0)
    assert client.put(f"/api/albums/{shared['id']}/assets", headers=bob.headers,
                      json={"ids": [b1]}).status_code == 400
    assert client.patch(f"/api/albums/{shared['id']}", headers=bob.headers, json={"albumName": "x"}).status_code == 400
    assert client.delete(f"/api/albums/{shared['id']}", headers=bob.headers).status_code == 400

    def stats(who: Account) -> dict[str, int]:
        r = client.get("/api/albums/statistics", headers=who.headers)
        assert r.status_code == 200, r.text
        dto.AlbumStatisticsResponseDto.model_validate(r.json())
        return r.json()  # type: ignore[no-any-return]

    assert stats(alice) == {"owned": 2, "shared": 1, "notShared": 1}
    assert stats(bob) == {"owned": 1, "shared": 1, "notShared": 1}
    assert bobs["id"] not in {a["id"] for a in client.get("/api/albums", headers=alice.headers).json()}


def test_add_many_assets_to_many_albums(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    a2 = insert_asset(client, alice.id, "2024-01-11T10:00:00", 0)
    theirs = insert_asset(client, bob.id, "2024-01-12T10:00:00", 0)
    x, y = create(client, alice, albumName="x", assetIds=[a1]), create(client, alice, albumName="y")
    bobs = create(client, bob, albumName="Bob's")

    def put(who: Account, albums: list[str], assets: list[str]) -> dict[str, Any]:
        r = client.put("/api/albums/assets", headers=who.headers, json={"albumIds": albums, "assetIds": assets})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    assert put(alice, [x["id"], y["id"], bobs["id"]], [a1, a2, theirs]) == {"success": True}
    assert info(client, alice, x["id"])["assetCount"] == 2 and info(client, alice, y["id"])["assetCount"] == 2
    assert info(client, alice, y["id"])["albumThumbnailAssetId"] == a1
    assert info(client, bob, bobs["id"])["assetCount"] == 0
    assert put(alice, [x["id"], y["id"]], [a1, a2]) == {"success": False, "error": "duplicate"}
    assert put(alice, [bobs["id"], NOBODY], [a1]) == {"success": False, "error": "no_permission"}
    assert put(alice, [x["id"]], [theirs, NOBODY]) == {"success": False, "error": "no_permission"}


def test_map_markers(client: TestClient, alice: Account) -> None:
    here = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0,
                        exif={"latitude": 36.45, "longitude": -116.85, "city": "Furnace Creek",
                              "state": "California", "country": "United States of America"})
    nowhere = insert_asset(client, alice.id, "2024-01-11T10:00:00", 0)
    album = create(client, alice, assetIds=[here, nowhere])
    r = client.get(f"/api/albums/{album['id']}/map-markers", headers=alice.headers)
    assert r.status_code == 200
    assert r.json() == [{"id": here, "lat": 36.45, "lon": -116.85, "city": "Furnace Creek",
                         "state": "California", "country": "United States of America"}]


def test_trashed_asset_in_album_is_hidden_until_restored(client: TestClient, alice: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0, deleted_at=utcnow())
    album = create(client, alice)
    assert add(client, alice, album["id"], [a1]) == [{"id": a1, "success": True}]  # as Immich: allowed
    assert info(client, alice, album["id"])["assetCount"] == 0
    assert client.post("/api/trash/restore/assets", headers=alice.headers, json={"ids": [a1]}).status_code == 200
    got = info(client, alice, album["id"])
    assert got["assetCount"] == 1 and got["albumThumbnailAssetId"] == a1

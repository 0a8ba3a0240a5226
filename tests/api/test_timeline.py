"""GET /api/timeline/buckets and /api/timeline/bucket: shapes against the contract, month boundaries and time
zones, assets without EXIF, filters, order, albums; and one end-to-end run over real uploads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.api.dto import immich as dto
from tests.conftest import CONTRACT, Account
from tests.library.factory import insert_asset
from tests.uploading import JPEG, JPEG2, upload


def buckets(client: TestClient, who: Account, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/api/timeline/buckets", headers=who.headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def bucket(client: TestClient, who: Account, time_bucket: str, **params: Any) -> dict[str, Any]:
    r = client.get("/api/timeline/bucket", headers=who.headers, params={"timeBucket": time_bucket, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _contract_schema(name: str) -> dict[str, Any]:
    return json.loads(CONTRACT.read_text())["components"]["schemas"][name]  # type: ignore[no-any-return]


def test_buckets_by_month_of_local_time(client: TestClient, alice: Account) -> None:
    # New York, 23:30 on 31 January: already 1 February in UTC, but January where it was taken.
    ny = insert_asset(client, alice.id, "2024-01-31T23:30:00", -5)
    # Tokyo, 00:10 on 1 February: still 31 January in UTC, but February where it was taken.
    tokyo = insert_asset(client, alice.id, "2024-02-01T00:10:00", 9)
    insert_asset(client, alice.id, "2023-12-31T23:59:59", 0)
    insert_asset(client, alice.id, "2024-02-29T12:00:00", 5.5)
    assert buckets(client, alice) == [{"timeBucket": "2024-02-01", "count": 2},
                                      {"timeBucket": "2024-01-01", "count": 1},
                                      {"timeBucket": "2023-12-01", "count": 1}]
    assert [b["timeBucket"] for b in buckets(client, alice, order="asc")] == ["2023-12-01", "2024-01-01",
                                                                             "2024-02-01"]
    jan = bucket(client, alice, "2024-01-01")
    assert jan["id"] == [ny]
    assert jan["localOffsetHours"] == [-5.0]
    assert jan["fileCreatedAt"] == ["2024-02-01T04:30:00Z"]
    feb = bucket(client, alice, "2024-02-01")
    assert tokyo in feb["id"]
    i = feb["id"].index(tokyo)
    assert feb["localOffsetHours"][i] == 9.0 and feb["fileCreatedAt"][i] == "2024-01-31T15:10:00Z"
    assert sorted(feb["localOffsetHours"]) == [5.5, 9.0]
    # Buckets agree with bucket contents.
    for b in buckets(client, alice):
        assert len(bucket(client, alice, b["timeBucket"])["id"]) == b["count"]


def test_order_inside_a_bucket_by_day_then_instant(client: TestClient, alice: Account) -> None:
    # Same local day: the one taken at 23:00 in Tokyo happened before 08:00 in London.
    late_tokyo = insert_asset(client, alice.id, "2024-03-10T23:00:00", 9)  # 14:00Z
    london = insert_asset(client, alice.id, "2024-03-10T08:00:00", 0)  # 08:00Z
    next_day = insert_asset(client, alice.id, "2024-03-11T01:00:00", -8)  # 09:00Z on the 11th
    first = insert_asset(client, alice.id, "2024-03-01T00:00:00", 0)
    assert bucket(client, alice, "2024-03-01")["id"] == [next_day, late_tokyo, london, first]
    assert bucket(client, alice, "2024-03-01", order="asc")["id"] == [first, london, late_tokyo, next_day]


def test_assets_without_exif_dates(client: TestClient, alice: Account) -> None:
    bare = insert_asset(client, alice.id, "2019-07-04T12:00:00", None)  # no asset_exif row at all
    b = bucket(client, alice, "2019-07-01")
    assert b["id"] == [bare]
    assert b["city"] == [None] and b["country"] == [None] and b["projectionType"] == [None]
    assert b["localOffsetHours"] == [0.0]
    assert buckets(client, alice) == [{"timeBucket": "2019-07-01", "count": 1}]


def test_bucket_shape_matches_the_contract(client: TestClient, alice: Account) -> None:
    schema = _contract_schema("TimeBucketAssetResponseDto")
    aid = insert_asset(client, alice.id, "2024-05-05T10:00:00", 2, thumbhash=b"\x01\x02\x03", is_favorite=True,
                       exif={"city": "Paris", "country": "France", "latitude": 48.85, "longitude": 2.35,
                             "projection_type": "EQUIRECTANGULAR"})
    insert_asset(client, alice.id, "2024-05-06T10:00:00", 0, type="VIDEO", duration=1500, width=None, height=None)
    b = bucket(client, alice, "2024-05-01", withCoordinates="true", withStacked="true")
    dto.TimeBucketAssetResponseDto.model_validate(b)
    assert set(schema["required"]) <= set(b) <= set(schema["properties"])
    assert set(b) == set(schema["properties"])  # every optional column asked for is there
    n = len(b["id"])
    assert n == 2 and all(len(v) == n for v in b.values())
    i = b["id"].index(aid)
    assert b["ratio"][i] == pytest.approx(1.333) and b["ratio"][1 - i] == 1.0
    assert b["isFavorite"][i] is True and b["isImage"] == [False, True]
    assert b["duration"] == [1500, None] and b["thumbhash"][i] == "AQID"
    assert b["city"][i] == "Paris" and b["latitude"][i] == 48.85 and b["longitude"][i] == 2.35
    assert b["projectionType"][i] == "EQUIRECTANGULAR" and b["stack"] == [None, None]
    assert b["visibility"] == ["timeline", "timeline"] and b["isTrashed"] == [False, False]
    assert b["ownerId"] == [alice.id, alice.id]
    plain = bucket(client, alice, "2024-05-01")
    assert "latitude" not in plain and "stack" not in plain and set(schema["required"]) <= set(plain)
    bs = buckets(client, alice)
    for item in bs:
        dto.TimeBucketsResponseDto.model_validate(item)
        assert set(item) == set(_contract_schema("TimeBucketsResponseDto")["required"])


def test_empty_and_odd_buckets(client: TestClient, alice: Account) -> None:
    schema = _contract_schema("TimeBucketAssetResponseDto")
    empty = bucket(client, alice, "1970-02-01")
    assert set(empty) == set(schema["required"]) | {"city", "country"} and all(v == [] for v in empty.values())
    assert buckets(client, alice) == []
    assert bucket(client, alice, "012345-01-01")["id"] == []  # 5-digit years are valid and empty
    insert_asset(client, alice.id, "2024-01-15T10:00:00", 0)
    assert len(bucket(client, alice, "2024-01-01T00:00:00.000Z")["id"]) == 1  # older clients send a date-time
    for bad in ("soon", "2024-13-01", ""):
        r = client.get("/api/timeline/bucket", headers=alice.headers, params={"timeBucket": bad})
        assert r.status_code == 400, bad
    assert client.get("/api/timeline/bucket", headers=alice.headers).status_code == 400  # timeBucket required


def test_filters(client: TestClient, alice: Account) -> None:
    day = "2024-06-15T12:00:00"
    plain = insert_asset(client, alice.id, day, 0)
    fav = insert_asset(client, alice.id, day, 0, is_favorite=True)
    archived = insert_asset(client, alice.id, day, 0, visibility="archive")
    hidden = insert_asset(client, alice.id, day, 0, visibility="hidden")
    locked = insert_asset(client, alice.id, day, 0, visibility="locked")
    from photonest.db.types import utcnow

    trashed = insert_asset(client, alice.id, day, 0, deleted_at=utcnow())

    def ids(**params: Any) -> set[str]:
        return set(bucket(client, alice, "2024-06-01", **params)["id"])

    assert ids() == {plain, fav, archived}  # timeline and archive, as Immich when no visibility is asked
    assert ids(visibility="timeline") == {plain, fav}
    assert ids(visibility="archive") == {archived}
    assert ids(visibility="hidden") == {hidden}
    assert ids(isFavorite="true") == {fav}
    assert ids(isFavorite="false") == {plain, archived}
    assert ids(isTrashed="true") == {trashed}
    assert bucket(client, alice, "2024-06-01", isTrashed="true")["isTrashed"] == [True]
    assert ids(personId="4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f") == set()  # no people yet
    assert ids(bbox="-10,40,10,60") == set()  # none of these has coordinates
    assert buckets(client, alice, visibility="timeline") == [{"timeBucket": "2024-06-01", "count": 2}]
    # The locked folder needs a PIN-unlocked session; tags are refused until they exist; so are other users'
    # timelines (partners come later), and withPartners carries Immich's restrictions.
    for params, status in (({"visibility": "locked"}, 401),
                           ({"tagId": "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"}, 400),
                           ({"userId": "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"}, 400),
                           ({"withPartners": "true"}, 400),
                           ({"withPartners": "true", "visibility": "timeline", "isFavorite": "true"}, 400),
                           ({"visibility": "nowhere"}, 400), ({"order": "sideways"}, 400),
                           ({"albumId": "not-a-uuid"}, 400), ({"bbox": "1,2,3"}, 400)):
        for path in ("/api/timeline/buckets", "/api/timeline/bucket"):
            r = client.get(path, headers=alice.headers, params={"timeBucket": "2024-06-01", **params})
            assert r.status_code == status, (path, params, r.text)
    own = bucket(client, alice, "2024-06-01", userId=alice.id, withPartners="true", visibility="timeline")
    assert set(own["id"]) == {plain, fav}
    assert locked not in ids(visibility="timeline")


def test_bbox_and_created_at_order(client: TestClient, alice: Account) -> None:
    paris = insert_asset(client, alice.id, "2024-04-01T10:00:00", 2, exif={"latitude": 48.85, "longitude": 2.35})
    insert_asset(client, alice.id, "2024-04-02T10:00:00", 0, exif={"latitude": -33.9, "longitude": 151.2})
    assert bucket(client, alice, "2024-04-01", bbox="2,48,3,49")["id"] == [paris]
    assert buckets(client, alice, bbox="2,48,3,49") == [{"timeBucket": "2024-04-01", "count": 1}]
    # orderBy=createdAt buckets by upload time: both were "uploaded" now.
    by_upload = buckets(client, alice, orderBy="createdAt")
    assert len(by_upload) == 1 and by_upload[0]["count"] == 2


def test_album_timeline(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0, is_favorite=True)
    a2 = insert_asset(client, alice.id, "2024-02-10T10:00:00", 0, visibility="archive")
    insert_asset(client, alice.id, "2024-02-11T10:00:00", 0)  # not in the album
    b1 = insert_asset(client, bob.id, "2024-02-12T10:00:00", 0, is_favorite=True)
    album = client.post("/api/albums", headers=alice.headers, json={
        "albumName": "Trip", "assetIds": [a1, a2], "albumUsers": [{"userId": bob.id, "role": "editor"}]}).json()
    # Bob, an editor, adds his own photo; both see all three, each with only their own favourites.
    r = client.put(f"/api/albums/{album['id']}/assets", headers=bob.headers, json={"ids": [b1]})
    assert r.json() == [{"id": b1, "success": True}]
    for who in (alice, bob):
        assert buckets(client, who, albumId=album["id"]) == [{"timeBucket": "2024-02-01", "count": 2},
                                                              {"timeBucket": "2024-01-01", "count": 1}]
    feb_alice = bucket(client, alice, "2024-02-01", albumId=album["id"])
    assert feb_alice["id"] == [b1, a2] and feb_alice["isFavorite"] == [False, False]
    assert feb_alice["ownerId"] == [bob.id, alice.id]
    feb_bob = bucket(client, bob, "2024-02-01", albumId=album["id"])
    assert feb_bob["isFavorite"] == [True, False]
    # Bob's own timeline still has only his photo.
    assert buckets(client, bob) == [{"timeBucket": "2024-02-01", "count": 1}]
    # An album nobody shared with the caller is refused; so is one that does not exist.
    carol_album = client.post("/api/albums", headers=alice.headers, json={"albumName": "Private"}).json()
    for aid in (carol_album["id"], "4b2c8f0e-8a4e-4f7e-9d3a-2a1b3c4d5e6f"):
        r = client.get("/api/timeline/buckets", headers=bob.headers, params={"albumId": aid})
        assert r.status_code == 400 and "album.read" in r.json()["message"]


def test_end_to_end_with_real_uploads(client: TestClient, alice: Account, bob: Account) -> None:
    """Real JPEGs through POST /api/assets, into an album, onto the timeline and out again."""
    a1 = upload(client, alice, JPEG, fileCreatedAt="2008-05-08T09:54:28.000Z").json()["id"]
    a2 = upload(client, alice, JPEG2, fileCreatedAt="2008-06-01T00:30:00.000Z").json()["id"]
    upload(client, bob, JPEG)
    bs = buckets(client, alice, visibility="timeline")
    assert sum(b["count"] for b in bs) == 2
    months = {b["timeBucket"] for b in bs}
    seen = [i for m in months for i in bucket(client, alice, m, visibility="timeline")["id"]]
    assert sorted(seen) == sorted([a1, a2])
    album = client.post("/api/albums", headers=alice.headers, json={"albumName": "Death Valley"}).json()
    r = client.put(f"/api/albums/{album['id']}/assets", headers=alice.headers, json={"ids": [a1, a2]})
    assert all(x["success"] for x in r.json())
    info = client.get(f"/api/albums/{album['id']}", headers=alice.headers).json()
    assert info["assetCount"] == 2 and info["albumThumbnailAssetId"] == a1
    assert sum(b["count"] for b in buckets(client, alice, albumId=album["id"])) == 2
    # Trash one: it leaves the timeline and the album's count, and the cover moves on.
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a1]}).status_code == 204
    assert sum(b["count"] for b in buckets(client, alice)) == 1
    info = client.get(f"/api/albums/{album['id']}", headers=alice.headers).json()
    assert info["assetCount"] == 1 and info["albumThumbnailAssetId"] == a2
    trashed = buckets(client, alice, isTrashed="true")
    assert sum(b["count"] for b in trashed) == 1
    # Bob's timeline never shows Alice's photos.
    for b in buckets(client, bob):
        assert not {a1, a2} & set(bucket(client, bob, b["timeBucket"])["id"])


def test_locked_photos_never_leave_their_owner(client: TestClient, alice: Account, bob: Account) -> None:
    """Locking a photo that is in a shared album: it leaves the album for everyone, and the locked view of the
    album (PIN-unlocked session) shows each user only their own locked photos."""
    a1 = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    a2 = insert_asset(client, alice.id, "2024-01-11T10:00:00", 0)
    album = client.post("/api/albums", headers=alice.headers, json={
        "albumName": "Shared", "assetIds": [a1, a2], "albumUsers": [{"userId": bob.id, "role": "viewer"}]}).json()
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        from photonest.db.tables import Asset

        s.get(Asset, a1).visibility = "locked"  # type: ignore[union-attr]
    for who in (alice, bob):
        assert bucket(client, who, "2024-01-01", albumId=album["id"])["id"] == [a2]
        info = client.get(f"/api/albums/{album['id']}", headers=who.headers).json()
        assert info["assetCount"] == 1 and info["albumThumbnailAssetId"] == a2
    for who in (alice, bob):
        assert client.post("/api/auth/pin-code", headers=who.headers, json={"pinCode": "123456"}).status_code == 204
        assert client.post("/api/auth/session/unlock", headers=who.headers,
                           json={"pinCode": "123456"}).status_code == 204
    assert bucket(client, alice, "2024-01-01", albumId=album["id"], visibility="locked")["id"] == [a1]
    assert bucket(client, bob, "2024-01-01", albumId=album["id"], visibility="locked")["id"] == []
    assert buckets(client, bob, albumId=album["id"], visibility="locked") == []

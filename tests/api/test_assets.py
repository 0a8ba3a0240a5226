"""Asset endpoints after upload: info, edits (locked in AssetExif), bulk edits, trash, permanent deletion,
original download and thumbnails (with HTTP Range), video playback, statistics, jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import Asset, AssetExif, AssetFile
from photonest.db.types import utcnow
from photonest.library import trash as trash_lib
from tests.conftest import Account
from tests.uploading import JPEG, JPEG2, VIDEO, library_files, stats, upload


def _db(settings: Settings) -> Database:
    return Database(settings.db_url)


def test_info_and_edit_lock_the_fields(client: TestClient, settings: Settings, alice: Account) -> None:
    aid = upload(client, alice, JPEG).json()["id"]
    r = client.put(f"/api/assets/{aid}", headers=alice.headers, json={
        "isFavorite": True, "visibility": "archive", "description": "Furnace Creek", "rating": 4,
        "latitude": 36.45, "longitude": -116.85, "dateTimeOriginal": "2008-05-08T09:54:28-07:00"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["isFavorite"] is True and a["isArchived"] is True and a["visibility"] == "archive"
    ex = a["exifInfo"]
    assert ex["description"] == "Furnace Creek" and ex["rating"] == 4
    assert (ex["latitude"], ex["longitude"]) == (36.45, -116.85)
    assert ex["dateTimeOriginal"] == "2008-05-08T16:54:28Z" and ex["timeZone"] == "UTC-07:00"
    assert a["fileCreatedAt"] == "2008-05-08T16:54:28Z" and a["localDateTime"] == "2008-05-08T09:54:28Z"
    assert client.get(f"/api/assets/{aid}", headers=alice.headers).json() == a
    db = _db(settings)
    try:
        with db.session() as s:
            e = s.get(AssetExif, aid)
            assert e is not None
            assert set(e.locked_fields) == {"description", "rating", "latitude", "longitude", "dateTimeOriginal",
                                            "timeZone"}
    finally:
        db.dispose()
    # Invalid edits: 400 and nothing changes.
    for body in ({"latitude": 10.0}, {"rating": 9}, {"rating": 0}, {"dateTimeOriginal": "soon"},
                 {"visibility": "nowhere"}, {"latitude": 100, "longitude": 0}):
        assert client.put(f"/api/assets/{aid}", headers=alice.headers, json=body).status_code == 400, body
    assert client.get(f"/api/assets/{aid}", headers=alice.headers).json() == a
    # The locked folder needs a PIN-unlocked session.
    r = client.put(f"/api/assets/{aid}", headers=alice.headers, json={"visibility": "locked"})
    assert r.status_code == 401


def test_bulk_update(client: TestClient, alice: Account) -> None:
    ids = [upload(client, alice, p).json()["id"] for p in (JPEG, JPEG2)]
    r = client.put("/api/assets", headers=alice.headers, json={"ids": ids, "isFavorite": True,
                                                               "dateTimeOriginal": "2001-02-03T04:05:06Z"})
    assert r.status_code == 204, r.text
    r = client.put("/api/assets", headers=alice.headers, json={"ids": ids, "dateTimeRelative": 60,
                                                               "timeZone": "Europe/Paris"})
    assert r.status_code == 204, r.text
    for i in ids:
        a = client.get(f"/api/assets/{i}", headers=alice.headers).json()
        assert a["isFavorite"] is True and a["exifInfo"]["dateTimeOriginal"] == "2001-02-03T05:05:06Z"
        assert a["exifInfo"]["timeZone"] == "Europe/Paris"
    assert stats(client, alice, isFavorite=True)["total"] == 2


def test_trash_restore_and_empty(client: TestClient, settings: Settings, alice: Account) -> None:
    a1, a2 = (upload(client, alice, p).json()["id"] for p in (JPEG, JPEG2))
    usage = client.get("/api/users/me", headers=alice.headers).json()["quotaUsageInBytes"]
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a1, a2]}).status_code == 204
    assert client.get(f"/api/assets/{a1}", headers=alice.headers).json()["isTrashed"] is True
    assert stats(client, alice) == {"images": 0, "videos": 0, "total": 0}
    assert stats(client, alice, isTrashed=True)["total"] == 2
    r = client.post("/api/trash/restore/assets", headers=alice.headers, json={"ids": [a1]})
    assert r.status_code == 200 and r.json() == {"count": 1}
    assert client.get(f"/api/assets/{a1}", headers=alice.headers).json()["isTrashed"] is False
    r = client.post("/api/trash/empty", headers=alice.headers)
    assert r.status_code == 200 and r.json() == {"count": 1}
    assert client.get(f"/api/assets/{a2}", headers=alice.headers).status_code == 400
    assert len(library_files(settings)) == 1
    usage_now = client.get("/api/users/me", headers=alice.headers).json()["quotaUsageInBytes"]
    assert usage_now == usage - JPEG2.stat().st_size
    # restore everything / force delete
    client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a1]})
    assert client.post("/api/trash/restore", headers=alice.headers).json() == {"count": 1}
    assert client.request("DELETE", "/api/assets", headers=alice.headers,
                          json={"ids": [a1], "force": True}).status_code == 204
    assert library_files(settings) == [] and stats(client, alice)["total"] == 0
    assert client.get("/api/users/me", headers=alice.headers).json()["quotaUsageInBytes"] == 0
    # Deleted for good means the same bytes can come back as a new asset.
    assert upload(client, alice, JPEG).status_code == 201


def test_trash_purge_after_trash_days(client: TestClient, settings: Settings, alice: Account) -> None:
    old, recent = (upload(client, alice, p).json()["id"] for p in (JPEG, JPEG2))
    client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [old, recent]})
    db = _db(settings)
    try:
        with db.session() as s:
            s.execute(update(Asset).where(Asset.id == old)
                      .values(deleted_at=utcnow() - timedelta(days=settings.trash_days + 1)))
        with db.session() as s:
            assert trash_lib.purge_expired(s, settings) == 1
    finally:
        db.dispose()
    assert client.get(f"/api/assets/{old}", headers=alice.headers).status_code == 400
    assert client.get(f"/api/assets/{recent}", headers=alice.headers).json()["isTrashed"] is True
    assert len(library_files(settings)) == 1


def test_original_download_with_range(client: TestClient, alice: Account) -> None:
    data = JPEG.read_bytes()
    aid = upload(client, alice, JPEG).json()["id"]
    r = client.get(f"/api/assets/{aid}/original", headers=alice.headers)
    assert r.status_code == 200 and r.content == data and r.headers["content-type"] == "image/jpeg"
    assert JPEG.name in r.headers["content-disposition"]
    r = client.get(f"/api/assets/{aid}/original", headers={**alice.headers, "Range": "bytes=100-1123"})
    assert r.status_code == 206 and r.content == data[100:1124]
    assert r.headers["content-range"] == f"bytes 100-1123/{len(data)}"
    r = client.get(f"/api/assets/{aid}/original", headers={**alice.headers, "Range": "bytes=-500"})
    assert r.status_code == 206 and r.content == data[-500:]
    r = client.get(f"/api/assets/{aid}/original", headers={**alice.headers, "Range": f"bytes={len(data) + 10}-"})
    assert r.status_code == 416


def test_thumbnails_from_asset_files(client: TestClient, settings: Settings, alice: Account) -> None:
    data = JPEG.read_bytes()
    aid = upload(client, alice, JPEG).json()["id"]
    # Not generated yet: as Immich, 404 "Asset media not found"; fullsize of a browser image is the original.
    for size in ("thumbnail", "preview"):
        r = client.get(f"/api/assets/{aid}/thumbnail", headers=alice.headers, params={"size": size})
        assert r.status_code == 404 and r.json()["message"] == "Asset media not found"
    r = client.get(f"/api/assets/{aid}/thumbnail", headers=alice.headers, params={"size": "fullsize"})
    assert r.status_code == 200 and r.content == data
    assert client.get(f"/api/assets/{aid}/thumbnail", headers=alice.headers,
                      params={"size": "huge"}).status_code == 400
    thumbs = settings.data / "thumbs" / alice.id
    thumbs.mkdir(parents=True)
    (thumbs / f"{aid}-thumbnail.webp").write_bytes(b"RIFF-thumb")
    (thumbs / f"{aid}-preview.jpeg").write_bytes(b"\xff\xd8preview")
    db = _db(settings)
    try:
        with db.session() as s:
            s.add(AssetFile(asset_id=aid, type="thumbnail", path=f"thumbs/{alice.id}/{aid}-thumbnail.webp"))
            s.add(AssetFile(asset_id=aid, type="preview", path=f"thumbs/{alice.id}/{aid}-preview.jpeg"))
    finally:
        db.dispose()
    r = client.get(f"/api/assets/{aid}/thumbnail", headers=alice.headers)
    assert r.status_code == 200 and r.content == b"RIFF-thumb" and r.headers["content-type"] == "image/webp"
    assert "no-transform" in r.headers["cache-control"]
    r = client.get(f"/api/assets/{aid}/thumbnail", headers=alice.headers, params={"size": "preview"})
    assert r.status_code == 200 and r.content == b"\xff\xd8preview" and r.headers["content-type"] == "image/jpeg"


def test_video_playback_ranges(client: TestClient, settings: Settings, alice: Account) -> None:
    data = VIDEO.read_bytes()
    vid = upload(client, alice, VIDEO).json()["id"]
    photo = upload(client, alice, JPEG).json()["id"]
    r = client.get(f"/api/assets/{vid}/video/playback", headers={**alice.headers, "Range": "bytes=0-99"})
    assert r.status_code == 206 and r.content == data[:100] and r.headers["content-type"] == "video/mp4"
    assert r.headers["content-range"] == f"bytes 0-99/{len(data)}" and r.headers["accept-ranges"] == "bytes"
    r = client.get(f"/api/assets/{vid}/video/playback", headers={**alice.headers, "Range": "bytes=1000-"})
    assert r.status_code == 206 and r.content == data[1000:]
    assert client.get(f"/api/assets/{photo}/video/playback", headers=alice.headers).status_code == 400
    # An encoded version, when the pipeline made one, is what plays.
    enc = settings.data / "encoded-video" / f"{vid}.mp4"
    enc.parent.mkdir(parents=True, exist_ok=True)
    enc.write_bytes(b"encoded" * 100)
    db = _db(settings)
    try:
        with db.session() as s:
            s.add(AssetFile(asset_id=vid, type="encoded_video", path=f"encoded-video/{vid}.mp4"))
    finally:
        db.dispose()
    r = client.get(f"/api/assets/{vid}/video/playback", headers={**alice.headers, "Range": "bytes=7-13"})
    assert r.status_code == 206 and r.content == b"encoded"


def test_statistics(client: TestClient, alice: Account) -> None:
    upload(client, alice, JPEG)
    upload(client, alice, JPEG2, isFavorite=True)
    upload(client, alice, VIDEO, visibility="archive")
    assert stats(client, alice) == {"images": 2, "videos": 1, "total": 3}
    assert stats(client, alice, isFavorite=True) == {"images": 1, "videos": 0, "total": 1}
    assert stats(client, alice, visibility="archive") == {"images": 0, "videos": 1, "total": 1}


def test_jobs_are_queued_for_own_assets(client: TestClient, alice: Account, bob: Account,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[Any] = []
    app: Any = client.app
    photo = upload(client, alice, JPEG).json()["id"]
    vid = upload(client, alice, VIDEO).json()["id"]
    monkeypatch.setattr(app.state.jobs, "enqueue_asset", lambda *a: queued.append(a))
    for name in ("regenerate-thumbnail", "refresh-metadata"):
        r = client.post("/api/assets/jobs", headers=alice.headers, json={"assetIds": [photo, vid], "name": name})
        assert r.status_code == 204, r.text
    r = client.post("/api/assets/jobs", headers=alice.headers, json={"assetIds": [photo, vid],
                                                                    "name": "transcode-video"})
    assert r.status_code == 204
    assert queued == [(photo, ["thumbnails"]), (vid, ["thumbnails"]), (photo, ["metadata"]), (vid, ["metadata"]),
                      (vid, ["video"])]
    r = client.post("/api/assets/jobs", headers=bob.headers, json={"assetIds": [photo], "name": "refresh-metadata"})
    assert r.status_code == 400 and len(queued) == 5

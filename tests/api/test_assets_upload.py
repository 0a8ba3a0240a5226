"""POST /api/assets (streamed multipart) and /api/assets/bulk-upload-check: created, duplicate, bad input,
limits. Every refusal leaves nothing on disk and nothing in the database."""

from __future__ import annotations

import errno
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import AssetFile, AssetMetadata
from photonest.storage.local import UploadSink
from tests.conftest import MEDIA, Account
from tests.uploading import JPEG, JPEG2, VIDEO, b64, library_files, sha1, stats, upload, upload_files


def test_upload_stores_the_original_and_answers_201(client: TestClient, settings: Settings, alice: Account) -> None:
    data = JPEG.read_bytes()
    r = upload(client, alice, JPEG, isFavorite=True)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "created"
    asset = client.get(f"/api/assets/{r.json()['id']}", headers=alice.headers).json()
    assert asset["checksum"] == b64(sha1(data))
    assert asset["originalFileName"] == JPEG.name and asset["isFavorite"] is True
    assert asset["ownerId"] == alice.id and asset["type"] == "IMAGE" and asset["isTrashed"] is False
    assert asset["fileCreatedAt"] == "2008-05-08T09:54:28Z" and asset["exifInfo"]["fileSizeInByte"] == len(data)
    # The original sits under library/<user>/<yyyy>/<mm>/ with a name of our own, byte for byte.
    on_disk = settings.data / asset["originalPath"]
    assert asset["originalPath"].startswith(f"library/{alice.id}/2008/05/") and on_disk.suffix == ".jpg"
    assert JPEG.stem not in on_disk.name and sha1(on_disk.read_bytes()) == sha1(data)
    assert library_files(settings) == [on_disk] and upload_files(settings) == []
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert me["quotaUsageInBytes"] == len(data)


def test_same_bytes_again_is_a_duplicate(client: TestClient, settings: Settings, alice: Account,
                                          bob: Account) -> None:
    first = upload(client, alice, JPEG).json()
    again = upload(client, alice, JPEG, part_name="renamed.jpg")
    assert again.status_code == 200 and again.json() == {"id": first["id"], "status": "duplicate"}
    assert len(library_files(settings)) == 1 and upload_files(settings) == []
    # Deduplication is per owner: Bob's copy is his own asset.
    theirs = upload(client, bob, JPEG)
    assert theirs.status_code == 201 and theirs.json()["id"] != first["id"]
    assert stats(client, alice)["total"] == 1 and stats(client, bob)["total"] == 1


def test_checksum_header_short_circuits_before_the_body(client: TestClient, alice: Account) -> None:
    first = upload(client, alice, JPEG).json()
    digest = sha1(JPEG.read_bytes())
    for value in (digest.hex(), b64(digest)):
        # The body is not even a multipart form: it is never read.
        r = client.post("/api/assets", headers={**alice.headers, "x-immich-checksum": value,
                                                "content-type": "text/plain"}, content=b"not read")
        assert r.status_code == 200 and r.json() == {"id": first["id"], "status": "duplicate"}
    # An unknown checksum: the body is read, and must match it (a damaged upload is refused, nothing kept).
    r = upload(client, alice, JPEG2, headers={"x-immich-checksum": sha1(b"other").hex()})
    assert r.status_code == 400 and "does not match" in r.json()["message"]
    assert stats(client, alice)["total"] == 1
    r = upload(client, alice, JPEG2, headers={"x-immich-checksum": b64(sha1(JPEG2.read_bytes()))})
    assert r.status_code == 201
    assert client.post("/api/assets", headers={**alice.headers, "x-immich-checksum": "zz"},
                       content=b"").status_code == 400


def test_bulk_upload_check_hex_and_base64(client: TestClient, alice: Account) -> None:
    first = upload(client, alice, JPEG).json()
    digest = sha1(JPEG.read_bytes())
    other = sha1(JPEG2.read_bytes())
    r = client.post("/api/assets/bulk-upload-check", headers=alice.headers, json={"assets": [
        {"id": "hex", "checksum": digest.hex()}, {"id": "b64", "checksum": b64(digest)},
        {"id": "new", "checksum": other.hex()}, {"id": "new64", "checksum": b64(other)}]})
    assert r.status_code == 200, r.text
    assert r.json()["results"] == [
        {"id": "hex", "action": "reject", "reason": "duplicate", "assetId": first["id"], "isTrashed": False},
        {"id": "b64", "action": "reject", "reason": "duplicate", "assetId": first["id"], "isTrashed": False},
        {"id": "new", "action": "accept"}, {"id": "new64", "action": "accept"}]
    client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [first["id"]]})
    r = client.post("/api/assets/bulk-upload-check", headers=alice.headers,
                    json={"assets": [{"id": "x", "checksum": digest.hex()}]})
    assert r.json()["results"][0]["isTrashed"] is True
    bad = client.post("/api/assets/bulk-upload-check", headers=alice.headers,
                      json={"assets": [{"id": "x", "checksum": "not-a-checksum"}]})
    assert bad.status_code == 400


@pytest.mark.parametrize(("source", "filename", "reason"), [
    (MEDIA / "broken_edge" / "notjpeg.jpg", None, "empty"),
    (MEDIA / "broken_edge" / "empty.heic", None, "empty"),
    (MEDIA / "broken_edge" / "empty-file.tga", None, "Unsupported file type"),
    (JPEG, "notes.txt", "Unsupported file type"),
    (JPEG, "no-extension", "Unsupported file type"),
    (JPEG, "../../etc/passwd", "plain name"),
    (JPEG, "..\\..\\evil.jpg", "plain name"),
    (JPEG, "evil\x00.jpg", "control characters"),
    (JPEG, "a" * 300 + ".jpg", "longer than 255"),
])
def test_bad_files_get_400_and_leave_nothing(client: TestClient, settings: Settings, alice: Account,
                                             source: Any, filename: str | None, reason: str) -> None:
    # The name in the part header, and the name in the filename field (which wins, as in Immich).
    attempts = [upload(client, alice, source, part_name=filename or source.name)]
    if filename:
        attempts.append(upload(client, alice, source, part_name="fine.jpg", filename=filename))
    for r in attempts:
        assert r.status_code == 400, r.text
        assert reason in str(r.json()["message"])
    assert library_files(settings) == [] and upload_files(settings) == []
    assert stats(client, alice)["total"] == 0
    assert client.get("/api/users/me", headers=alice.headers).json()["quotaUsageInBytes"] == 0


def test_missing_fields_are_400(client: TestClient, settings: Settings, alice: Account) -> None:
    data = JPEG.read_bytes()
    r = client.post("/api/assets", headers=alice.headers, data={"fileModifiedAt": "2020-01-01T00:00:00Z"},
                    files={"assetData": ("a.jpg", data, "image/jpeg")})
    assert r.status_code == 400 and "fileCreatedAt" in str(r.json()["message"])
    r = client.post("/api/assets", headers=alice.headers, data={"fileCreatedAt": "yesterday",
                                                               "fileModifiedAt": "2020-01-01T00:00:00Z"},
                    files={"assetData": ("a.jpg", data, "image/jpeg")})
    assert r.status_code == 400
    r = client.post("/api/assets", headers=alice.headers, data={"fileCreatedAt": "2020-01-01T00:00:00Z"})
    assert r.status_code == 400
    r = client.post("/api/assets", headers={**alice.headers, "content-type": "multipart/form-data; boundary=xx"},
                    content=b'--xx\r\nContent-Disposition: form-data; name="assetData"; filename="a.jpg"\r\n\r\nabc')
    assert r.status_code == 400 and "multipart" in str(r.json()["message"]).lower()
    assert library_files(settings) == [] and upload_files(settings) == []


def test_quota_exceeded_is_a_clear_400_and_keeps_nothing(client: TestClient, settings: Settings, admin: Account,
                                                         alice: Account) -> None:
    size = JPEG.stat().st_size
    r = client.put(f"/api/admin/users/{alice.id}", headers=admin.headers, json={"quotaSizeInBytes": size + 100})
    assert r.status_code == 200, r.text
    assert upload(client, alice, JPEG).status_code == 201
    r = upload(client, alice, JPEG2)
    assert r.status_code == 400 and "Quota has been exceeded" in r.json()["message"]
    assert len(library_files(settings)) == 1 and upload_files(settings) == []
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert me["quotaUsageInBytes"] == size and stats(client, alice)["total"] == 1
    # The quota is enforced while the body streams (as Immich, before it knows of duplicates); a client that
    # sends the checksum first learns the file is already there.
    assert upload(client, alice, JPEG, headers={"x-immich-checksum": sha1(JPEG.read_bytes()).hex()}).status_code == 200


def test_max_upload_size_is_413(client: TestClient, settings: Settings, alice: Account) -> None:
    settings.max_upload_bytes = 10_000  # app.state.settings is this object
    r = upload(client, alice, JPEG)  # 38 KB, declared in Content-Length: refused before reading
    assert r.status_code == 413, r.text

    def chunks() -> Any:  # no Content-Length: refused while streaming, once past the limit
        boundary = b"bnd"
        yield b"--bnd\r\nContent-Disposition: form-data; name=\"fileCreatedAt\"\r\n\r\n2020-01-01T00:00:00Z\r\n"
        yield b"--bnd\r\nContent-Disposition: form-data; name=\"fileModifiedAt\"\r\n\r\n2020-01-01T00:00:00Z\r\n"
        yield b"--bnd\r\nContent-Disposition: form-data; name=\"assetData\"; filename=\"a.jpg\"\r\n\r\n"
        yield JPEG.read_bytes()
        yield b"\r\n--" + boundary + b"--\r\n"

    r = client.post("/api/assets", headers={**alice.headers, "content-type": "multipart/form-data; boundary=bnd"},
                    content=chunks())
    assert r.status_code == 413, r.text
    assert library_files(settings) == [] and upload_files(settings) == []


def test_disk_full_is_507_and_keeps_nothing(client: TestClient, settings: Settings, alice: Account,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = UploadSink.write
    calls = {"n": 0}

    def write(self: UploadSink, data: Any) -> None:
        calls["n"] += 1
        if calls["n"] >= 1:
            self._f.write(bytes(data[: len(data) // 2]))  # type: ignore[union-attr]  # a partial write, then:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, data)

    monkeypatch.setattr(UploadSink, "write", write)
    r = upload(client, alice, JPEG)
    assert r.status_code == 507, r.text
    assert library_files(settings) == [] and upload_files(settings) == []
    assert stats(client, alice)["total"] == 0
    monkeypatch.setattr(UploadSink, "write", real_write)
    assert upload(client, alice, JPEG).status_code == 201  # and the server carries on


def test_concurrent_same_bytes_make_one_asset(client: TestClient, settings: Settings, alice: Account) -> None:
    results: list[Any] = []
    barrier = threading.Barrier(4)

    def go() -> None:
        barrier.wait()
        r = upload(client, alice, JPEG)
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = {body["id"] for _, body in results}
    assert len(ids) == 1, results
    assert sorted(code for code, _ in results) == [200, 200, 200, 201]
    assert len(library_files(settings)) == 1 and upload_files(settings) == []
    assert client.get("/api/users/me", headers=alice.headers).json()["quotaUsageInBytes"] == JPEG.stat().st_size


def test_sidecar_metadata_and_dates(client: TestClient, settings: Settings, alice: Account) -> None:
    xmp = next((MEDIA / "xmp_sidecar").glob("*.xmp"))
    data = JPEG.read_bytes()
    r = client.post("/api/assets", headers=alice.headers, data={
        "fileCreatedAt": "2021-03-04T05:06:07+02:00", "fileModifiedAt": "2021-03-04T05:06:07+02:00",
        "filename": "holiday.jpg", "visibility": "archive",
        "metadata": '[{"key": "mobile-app", "value": {"iCloudId": "abc"}}]'},
        files={"assetData": ("IMG_0001.jpg", data, "image/jpeg"),
               "sidecarData": ("IMG_0001.jpg.xmp", xmp.read_bytes(), "application/xml")})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    asset = client.get(f"/api/assets/{aid}", headers=alice.headers).json()
    assert asset["originalFileName"] == "holiday.jpg" and asset["visibility"] == "archive"
    assert asset["isArchived"] is True and asset["fileCreatedAt"] == "2021-03-04T03:06:07Z"
    db = Database(settings.db_url)
    try:
        with db.session() as s:
            side = s.scalar(select(AssetFile).where(AssetFile.asset_id == aid, AssetFile.type == "sidecar"))
            assert side is not None and side.path == asset["originalPath"] + ".xmp"
            assert (settings.data / side.path).read_bytes() == xmp.read_bytes()
            meta = s.scalar(select(AssetMetadata).where(AssetMetadata.asset_id == aid))
            assert meta is not None and meta.key == "mobile-app" and meta.value == {"iCloudId": "abc"}
    finally:
        db.dispose()
    assert upload_files(settings) == []


def test_live_photo_link_hides_the_video_and_checks_the_owner(client: TestClient, alice: Account,
                                                              bob: Account) -> None:
    video = upload(client, alice, VIDEO, duration=1000).json()["id"]
    bobs_video = upload(client, bob, VIDEO).json()["id"]
    r = upload(client, bob, JPEG, livePhotoVideoId=video)
    assert r.status_code == 400 and "Live photo video not found" in r.json()["message"]
    photo = upload(client, alice, JPEG, livePhotoVideoId=video)
    assert photo.status_code == 201
    assert client.get(f"/api/assets/{photo.json()['id']}", headers=alice.headers).json()["livePhotoVideoId"] == video
    v = client.get(f"/api/assets/{video}", headers=alice.headers).json()
    assert v["visibility"] == "hidden" and v["type"] == "VIDEO" and v["duration"] == 1000
    assert client.get(f"/api/assets/{bobs_video}", headers=bob.headers).json()["visibility"] == "timeline"
    photo2 = upload(client, alice, JPEG2, livePhotoVideoId=photo.json()["id"])
    assert photo2.status_code == 400 and "must be a video" in photo2.json()["message"]


def test_upload_queues_processing_and_waits_for_thumbnails_to_tell(client: TestClient, alice: Account,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The owner's clients hear on_upload_success once thumbnails exist (tests/api/test_socketio.py), not before."""
    queued: list[Any] = []
    events: list[Any] = []
    app: Any = client.app
    monkeypatch.setattr(app.state.jobs, "enqueue_asset", lambda *a, **k: queued.append(a))
    monkeypatch.setattr(app.state.events, "emit", lambda *a: events.append(a))
    aid = upload(client, alice, JPEG).json()["id"]
    assert queued == [(aid,)]
    assert events == []
    upload(client, alice, JPEG)  # a duplicate queues nothing
    assert len(queued) == 1 and events == []

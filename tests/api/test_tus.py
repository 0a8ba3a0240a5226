"""tus 1.0 resumable uploads at /api/upload/tus: create, PATCH in pieces, resume (also with the hash state
lost, as after a restart), finish into the same ingest as POST /api/assets, terminate, expiry, bad input."""

from __future__ import annotations

import base64
import itertools
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import TusUpload
from photonest.db.types import utcnow
from photonest.library import uploads as uploads_lib
from tests.conftest import Account
from tests.uploading import JPEG, VIDEO, b64, library_files, sha1, stats, upload, upload_files

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {"Content-Type": "application/offset+octet-stream"}


def meta(**kv: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in kv.items())


def create(client: TestClient, who: Account, length: int, **kv: str) -> Any:
    return client.post("/api/upload/tus", headers={**who.headers, **TUS, "Upload-Length": str(length),
                                                   "Upload-Metadata": meta(**kv)})


def patch(client: TestClient, who: Account, loc: str, offset: int, data: bytes) -> Any:
    return client.patch(loc, headers={**who.headers, **TUS, **OCTETS, "Upload-Offset": str(offset)}, content=data)


def test_options_advertise_the_protocol(client: TestClient, settings: Settings) -> None:
    r = client.options("/api/upload/tus")
    assert r.status_code == 204 and r.headers["tus-version"] == "1.0.0"
    assert set(r.headers["tus-extension"].split(",")) >= {"creation", "termination", "expiration"}
    assert r.headers["tus-max-size"] == str(settings.max_upload_bytes)


def test_upload_in_pieces_with_a_lost_hash_state(client: TestClient, settings: Settings, alice: Account) -> None:
    data = VIDEO.read_bytes()
    r = create(client, alice, len(data), filename="clip.mp4", fileCreatedAt="2016-02-06T00:53:22Z", isFavorite="true")
    assert r.status_code == 201, r.text
    loc = r.headers["location"]
    assert loc.startswith("/api/upload/tus/") and r.headers["upload-offset"] == "0" and "upload-expires" in r.headers
    cuts = [0, 1, 65_536, 100_000, 250_001, len(data)]
    for i, (a, b) in enumerate(itertools.pairwise(cuts)):
        if i == 2:
            uploads_lib._hashes.clear()  # as after a restart: the partial file is re-hashed
        r = patch(client, alice, loc, a, data[a:b])
        assert r.status_code == 204, r.text
        assert r.headers["upload-offset"] == str(b)
        h = client.head(loc, headers={**alice.headers, **TUS})
        assert h.status_code == 200 and h.headers["upload-offset"] == str(b)
        assert h.headers["upload-length"] == str(len(data))
    aid = r.headers["x-immich-asset-id"]
    assert r.headers["x-immich-asset-status"] == "created"
    asset = client.get(f"/api/assets/{aid}", headers=alice.headers).json()
    assert asset["checksum"] == b64(sha1(data)) and asset["type"] == "VIDEO" and asset["isFavorite"] is True
    assert asset["originalFileName"] == "clip.mp4" and asset["fileCreatedAt"] == "2016-02-06T00:53:22Z"
    assert (settings.data / asset["originalPath"]).read_bytes() == data
    assert upload_files(settings) == [] and len(library_files(settings)) == 1
    # After the end, HEAD still tells a client that lost the last answer which asset it became.
    h = client.head(loc, headers={**alice.headers, **TUS})
    assert h.headers["x-immich-asset-id"] == aid and h.headers["upload-offset"] == str(len(data))
    assert patch(client, alice, loc, len(data), b"x").status_code == 409


def test_duplicate_via_tus(client: TestClient, settings: Settings, alice: Account) -> None:
    first = upload(client, alice, JPEG).json()["id"]
    data = JPEG.read_bytes()
    loc = create(client, alice, len(data), filename="again.jpg").headers["location"]
    r = patch(client, alice, loc, 0, data)
    assert r.status_code == 204 and r.headers["x-immich-asset-id"] == first
    assert r.headers["x-immich-asset-status"] == "duplicate"
    assert len(library_files(settings)) == 1 and upload_files(settings) == []


def test_offsets_and_content_type_are_checked(client: TestClient, alice: Account) -> None:
    data = JPEG.read_bytes()
    loc = create(client, alice, len(data), filename="a.jpg").headers["location"]
    assert patch(client, alice, loc, 0, data[:1000]).status_code == 204
    r = patch(client, alice, loc, 0, data[:1000])  # stale offset
    assert r.status_code == 409
    r = client.patch(loc, headers={**alice.headers, **TUS, "Upload-Offset": "1000",
                                   "Content-Type": "application/octet-stream"}, content=data[1000:])
    assert r.status_code == 415
    r = client.patch(loc, headers={**alice.headers, **OCTETS, "Upload-Offset": "1000"}, content=data[1000:])
    assert r.status_code == 412  # no Tus-Resumable
    r = patch(client, alice, loc, 1000, data[1000:] + b"too much")
    assert r.status_code == 400 and "Upload-Length" in r.json()["message"]
    h = client.head(loc, headers={**alice.headers, **TUS})
    assert h.headers["upload-offset"] == "1000"  # the refused PATCH left no bytes behind
    assert patch(client, alice, loc, 1000, data[1000:]).status_code == 204


def test_bad_creations(client: TestClient, settings: Settings, admin: Account, alice: Account) -> None:
    assert create(client, alice, 0, filename="a.jpg").status_code == 400
    assert create(client, alice, 10, filename="notes.txt").status_code == 400
    assert create(client, alice, 10, filename="../../x.jpg").status_code == 400
    assert create(client, alice, 10).status_code == 400  # no filename
    assert create(client, alice, 10, filename="a.jpg", fileCreatedAt="later").status_code == 400
    r = client.post("/api/upload/tus", headers={**alice.headers, **TUS, "Upload-Length": "10",
                                                "Upload-Metadata": "filename !!!"})
    assert r.status_code == 400
    settings.max_upload_bytes = 1000
    assert create(client, alice, 1001, filename="a.jpg").status_code == 413
    settings.max_upload_bytes = 10**9
    client.put(f"/api/admin/users/{alice.id}", headers=admin.headers, json={"quotaSizeInBytes": 5000})
    r = create(client, alice, 6000, filename="a.jpg")
    assert r.status_code == 400 and "Quota" in r.json()["message"]
    assert upload_files(settings) == []


def test_finish_refused_by_quota_leaves_nothing(client: TestClient, settings: Settings, admin: Account,
                                               alice: Account) -> None:
    data = JPEG.read_bytes()
    loc = create(client, alice, len(data), filename="a.jpg").headers["location"]
    # The quota shrinks while the upload is under way: the last PATCH is refused and nothing stays.
    client.put(f"/api/admin/users/{alice.id}", headers=admin.headers, json={"quotaSizeInBytes": 10})
    r = patch(client, alice, loc, 0, data)
    assert r.status_code == 400 and "Quota" in r.json()["message"]
    assert upload_files(settings) == [] and library_files(settings) == [] and stats(client, alice)["total"] == 0
    assert client.head(loc, headers={**alice.headers, **TUS}).status_code == 404


def test_terminate_and_expiry(client: TestClient, settings: Settings, alice: Account, bob: Account) -> None:
    data = JPEG.read_bytes()
    loc = create(client, alice, len(data), filename="a.jpg").headers["location"]
    patch(client, alice, loc, 0, data[:500])
    assert client.delete(loc, headers={**bob.headers, **TUS}).status_code == 404
    assert client.head(loc, headers={**bob.headers, **TUS}).status_code == 404
    assert patch(client, bob, loc, 500, data[500:]).status_code == 404
    assert client.delete(loc, headers={**alice.headers, **TUS}).status_code == 204
    assert client.head(loc, headers={**alice.headers, **TUS}).status_code == 404
    assert upload_files(settings) == []
    # Expiry: a stale partial upload goes (row and file) on the next purge.
    loc = create(client, alice, len(data), filename="a.jpg").headers["location"]
    patch(client, alice, loc, 0, data[:500])
    assert len(upload_files(settings)) == 1
    db = Database(settings.db_url)
    try:
        with db.session() as s:
            s.execute(update(TusUpload).values(expires_at=utcnow() - timedelta(minutes=1)))
        assert client.head(loc, headers={**alice.headers, **TUS}).status_code == 404
        with db.session() as s:
            assert uploads_lib.purge_expired(s, settings) == 1
    finally:
        db.dispose()
    assert upload_files(settings) == []


@pytest.mark.parametrize("crash_tail", [0, 777])
def test_bytes_past_the_recorded_offset_are_cut(client: TestClient, settings: Settings, alice: Account,
                                                crash_tail: int) -> None:
    """A crash mid-PATCH can leave bytes on disk past the recorded offset; they are not trusted."""
    data = JPEG.read_bytes()
    loc = create(client, alice, len(data), filename="a.jpg").headers["location"]
    patch(client, alice, loc, 0, data[:2000])
    part = next(iter(upload_files(settings)))
    with open(part, "ab") as f:
        f.write(b"\0" * crash_tail)  # garbage the client never had acknowledged
    uploads_lib._hashes.clear()
    r = patch(client, alice, loc, 2000, data[2000:])
    assert r.status_code == 204
    aid = r.headers["x-immich-asset-id"]
    assert client.get(f"/api/assets/{aid}", headers=alice.headers).json()["checksum"] == b64(sha1(data))

"""Downloads: archive plans split by size, ZIP streams with the originals byte for byte, unique names, access."""

from __future__ import annotations

import hashlib
import io
import zipfile

from fastapi.testclient import TestClient

from tests.conftest import MEDIA, Account

PHOTOS = [MEDIA / "camera_jpeg" / n for n in ("leuvenA.jpg", "flower.jpg", "ela_original.jpg")]


def _upload(client: TestClient, who: Account, data: bytes, name: str) -> str:
    r = client.post("/api/assets", headers=who.headers, files={"assetData": (name, data)},
                    data={"fileCreatedAt": "2024-06-01T00:00:00Z", "fileModifiedAt": "2024-06-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_archive_holds_the_originals(client: TestClient, alice: Account) -> None:
    ids = [_upload(client, alice, p.read_bytes(), p.name) for p in PHOTOS]
    # Two different files with the same name get distinct names in the archive.
    twin = PHOTOS[0].read_bytes() + b"\0"
    ids.append(_upload(client, alice, twin, PHOTOS[0].name))
    r = client.post("/api/download/archive", headers=alice.headers, json={"assetIds": ids})
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    assert zf.testzip() is None
    names = zf.namelist()
    assert names == ["leuvenA.jpg", "flower.jpg", "ela_original.jpg", "leuvenA+1.jpg"]
    for p in PHOTOS:
        assert hashlib.sha1(zf.read(p.name)).digest() == hashlib.sha1(p.read_bytes()).digest()
    assert zf.read("leuvenA+1.jpg") == twin


def test_info_splits_by_archive_size(client: TestClient, alice: Account) -> None:
    ids = [_upload(client, alice, p.read_bytes(), p.name) for p in PHOTOS]
    sizes = [p.stat().st_size for p in PHOTOS]
    r = client.post("/api/download/info", headers=alice.headers, json={"assetIds": ids, "archiveSize": 1})
    assert r.status_code == 201
    body = r.json()
    assert body["totalSize"] == sum(sizes)
    assert [a["assetIds"] for a in body["archives"]] == [[i] for i in ids]  # one asset never splits
    two = client.post("/api/download/info", headers=alice.headers,
                      json={"assetIds": ids, "archiveSize": sizes[0] + sizes[1]}).json()
    assert [a["assetIds"] for a in two["archives"]] == [ids[:2], ids[2:]]
    whole = client.post("/api/download/info", headers=alice.headers, json={"userId": alice.id}).json()
    assert sorted(whole["archives"][0]["assetIds"]) == sorted(ids)


def test_strangers_cannot_download(client: TestClient, alice: Account, bob: Account) -> None:
    a = _upload(client, alice, PHOTOS[0].read_bytes(), PHOTOS[0].name)
    assert client.post("/api/download/archive", headers=bob.headers, json={"assetIds": [a]}).status_code == 400
    assert client.post("/api/download/info", headers=bob.headers, json={"assetIds": [a]}).status_code == 400
    assert client.post("/api/download/info", headers=bob.headers, json={"userId": alice.id}).status_code == 400


def test_share_link_downloads_only_when_allowed(client: TestClient, alice: Account) -> None:
    a, b = (_upload(client, alice, p.read_bytes(), p.name) for p in PHOTOS[:2])
    link = client.post("/api/shared-links", headers=alice.headers,
                       json={"type": "INDIVIDUAL", "assetIds": [a], "allowDownload": True}).json()
    client.cookies.clear()
    r = client.post("/api/download/archive", params={"key": link["key"]}, json={"assetIds": [a]})
    assert r.status_code == 200 and zipfile.ZipFile(io.BytesIO(r.content)).namelist() == [PHOTOS[0].name]
    # Not an asset of the link, though the link's owner has it.
    assert client.post("/api/download/archive", params={"key": link["key"]}, json={"assetIds": [b]}).status_code == 400
    client.patch(f"/api/shared-links/{link['id']}", headers=alice.headers, json={"allowDownload": False})
    client.cookies.clear()
    r = client.post("/api/download/archive", params={"key": link["key"]}, json={"assetIds": [a]})
    assert r.status_code == 403

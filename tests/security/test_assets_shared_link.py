"""Share-link holders (?key=) see exactly the link's assets, download only if allowed, change nothing, and
upload only through a link that allows it (the asset is the link owner's and joins the link)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import DATES, JPEG, JPEG2, VIDEO, multipart, upload


def _link(client: TestClient, who: Account, ids: list[str], **opts: bool) -> str:
    r = client.post("/api/shared-links", headers=who.headers,
                    json={"type": "INDIVIDUAL", "assetIds": ids, **opts})
    assert r.status_code == 201, r.text
    return str(r.json()["key"])


def test_link_reads_its_assets_only(client: TestClient, alice: Account) -> None:
    shared = upload(client, alice, JPEG).json()["id"]
    private = upload(client, alice, JPEG2).json()["id"]
    key = _link(client, alice, [shared], allowDownload=False)
    client.cookies.clear()
    assert client.get(f"/api/assets/{shared}", params={"key": key}).status_code == 200
    assert client.get(f"/api/assets/{shared}/thumbnail", params={"key": key, "size": "fullsize"}).status_code == 200
    assert client.get(f"/api/assets/{shared}/original", params={"key": key}).status_code in (400, 403)  # no download
    for path in (f"/api/assets/{private}", f"/api/assets/{private}/thumbnail?size=fullsize",
                 f"/api/assets/{private}/original"):
        assert client.get(path, params={"key": key}).status_code in (400, 403), path
    # Writes never accept a share link.
    assert client.put(f"/api/assets/{shared}", params={"key": key}, json={"isFavorite": True}).status_code == 401
    assert client.request("DELETE", "/api/assets", params={"key": key}, json={"ids": [shared]}).status_code == 401
    assert client.get(f"/api/assets/{shared}", headers=alice.headers).json()["isTrashed"] is False
    # Download allowed: the original comes.
    key2 = _link(client, alice, [shared], allowDownload=True)
    client.cookies.clear()
    r = client.get(f"/api/assets/{shared}/original", params={"key": key2})
    assert r.status_code == 200 and r.content == JPEG.read_bytes()


def test_guest_upload_only_when_allowed(client: TestClient, alice: Account) -> None:
    first = upload(client, alice, JPEG).json()["id"]
    ctype, body = multipart({**DATES}, {"assetData": ("guest.mp4", VIDEO.read_bytes())})
    closed = _link(client, alice, [first], allowUpload=False)
    client.cookies.clear()
    r = client.post("/api/assets", params={"key": closed}, headers={"content-type": ctype}, content=body)
    assert r.status_code == 403
    open_key = _link(client, alice, [first], allowUpload=True)
    client.cookies.clear()
    r = client.post("/api/assets", params={"key": open_key}, headers={"content-type": ctype}, content=body)
    assert r.status_code == 201, r.text
    new = r.json()["id"]
    mine = client.get(f"/api/assets/{new}", headers=alice.headers).json()
    assert mine["ownerId"] == alice.id and mine["type"] == "VIDEO"
    client.cookies.clear()
    assert client.get(f"/api/assets/{new}", params={"key": open_key}).status_code == 200  # it joined the link
    assert client.get(f"/api/assets/{new}", params={"key": closed}).status_code == 400

"""The endpoints Home Assistant's Immich integration calls (through the aioimmich library, with an API key and
`Accept: application/json` / `application/octet-stream`), each answered as the library expects."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.sync.test_phone_session import backup
from tests.uploading import JPEG, VIDEO, multipart

# (method, path, what aioimmich does with it) — aioimmich 0.x: server, users, albums, assets, people, search, tags
CALLS = [
    ("GET", "/api/server/version", "setup: version gate"),
    ("GET", "/api/server/about", "sensors"),
    ("GET", "/api/server/storage", "disk sensors"),
    ("GET", "/api/server/statistics", "photo/video/usage sensors (admin key)"),
    ("GET", "/api/server/version-check", "update entity"),
    ("GET", "/api/users/me", "config entry title / unique id"),
    ("GET", "/api/albums?shared=false", "media source: own albums"),
    ("GET", "/api/albums?shared=true", "media source: shared albums"),
    ("GET", "/api/albums/{album}", "media source: album assets"),
    ("GET", "/api/assets/{asset}/thumbnail?size=thumbnail", "media source thumbnails"),
    ("GET", "/api/assets/{asset}/thumbnail?size=fullsize", "media source images"),
    ("GET", "/api/people?size=10&page=1", "media source: people"),
    ("GET", "/api/search/person?name=a", "media source: person search"),
    ("POST", "/api/search/metadata", "media source: person/tag assets"),
    ("GET", "/api/tags", "media source: tags"),
    ("GET", "/api/assets/{video}/video/playback", "media source: videos"),
    ("POST", "/api/search/smart", "media source: smart search"),
]


# Not built in photonest yet (docs/clients.md): none left (tags and metadata search exist now).
KNOWN_GAPS: set[str] = set()


def test_home_assistant_calls(client: TestClient, admin: Account) -> None:
    r = client.post("/api/api-keys", json={"name": "home assistant", "permissions": ["all"]},
                    headers=admin.headers)
    assert r.status_code == 201, r.text
    key = {"x-api-key": r.json()["secret"], "Accept": "application/json"}
    client.cookies.clear()
    asset = backup(client, {"x-api-key": key["x-api-key"]}, JPEG)
    video = backup(client, {"x-api-key": key["x-api-key"]}, VIDEO)
    album = client.post("/api/albums", json={"albumName": "HA", "assetIds": [asset]}, headers=key).json()["id"]
    results: dict[str, int] = {}
    for method, path, _why in CALLS:
        url = path.format(album=album, asset=asset, video=video)
        body = ({"query": "desert", "page": 1, "size": 10} if "smart" in path else {"page": 1, "size": 10}
                if method == "POST" else None)
        r = client.request(method, url, headers=key, json=body)
        results[f"{method} {path}"] = r.status_code
    # the upload service (immich.upload_file): a plain multipart POST /api/assets with the device fields
    ctype, body = multipart({"deviceAssetId": "ha-1", "deviceId": "Home Assistant",
                             "fileCreatedAt": "2024-01-01T00:00:00Z", "fileModifiedAt": "2024-01-01T00:00:00Z"},
                            {"assetData": ("ha.jpg", JPEG.read_bytes()[:-10] + b"0123456789")})
    r = client.post("/api/assets", headers={**key, "content-type": ctype}, content=body)
    results["POST /api/assets (upload_file)"] = r.status_code
    r = client.put(f"/api/albums/{album}/assets", json={"ids": [r.json()["id"]]}, headers=key)
    results["PUT /api/albums/{id}/assets"] = r.status_code
    print(results)
    thumbs = {k for k in results if "/thumbnail" in k}
    # thumbnails exist only once the pipeline ran (workers are off here): 404 "Asset media not found" then
    failing = {k: v for k, v in results.items() if v not in (200, 201) and not (k in thumbs and v == 404)}
    assert set(failing) <= KNOWN_GAPS, failing

"""/server/*, /.well-known/immich and the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from photonest import IMMICH_API_VERSION, __version__
from tests.conftest import Account


def test_public_endpoints(client: TestClient) -> None:
    assert client.get("/api/server/ping").json() == {"res": "pong"}
    assert client.get("/.well-known/immich").json() == {"api": {"endpoint": "/api"}}
    v = client.get("/api/server/version").json()
    assert (v["major"], v["minor"], v["patch"]) == IMMICH_API_VERSION
    features = client.get("/api/server/features").json()
    assert features["passwordLogin"] is True and features["oauth"] is False
    types = client.get("/api/server/media-types").json()
    assert ".jpg" in types["image"] and ".heic" in types["image"] and ".mp4" in types["video"]
    assert types["sidecar"] == [".xmp"]
    history = client.get("/api/server/version-history").json()
    assert [h["version"] for h in history] == [__version__]


def test_authenticated_endpoints(client: TestClient, alice: Account) -> None:
    client.cookies.clear()
    for path in ("/api/server/about", "/api/server/storage", "/api/server/version-check"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=alice.headers).status_code == 200, path
    storage = client.get("/api/server/storage", headers=alice.headers).json()
    assert storage["diskSizeRaw"] >= storage["diskAvailableRaw"] > 0
    assert 0 <= storage["diskUsagePercentage"] <= 100
    assert client.get("/api/server/version-check", headers=alice.headers).json() == {
        "checkedAt": None, "releaseVersion": None}


def test_statistics_lists_every_user(client: TestClient, admin: Account, alice: Account) -> None:
    stats = client.get("/api/server/statistics", headers=admin.headers).json()
    assert stats["photos"] == 0 and stats["usage"] == 0
    assert {u["userId"] for u in stats["usageByUser"]} == {admin.id, alice.id}


def test_openapi_document(client: TestClient) -> None:
    spec = client.get("/api/spec.json").json()
    assert spec["paths"]["/api/users/me"]["get"]["operationId"] == "getMyUser"

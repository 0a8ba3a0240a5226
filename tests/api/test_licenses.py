"""Licenses: answered as an unlicensed Immich server (GET 404), keys are never activated (PUT 400 saying why,
after Immich's own format and kind checks), DELETE is a harmless 204; the server's is admin-only."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from photonest.config import Settings
from photonest.db.tables import User
from tests.conftest import Account


def test_server_license(client: TestClient, admin: Account, alice: Account) -> None:
    key = "IMSV" + "".join("-AB12" for _ in range(8))
    r = client.get("/api/server/license", headers=admin.headers)
    assert r.status_code == 404 and r.json()["statusCode"] == 404
    r = client.put("/api/server/license", headers=admin.headers, json={"licenseKey": key, "activationKey": "x"})
    assert r.status_code == 400 and "free software" in r.json()["message"]
    client_key = "IMCL" + "".join("-AB12" for _ in range(8))
    r = client.put("/api/server/license", headers=admin.headers, json={"licenseKey": client_key, "activationKey": "x"})
    assert r.status_code == 400 and r.json()["message"] == "Invalid license key"
    r = client.put("/api/server/license", headers=admin.headers, json={"licenseKey": "IMSV-1", "activationKey": "x"})
    assert r.status_code == 400
    assert client.delete("/api/server/license", headers=admin.headers).status_code == 204
    assert client.get("/api/server/license", headers=admin.headers).status_code == 404
    assert client.get("/api/server/about", headers=admin.headers).json()["licensed"] is False
    # Admin-only.
    for method, body in (("GET", None), ("PUT", {"licenseKey": key, "activationKey": "x"}), ("DELETE", None)):
        assert client.request(method, "/api/server/license", headers=alice.headers, json=body).status_code == 403


def test_user_license(client: TestClient, settings: Settings, alice: Account, bob: Account) -> None:
    key = "IMCL" + "".join("-CD34" for _ in range(8))
    assert client.get("/api/users/me/license", headers=alice.headers).status_code == 404
    r = client.put("/api/users/me/license", headers=alice.headers, json={"licenseKey": key, "activationKey": "x"})
    assert r.status_code == 400 and "free software" in r.json()["message"]
    server_key = "IMSV" + "".join("-CD34" for _ in range(8))
    r = client.put("/api/users/me/license", headers=alice.headers,
                   json={"licenseKey": server_key, "activationKey": "x"})
    assert r.status_code == 400 and r.json()["message"] == "Invalid license key"
    assert client.get("/api/users/me/license", headers=alice.headers).status_code == 404
    # A license carried over on the user row (e.g. from an import) is shown, to its user only, and can be deleted.
    stored = {"licenseKey": key, "activationKey": "act", "activatedAt": "2024-01-01T00:00:00.000Z"}
    engine = create_engine(settings.db_url)
    with engine.begin() as conn:
        conn.execute(update(User).where(User.id == alice.id).values(license=stored))
    engine.dispose()
    r = client.get("/api/users/me/license", headers=alice.headers)
    assert r.status_code == 200 and r.json()["licenseKey"] == key and r.json()["activatedAt"].startswith("2024-01-01")
    assert client.get("/api/users/me/license", headers=bob.headers).status_code == 404
    assert client.delete("/api/users/me/license", headers=bob.headers).status_code == 204
    assert client.get("/api/users/me/license", headers=alice.headers).status_code == 200
    assert client.delete("/api/users/me/license", headers=alice.headers).status_code == 204
    assert client.get("/api/users/me/license", headers=alice.headers).status_code == 404

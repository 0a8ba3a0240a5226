"""Licenses: the server's is admin-only (read, set, delete); a user's license is only ever their own."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from photonest.config import Settings
from photonest.db.tables import User
from tests.conftest import Account


def test_license_access(client: TestClient, settings: Settings, alice: Account, bob: Account) -> None:
    key = "IMSV" + "".join("-AB12" for _ in range(8))
    for method, body in (("GET", None), ("PUT", {"licenseKey": key, "activationKey": "x"}), ("DELETE", None)):
        r = client.request(method, "/api/server/license", headers=bob.headers, json=body)
        assert r.status_code == 403, (method, r.text)
    stored = {"licenseKey": "IMCL" + "".join("-CD34" for _ in range(8)), "activationKey": "alice-secret-act",
              "activatedAt": "2024-01-01T00:00:00.000Z"}
    engine = create_engine(settings.db_url)
    with engine.begin() as conn:
        conn.execute(update(User).where(User.id == alice.id).values(license=stored))
    engine.dispose()
    r = client.get("/api/users/me/license", headers=bob.headers)
    assert r.status_code == 404 and "alice-secret-act" not in r.text
    assert client.delete("/api/users/me/license", headers=bob.headers).status_code == 204
    assert client.get("/api/users/me/license", headers=alice.headers).json()["activationKey"] == "alice-secret-act"

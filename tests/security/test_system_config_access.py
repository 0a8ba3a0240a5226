"""The admin's system config, system metadata and jobs: a user who is not an admin can neither read nor change
them (403), and nothing changes; an admin's API key needs the matching permission."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account

READS = ["/api/system-config", "/api/system-config/defaults", "/api/system-config/storage-template-options",
         "/api/system-metadata/admin-onboarding", "/api/system-metadata/reverse-geocoding-state",
         "/api/system-metadata/version-check-state", "/api/jobs"]


def _writes(cfg: dict[str, Any]) -> list[tuple[str, str, Any]]:
    changed = {**cfg, "trash": {"enabled": False, "days": 1}, "passwordLogin": {"enabled": False}}
    return [("PUT", "/api/system-config", changed),
            ("POST", "/api/system-metadata/admin-onboarding", {"isOnboarded": True}),
            ("POST", "/api/jobs", {"name": "user-cleanup"}),
            ("PUT", "/api/jobs/thumbnailGeneration", {"command": "pause"})]


def test_a_user_cannot_read_or_change_the_system_config(client: TestClient, admin: Account, alice: Account) -> None:
    cfg = client.get("/api/system-config", headers=admin.headers).json()
    onboarding = client.get("/api/system-metadata/admin-onboarding", headers=admin.headers).json()
    for path in READS:
        r = client.get(path, headers=alice.headers)
        assert r.status_code == 403, path
        assert "trash" not in r.text  # nothing of the config leaks
    for method, path, body in _writes(cfg):
        r = client.request(method, path, headers=alice.headers, json=body)
        assert r.status_code == 403, (method, path, r.text)
    assert client.get("/api/system-config", headers=admin.headers).json() == cfg
    assert client.get("/api/system-metadata/admin-onboarding", headers=admin.headers).json() == onboarding
    assert client.get("/api/queues/thumbnailGeneration", headers=admin.headers).json()["isPaused"] is False
    assert client.get("/api/server/features").json()["passwordLogin"] is True


@pytest.mark.parametrize("permission,allowed", [("systemConfig.read", {"GET"}), ("asset.read", set())])
def test_an_admin_api_key_needs_the_permission(client: TestClient, admin: Account, permission: str,
                                               allowed: set[str]) -> None:
    r = client.post("/api/api-keys", headers=admin.headers, json={"name": "k", "permissions": [permission]})
    assert r.status_code == 201, r.text
    key = {"x-api-key": r.json()["secret"]}
    cfg = client.get("/api/system-config", headers=admin.headers).json()
    client.cookies.clear()  # the admin's login cookie would authenticate instead of the key
    assert client.get("/api/system-config", headers=key).status_code == (200 if "GET" in allowed else 403)
    assert client.put("/api/system-config", headers=key, json=cfg).status_code == 403

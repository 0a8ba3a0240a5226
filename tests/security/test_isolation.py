"""One suite, every resource: a stranger gets 4xx and nothing changes (the pattern Mealie uses).

Each case creates a resource as Alice, then Bob tries every operation on it. After Bob's attempts, Alice reads
the resource back and it must be unchanged. New resources join by adding a Case to CASES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account, login


@dataclass
class Case:
    name: str
    create: Callable[[TestClient, Account], str]  # returns the resource id
    read: Callable[[TestClient, Account, str], Any]  # what "unchanged" compares
    attacks: list[tuple[str, str, dict[str, Any] | None]]  # (method, path with {id}, json body)


def _api_key(c: TestClient, a: Account) -> str:
    return str(c.post("/api/api-keys", headers=a.headers, json={"name": "mine", "permissions": ["all"]})
               .json()["apiKey"]["id"])


def _read_api_key(c: TestClient, a: Account, rid: str) -> Any:
    return c.get(f"/api/api-keys/{rid}", headers=a.headers).json()


def _session(c: TestClient, a: Account) -> str:
    login(c, a.email)
    c.cookies.clear()
    return str(next(s["id"] for s in c.get("/api/sessions", headers=a.headers).json() if not s["current"]))


def _read_session(c: TestClient, a: Account, rid: str) -> Any:
    return next((s for s in c.get("/api/sessions", headers=a.headers).json() if s["id"] == rid), None)


def _me(c: TestClient, a: Account) -> str:
    return a.id


def _read_me(c: TestClient, a: Account, rid: str) -> Any:
    me = c.get("/api/users/me", headers=a.headers).json()
    return {k: me[k] for k in ("email", "name", "isAdmin", "quotaSizeInBytes", "storageLabel", "deletedAt")}


CASES = [
    Case("api key", _api_key, _read_api_key, [
        ("GET", "/api/api-keys/{id}", None),
        ("PUT", "/api/api-keys/{id}", {"name": "pwned", "permissions": ["all"]}),
        ("DELETE", "/api/api-keys/{id}", None),
    ]),
    Case("session", _session, _read_session, [
        ("PUT", "/api/sessions/{id}", {"isPendingSyncReset": True}),
        ("POST", "/api/sessions/{id}/lock", None),
        ("DELETE", "/api/sessions/{id}", None),
    ]),
    Case("user (admin routes)", _me, _read_me, [
        ("GET", "/api/admin/users/{id}", None),
        ("PUT", "/api/admin/users/{id}", {"name": "pwned", "isAdmin": True, "quotaSizeInBytes": 1}),
        ("DELETE", "/api/admin/users/{id}", {"force": True}),
        ("POST", "/api/admin/users/{id}/restore", None),
        ("GET", "/api/admin/users/{id}/sessions", None),
        ("GET", "/api/admin/users/{id}/preferences", None),
        ("PUT", "/api/admin/users/{id}/preferences", {"memories": {"enabled": False}}),
        ("GET", "/api/admin/users/{id}/statistics", None),
    ]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_stranger_cannot_read_or_change(client: TestClient, alice: Account, bob: Account, case: Case) -> None:
    rid = case.create(client, alice)
    client.cookies.clear()
    before = case.read(client, alice, rid)
    assert before is not None
    for method, path, body in case.attacks:
        r = client.request(method, path.format(id=rid), headers=bob.headers, json=body)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
    client.cookies.clear()
    assert case.read(client, alice, rid) == before


def test_lists_show_only_own_things(client: TestClient, alice: Account, bob: Account) -> None:
    _api_key(client, alice)
    client.cookies.clear()
    assert client.get("/api/api-keys", headers=bob.headers).json() == []
    bob_sessions = client.get("/api/sessions", headers=bob.headers).json()
    assert len(bob_sessions) == 1 and bob_sessions[0]["current"]


def test_admin_sees_accounts_not_private_data(client: TestClient, admin: Account, alice: Account) -> None:
    key = _api_key(client, alice)
    client.cookies.clear()
    assert client.get(f"/api/api-keys/{key}", headers=admin.headers).status_code == 400
    assert client.get("/api/api-keys", headers=admin.headers).json() == []


def test_cookie_auth_has_no_state_change_on_get(client: TestClient, admin: Account) -> None:
    # Every GET under /api is side-effect free for users and keys: a cross-site GET with cookies changes nothing.
    before = client.get("/api/users/me", headers=admin.headers).json()
    for path in ("/api/auth/logout", "/api/sessions", "/api/api-keys", "/api/users/me/preferences"):
        client.get(path, headers=admin.headers)
    assert client.get("/api/users/me", headers=admin.headers).json() == before

"""Errors are Immich-shaped JSON with the right status."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account


def _shape(body: dict[str, object], status: int) -> None:
    assert body["statusCode"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert body["message"]


def test_bad_json_is_400(client: TestClient) -> None:
    r = client.post("/api/auth/login", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    _shape(r.json(), 400)


def test_missing_and_wrong_typed_fields_are_400(client: TestClient) -> None:
    r = client.post("/api/auth/login", json={"email": "a@example.com"})
    assert r.status_code == 400 and any("password" in m for m in r.json()["message"])
    r = client.post("/api/auth/admin-sign-up", json={"email": "not an email", "password": "x", "name": 3})
    assert r.status_code == 400
    _shape(r.json(), 400)


def test_no_auth_is_401(client: TestClient) -> None:
    r = client.get("/api/users/me")
    assert r.status_code == 401
    _shape(r.json(), 401)


def test_not_admin_is_403(client: TestClient, alice: Account) -> None:
    r = client.get("/api/admin/users", headers=alice.headers)
    assert r.status_code == 403
    _shape(r.json(), 403)


def test_unknown_id_is_404_and_malformed_uuid_is_400(client: TestClient, admin: Account) -> None:
    r = client.get("/api/users/5f1b3f7e-4b9c-4f7e-9a51-1d2f3e4a5b6c", headers=admin.headers)
    assert r.status_code == 404
    _shape(r.json(), 404)
    r = client.get("/api/users/42", headers=admin.headers)
    assert r.status_code == 400
    assert r.json()["message"] == ["id must be a UUID"]


def test_unknown_api_route_is_404_json(client: TestClient) -> None:
    r = client.get("/api/no/such/thing")
    assert r.status_code == 404
    assert r.json()["message"] == "Cannot GET /api/no/such/thing"


def test_web_ui_served_for_other_paths(client: TestClient) -> None:
    for path in ("/", "/photos", "/auth/login"):
        r = client.get(path)
        assert r.status_code == 200 and "<title>photonest</title>" in r.text
    assert client.get("/static/app.js").status_code == 200

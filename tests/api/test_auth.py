"""Sign-up, login (token + cookies), logout, token validation, password change, throttling, status."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Account, login, make_user


def test_admin_sign_up_only_once(client: TestClient) -> None:
    body = {"email": "Root@Example.com", "password": PASSWORD, "name": "Root"}
    r = client.post("/api/auth/admin-sign-up", json=body)
    assert r.status_code == 201
    assert r.json()["isAdmin"] is True and r.json()["email"] == "root@example.com"
    again = client.post("/api/auth/admin-sign-up", json={**body, "email": "other@example.com"})
    assert again.status_code == 400
    assert again.json() == {**again.json(), "statusCode": 400, "error": "Bad Request"}
    assert "admin" in again.json()["message"]


def test_server_config_reports_initialisation(client: TestClient) -> None:
    assert client.get("/api/server/config").json()["isInitialized"] is False
    client.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD, "name": "A"})
    assert client.get("/api/server/config").json()["isInitialized"] is True


def test_login_sets_immich_cookies_and_token_works_everywhere(client: TestClient, admin: Account) -> None:
    r = client.post("/api/auth/login", json={"email": "ADMIN@example.com", "password": PASSWORD})
    assert r.status_code == 201
    body = r.json()
    assert body["userEmail"] == "admin@example.com" and body["isAdmin"] is True
    token = body["accessToken"]
    cookies = r.headers.get_list("set-cookie")
    by_name = {c.split("=", 1)[0]: c for c in cookies}
    assert set(by_name) >= {"immich_access_token", "immich_auth_type", "immich_is_authenticated"}
    assert "httponly" in by_name["immich_access_token"].lower()
    assert "samesite=lax" in by_name["immich_access_token"].lower()
    assert "httponly" not in by_name["immich_is_authenticated"].lower()
    client.cookies.clear()
    for headers in ({"Authorization": f"Bearer {token}"}, {"x-immich-user-token": token},
                    {"Cookie": f"immich_access_token={token}"}):
        me = client.get("/api/users/me", headers=headers)
        assert me.status_code == 200, headers
        assert me.json()["id"] == body["userId"]
    # An empty bearer (sent by clients before they hold a token) falls back to the cookie, as with Immich.
    me = client.get("/api/users/me", headers={"Authorization": "Bearer ", "Cookie": f"immich_access_token={token}"})
    assert me.status_code == 200 and me.json()["id"] == body["userId"]
    assert client.get("/api/users/me", headers={"Authorization": "Bearer "}).status_code == 401


def test_wrong_password_and_unknown_user_are_401(client: TestClient, admin: Account) -> None:
    for email, pw in (("admin@example.com", "nope-nope"), ("ghost@example.com", PASSWORD)):
        r = client.post("/api/auth/login", json={"email": email, "password": pw})
        assert r.status_code == 401
        assert r.json()["message"] == "Incorrect email or password"


def test_failed_logins_are_throttled(client: TestClient, admin: Account) -> None:
    for _ in range(5):
        assert client.post("/api/auth/login", json={"email": admin.email, "password": "wrong-pass"}).status_code == 401
    r = client.post("/api/auth/login", json={"email": admin.email, "password": "wrong-pass"})
    assert r.status_code == 429
    # Even the right password waits out the window: a guesser learns nothing from the 429.
    assert client.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD}).status_code == 429
    # Other accounts are not locked out by it.
    assert client.post("/api/auth/login", json={"email": "x@example.com", "password": "p"}).status_code == 401


def test_logout_revokes_the_session(client: TestClient, admin: Account) -> None:
    r = client.post("/api/auth/logout", headers=admin.headers)
    assert r.status_code == 200
    assert r.json() == {"successful": True, "redirectUri": "/auth/login?autoLaunch=0"}
    client.cookies.clear()
    assert client.get("/api/users/me", headers=admin.headers).status_code == 401
    assert client.post("/api/auth/validateToken", headers=admin.headers).status_code == 401


def test_validate_token(client: TestClient, admin: Account) -> None:
    assert client.post("/api/auth/validateToken", headers=admin.headers).json() == {"authStatus": True}
    client.cookies.clear()
    bad = client.post("/api/auth/validateToken", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_change_password(client: TestClient, admin: Account) -> None:
    other = login(client, admin.email)
    wrong = client.post("/api/auth/change-password", headers=admin.headers,
                        json={"password": "not-it-at-all", "newPassword": "new password 1"})
    assert wrong.status_code == 400
    short = client.post("/api/auth/change-password", headers=admin.headers,
                        json={"password": PASSWORD, "newPassword": "short"})
    assert short.status_code == 400
    r = client.post("/api/auth/change-password", headers=admin.headers,
                    json={"password": PASSWORD, "newPassword": "new password 1", "invalidateSessions": True})
    assert r.status_code == 200 and r.json()["email"] == admin.email
    client.cookies.clear()
    assert client.get("/api/users/me", headers=admin.headers).status_code == 200  # this session stays
    assert client.get("/api/users/me", headers=other.headers).status_code == 401  # others are signed out
    assert client.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD}).status_code == 401
    login(client, admin.email, "new password 1")


def test_should_change_password_is_reported_and_cleared(client: TestClient, admin: Account) -> None:
    r = client.post("/api/admin/users", headers=admin.headers,
                    json={"email": "new@example.com", "password": PASSWORD, "name": "New"})
    assert r.json()["shouldChangePassword"] is True  # Immich's default for accounts an admin creates
    body = client.post("/api/auth/login", json={"email": "new@example.com", "password": PASSWORD}).json()
    assert body["shouldChangePassword"] is True
    h = {"Authorization": f"Bearer {body['accessToken']}"}
    client.post("/api/auth/change-password", headers=h, json={"password": PASSWORD, "newPassword": "brand new pw"})
    assert client.get("/api/users/me", headers=h).json()["shouldChangePassword"] is False


def test_auth_status(client: TestClient, admin: Account) -> None:
    r = client.get("/api/auth/status", headers=admin.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["password"] is True and body["pinCode"] is False and body["isElevated"] is False
    assert body["expiresAt"].endswith("Z")


def test_deleted_user_cannot_sign_in(client: TestClient, admin: Account) -> None:
    u = make_user(client, admin, "gone@example.com")
    assert client.request("DELETE", f"/api/admin/users/{u.id}", headers=admin.headers, json={}).status_code == 200
    client.cookies.clear()
    assert client.get("/api/users/me", headers=u.headers).status_code == 401
    r = client.post("/api/auth/login", json={"email": "gone@example.com", "password": PASSWORD})
    assert r.status_code == 401

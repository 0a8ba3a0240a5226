"""/users and /admin/users: profile, preferences, avatar, admin management, soft delete and restore."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from tests.conftest import MEDIA, PASSWORD, Account, login, make_user


def test_me_and_update_me(client: TestClient, alice: Account) -> None:
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert me["email"] == "alice@example.com" and me["isAdmin"] is False and me["status"] == "active"
    r = client.put("/api/users/me", headers=alice.headers, json={"name": "Alice B", "avatarColor": "green"})
    assert r.status_code == 200 and r.json()["name"] == "Alice B" and r.json()["avatarColor"] == "green"
    assert client.get("/api/users/me", headers=alice.headers).json()["name"] == "Alice B"


def test_cannot_take_someone_elses_email(client: TestClient, alice: Account, bob: Account) -> None:
    r = client.put("/api/users/me", headers=bob.headers, json={"email": "ALICE@example.com"})
    assert r.status_code == 400
    assert client.get("/api/users/me", headers=bob.headers).json()["email"] == "bob@example.com"


def test_preferences_defaults_and_partial_update(client: TestClient, alice: Account) -> None:
    prefs = client.get("/api/users/me/preferences", headers=alice.headers).json()
    assert prefs["memories"]["enabled"] is True and prefs["download"]["archiveSize"] == 4 * 1024**3
    r = client.put("/api/users/me/preferences", headers=alice.headers,
                   json={"memories": {"enabled": False}, "avatar": {"color": "red"}})
    assert r.status_code == 200
    assert r.json()["memories"] == {"enabled": False, "duration": 5}
    assert r.json()["tags"] == prefs["tags"]
    assert client.get("/api/users/me", headers=alice.headers).json()["avatarColor"] == "red"


def test_list_and_get_users(client: TestClient, admin: Account, alice: Account, bob: Account) -> None:
    users = client.get("/api/users", headers=alice.headers).json()
    assert {u["email"] for u in users} == {"admin@example.com", "alice@example.com", "bob@example.com"}
    assert set(users[0]) == {"id", "email", "name", "avatarColor", "profileImagePath", "profileChangedAt"}
    r = client.get(f"/api/users/{bob.id}", headers=alice.headers)
    assert r.status_code == 200 and r.json()["name"] == "Bob"


def test_profile_image_roundtrip(client: TestClient, alice: Account, bob: Account) -> None:
    jpeg = next(p for p in sorted((MEDIA / "camera_jpeg").glob("*.jpg")))
    r = client.post("/api/users/profile-image", headers=alice.headers,
                    files={"file": ("me.jpg", jpeg.read_bytes(), "image/jpeg")})
    assert r.status_code == 201, r.text
    assert r.json()["userId"] == alice.id
    img = client.get(f"/api/users/{alice.id}/profile-image", headers=bob.headers)
    assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg"
    assert img.content == jpeg.read_bytes()
    assert client.delete("/api/users/profile-image", headers=alice.headers).status_code == 204
    assert client.get(f"/api/users/{alice.id}/profile-image", headers=bob.headers).status_code == 404


def test_profile_image_rejects_non_images(client: TestClient, alice: Account, settings: object) -> None:
    for name, data in (("x.jpg", b"not an image at all"), ("x.txt", b""),
                       ("x.jpg", (MEDIA / "MANIFEST.tsv").read_bytes()[:1000])):
        r = client.post("/api/users/profile-image", headers=alice.headers, files={"file": (name, data, "image/jpeg")})
        assert r.status_code == 400, r.text
    assert client.get("/api/users/me", headers=alice.headers).json()["profileImagePath"] == ""


def test_profile_image_pixel_bomb_rejected(client: TestClient, alice: Account) -> None:
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")  # 400 MP of 1-bit pixels: a few KB on the wire
    r = client.post("/api/users/profile-image", headers=alice.headers,
                    files={"file": ("bomb.png", buf.getvalue(), "image/png")})
    assert r.status_code == 400


def test_admin_creates_updates_and_lists_users(client: TestClient, admin: Account) -> None:
    r = client.post("/api/admin/users", headers=admin.headers, json={
        "email": "Carol@Example.com", "password": PASSWORD, "name": "Carol",
        "quotaSizeInBytes": 1024**3, "storageLabel": "carol", "shouldChangePassword": False})
    assert r.status_code == 201
    carol = r.json()
    assert carol["email"] == "carol@example.com" and carol["quotaSizeInBytes"] == 1024**3
    assert carol["storageLabel"] == "carol"
    dup = client.post("/api/admin/users", headers=admin.headers,
                      json={"email": "carol@example.com", "password": PASSWORD, "name": "C2"})
    assert dup.status_code == 400
    r = client.put(f"/api/admin/users/{carol['id']}", headers=admin.headers,
                   json={"isAdmin": True, "quotaSizeInBytes": None, "name": "Carol A"})
    assert r.status_code == 200
    assert r.json()["isAdmin"] is True and r.json()["quotaSizeInBytes"] is None and r.json()["name"] == "Carol A"
    bad = client.put(f"/api/admin/users/{carol['id']}", headers=admin.headers, json={"storageLabel": "../etc"})
    assert bad.status_code == 400
    listed = client.get("/api/admin/users", headers=admin.headers).json()
    assert {u["email"] for u in listed} == {"admin@example.com", "carol@example.com"}
    one = client.get("/api/admin/users", headers=admin.headers, params={"id": carol["id"]}).json()
    assert [u["id"] for u in one] == [carol["id"]]


def test_admin_cannot_demote_or_delete_self(client: TestClient, admin: Account) -> None:
    assert client.put(f"/api/admin/users/{admin.id}", headers=admin.headers, json={"isAdmin": False}).status_code == 400
    assert client.request("DELETE", f"/api/admin/users/{admin.id}", headers=admin.headers, json={}).status_code == 400


def test_soft_delete_and_restore(client: TestClient, admin: Account, alice: Account) -> None:
    r = client.request("DELETE", f"/api/admin/users/{alice.id}", headers=admin.headers, json={})
    assert r.status_code == 200 and r.json()["deletedAt"] is not None and r.json()["status"] == "deleted"
    assert alice.email not in {u["email"] for u in client.get("/api/admin/users", headers=admin.headers).json()}
    with_deleted = client.get("/api/admin/users", headers=admin.headers, params={"withDeleted": True}).json()
    assert alice.email in {u["email"] for u in with_deleted}
    r = client.post(f"/api/admin/users/{alice.id}/restore", headers=admin.headers)
    assert r.status_code == 200 and r.json()["deletedAt"] is None and r.json()["status"] == "active"
    login(client, alice.email)


def test_force_deleted_user_cannot_be_restored(client: TestClient, admin: Account, alice: Account) -> None:
    client.request("DELETE", f"/api/admin/users/{alice.id}", headers=admin.headers, json={"force": True})
    assert client.post(f"/api/admin/users/{alice.id}/restore", headers=admin.headers).status_code == 400


def test_admin_user_preferences_sessions_statistics(client: TestClient, admin: Account, alice: Account) -> None:
    r = client.put(f"/api/admin/users/{alice.id}/preferences", headers=admin.headers,
                   json={"download": {"includeEmbeddedVideos": True}})
    assert r.status_code == 200 and r.json()["download"]["includeEmbeddedVideos"] is True
    mine = client.get("/api/users/me/preferences", headers=alice.headers).json()
    assert mine["download"]["includeEmbeddedVideos"] is True
    sessions = client.get(f"/api/admin/users/{alice.id}/sessions", headers=admin.headers).json()
    assert len(sessions) == 1 and sessions[0]["current"] is False
    stats = client.get(f"/api/admin/users/{alice.id}/statistics", headers=admin.headers).json()
    assert stats == {"images": 0, "videos": 0, "total": 0}


def test_non_admin_cannot_use_admin_routes(client: TestClient, admin: Account, alice: Account) -> None:
    for method, path in (("GET", "/api/admin/users"), ("POST", "/api/admin/users"),
                         ("GET", f"/api/admin/users/{admin.id}"), ("PUT", f"/api/admin/users/{admin.id}"),
                         ("DELETE", f"/api/admin/users/{admin.id}"), ("GET", "/api/server/statistics")):
        r = client.request(method, path, headers=alice.headers, json={})
        assert r.status_code == 403, (method, path)
    assert client.get("/api/users/me", headers=admin.headers).json()["isAdmin"] is True


def test_new_user_can_log_in_with_initial_password(client: TestClient, admin: Account) -> None:
    u = make_user(client, admin, "dave@example.com", "Dave")
    assert client.get("/api/users/me", headers=u.headers).json()["name"] == "Dave"


def test_deleted_users_files_leave_the_disk(client: TestClient, admin: Account, alice: Account,
                                            settings: object) -> None:
    from photonest.api.assets import storage
    from photonest.library import users as users_lib

    jpeg = MEDIA / "camera_jpeg" / "flower.jpg"
    r = client.post("/api/assets", headers=alice.headers, files={"assetData": (jpeg.name, jpeg.read_bytes())},
                    data={"fileCreatedAt": "2024-01-01T00:00:00Z", "fileModifiedAt": "2024-01-01T00:00:00Z"})
    asset = r.json()["id"]
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        from photonest.db.tables import Asset

        original = storage(settings).path(s.get(Asset, asset).original_path)  # type: ignore[arg-type,union-attr]
    assert original.is_file()
    client.request("DELETE", f"/api/admin/users/{alice.id}", headers=admin.headers, json={})
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        assert users_lib.purge_removed(s, storage(settings), delete_delay_days=7) == []  # still restorable
    assert original.is_file()
    client.request("DELETE", f"/api/admin/users/{alice.id}", headers=admin.headers, json={"force": True})
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        assert users_lib.purge_removed(s, storage(settings), delete_delay_days=7) == [alice.id]
    assert not original.exists()
    assert client.get(f"/api/admin/users/{alice.id}", headers=admin.headers).status_code == 404
    assert client.get(f"/api/admin/users/{admin.id}", headers=admin.headers).status_code == 200

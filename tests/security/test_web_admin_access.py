"""Everything the web UI's Administration pages call is refused to a non-admin below the UI (403, Immich-shaped,
nothing changed); the vendored map files are served from their package folders only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account

# (method, path, body): the calls admin.js makes, with {id} the admin's own id.
ADMIN_CALLS = [
    ("GET", "/api/admin/users?withDeleted=true", None),
    ("POST", "/api/admin/users", {"email": "eve@example.com", "password": "a long enough password", "name": "Eve"}),
    ("PUT", "/api/admin/users/{id}", {"isAdmin": False, "quotaSizeInBytes": 1}),
    ("DELETE", "/api/admin/users/{id}", {"force": False}),
    ("POST", "/api/admin/users/{id}/restore", None),
    ("GET", "/api/queues", None),
    ("PUT", "/api/queues/thumbnailGeneration", {"isPaused": True}),
    ("GET", "/api/queues/thumbnailGeneration/jobs?status=failed", None),
    ("PUT", "/api/jobs/thumbnailGeneration", {"command": "start", "force": True}),
    ("GET", "/api/system-config", None),
    ("PUT", "/api/system-config", {}),
    ("GET", "/api/server/statistics", None),
]


def test_admin_pages_api_refuses_non_admins(client: TestClient, admin: Account, bob: Account) -> None:
    before_users = client.get("/api/admin/users?withDeleted=true", headers=admin.headers).json()
    before_config = client.get("/api/system-config", headers=admin.headers).json()
    for method, path, body in ADMIN_CALLS:
        r = client.request(method, path.format(id=admin.id), json=body, headers=bob.headers)
        assert r.status_code == 403, (method, path, r.status_code, r.text)
        err = r.json()
        assert err["statusCode"] == 403 and err["error"] == "Forbidden" and err["message"], err
    assert client.get("/api/admin/users?withDeleted=true", headers=admin.headers).json() == before_users
    assert client.get("/api/system-config", headers=admin.headers).json() == before_config
    queues = {q["name"]: q for q in client.get("/api/queues", headers=admin.headers).json()}
    assert queues["thumbnailGeneration"]["isPaused"] is False


def test_the_admin_pages_api_answers_the_admin(client: TestClient, admin: Account) -> None:
    # The same calls work for the admin (so the 403s above are about the role, not broken paths).
    for method, path, _ in ADMIN_CALLS:
        if method == "GET":
            assert client.get(path, headers=admin.headers).status_code == 200, path


def test_vendored_files_stay_in_their_folders(client: TestClient) -> None:
    assert client.get("/static/vendor/leaflet/leaflet.css").status_code == 200
    for path in ("/static/vendor/leaflet/../../../../etc/passwd", "/static/vendor/leaflet/%2e%2e/%2e%2e/__init__.py",
                 "/static/vendor/leaflet/..%2f__init__.py",
                 "/static/vendor/leaflet-markercluster/../leaflet/leaflet.js"):
        r = client.get(path)
        assert r.status_code == 404 or ("root:" not in r.text and "XStatic" not in r.text), (path, r.status_code)

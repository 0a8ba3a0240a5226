"""Backups, integrity reports and manual jobs are the admin's: a user (or an API key without the permission) gets
403 and nothing changes; a stranger without credentials gets 401."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from photonest.config import Settings
from photonest.library import backups
from tests.conftest import Account
from tests.jobs.conftest import jobs_of


@pytest.fixture
def findings(client: TestClient, admin: Account, settings: Settings) -> tuple[str, str]:
    """A backup and one integrity finding (a stray file)."""
    made = backups.create_backup(settings)
    (settings.library_dir / "stray.txt").write_text("stray")
    r = client.post("/api/jobs", headers=admin.headers, json={"name": "integrity-untracked-files"})
    assert r.status_code == 204
    jobs_of(client).drain()
    items = client.get("/api/admin/integrity/report", headers=admin.headers,
                       params={"type": "untracked_file"}).json()["items"]
    return made.name, items[0]["id"]


def attacks(name: str, item: str) -> list[tuple[str, str, dict[str, object] | None]]:
    return [
        ("GET", "/api/admin/database-backups", None),
        ("GET", f"/api/admin/database-backups/{name}", None),
        ("DELETE", "/api/admin/database-backups", {"backups": [name]}),
        ("GET", "/api/admin/integrity/summary", None),
        ("GET", "/api/admin/integrity/report?type=untracked_file", None),
        ("GET", "/api/admin/integrity/report/untracked_file/csv", None),
        ("GET", f"/api/admin/integrity/report/{item}/file", None),
        ("DELETE", f"/api/admin/integrity/report/{item}", None),
        ("POST", "/api/jobs", {"name": "backup-database"}),
        ("POST", "/api/jobs", {"name": "integrity-untracked-files-delete-all"}),
        ("PUT", "/api/jobs/backupDatabase", {"command": "start"}),
    ]


def test_users_and_strangers_cannot_touch_backups_or_reports(client: TestClient, admin: Account, alice: Account,
                                                            settings: Settings, findings: tuple[str, str]) -> None:
    name, item = findings
    key = client.post("/api/api-keys", headers=admin.headers,
                      json={"name": "read-only", "permissions": ["asset.read"]}).json()["secret"]
    client.cookies.clear()  # the logins above left a session cookie; each caller here brings its own credentials
    for who, expected in ((alice.headers, 403), ({"x-api-key": key}, 403), ({}, 401)):
        for method, path, body in attacks(name, item):
            r = client.request(method, path, headers=who, json=body)
            assert r.status_code == expected, (who, method, path, r.status_code, r.text)
            assert r.json()["statusCode"] == expected
        r = client.post("/api/admin/database-backups/upload", headers=who,
                        files={"file": ("x.sqlite3.gz", (settings.backups_dir / name).read_bytes())})
        assert r.status_code == expected
    jobs_of(client).drain()
    # Nothing changed: the backup, the finding and the file are all still there; no backup was made.
    assert [b.name for b in backups.list_backups(settings)] == [name]
    assert (settings.library_dir / "stray.txt").exists()
    r = client.get("/api/admin/integrity/summary", headers=admin.headers)
    assert r.json()["untracked_file"] == 1
    # The admin can, with the same requests.
    assert client.get(f"/api/admin/database-backups/{name}", headers=admin.headers).status_code == 200
    assert client.get(f"/api/admin/integrity/report/{item}/file", headers=admin.headers).status_code == 200

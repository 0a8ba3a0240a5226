"""Database backups on SQLite and PostgreSQL: the job, listing, download, retention, upload, restore round trips
through the API (start-restore on an empty server) and the CLI."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from photonest.config import Settings
from photonest.db.engine import Database, migrate
from photonest.db.tables import Album, User
from photonest.library import backups
from tests.conftest import Account, login
from tests.jobs.conftest import jobs_of

pytestmark = pytest.mark.timeout(180)


def names(client: TestClient, who: Account) -> list[str]:
    r = client.get("/api/admin/database-backups", headers=who.headers)
    assert r.status_code == 200, r.text
    return [b["filename"] for b in r.json()["backups"]]


def album(client: TestClient, who: Account, name: str) -> str:
    r = client.post("/api/albums", headers=who.headers, json={"albumName": name})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def album_names(client: TestClient, who: Account) -> set[str]:
    r = client.get("/api/albums", headers=who.headers)
    assert r.status_code == 200, r.text
    return {a["albumName"] for a in r.json()}


def test_job_list_download_delete_and_retention(client: TestClient, admin: Account, settings: Settings) -> None:
    ext = ".sqlite3.gz" if settings.is_sqlite else ".sql.gz"
    assert names(client, admin) == []
    r = client.post("/api/jobs", headers=admin.headers, json={"name": "backup-database"})
    assert r.status_code == 204, r.text
    assert client.get("/api/queues/backupDatabase", headers=admin.headers).json()["statistics"]["waiting"] == 1
    jobs_of(client).drain()
    first = names(client, admin)
    assert len(first) == 1 and first[0].startswith("photonest-") and first[0].endswith(ext)
    stats = client.get("/api/queues/backupDatabase", headers=admin.headers).json()["statistics"]
    assert stats["completed"] == 1 and stats["waiting"] == 0 and stats["failed"] == 0

    # The download is the file, and it is a real dump of this database.
    r = client.get(f"/api/admin/database-backups/{first[0]}", headers=admin.headers)
    assert r.status_code == 200 and r.content == (settings.backups_dir / first[0]).read_bytes()
    plain = gzip.decompress(r.content)
    assert plain.startswith(b"SQLite format 3") if settings.is_sqlite else b"PostgreSQL database dump" in plain

    # Starting the queue also makes one; retention keeps the newest backup_keep of ours.
    settings.backup_keep = 2
    for _ in range(2):
        r = client.put("/api/jobs/backupDatabase", headers=admin.headers, json={"command": "start"})
        assert r.status_code == 200, r.text
        jobs_of(client).drain()
    kept = names(client, admin)
    assert len(kept) == 2 and first[0] not in kept
    assert not any(p.name.startswith(".") for p in settings.backups_dir.iterdir())  # no partial files

    r = client.request("DELETE", "/api/admin/database-backups", headers=admin.headers, json={"backups": [kept[0]]})
    assert r.status_code == 200, r.text
    assert names(client, admin) == kept[1:]


def test_path_traversal_and_bad_names_are_refused(client: TestClient, admin: Account, settings: Settings) -> None:
    made = backups.create_backup(settings)
    for bad in ("..%2Fphotonest.db", "..%2F..%2Fetc%2Fpasswd", "photonest.db", ".." , "%2Fetc%2Fpasswd"):
        r = client.get(f"/api/admin/database-backups/{bad}", headers=admin.headers)
        assert r.status_code in (400, 404), (bad, r.status_code)
        assert r.headers["content-type"].startswith("application/json"), bad
    r = client.get("/api/admin/database-backups/missing.sqlite3.gz", headers=admin.headers)
    assert r.status_code == 404 and r.json()["statusCode"] == 404
    # One bad name in a delete: nothing is deleted.
    r = client.request("DELETE", "/api/admin/database-backups", headers=admin.headers,
                       json={"backups": [made.name, "../photonest.db"]})
    assert r.status_code == 400 and "Invalid backup name" in r.json()["message"]
    assert (settings.backups_dir / made.name).exists()
    if settings.is_sqlite:
        assert (settings.data / "photonest.db").exists()


def test_upload_checks_the_file(client: TestClient, admin: Account, settings: Settings) -> None:
    made = backups.create_backup(settings)
    data = (settings.backups_dir / made.name).read_bytes()
    ext = ".sqlite3.gz" if settings.is_sqlite else ".sql.gz"
    other = ".sql.gz" if settings.is_sqlite else ".sqlite3.gz"

    def post(name: str, body: bytes) -> int:
        r = client.post("/api/admin/database-backups/upload", headers=admin.headers,
                        files={"file": (name, body, "application/gzip")})
        return r.status_code

    assert post(f"mine{ext}", data) == 201
    assert f"uploaded-mine{ext}" in names(client, admin)
    assert post(f"mine{ext}", data) == 400  # exists already
    assert post(f"junk{ext}", b"not gzip at all") == 400
    assert post(f"empty{ext}", gzip.compress(b"hello")) == 400  # gzip, but not a database dump
    assert post(f"wrong-engine{other}", data) == 400
    assert post("notes.txt", data) == 400
    left = sorted(p.name for p in settings.backups_dir.iterdir())
    assert left == sorted([made.name, f"uploaded-mine{ext}"])  # nothing partial left behind
    r = client.post("/api/admin/database-backups/upload", headers=admin.headers)
    assert r.status_code == 400


def test_restore_round_trip_through_the_api(client: TestClient, admin: Account, alice: Account,
                                            settings: Settings) -> None:
    album(client, alice, "Before the backup")
    made = backups.create_backup(settings)
    album(client, alice, "After the backup")
    # A configured server refuses the unauthenticated restore flow.
    r = client.post("/api/admin/database-backups/start-restore")
    assert r.status_code == 400 and "already set up" in r.json()["message"]

    # Disaster: every account (and with them every album) is gone; the server is back to "not set up".
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    with db.session() as s:
        s.execute(delete(User))
    assert client.get("/api/server/config").json()["isInitialized"] is False
    r = client.post("/api/admin/database-backups/start-restore")
    assert r.status_code == 201, r.text

    alice2 = login(client, alice.email)
    assert album_names(client, alice2) == {"Before the backup"}
    assert made.name in names(client, login(client, admin.email))


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PHOTONEST_DATABASE_URL": settings.db_url, "PHOTONEST_DATA": str(settings.data)}
    return subprocess.run([sys.executable, "-m", "photonest.cli", "backup", *args], env=env, text=True,
                          capture_output=True, timeout=120)


def test_cli_create_list_restore(db_url: str, tmp_path: Path) -> None:
    settings = Settings(data=tmp_path / "data", database_url=db_url, _env_file=None)  # type: ignore[call-arg]
    migrate(db_url)
    db = Database(db_url)
    with db.session() as s:
        s.add(User(id="u1", email="kept@example.com", name="Kept"))
        s.flush()
        s.add(Album(owner_id="u1", album_name="Holidays"))
    out = cli(settings, "create")
    assert out.returncode == 0, out.stderr
    name = Path(out.stdout.split()[0]).name
    with db.session() as s:
        s.execute(delete(Album))
        s.add(User(id="u2", email="later@example.com", name="Later"))
    listed = cli(settings, "list")
    assert listed.returncode == 0 and name in listed.stdout
    db.dispose()

    out = cli(settings, "restore", name, "--yes")
    assert out.returncode == 0, out.stderr
    assert "pre-restore" in out.stdout
    db = Database(db_url)
    with db.session(write=False) as s:
        assert s.scalars(select(User.email)).all() == ["kept@example.com"]
        assert s.scalars(select(Album.album_name)).all() == ["Holidays"]
    db.dispose()
    # The database as it was before the restore was kept, and is restorable too.
    assert any("pre-restore" in b.name for b in backups.list_backups(settings))
    bad = cli(settings, "restore", "../photonest.db", "--yes")
    assert bad.returncode != 0 and "Invalid backup name" in bad.stderr


def test_schedule_is_a_cron_expression_and_one_run_per_slot(client: TestClient, settings: Settings) -> None:
    from datetime import datetime

    from photonest.jobs import ops

    for bad in ("daily", "0 2 * *", "61 2 * * *"):
        with pytest.raises(ValueError, match="PHOTONEST_BACKUP_SCHEDULE"):
            ops.parse_cron(bad)
    jobs = jobs_of(client)
    periodic = jobs.tasks["backup-database"]  # registered from settings.backup_schedule ("0 2 * * *")
    assert periodic.task_class().validate_datetime(datetime(2026, 11, 24, 2, 0))
    assert not periodic.task_class().validate_datetime(datetime(2026, 11, 24, 3, 0))
    # Several processes firing the same slot make one backup.
    ops.run(jobs, ops.BACKUP, "backup", scheduled=True)
    ops.run(jobs, ops.BACKUP, "backup", scheduled=True)
    assert len(backups.list_backups(settings)) == 1
    # A failing backup is counted as failed, and leaves no file behind.
    settings.database_url = "sqlite://"  # in memory: cannot be backed up
    settings.__dict__.pop("db_url", None)
    ops.run(jobs, ops.BACKUP, "backup")
    stats = client.get("/api/queues/backupDatabase", headers=admin_headers(client)).json()["statistics"]
    assert stats["failed"] == 1 and stats["completed"] == 2
    assert len(backups.list_backups(settings)) == 1
    assert not [p for p in settings.backups_dir.iterdir() if p.name.startswith(".")]


def admin_headers(client: TestClient) -> dict[str, str]:
    r = client.post("/api/auth/admin-sign-up", json={"email": "root@example.com", "password": "correct horse battery",
                                                      "name": "Root"})
    assert r.status_code == 201, r.text
    return login(client, "root@example.com").headers

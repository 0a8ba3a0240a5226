"""Integrity scans over real files: a lost thumbnail, a stray file, a changed original; the admin API acts on them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.config import Settings
from tests.conftest import Account
from tests.jobs.conftest import jobs_of, rows
from tests.uploading import JPEG, upload

pytestmark = pytest.mark.timeout(180)


def run_job(client: TestClient, admin: Account, name: str) -> None:
    r = client.post("/api/jobs", headers=admin.headers, json={"name": name})
    assert r.status_code == 204, r.text
    jobs_of(client).drain()


def report(client: TestClient, admin: Account, typ: str, **params: Any) -> dict[str, Any]:
    r = client.get("/api/admin/integrity/report", headers=admin.headers, params={"type": typ, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def summary(client: TestClient, admin: Account) -> dict[str, int]:
    r = client.get("/api/admin/integrity/summary", headers=admin.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_missing_and_untracked_files(client: TestClient, admin: Account, alice: Account, settings: Settings) -> None:
    asset_id = upload(client, alice, JPEG).json()["id"]
    jobs_of(client).drain()
    files = rows(client, asset_id)["files"]
    thumb = files["thumbnail"]
    run_job(client, admin, "integrity-missing-files")
    run_job(client, admin, "integrity-untracked-files")
    assert summary(client, admin) == {"missing_file": 0, "untracked_file": 0, "checksum_mismatch": 0}

    (settings.data / thumb).unlink()
    stray = settings.library_dir / "stray" / "left-over.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not known to any row")
    run_job(client, admin, "integrity-missing-files")
    run_job(client, admin, "integrity-untracked-files")
    assert summary(client, admin) == {"missing_file": 1, "untracked_file": 1, "checksum_mismatch": 0}
    missing = report(client, admin, "missing_file")["items"]
    assert [(i["type"], i["path"]) for i in missing] == [("missing_file", thumb)]
    untracked = report(client, admin, "untracked_file")["items"]
    assert [i["path"] for i in untracked] == ["library/stray/left-over.jpg"]

    r = client.get("/api/admin/integrity/report/untracked_file/csv", headers=admin.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["id"], x["path"]) for x in lines] == [(untracked[0]["id"], "library/stray/left-over.jpg")]

    # The stray file can be downloaded, a missing one cannot.
    r = client.get(f"/api/admin/integrity/report/{untracked[0]['id']}/file", headers=admin.headers)
    assert r.status_code == 200 and r.content == b"not known to any row"
    r = client.get(f"/api/admin/integrity/report/{missing[0]['id']}/file", headers=admin.headers)
    assert r.status_code == 404

    # Acting on the findings: the stray file goes; the lost thumbnail is made again.
    r = client.delete(f"/api/admin/integrity/report/{untracked[0]['id']}", headers=admin.headers)
    assert r.status_code == 200 and not stray.exists()
    r = client.delete(f"/api/admin/integrity/report/{missing[0]['id']}", headers=admin.headers)
    assert r.status_code == 200
    jobs_of(client).drain()
    again = rows(client, asset_id)["files"]["thumbnail"]
    assert (settings.data / again).is_file()
    assert summary(client, admin)["missing_file"] == 0 and summary(client, admin)["untracked_file"] == 0
    r = client.delete(f"/api/admin/integrity/report/{missing[0]['id']}", headers=admin.headers)
    assert r.status_code == 404


def test_checksum_pages_refresh_and_delete_all(client: TestClient, admin: Account, alice: Account,
                                               settings: Settings) -> None:
    asset_id = upload(client, alice, JPEG).json()["id"]
    jobs_of(client).drain()
    original = settings.data / rows(client, asset_id)["asset"].original_path
    with original.open("r+b") as f:  # bit rot
        f.seek(1000)
        f.write(b"\x00\x01\x02")
    for name in ("one.txt", "two.txt", "three.txt"):
        (settings.encoded_video_dir / name).write_text(name)
    run_job(client, admin, "integrity-checksum-mismatch")
    run_job(client, admin, "integrity-untracked-files")
    assert summary(client, admin) == {"missing_file": 0, "untracked_file": 3, "checksum_mismatch": 1}

    # Cursor pages cover every item once.
    seen, cursor = [], None
    while True:
        page = report(client, admin, "untracked_file", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [i["path"] for i in page["items"]]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert sorted(seen) == sorted(f"encoded-video/{n}" for n in ("one.txt", "two.txt", "three.txt"))

    # Refresh drops findings that are no longer true; delete-all acts on the rest.
    (settings.encoded_video_dir / "one.txt").unlink()
    run_job(client, admin, "integrity-untracked-files-refresh")
    assert summary(client, admin)["untracked_file"] == 2
    run_job(client, admin, "integrity-untracked-files-delete-all")
    assert summary(client, admin)["untracked_file"] == 0
    assert not list(settings.encoded_video_dir.glob("*.txt"))

    # An original that changed is moved to the trash when its finding is acted on.
    item = report(client, admin, "checksum_mismatch")["items"][0]
    assert item["path"] == rows(client, asset_id)["asset"].original_path
    assert client.delete(f"/api/admin/integrity/report/{item['id']}", headers=admin.headers).status_code == 200
    assert rows(client, asset_id)["asset"].deleted_at is not None


def test_bad_input_is_a_clear_400(client: TestClient, admin: Account) -> None:
    r = client.get("/api/admin/integrity/report", headers=admin.headers, params={"type": "bogus"})
    assert r.status_code == 400 and r.json()["statusCode"] == 400
    r = client.get("/api/admin/integrity/report", headers=admin.headers, params={"type": "missing_file", "limit": 0})
    assert r.status_code == 400
    r = client.delete("/api/admin/integrity/report/not-a-uuid", headers=admin.headers)
    assert r.status_code == 400
    r = client.post("/api/jobs", headers=admin.headers, json={"name": "not-a-job"})
    assert r.status_code == 400


def test_external_library_originals_are_not_findings(client: TestClient, admin: Account, alice: Account,
                                                     settings: Settings, tmp_path: Any) -> None:
    """Originals indexed in place live outside the data directory, and their checksum names their path."""
    folder = tmp_path / "nas"
    folder.mkdir()
    (folder / "old.jpg").write_bytes(JPEG.read_bytes())
    r = client.post("/api/libraries", headers=admin.headers,
                    json={"ownerId": alice.id, "name": "NAS", "importPaths": [str(folder)]})
    assert r.status_code == 201, r.text
    assert client.post(f"/api/libraries/{r.json()['id']}/scan", headers=admin.headers).status_code == 204
    jobs_of(client).drain()
    stats = client.get(f"/api/libraries/{r.json()['id']}/statistics", headers=admin.headers).json()
    assert stats["total"] == 1
    for job in ("integrity-missing-files", "integrity-checksum-mismatch", "integrity-untracked-files"):
        run_job(client, admin, job)
    assert summary(client, admin) == {"missing_file": 0, "untracked_file": 0, "checksum_mismatch": 0}

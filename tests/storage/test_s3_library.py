"""The S3 backend inside the app (in-process, both databases): the pipeline's readers get cached copies, a worker
with its own data directory needs only the bucket and the database, a store outage mid-pipeline is retried,
tus uploads land in the bucket, the integrity scans list the bucket, and `photonest storage migrate` moves a
library there and back intact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from photonest.app import create_app
from photonest.cli import main as cli
from photonest.config import Settings
from photonest.db.tables import Asset, AssetFile, IntegrityReport
from photonest.library import integrity, ocr
from tests.conftest import Account, login, make_user
from tests.jobs.conftest import jobs_of
from tests.storage.conftest import S3
from tests.uploading import JPEG, JPEG2, upload

pytestmark = pytest.mark.postgres


@pytest.fixture
def s3_settings(settings: Settings, s3: S3) -> Settings:
    return settings.model_copy(update={**s3.settings(), "job_retry_delay_seconds": 0.2})


@pytest.fixture
def s3_client(s3_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(s3_settings)) as c:
        yield c


def _user(client: TestClient) -> Account:
    r = client.post("/api/auth/admin-sign-up", json={"email": "admin@example.com", "password": "correct horse battery",
                                                     "name": "Admin"})
    assert r.status_code == 201, r.text
    return make_user(client, login(client, "admin@example.com"), "alice@example.com", "Alice")


def _keys(client: TestClient) -> dict[str, str]:
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        out = {a.original_path: "original" for a in s.scalars(select(Asset))}
        out |= {f.path: f.type for f in s.scalars(select(AssetFile))}
    return out


def test_pipeline_readers_get_cached_copies(s3_client: TestClient, s3_settings: Settings, s3: S3) -> None:
    alice = _user(s3_client)
    asset_id = upload(s3_client, alice, JPEG).json()["id"]
    jobs_of(s3_client).drain()
    objects = s3.objects()
    keys = _keys(s3_client)
    assert set(keys) == set(objects) and set(keys.values()) == {"original", "thumbnail", "preview"}
    with s3_client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        preview = ocr.preview_path(s, s3_settings, asset_id)
    assert preview is not None and preview.is_relative_to(s3_settings.data.resolve() / "cache")
    assert preview.read_bytes() == objects[next(k for k, t in keys.items() if t == "preview")]
    assert not any(p.is_file() for d in ("library", "thumbs") for p in (s3_settings.data / d).rglob("*"))


def test_integrity_scans_list_the_bucket(s3_client: TestClient, s3_settings: Settings, s3: S3) -> None:
    alice = _user(s3_client)
    a = upload(s3_client, alice, JPEG).json()["id"]
    b = upload(s3_client, alice, JPEG2).json()["id"]
    keys = {t: k for k, t in _keys(s3_client).items()}
    with s3_client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        path_a = s.get(Asset, a).original_path
        path_b = s.get(Asset, b).original_path
    assert keys
    s3.client.put_object(Bucket=s3.bucket, Key="library/stray/2020/01/stray.jpg", Body=b"stray")
    s3.client.delete_object(Bucket=s3.bucket, Key=path_a)
    s3.client.put_object(Bucket=s3.bucket, Key=path_b, Body=b"changed bytes")
    db = s3_client.app.state.db  # type: ignore[attr-defined]
    with db.session() as s:
        assert integrity.scan_untracked(s, s3_settings) == 1
        assert integrity.scan_missing(s, s3_settings) == 1
        assert integrity.scan_checksums(s, s3_settings) == 1
        found = {(r.type, r.path) for r in s.scalars(select(IntegrityReport))}
    assert found == {(integrity.UNTRACKED, "library/stray/2020/01/stray.jpg"), (integrity.MISSING, path_a),
                     (integrity.CHECKSUM, path_b)}
    with db.session() as s:
        stray = s.scalar(select(IntegrityReport).where(IntegrityReport.type == integrity.UNTRACKED))
        assert integrity.file_of(s, s3_settings, stray.id).read_bytes() == b"stray"
        integrity.resolve(s, s3_settings, stray.id)
    assert "library/stray/2020/01/stray.jpg" not in s3.objects()


def _migrate(settings: Settings, s3: S3, *args: str) -> str:
    env = {**s3.env(), "PHOTONEST_DATA": str(settings.data), "PHOTONEST_DATABASE_URL": settings.db_url}
    env.pop("PHOTONEST_STORAGE")
    r = CliRunner().invoke(cli, ["storage", "migrate", *args], env=env, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def test_storage_migrate_to_s3_and_back(client: TestClient, settings: Settings, s3: S3) -> None:
    alice = _user(client)
    ids = [upload(client, alice, p).json()["id"] for p in (JPEG, JPEG2)]
    jobs_of(client).drain()
    local = {k: (settings.data / k).read_bytes() for k in _keys(client)}
    assert len(local) == 6  # 2 originals, 2 thumbnails, 2 previews

    out = _migrate(settings, s3, "--to", "s3")
    assert "copied 6," in out and "PHOTONEST_STORAGE=s3" in out
    assert s3.objects() == local
    out = _migrate(settings, s3, "--to", "s3", "--delete-source")  # re-run: verified, skipped, then cleaned up
    assert "copied 0, already there 6" in out and "source copies deleted 6" in out
    assert not any((settings.data / k).exists() for k in local)

    # The switched server serves the same bytes from the bucket.
    with TestClient(create_app(settings.model_copy(update=s3.settings()))) as c2:
        r = c2.get(f"/api/assets/{ids[0]}/original", headers=alice.headers)
        assert r.status_code == 200 and r.content == JPEG.read_bytes()
        assert c2.get(f"/api/assets/{ids[1]}/thumbnail", headers=alice.headers).status_code == 200

    out = _migrate(settings, s3, "--to", "local", "--delete-source")
    assert "copied 6," in out and "source copies deleted 6" in out
    assert s3.objects() == {}
    assert {k: (settings.data / k).read_bytes() for k in local} == local


def test_storage_migrate_reports_a_missing_file(client: TestClient, settings: Settings, s3: S3) -> None:
    alice = _user(client)
    upload(client, alice, JPEG)
    key = next(iter(_keys(client)))
    (settings.data / key).unlink()
    out = _migrate(settings, s3, "--to", "s3", "--delete-source")
    assert f"missing: {key}" in out and "source copies deleted 0" in out


def test_a_worker_elsewhere_needs_only_bucket_and_database(s3_client: TestClient, s3_settings: Settings, s3: S3,
                                                           tmp_path: Path) -> None:
    """A worker with its own, empty data directory (another machine) processes an upload: it reads the original
    from the bucket into its cache and puts the derivatives; the server then serves them."""
    from photonest.jobs.runtime import Jobs

    alice = _user(s3_client)
    asset_id = upload(s3_client, alice, JPEG).json()["id"]
    elsewhere = s3_settings.model_copy(update={"data": tmp_path / "other-machine"})
    elsewhere.ensure_dirs()
    worker = Jobs(elsewhere, s3_client.app.state.db)  # type: ignore[attr-defined]
    worker.queue_asset(asset_id)  # the ledger rows (the server's message went to its own queue)
    assert worker.run_stage(asset_id, "metadata") == "done"
    assert worker.run_stage(asset_id, "thumbnails") == "done"
    cached = [p for p in (elsewhere.data / "cache").rglob("*.jpg") if p.is_file()]
    assert [p.read_bytes() for p in cached] == [JPEG.read_bytes()]
    r = s3_client.get(f"/api/assets/{asset_id}/thumbnail", headers=alice.headers)
    assert r.status_code == 200 and r.content[:4] == b"RIFF"
    assert r.content in s3.objects("thumbs/").values()


def test_store_gone_mid_pipeline_fails_the_stage_and_keeps_no_rows(s3_client: TestClient, s3: S3) -> None:
    alice = _user(s3_client)
    asset_id = upload(s3_client, alice, JPEG).json()["id"]
    jobs = jobs_of(s3_client)
    jobs.queue_asset(asset_id)
    assert jobs.run_stage(asset_id, "metadata") == "done"
    saved = s3.objects()
    for key in saved:
        s3.client.delete_object(Bucket=s3.bucket, Key=key)
    s3.client.delete_bucket(Bucket=s3.bucket)
    assert jobs.run_stage(asset_id, "thumbnails") == "retrying"  # a store error is retried, not final
    assert set(_keys(s3_client).values()) == {"original"}  # no derivative rows
    s3.client.create_bucket(Bucket=s3.bucket)
    for key, body in saved.items():
        s3.client.put_object(Bucket=s3.bucket, Key=key, Body=body)
    jobs.drain()  # the retry, once the store is back
    assert set(_keys(s3_client).values()) == {"original", "thumbnail", "preview"}


def test_resumable_tus_upload_lands_in_the_bucket(s3_client: TestClient, s3_settings: Settings, s3: S3) -> None:
    from tests.api.test_tus import create, patch
    from tests.uploading import VIDEO

    alice = _user(s3_client)
    data = VIDEO.read_bytes()
    r = create(s3_client, alice, len(data), filename="clip.mp4", fileCreatedAt="2016-02-06T00:53:22Z")
    assert r.status_code == 201, r.text
    loc = r.headers["location"]
    half = len(data) // 2
    assert patch(s3_client, alice, loc, 0, data[:half]).status_code == 204
    r = patch(s3_client, alice, loc, half, data[half:])
    assert r.status_code == 204 and r.headers["x-immich-asset-status"] == "created"
    asset = s3_client.get(f"/api/assets/{r.headers['x-immich-asset-id']}", headers=alice.headers).json()
    assert s3.objects() == {asset["originalPath"]: data}
    assert not any(p.is_file() for d in ("upload", "library") for p in (s3_settings.data / d).rglob("*"))

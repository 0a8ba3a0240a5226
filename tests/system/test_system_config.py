"""/api/system-config and /api/system-metadata: defaults from Settings, admin overrides stored in the database and
applied at once (this process) or within a second (other processes), validation, admin-only; POST /api/jobs."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from photonest.api.dto import immich as dto
from photonest.app import create_app
from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import AssetJob, SystemMetadata, Tag, TagAsset
from photonest.library import system_config
from tests.conftest import PASSWORD, Account, login, make_user
from tests.jobs.conftest import jobs_of, process, rows
from tests.uploading import JPEG, upload

PLACES = "places"  # library/places.py STAGE: reverse geocoding, switched by reverseGeocoding.enabled


def get_config(client: TestClient, who: Account) -> dict[str, Any]:
    r = client.get("/api/system-config", headers=who.headers)
    assert r.status_code == 200, r.text
    dto.SystemConfigDto.model_validate(r.json())
    return r.json()  # type: ignore[no-any-return]


def put_config(client: TestClient, who: Account, cfg: dict[str, Any]) -> dict[str, Any]:
    r = client.put("/api/system-config", headers=who.headers, json=cfg)
    assert r.status_code == 200, r.text
    dto.SystemConfigDto.model_validate(r.json())
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture
def geo_settings(tmp_path: Path, db_url: str) -> Settings:
    """A server with reverse geocoding (a cheap, offline stage) on and the ML stages off."""
    off = {f: False for f in ("ocr_enabled", "faces_enabled", "labels_enabled", "text_embedding_enabled",
                              "duplicates_enabled", "clip_enabled")}
    return Settings(data=tmp_path / "data", database_url=db_url, workers=False, reverse_geocoding=True,
                    _env_file=None, **off)


@pytest.fixture
def geo_client(geo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(geo_settings)) as c:
        yield c


def _admin(client: TestClient) -> Account:
    r = client.post("/api/auth/admin-sign-up", json={"email": "admin@example.com", "password": PASSWORD,
                                                     "name": "Admin"})
    assert r.status_code == 201, r.text
    return login(client, "admin@example.com")


def test_defaults_come_from_settings_and_are_a_full_immich_config(client: TestClient, settings: Settings,
                                                                  admin: Account) -> None:
    cfg = get_config(client, admin)
    r = client.get("/api/system-config/defaults", headers=admin.headers)
    assert r.status_code == 200 and r.json() == cfg  # nothing overridden yet
    assert cfg["trash"] == {"enabled": True, "days": settings.trash_days}
    assert cfg["machineLearning"]["ocr"]["enabled"] is False  # the test settings switch OCR off
    assert cfg["machineLearning"]["ocr"]["maxResolution"] == settings.ocr_max_resolution
    assert cfg["image"]["thumbnail"]["size"] == settings.thumbnail_size
    assert cfg["job"]["thumbnailGeneration"]["concurrency"] == settings.job_concurrency_thumbnail_generation
    assert cfg["backup"]["database"]["keepLastAmount"] == settings.backup_keep
    opts = client.get("/api/system-config/storage-template-options", headers=admin.headers)
    assert opts.status_code == 200 and "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}" in opts.json()["presetOptions"]
    dto.SystemConfigTemplateStorageOptionDto.model_validate(opts.json())


def test_put_persists_applies_at_once_and_survives_a_restart(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(settings)) as client:
        admin = _admin(client)
        cfg = get_config(client, admin)
        new = copy.deepcopy(cfg)
        new["trash"]["days"] = 5
        new["server"]["loginPageMessage"] = "Hello family"
        new["user"]["deleteDelay"] = 3
        new["oauth"]["buttonText"] = "Sign in with Example"  # accepted and kept, though not honoured
        new["machineLearning"]["facialRecognition"]["minFaces"] = 7
        got = put_config(client, admin, new)
        assert got == new
        assert get_config(client, admin) == new
        # In force at once: the live settings and what clients read.
        assert settings.trash_days == 5 and settings.faces_min_faces == 7
        sc = client.get("/api/server/config").json()
        assert (sc["loginPageMessage"], sc["trashDays"], sc["userDeleteDelay"], sc["minFaces"]) == \
            ("Hello family", 5, 3, 7)
        # The defaults are still the configured ones.
        d = client.get("/api/system-config/defaults", headers=admin.headers).json()
        assert d["trash"]["days"] == 30 and d["oauth"]["buttonText"] == "Login with OAuth"
    # A fresh process (new Settings from the environment, same database) starts with the stored config.
    fresh = Settings(**system_config.base_settings(settings).model_dump(), _env_file=None)
    assert fresh.trash_days == 30
    with TestClient(create_app(fresh)) as client:
        admin = login(client, "admin@example.com")
        assert get_config(client, admin) == new
        assert fresh.trash_days == 5
        # Putting the defaults back stores no override.
        put_config(client, admin, client.get("/api/system-config/defaults", headers=admin.headers).json())
        assert fresh.trash_days == 30
        with Database(fresh.db_url).session(write=False) as s:
            assert system_config._stored(s)[1] == {}


def test_invalid_config_is_a_400_and_changes_nothing(client: TestClient, settings: Settings,
                                                     admin: Account) -> None:
    cfg = get_config(client, admin)
    cases: list[tuple[tuple[str, ...], Any, str]] = [
        (("machineLearning", "ocr", "maxResolution"), 10, "machineLearning.ocr.maxResolution"),
        (("backup", "database", "cronExpression"), "every day", "backup.database.cronExpression"),
        (("backup", "database", "cronExpression"), "0 25 * * *", "backup.database.cronExpression"),
        (("trash", "days"), -1, "days"),
        (("image", "thumbnail", "quality"), 0, "quality"),
        (("logging", "level"), "loud", "level"),
    ]
    for path, value, mentioned in cases:
        bad = copy.deepcopy(cfg)
        d = bad
        for p in path[:-1]:
            d = d[p]
        d[path[-1]] = value
        r = client.put("/api/system-config", headers=admin.headers, json=bad)
        assert r.status_code == 400, (path, r.text)
        body = r.json()
        assert body["statusCode"] == 400 and body["error"] == "Bad Request"
        assert mentioned in str(body["message"]), body
    partial = {"trash": {"enabled": True, "days": 3}}  # the whole config is required, as in Immich
    assert client.put("/api/system-config", headers=admin.headers, json=partial).status_code == 400
    assert get_config(client, admin) == cfg
    assert settings.ocr_max_resolution == 736 and settings.trash_days == 30


def test_admin_only(client: TestClient, admin: Account, alice: Account) -> None:
    cfg = get_config(client, admin)
    for path in ("/api/system-config", "/api/system-config/defaults", "/api/system-config/storage-template-options",
                 "/api/system-metadata/admin-onboarding", "/api/system-metadata/reverse-geocoding-state",
                 "/api/system-metadata/version-check-state"):
        assert client.get(path, headers=alice.headers).status_code == 403, path
    changed = copy.deepcopy(cfg)
    changed["trash"]["days"] = 1
    assert client.put("/api/system-config", headers=alice.headers, json=changed).status_code == 403
    assert client.post("/api/system-metadata/admin-onboarding", headers=alice.headers,
                       json={"isOnboarded": True}).status_code == 403
    assert client.post("/api/jobs", headers=alice.headers, json={"name": "tag-cleanup"}).status_code == 403
    assert get_config(client, admin) == cfg
    client.cookies.clear()
    assert client.get("/api/system-config").status_code == 401


def test_switching_a_stage_off_stops_it_and_features_follow(geo_client: TestClient, geo_settings: Settings) -> None:
    client = geo_client
    admin = _admin(client)
    assert client.get("/api/server/features").json()["reverseGeocoding"] is True
    cfg = get_config(client, admin)
    cfg["reverseGeocoding"]["enabled"] = False
    put_config(client, admin, cfg)
    assert client.get("/api/server/features").json()["reverseGeocoding"] is False
    off = upload(client, admin, JPEG).json()["id"]
    process(client)
    r = rows(client, off)
    assert PLACES not in r["asset"].stages_done and "thumbnails" in r["asset"].stages_done  # not held back
    assert PLACES not in r["jobs"] and r["exif"].city is None
    # On again: "start missing" (queues API) queues it for the asset that missed it.
    cfg["reverseGeocoding"]["enabled"] = True
    put_config(client, admin, cfg)
    r2 = client.put("/api/jobs/metadataExtraction", headers=admin.headers, json={"command": "start"})
    assert r2.status_code == 200, r2.text
    process(client)
    r = rows(client, off)
    assert PLACES in r["asset"].stages_done and r["exif"].city


def test_machine_learning_master_switch(client: TestClient, settings: Settings, admin: Account) -> None:
    cfg = get_config(client, admin)
    cfg["machineLearning"]["ocr"]["enabled"] = True
    cfg["machineLearning"]["facialRecognition"]["enabled"] = True
    put_config(client, admin, cfg)
    f = client.get("/api/server/features").json()
    assert f["ocr"] is True and f["facialRecognition"] is True
    assert {"ocr", "faces"} <= {st.name for st in system_config_stages(client)}
    cfg["machineLearning"]["enabled"] = False
    got = put_config(client, admin, cfg)
    assert got["machineLearning"]["ocr"]["enabled"] is True  # each switch keeps its own value
    f = client.get("/api/server/features").json()
    assert (f["ocr"], f["facialRecognition"], f["smartSearch"], f["duplicateDetection"]) == (False,) * 4
    assert not settings.ocr_enabled and not settings.faces_enabled
    assert not {"ocr", "faces"} & {st.name for st in system_config_stages(client)}
    # Nothing of OCR or faces is queued for a new upload.
    aid = upload(client, admin, JPEG).json()["id"]
    process(client)
    r = rows(client, aid)
    assert not {"ocr", "faces"} & (set(r["asset"].stages_done) | set(r["jobs"]))
    assert "thumbnails" in r["asset"].stages_done


def system_config_stages(client: TestClient) -> list[Any]:
    from photonest.jobs.registry import enabled_stages

    return list(enabled_stages(jobs_of(client).settings))


def test_image_settings_reach_the_worker(client: TestClient, settings: Settings, admin: Account) -> None:
    cfg = get_config(client, admin)
    cfg["image"]["thumbnail"]["size"] = 64
    cfg["image"]["preview"]["size"] = 200
    put_config(client, admin, cfg)
    aid = upload(client, admin, JPEG).json()["id"]
    process(client)
    files = rows(client, aid)["files"]
    with Image.open(settings.data / files["thumbnail"]) as im:
        assert min(im.size) == 64
    with Image.open(settings.data / files["preview"]) as im:
        assert min(im.size) == 200


def test_another_process_picks_up_a_change(client: TestClient, settings: Settings, admin: Account) -> None:
    """What a worker process does: its own Settings, a ConfigWatcher reading the version row."""
    other = Settings(data=settings.data, database_url=settings.database_url, workers=False,
                     _env_file=None, ocr_enabled=False)
    db = Database(other.db_url)
    watcher = system_config.ConfigWatcher(db, other, interval=0.05)
    watcher.start()
    try:
        assert other.trash_days == 30
        cfg = get_config(client, admin)
        cfg["trash"]["days"] = 9
        cfg["job"]["ocr"]["concurrency"] = 3
        put_config(client, admin, cfg)
        deadline = time.monotonic() + 10
        while other.trash_days != 9:
            assert time.monotonic() < deadline, "the other process never saw the change"
            time.sleep(0.05)
        assert other.job_concurrency_ocr == 3
    finally:
        watcher.stop()
        db.dispose()


def test_password_login_switch(client: TestClient, admin: Account) -> None:
    cfg = get_config(client, admin)
    cfg["passwordLogin"]["enabled"] = False
    put_config(client, admin, cfg)
    r = client.post("/api/auth/login", json={"email": "admin@example.com", "password": PASSWORD})
    assert r.status_code == 401 and "disabled" in r.json()["message"]
    assert client.get("/api/server/features").json()["passwordLogin"] is False
    cfg["passwordLogin"]["enabled"] = True  # the admin's session still works
    put_config(client, admin, cfg)
    assert client.post("/api/auth/login", json={"email": "admin@example.com", "password": PASSWORD}).status_code == 201


def test_trash_switch_makes_deletes_permanent(client: TestClient, admin: Account) -> None:
    cfg = get_config(client, admin)
    cfg["trash"]["enabled"] = False
    put_config(client, admin, cfg)
    assert client.get("/api/server/features").json()["trash"] is False
    aid = upload(client, admin, JPEG).json()["id"]
    assert client.request("DELETE", "/api/assets", headers=admin.headers, json={"ids": [aid]}).status_code == 204
    assert client.get(f"/api/assets/{aid}", headers=admin.headers).status_code in (400, 404)


def test_system_metadata(client: TestClient, admin: Account) -> None:
    r = client.get("/api/system-metadata/admin-onboarding", headers=admin.headers)
    assert r.status_code == 200 and r.json() == {"isOnboarded": False}
    assert client.post("/api/system-metadata/admin-onboarding", headers=admin.headers,
                       json={"isOnboarded": True}).status_code == 204
    assert client.get("/api/system-metadata/admin-onboarding", headers=admin.headers).json() == {"isOnboarded": True}
    assert client.get("/api/server/config").json()["isOnboarded"] is True
    assert client.post("/api/system-metadata/admin-onboarding", headers=admin.headers,
                       json={"isOnboarded": "maybe"}).status_code == 400
    for path in ("reverse-geocoding-state", "version-check-state"):
        r = client.get(f"/api/system-metadata/{path}", headers=admin.headers)
        assert r.status_code == 200 and set(r.json().values()) == {None}


def test_manual_jobs(client: TestClient, settings: Settings, admin: Account) -> None:
    alice = make_user(client, admin, "alice@example.com")
    aid = upload(client, alice, JPEG).json()["id"]
    process(client)
    used = client.post("/api/tags", headers=alice.headers, json={"name": "used"}).json()["id"]
    client.put(f"/api/tags/{used}/assets", headers=alice.headers, json={"ids": [aid]})
    empty = client.post("/api/tags", headers=alice.headers, json={"name": "parent/empty-child"}).json()["id"]
    r = client.post("/api/jobs", headers=admin.headers, json={"name": "tag-cleanup"})
    assert r.status_code == 204, r.text
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        assert s.get(Tag, empty) is not None  # queued, not yet run
    process(client)
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        left = set(s.scalars(select(Tag.value)))
        assert s.get(Tag, empty) is None and left == {"used"}  # the emptied parent went too
        assert s.scalar(select(TagAsset.asset_id).where(TagAsset.tag_id == used)) == aid
    for name in ("person-cleanup", "user-cleanup", "memory-cleanup", "memory-create"):
        assert client.post("/api/jobs", headers=admin.headers, json={"name": name}).status_code == 204, name
    process(client)
    assert client.post("/api/jobs", headers=admin.headers, json={"name": "no-such-job"}).status_code == 400
    # Asset jobs are queued on the stages' own queues.
    r = client.post("/api/assets/jobs", headers=alice.headers, json={"assetIds": [aid],
                                                                    "name": "regenerate-thumbnail"})
    assert r.status_code == 204
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        assert s.scalar(select(AssetJob.stage).where(AssetJob.asset_id == aid)) is None  # the worker ledgers it
    process(client)
    assert rows(client, aid)["jobs"] == {}


def test_an_invalid_stored_value_falls_back_to_the_setting(client: TestClient, settings: Settings,
                                                           admin: Account) -> None:
    """A value stored earlier that is no longer valid (bounds changed) must not reach the live settings."""
    cfg = get_config(client, admin)
    cfg["trash"]["days"] = 4
    put_config(client, admin, cfg)
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.session() as s:
        row = s.get(SystemMetadata, system_config.KEY)
        value = dict(row.value)
        value["overrides"] = {**value["overrides"], "machineLearning": {"ocr": {"maxResolution": 5}}}
        value["version"] += 1
        row.value = value
    assert system_config.refresh(db, settings)
    assert settings.ocr_max_resolution == 736 and settings.trash_days == 4

"""The processing pipeline end to end: upload -> metadata -> thumbnails (-> video), on real files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from photonest.config import Settings
from photonest.jobs.runtime import Jobs
from tests.conftest import MEDIA, Account
from tests.jobs.conftest import jobs_of, process, rows
from tests.uploading import JPEG, upload

CORRUPT = MEDIA / "broken_edge" / "bug775697.jpg"  # randomly corrupted JPEG: header fine, pixels broken
NEEDS_TRANSCODE = MEDIA / "video" / "BlueSquare.mov"  # QuickTime, not browser-playable


def _created(r: Any) -> str:
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_uploaded_jpeg_gets_exif_and_thumbnails_that_decode(client: TestClient, settings: Settings,
                                                            alice: Account) -> None:
    seen: list[tuple[str | None, str, Any]] = []
    client.app.state.events.subscribe(lambda room, ev, payload: seen.append((room, ev, payload)))  # type: ignore[attr-defined]
    asset_id = _created(upload(client, alice, JPEG))
    assert process(client) >= 3  # the asset message, metadata, thumbnails

    body = client.get(f"/api/assets/{asset_id}", headers=alice.headers).json()
    exif = body["exifInfo"]
    assert exif["make"] == "Canon" and exif["model"] == "Canon PowerShot S5 IS"
    assert exif["exifImageWidth"] == 400 and exif["exifImageHeight"] == 300
    assert exif["latitude"] == pytest.approx(36.44833, abs=1e-4)
    assert exif["dateTimeOriginal"].startswith("2008-05-08")
    assert body["thumbhash"]

    r = rows(client, asset_id)
    assert r["asset"].stages_done == ["metadata", "thumbnails"]
    assert (r["asset"].width, r["asset"].height) == (400, 300)
    assert r["failures"] == {} and r["jobs"] == {}
    thumb = settings.data / r["files"]["thumbnail"]
    preview = settings.data / r["files"]["preview"]
    assert thumb == settings.data / "thumbs" / alice.id / asset_id[:2] / f"{asset_id}-thumbnail.webp"
    assert preview.name == f"{asset_id}-preview.jpeg"
    with Image.open(thumb) as im:
        im.load()
        assert im.format == "WEBP" and min(im.size) <= 250
    with Image.open(preview) as im:
        im.load()
        assert im.format == "JPEG"

    ready = [p for room, ev, p in seen if ev == "AssetUploadReadyV2"]
    assert len(ready) == 1 and ready[0]["asset"]["id"] == asset_id and ready[0]["exif"]["make"] == "Canon"
    assert all(room == alice.id for room, ev, _ in seen if ev.startswith("AssetUploadReady"))

    # Served through the API, too.
    r2 = client.get(f"/api/assets/{asset_id}/thumbnail", headers=alice.headers)
    assert r2.status_code == 200 and r2.content == thumb.read_bytes()


def test_corrupt_file_records_failed_stage_and_stays_downloadable(client: TestClient, alice: Account,
                                                                 admin: Account) -> None:
    asset_id = _created(upload(client, alice, CORRUPT))
    process(client)
    r = rows(client, asset_id)
    assert "thumbnails" in r["failures"], r["failures"]
    failure = r["failures"]["thumbnails"]
    assert failure.message and failure.attempts == 1  # corrupt input: not retried
    assert "thumbnails" not in r["asset"].stages_done
    assert r["jobs"] == {}

    original = client.get(f"/api/assets/{asset_id}/original", headers=alice.headers)
    assert original.status_code == 200 and original.content == CORRUPT.read_bytes()
    q = client.get("/api/queues/thumbnailGeneration", headers=admin.headers).json()
    assert q["statistics"]["failed"] == 1
    # A failure that is final is not swept again.
    assert jobs_of(client).sweep() == 0


def test_crash_mid_stage_then_sweep_completes_exactly_once(client: TestClient, settings: Settings,
                                                          alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    import photonest.media.derivatives as derivatives

    real = derivatives.make_image_derivatives
    calls = {"n": 0}

    def dies(*a: Any, **k: Any) -> Any:
        calls["n"] += 1
        raise KeyboardInterrupt("the worker process is killed mid-stage")

    monkeypatch.setattr(derivatives, "make_image_derivatives", dies)
    asset_id = _created(upload(client, alice, JPEG))
    process(client)  # huey drops the message of a task interrupted like this, as a killed worker would
    r = rows(client, asset_id)
    assert r["asset"].stages_done == ["metadata"]
    assert r["jobs"]["thumbnails"].state == "active"  # left behind by the dead worker
    assert "thumbnail" not in r["files"]

    def counted(*a: Any, **k: Any) -> Any:
        calls["n"] += 1
        return real(*a, **k)

    monkeypatch.setattr(derivatives, "make_image_derivatives", counted)
    # A restarted process: its start-up sweep replays the ledger.
    restarted = Jobs(settings, client.app.state.db, client.app.state.events)  # type: ignore[attr-defined]
    restarted.sweep(startup=True)
    restarted.drain()
    r = rows(client, asset_id)
    assert calls["n"] == 2  # once killed, once completed
    assert r["asset"].stages_done == ["metadata", "thumbnails"]
    assert sorted(f.type for f in r["file_rows"]) == ["preview", "thumbnail"]
    assert r["jobs"] == {} and r["failures"] == {}
    # Nothing is left to do: sweeping again queues nothing and runs nothing.
    assert restarted.sweep(startup=True) == 0
    assert restarted.drain() == 0
    assert calls["n"] == 2


def test_transient_error_is_retried_and_a_persistent_one_gives_up(client: TestClient, settings: Settings,
                                                                  alice: Account, admin: Account,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import photonest.media.derivatives as derivatives

    settings.job_retry_delay_seconds = 0
    real = derivatives.make_image_derivatives
    state = {"fail": 1}

    def flaky(*a: Any, **k: Any) -> Any:
        if state["fail"] > 0:
            state["fail"] -= 1
            raise OSError("disk briefly unavailable")
        return real(*a, **k)

    monkeypatch.setattr(derivatives, "make_image_derivatives", flaky)
    ok = _created(upload(client, alice, JPEG))
    process(client)
    r = rows(client, ok)
    assert r["asset"].stages_done == ["metadata", "thumbnails"] and r["failures"] == {}

    def broken(*a: Any, **k: Any) -> Any:
        raise OSError("disk gone")

    monkeypatch.setattr(derivatives, "make_image_derivatives", broken)
    bad = _created(upload(client, alice, MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"))
    process(client)
    r = rows(client, bad)
    f = r["failures"]["thumbnails"]
    assert f.attempts == settings.job_max_attempts and "disk gone" in f.message
    assert r["jobs"] == {}
    stats = client.get("/api/queues/thumbnailGeneration", headers=admin.headers).json()["statistics"]
    assert stats["failed"] == 1 and stats["completed"] == 1
    assert jobs_of(client).sweep() == 0


def test_running_a_stage_twice_does_no_harm(client: TestClient, settings: Settings, alice: Account) -> None:
    asset_id = _created(upload(client, alice, JPEG))
    process(client)
    before = rows(client, asset_id)
    jobs_of(client).enqueue_asset(asset_id, ["metadata", "thumbnails"])
    jobs_of(client).enqueue_asset(asset_id, ["thumbnails"])
    process(client)
    after = rows(client, asset_id)
    assert after["asset"].stages_done == ["metadata", "thumbnails"]
    assert sorted(f.type for f in after["file_rows"]) == ["preview", "thumbnail"]
    assert after["files"] == before["files"]
    assert after["exif"].make == "Canon"
    thumbs = list((settings.data / "thumbs").rglob("*.*"))
    assert sorted(p.name for p in thumbs) == [f"{asset_id}-preview.jpeg", f"{asset_id}-thumbnail.webp"]


def test_user_edited_exif_fields_survive_a_metadata_refresh(client: TestClient, alice: Account) -> None:
    asset_id = _created(upload(client, alice, JPEG))
    process(client)
    r = client.put(f"/api/assets/{asset_id}", headers=alice.headers,
                   json={"description": "our trip", "latitude": 10.5, "longitude": 20.25})
    assert r.status_code == 200, r.text
    jobs_of(client).enqueue_asset(asset_id, ["metadata"])
    process(client)
    exif = client.get(f"/api/assets/{asset_id}", headers=alice.headers).json()["exifInfo"]
    assert exif["description"] == "our trip"
    assert (exif["latitude"], exif["longitude"]) == (10.5, 20.25)
    assert exif["make"] == "Canon"


def test_a_refresh_clears_what_the_file_no_longer_says(client: TestClient, settings: Settings,
                                                      alice: Account) -> None:
    """A re-read replaces the file's EXIF, so a position removed from the file leaves the asset (and the map)."""
    with_gps, without = MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg", MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"
    asset_id = _created(upload(client, alice, with_gps))
    process(client)
    exif = client.get(f"/api/assets/{asset_id}", headers=alice.headers).json()["exifInfo"]
    assert exif["latitude"] is not None
    # The file changes in place (as an external library's file may): the same picture without GPS.
    (settings.data / rows(client, asset_id)["asset"].original_path).write_bytes(without.read_bytes())
    jobs_of(client).enqueue_asset(asset_id, ["metadata"])
    process(client)
    exif = client.get(f"/api/assets/{asset_id}", headers=alice.headers).json()["exifInfo"]
    assert exif["latitude"] is None and exif["longitude"] is None
    assert exif["make"]  # what the file still says stays


def test_video_needing_transcode_gets_an_encoded_copy(client: TestClient, settings: Settings,
                                                      alice: Account) -> None:
    asset_id = _created(upload(client, alice, NEEDS_TRANSCODE))
    process(client)
    r = rows(client, asset_id)
    assert sorted(r["asset"].stages_done) == ["metadata", "thumbnails", "video"]
    encoded = settings.data / r["files"]["encoded_video"]
    assert encoded == settings.data / "encoded-video" / alice.id / asset_id[:2] / f"{asset_id}.mp4"
    assert encoded.stat().st_size > 0
    assert r["asset"].duration and r["asset"].duration > 0
    assert "thumbnail" in r["files"]


def test_motion_photo_becomes_still_with_hidden_linked_video(client: TestClient, settings: Settings,
                                                            alice: Account) -> None:
    src = MEDIA / "immich-test-assets" / "formats" / "motionphoto" / "samsung-one-ui-6.heic"
    still_id = _created(upload(client, alice, src))
    process(client)
    still = client.get(f"/api/assets/{still_id}", headers=alice.headers).json()
    video_id = still["livePhotoVideoId"]
    assert video_id
    video = rows(client, video_id)["asset"]
    assert video.type == "VIDEO" and video.visibility == "hidden" and video.owner_id == alice.id
    assert video.original_path.startswith("library/")
    data = (settings.data / video.original_path).read_bytes()
    assert data[4:8] == b"ftyp"
    assert video.checksum == hashlib.sha1(data).digest() and video.file_size == len(data)
    assert "metadata" in video.stages_done  # the extracted video is processed like any other
    # Not on the timeline, and processing the still again does not extract a second copy.
    jobs_of(client).enqueue_asset(still_id, ["metadata"])
    process(client)
    again = client.get(f"/api/assets/{still_id}", headers=alice.headers).json()
    assert again["livePhotoVideoId"] == video_id
    stats = client.get("/api/assets/statistics", headers=alice.headers).json()
    assert stats == {"images": 1, "videos": 0, "total": 1}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # file clean-up: the same on both databases
def test_a_motion_video_moved_for_results_that_do_not_commit_leaves_the_library(
        client: TestClient, settings: Settings, alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    from photonest.jobs import runtime

    src = MEDIA / "immich-test-assets" / "formats" / "motionphoto" / "samsung-one-ui-6.heic"
    still_id = _created(upload(client, alice, src))
    settle = runtime.ledger.settle

    def failing_settle(s: Any, asset_id: str, stage: str) -> None:
        if stage == "metadata":
            raise RuntimeError("the disk went away mid-commit")
        settle(s, asset_id, stage)

    monkeypatch.setattr(runtime.ledger, "settle", failing_settle)
    jobs_of(client).drain(include_scheduled=False)  # the first attempt only, not its retries
    library = sorted(p.name for p in (settings.data / "library").rglob("*") if p.is_file())
    assert library == [Path(rows(client, still_id)["asset"].original_path).name]  # the still only, no .mp4
    assert rows(client, still_id)["asset"].live_photo_video_id is None
    monkeypatch.setattr(runtime.ledger, "settle", settle)
    jobs_of(client).enqueue_asset(still_id, ["metadata"])
    process(client)
    assert len([p for p in (settings.data / "library").rglob("*.mp4")]) == 1


def test_a_stage_that_fails_for_good_does_not_block_the_next(client: TestClient, alice: Account,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import photonest.media.probe as probe_module
    from photonest.media.errors import CorruptMediaError

    def unreadable(*a: Any, **k: Any) -> Any:
        raise CorruptMediaError("the metadata is damaged")

    monkeypatch.setattr(probe_module, "probe", unreadable)
    asset_id = _created(upload(client, alice, JPEG))
    process(client)
    r = rows(client, asset_id)
    assert r["failures"]["metadata"].message == "the metadata is damaged"
    assert r["asset"].stages_done == ["thumbnails"]  # the pixels were fine
    assert "thumbnail" in r["files"]

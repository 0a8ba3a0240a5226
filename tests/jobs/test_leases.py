"""Job leases (jobs/leases.py), on both databases: a job whose worker died is reaped and sent again, a live
worker's job is not, a job that kills its worker every time fails for good, a stopping worker gives its jobs
back, and a worker that lost its lease does not overwrite the new holder's result."""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from photonest.config import Settings
from photonest.db.tables import Asset, AssetJob, JobRun, Library
from photonest.db.types import utcnow
from photonest.jobs import leases, ledger, ops
from photonest.jobs.registry import STAGES
from photonest.jobs.runtime import Jobs
from photonest.library import backups
from tests.conftest import Account
from tests.jobs.conftest import jobs_of, process, rows
from tests.uploading import JPEG, JPEG2, upload

DEAD = "gone-host:4242:0123456789ab"  # a worker that no longer renews anything


def _settled(client: TestClient) -> Jobs:
    """The app's jobs once its start-up sweep (which reaps too) is over, so only the test's reaps run."""
    jobs = jobs_of(client)
    jobs.wait_for_start_up()
    return jobs


def _uploaded(client: TestClient, who: Account, *paths: Any) -> list[str]:
    ids = []
    for p in paths:
        r = upload(client, who, p)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def _fan_out_only(jobs: Jobs) -> None:
    """Run the control queue's messages (an upload's fan-out records its ledger rows), drop the stage messages:
    the state right after a worker took them off the queue."""
    while (t := jobs.huey.dequeue()) is not None:
        jobs.huey.execute(t)
    for h in jobs.all_hueys():
        h.flush()


def _claim(jobs: Jobs, asset_id: str, stage: str, worker: str, lease: float) -> None:
    with jobs.db.session() as s:
        assert ledger.claim(s, asset_id, stage, worker, lease) is not None


def _pending(jobs: Jobs) -> list[tuple[str, str]]:
    """The stage messages waiting in huey (asset_id, stage)."""
    out = []
    for h in jobs.all_hueys()[1:]:
        while (t := h.dequeue()) is not None:
            out.append(tuple(t.args))
    return sorted(out)  # type: ignore[arg-type]


def test_an_expired_lease_is_reaped_and_sent_again_a_live_one_is_not(client: TestClient, settings: Settings,
                                                                   alice: Account) -> None:
    settings.metrics_token = "metrics-secret"
    jobs = _settled(client)
    dead_job, live_job = _uploaded(client, alice, JPEG, JPEG2)
    _fan_out_only(jobs)
    _claim(jobs, dead_job, "metadata", DEAD, lease=-1)  # its worker stopped renewing: expired
    _claim(jobs, live_job, "metadata", "busy-host:7:abcdefabcdef", lease=60)

    assert leases.reap(jobs) == {"requeued": 1, "failed": 0}
    assert _pending(jobs) == [(dead_job, "metadata")]  # its message is sent again; the live one's is not
    r = rows(client, dead_job)
    job, failure = r["jobs"]["metadata"], r["failures"]["metadata"]
    assert (job.state, job.worker, job.lease_until) == ("waiting", None, None)
    assert failure.attempts == 1 and DEAD in failure.message and "lease ran out" in failure.message
    live = rows(client, live_job)["jobs"]["metadata"]
    assert live.state == "active" and live.worker == "busy-host:7:abcdefabcdef"
    assert leases.reap(jobs) == {"requeued": 0, "failed": 0}  # reaping again finds nothing

    # The re-sent job runs to the end; its success clears the counted attempt.
    jobs.send(dead_job, "metadata")
    process(client)
    r = rows(client, dead_job)
    assert r["asset"].stages_done == ["metadata", "thumbnails"]
    assert r["jobs"] == {} and r["failures"] == {}
    with jobs.db.session(write=False) as s:
        assert leases.reaped_totals(s) == {"requeued": 1, "failed": 0}
    metrics = client.get("/metrics", headers={"Authorization": "Bearer metrics-secret"}).text
    assert 'photonest_jobs_reaped_total{outcome="requeued"} 1.0' in metrics


def test_a_job_that_kills_its_worker_every_time_fails_for_good(client: TestClient, settings: Settings,
                                                             alice: Account, admin: Account) -> None:
    settings.job_max_attempts = 3
    jobs = _settled(client)
    [bomb] = _uploaded(client, alice, JPEG)
    _fan_out_only(jobs)
    for attempt in (1, 2):
        _claim(jobs, bomb, "metadata", f"host:{attempt}:killed", lease=-1)
        assert leases.reap(jobs) == {"requeued": 1, "failed": 0}
        assert rows(client, bomb)["failures"]["metadata"].attempts == attempt
        assert _pending(jobs) == [(bomb, "metadata")]
    _claim(jobs, bomb, "metadata", "host:3:killed", lease=-1)
    assert leases.reap(jobs) == {"requeued": 0, "failed": 1}
    r = rows(client, bomb)
    assert "metadata" not in r["jobs"] and r["failures"]["metadata"].attempts == 3
    # Failed for good, so the stage after it no longer waits for it: thumbnails are queued and sent.
    assert r["jobs"]["thumbnails"].state == "waiting"
    assert _pending(jobs) == [(bomb, "thumbnails")]
    stats = client.get("/api/queues/metadataExtraction", headers=admin.headers).json()["statistics"]
    assert stats["failed"] == 1 and stats["active"] == 0 and stats["waiting"] == 0
    with jobs.db.session(write=False) as s:
        assert leases.reaped_totals(s) == {"requeued": 2, "failed": 1}


def test_a_lone_process_restarting_reaps_every_active_job_a_shared_one_only_expired(
        client: TestClient, settings: Settings, alice: Account) -> None:
    jobs = _settled(client)
    a, b = _uploaded(client, alice, JPEG, JPEG2)
    _fan_out_only(jobs)
    _claim(jobs, a, "metadata", DEAD, lease=600)  # the same machine's previous run, killed a moment ago
    _claim(jobs, b, "metadata", DEAD, lease=600)
    with jobs.db.session() as s:  # a row from before leases existed: no lease at all
        s.execute(update(AssetJob).where(AssetJob.asset_id == b).values(lease_until=None, worker=None))
    restarted = Jobs(settings, jobs.db, jobs.events)
    # What any process does (with a shared queue other machines may be running "active" jobs): expired only.
    assert leases.reap(restarted) == {"requeued": 1, "failed": 0}
    assert rows(client, a)["jobs"]["metadata"].state == "active"
    assert rows(client, b)["jobs"]["metadata"].state == "waiting"
    restarted.sweep(startup=True)  # alone: every active job belongs to a process that is gone
    restarted.drain()
    for asset_id in (a, b):
        r = rows(client, asset_id)
        assert r["asset"].stages_done == ["metadata", "thumbnails"] and r["jobs"] == {} and r["failures"] == {}


def test_a_live_worker_keeps_its_lease_while_a_slow_stage_runs(client: TestClient, settings: Settings,
                                                              alice: Account, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    settings.job_lease_seconds, settings.job_heartbeat_seconds, settings.job_reap_interval_seconds = 0.6, 0.1, 0.1
    jobs = _settled(client)
    [asset_id] = _uploaded(client, alice, JPEG)
    _fan_out_only(jobs)
    stage = STAGES["metadata"]
    seen: list[Any] = []

    def slow(run: Any) -> Any:
        time.sleep(2.0)  # several leases long: only the heartbeat keeps it
        seen.append(rows(client, asset_id)["jobs"]["metadata"])
        return stage.run(run)

    monkeypatch.setitem(STAGES, "metadata", dataclasses.replace(stage, run=slow))
    jobs._leases.start()
    try:
        assert jobs.run_stage(asset_id, "metadata") == "done"
    finally:
        jobs._leases.stop()
    assert seen[0].state == "active" and seen[0].worker == jobs.worker_id
    assert seen[0].lease_until > utcnow()
    r = rows(client, asset_id)
    assert "metadata" in r["asset"].stages_done and r["failures"] == {}
    with jobs.db.session(write=False) as s:
        assert leases.reaped_totals(s) == {"requeued": 0, "failed": 0}


def test_a_worker_that_lost_its_lease_drops_its_result(client: TestClient, settings: Settings, alice: Account,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = _settled(client)
    [asset_id] = _uploaded(client, alice, JPEG)
    _fan_out_only(jobs)
    stage = STAGES["metadata"]
    other = "other-host:9:feedfeedfeed"

    def stalls(run: Any) -> Any:
        # This worker stalls past its lease; a reaper takes the job and another worker claims it.
        with jobs.db.session() as s:
            s.execute(update(AssetJob).where(AssetJob.asset_id == asset_id)
                      .values(lease_until=utcnow() - timedelta(seconds=1)))
        assert leases.reap(jobs)["requeued"] == 1
        _claim(jobs, asset_id, "metadata", other, lease=60)
        return stage.run(run)

    monkeypatch.setitem(STAGES, "metadata", dataclasses.replace(stage, run=stalls))
    assert jobs.run_stage(asset_id, "metadata") == "skipped"
    r = rows(client, asset_id)
    assert r["asset"].stages_done == [] and not r["exif"].make  # the new holder's result is the one that counts
    assert r["jobs"]["metadata"].state == "active" and r["jobs"]["metadata"].worker == other


def test_a_stopping_worker_gives_its_jobs_back_at_once(client: TestClient, alice: Account) -> None:
    jobs = _settled(client)
    mine, theirs = _uploaded(client, alice, JPEG, JPEG2)
    _fan_out_only(jobs)
    _claim(jobs, mine, "metadata", jobs.worker_id, lease=600)
    _claim(jobs, theirs, "metadata", "other-host:9:feedfeedfeed", lease=600)
    assert jobs.release_leases() == 1
    assert _pending(jobs) == [(mine, "metadata")]
    r = rows(client, mine)
    assert r["jobs"]["metadata"].state == "waiting" and r["failures"] == {}  # no attempt counted
    assert rows(client, theirs)["jobs"]["metadata"].state == "active"


def test_the_heartbeat_thread_reaps_on_its_own(client: TestClient, settings: Settings, alice: Account) -> None:
    settings.job_heartbeat_seconds, settings.job_reap_interval_seconds = 0.05, 0.1
    jobs = _settled(client)
    [asset_id] = _uploaded(client, alice, JPEG)
    _fan_out_only(jobs)
    _claim(jobs, asset_id, "metadata", DEAD, lease=0.3)
    done = threading.Event()
    jobs._leases.start()
    try:
        deadline = time.monotonic() + 10
        while not done.is_set() and time.monotonic() < deadline:
            if rows(client, asset_id)["jobs"]["metadata"].state == "waiting":
                done.set()
            time.sleep(0.05)
    finally:
        jobs._leases.stop()
    assert done.is_set(), "the expired lease was not reaped"
    assert _pending(jobs) == [(asset_id, "metadata")]


# --- jobs that are not per asset (JobRun) -------------------------------------------------------------------


def _lost_run(jobs: Jobs, task: str, *args: Any, attempts: int = 0) -> None:
    """What a worker killed in the middle of `task(*args)` leaves: its JobRun row, no longer renewed."""
    with jobs.db.session() as s:
        s.add(JobRun(key=leases.run_key(task, args), task=task, args=list(args), worker=DEAD,
                     lease_until=utcnow() - timedelta(seconds=1), attempts=attempts))


def _runs(jobs: Jobs) -> list[JobRun]:
    with jobs.db.session(write=False) as s:
        return list(s.scalars(select(JobRun)))


def test_a_backup_lost_with_its_worker_is_run_again(client: TestClient, settings: Settings,
                                                   admin: Account) -> None:
    jobs = _settled(client)
    # The backup had started: counted active, holding huey's backup lock, with its lease.
    ops._update(jobs, ops.BACKUP, lambda v: v.update(active=1))
    jobs.huey.lock_task("backup-database").acquire()
    _lost_run(jobs, "ops", ops.BACKUP, "backup")

    assert leases.reap(jobs) == {"requeued": 1, "failed": 0}
    stats = client.get("/api/queues/backupDatabase", headers=admin.headers).json()["statistics"]
    assert stats["active"] == 0 and stats["waiting"] == 1
    assert not jobs.huey.lock_task("backup-database").is_locked()
    assert [(r.worker, r.attempts) for r in _runs(jobs)] == [(None, 1)]

    jobs.drain()  # the re-sent backup runs from the start
    assert [b.name for b in backups.list_backups(settings) if b.name.startswith("photonest-")]
    stats = client.get("/api/queues/backupDatabase", headers=admin.headers).json()["statistics"]
    assert (stats["active"], stats["waiting"], stats["completed"], stats["failed"]) == (0, 0, 1, 0)
    assert _runs(jobs) == []  # the run ended: no lease left behind
    assert leases.reap(jobs) == {"requeued": 0, "failed": 0}


def test_a_library_scan_lost_with_its_worker_is_run_again(client: TestClient, admin: Account, alice: Account,
                                                         tmp_path: Path) -> None:
    jobs = _settled(client)
    root = tmp_path / "nas"
    root.mkdir()
    shutil.copy(JPEG, root / "a.jpg")
    r = client.post("/api/libraries", headers=admin.headers, json={"ownerId": alice.id, "importPaths": [str(root)]})
    assert r.status_code == 201, r.text
    lib_id = r.json()["id"]
    with jobs.db.session() as s:  # the scan had claimed the library and taken its lock when the worker died
        s.execute(update(Library).where(Library.id == lib_id).values(scan_state="active"))
    jobs.huey.lock_task(f"library-scan-{lib_id}").acquire()
    _lost_run(jobs, "library-scan", lib_id)
    live = "library-scan:" + json.dumps(["another-library"])  # a scan whose worker is alive is left alone
    with jobs.db.session() as s:
        s.add(JobRun(key=live, task="library-scan", args=["another-library"], worker="live:1:x",
                     lease_until=utcnow() + timedelta(seconds=60)))

    assert leases.reap(jobs) == {"requeued": 1, "failed": 0}
    stats = client.get("/api/queues/library", headers=admin.headers).json()["statistics"]
    assert stats["active"] == 0 and stats["waiting"] == 1
    jobs.drain()
    with jobs.db.session(write=False) as s:
        lib = s.get(Library, lib_id)
        assert lib is not None and lib.scan_state is None
        assert [a.original_file_name for a in s.scalars(select(Asset).where(Asset.library_id == lib_id))] == ["a.jpg"]
    assert [r.key for r in _runs(jobs)] == [live]


def test_a_run_that_kills_its_worker_every_time_is_given_up(client: TestClient, settings: Settings,
                                                           admin: Account) -> None:
    settings.job_max_attempts = 2
    jobs = _settled(client)
    ops._update(jobs, ops.INTEGRITY, lambda v: v.update(active=1))
    _lost_run(jobs, "ops", ops.INTEGRITY, "scan:missing_file", attempts=1)  # lost once already
    _lost_run(jobs, "manual", "tag-cleanup")
    assert leases.reap(jobs) == {"requeued": 1, "failed": 1}
    stats = client.get("/api/queues/integrityCheck", headers=admin.headers).json()["statistics"]
    assert (stats["active"], stats["waiting"], stats["failed"]) == (0, 0, 1)
    assert [r.task for r in _runs(jobs)] == ["manual"]  # the admin job is sent again (attempt 1 of 2)
    sent = [(t.name.rsplit(".", 1)[-1], tuple(t.args)) for t in iter(jobs.huey.dequeue, None)]
    assert ("manual", ("tag-cleanup",)) in sent and not any(name == "ops" for name, _ in sent)
    with jobs.db.session(write=False) as s:
        assert leases.reaped_totals(s) == {"requeued": 1, "failed": 1}


def test_a_tracked_run_holds_its_lease_while_it_runs_and_drops_it_after(client: TestClient) -> None:
    jobs = _settled(client)
    with leases.tracked(jobs, "manual", "tag-cleanup"):
        [run] = _runs(jobs)
        assert run.worker == jobs.worker_id and run.lease_until > utcnow() and jobs.running()
        assert leases.reap(jobs) == {"requeued": 0, "failed": 0}
    assert _runs(jobs) == [] and not jobs.running()


def test_a_motion_video_cut_by_a_killed_metadata_stage_is_purged_later(client: TestClient, settings: Settings
                                                                       ) -> None:
    """What a half-run stage leaves outside its temporary names: the motion photo's video it cut into the upload
    folder before dying. The next run cuts a new one; the stale one goes with the stale uploads."""
    import os

    from photonest.library import uploads

    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    stale, fresh = settings.upload_dir / "motion-0001.mp4", settings.upload_dir / "motion-0002.mp4"
    for p in (stale, fresh):
        p.write_bytes(b"video")
    old = time.time() - settings.upload_expiry_hours * 3600 - 60
    os.utime(stale, (old, old))
    with _settled(client).db.session() as s:
        assert uploads.purge_expired(s, settings) == 1
    assert not stale.exists() and fresh.exists()  # a stage running now may still be using the fresh one

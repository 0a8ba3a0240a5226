"""Job leases: a worker that dies mid-job loses no work.

Huey's message is gone once a worker takes it (Redis BRPOP and the SQLite queue's dequeue are destructive), so the
database keeps the claim: a claimed AssetJob row records its worker (host:pid:uuid) and a lease. A live worker
renews its leases every `job_heartbeat_seconds`; every consumer process reaps, every `job_reap_interval_seconds`
and at start-up, the active jobs whose lease ran out: each goes back to waiting with its message sent again, and
counts as a failed attempt, so a file that kills its worker every time (a decompression bomb that runs out of
memory) fails for good after `job_max_attempts` instead of looping. A worker stopping gracefully gives its jobs
back at once (no attempt counted); if it still finishes one first, its result counts and the re-sent message
finds nothing to do.

Jobs that are not per asset run inside `tracked(...)`: a JobRun row keyed by task and arguments, leased the same
way. When its worker dies the reaper sends the task again (after the task's own repair: a library scan left
"active" is waiting again and its huey lock, which the dead worker held, is cleared) or, at the attempt limit,
gives up on it. Each such task must be safe to run again from the start (scans, backups and clean-ups are).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, JobRun, SystemMetadata
from photonest.db.types import utcnow
from photonest.jobs import ledger
from photonest.jobs.registry import STAGES

if TYPE_CHECKING:
    from photonest.jobs.runtime import Jobs

log = logging.getLogger(__name__)
REAPED_KEY = "jobs.reaped"  # totals for /metrics: every process reaps, the server reports

# task name -> what to do when a run of it was lost with its worker: (jobs, args, final) -> None. Not final:
# repair what the dead run left and send the task again; final: the attempts are used up, record the failure.
Recover = Callable[["Jobs", Sequence[Any], bool], None]
RECOVER: dict[str, Recover] = {}


def on_lost(task: str, fn: Recover) -> None:
    RECOVER[task] = fn


def new_worker_id() -> str:
    """host:pid:random - unique per process start, and says where to look when a job hangs."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def reap(jobs: Jobs, *, every_active: bool = False) -> dict[str, int]:
    """Put back the active jobs whose lease ran out (every active job: the caller knows no other consumer
    runs), asset stages and tracked runs. Returns {"requeued": n, "failed": n}."""
    out = _reap_stages(jobs, every_active)
    for k, n in _reap_runs(jobs, every_active).items():
        out[k] += n
    return out


def _reap_stages(jobs: Jobs, every_active: bool) -> dict[str, int]:
    out = {"requeued": 0, "failed": 0}
    with jobs.db.session(write=False) as s:
        candidates = ledger.expired(s, every_active=every_active)
    if not candidates:
        return out
    send: list[tuple[str, str, float]] = []
    with jobs.db.session() as s:
        for asset_id, name, worker in candidates:
            if not ledger.expire(s, asset_id, name, worker, any_lease=every_active):
                continue  # renewed, finished or reaped by another process meanwhile
            message = f"the worker running it stopped ({worker or 'unknown'}); its lease ran out"
            attempts, final = ledger.record_lost(s, asset_id, name, message,
                                                 max_attempts=jobs.settings.job_max_attempts)
            if not final:
                out["requeued"] += 1
                send.append((asset_id, name, 0.0))
                log.warning("%s for %s: %s; queued again (attempt %d)", name, asset_id, message, attempts)
                continue
            out["failed"] += 1
            log.warning("%s for %s failed for good after %d attempt(s): %s", name, asset_id, attempts, message)
            asset = s.get(Asset, asset_id)
            if asset is not None:
                s.flush()
                send += jobs.queue_dependents(s, asset, name)  # they no longer wait for it
        if out["requeued"] or out["failed"]:
            _count(s, out)
        paused = ledger.paused_queues(s)
    jobs.send_all(j for j in send if j[1] not in STAGES or STAGES[j[1]].queue not in paused)
    return out


# --- runs of jobs that are not per asset -------------------------------------------------------------------


def run_key(task: str, args: Sequence[Any]) -> str:
    return f"{task}:{json.dumps(list(args), separators=(',', ':'))}"[:200]


@contextmanager
def tracked(jobs: Jobs, task: str, *args: Any) -> Iterator[None]:
    """Hold a lease on this run of `task(*args)` while the block runs (the heartbeat renews it)."""
    key, now = run_key(task, args), utcnow()
    until = now + timedelta(seconds=jobs.settings.job_lease_seconds)
    with jobs.db.session() as s:
        insert = sqlite.insert if s.get_bind().dialect.name == "sqlite" else postgresql.insert
        s.execute(insert(JobRun).values(key=key, task=task, args=list(args), worker=jobs.worker_id,
                                        lease_until=until, attempts=0, started_at=now)
                  .on_conflict_do_update(index_elements=["key"],
                                         set_={"worker": jobs.worker_id, "lease_until": until, "started_at": now}))
    jobs.track(+1)
    try:
        yield
    finally:
        jobs.track(-1)
        try:
            with jobs.db.session() as s:  # ended, well or badly: not lost (unless another worker holds it now)
                s.execute(delete(JobRun).where(JobRun.key == key, JobRun.worker == jobs.worker_id))
        except Exception:
            log.exception("could not end the lease of %s; it will be run again when it expires", key)


def _reap_runs(jobs: Jobs, every_active: bool) -> dict[str, int]:
    out = {"requeued": 0, "failed": 0}
    now = utcnow()
    q = select(JobRun).where(JobRun.worker.is_not(None))
    if not every_active:
        q = q.where(or_(JobRun.lease_until.is_(None), JobRun.lease_until < now))
    with jobs.db.session(write=False) as s:
        lost = [(r.key, r.task, list(r.args or []), r.worker) for r in s.scalars(q.limit(100))]
    for key, task, args, worker in lost:
        with jobs.db.session() as s:
            expired = () if every_active else (or_(JobRun.lease_until.is_(None), JobRun.lease_until < now),)
            took = s.execute(update(JobRun).where(JobRun.key == key, JobRun.worker == worker, *expired)
                             .values(worker=None, lease_until=None, attempts=JobRun.attempts + 1)
                             .returning(JobRun.attempts)).scalar()
            if took is None:
                continue  # renewed, ended or reaped elsewhere meanwhile
            final = took >= jobs.settings.job_max_attempts
            if final:
                s.execute(delete(JobRun).where(JobRun.key == key))
            _count(s, {"failed" if final else "requeued": 1})
        out["failed" if final else "requeued"] += 1
        log.warning("%s: the worker running it stopped (%s); its lease ran out; %s", key, worker,
                    f"given up after {took} attempt(s)" if final else f"sent again (attempt {took})")
        fn = RECOVER.get(task)
        try:
            if fn is not None:
                fn(jobs, args, final)
            elif not final:
                jobs.enqueue(task, *args)
        except Exception:
            log.exception("could not recover %s", key)
    return out


def _count(s: Db, reaped: dict[str, int]) -> None:
    row = s.get(SystemMetadata, REAPED_KEY, with_for_update=True)
    value = dict(row.value or {}) if row is not None else {}
    for k, n in reaped.items():
        value[k] = int(value.get(k, 0)) + n
    if row is None:
        s.add(SystemMetadata(key=REAPED_KEY, value=value))
    else:
        row.value = value


def reaped_totals(s: Db) -> dict[str, int]:
    row = s.get(SystemMetadata, REAPED_KEY)
    value = dict(row.value or {}) if row is not None else {}
    return {k: int(value.get(k, 0)) for k in ("requeued", "failed")}


class LeaseKeeper:
    """The thread of a consumer process that renews its leases and reaps expired ones."""

    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="photonest-leases", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        settings = self.jobs.settings
        next_reap = time.monotonic()  # reap once straight away: jobs of workers that died while none ran
        while True:
            try:
                if self.jobs.running():  # an idle worker holds nothing: no write
                    with self.jobs.db.session() as s:
                        ledger.renew(s, self.jobs.worker_id, settings.job_lease_seconds)
                        s.execute(update(JobRun).where(JobRun.worker == self.jobs.worker_id).values(
                            lease_until=utcnow() + timedelta(seconds=settings.job_lease_seconds)))
                if time.monotonic() >= next_reap:
                    next_reap = time.monotonic() + settings.job_reap_interval_seconds
                    reap(self.jobs)
            except Exception:
                log.exception("job leases: heartbeat or reaper failed (will try again)")
            wait = min(settings.job_heartbeat_seconds, max(0.0, next_reap - time.monotonic()))
            if self._stop.wait(wait):
                return

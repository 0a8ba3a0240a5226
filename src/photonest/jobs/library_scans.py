"""External library scans as background work: the "library" queue.

A scan request marks the library waiting (Library.scan_state, so every process sees the queue's counts) and
sends one huey message; the worker holds huey's lock for that library while it scans (one scan of a library
at a time, across processes), marks it active, then idle again. Requests while a scan runs leave it waiting:
one more scan follows. At start-up the requests still waiting (or left active by a dead process) are sent
again; each night every library is rescanned (Settings.library_scan_nightly).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from huey import Huey
from huey.exceptions import TaskLockedException
from sqlalchemy import select, update

from photonest.db.tables import Library
from photonest.jobs import leases, ledger
from photonest.library import libraries
from photonest.library.library_scan import ScanResult, scan

if TYPE_CHECKING:
    from photonest.jobs.runtime import Jobs

log = logging.getLogger(__name__)
LOCKED_RETRY_SECONDS = 2.0
PAUSED_RETRY_SECONDS = 10.0  # the library queue is paused: the scan stays waiting and looks again


def request(jobs: Jobs, library_id: str) -> bool:
    """Queue a scan of one library; False when one is already waiting."""
    with jobs.db.session() as s:
        queued = libraries.request_scan(s, library_id)
    if queued:
        jobs.enqueue("library-scan", library_id)
    return queued


def request_all(jobs: Jobs) -> int:
    with jobs.db.session(write=False) as s:
        ids = list(s.scalars(select(Library.id)))
    return sum(1 for i in ids if request(jobs, i))


def resend(jobs: Jobs) -> int:
    """Start-up: the queue was replayed from the database, so send the waiting scans (and, a lone process, the
    ones left active by its previous run; with a shared queue the lease reaper finds those whose worker died)."""
    with jobs.db.session() as s:
        if not jobs.settings.redis_url:
            s.execute(update(Library).where(Library.scan_state == "active").values(scan_state="waiting")
                      .execution_options(synchronize_session=False))
        ids = list(s.scalars(select(Library.id).where(Library.scan_state == "waiting")))
    for i in ids:
        jobs.enqueue("library-scan", i)
    return len(ids)


def run(jobs: Jobs, library_id: str) -> ScanResult | None:
    """The worker side: scan one library, unless another worker is scanning it (then try again shortly) or
    the library queue is paused (the scan waits)."""
    if jobs.is_paused("library"):
        jobs.tasks["library-scan"].schedule((library_id,), delay=PAUSED_RETRY_SECONDS)
        return None
    try:
        with jobs.huey.lock_task(f"library-scan-{library_id}"):
            with jobs.db.session() as s:
                claimed = s.execute(update(Library).where(Library.id == library_id, Library.scan_state == "waiting")
                                    .values(scan_state="active").execution_options(synchronize_session=False))
                if not getattr(claimed, "rowcount", 0):
                    return None  # nothing waiting: a duplicate message, or the library is gone
            try:
                with leases.tracked(jobs, "library-scan", library_id):  # sent again if this worker dies
                    return scan(jobs.db, library_id, jobs.enqueue_asset)
            finally:
                with jobs.db.session() as s:
                    s.execute(update(Library).where(Library.id == library_id, Library.scan_state == "active")
                              .values(scan_state=None).execution_options(synchronize_session=False))
    except TaskLockedException:
        jobs.tasks["library-scan"].schedule((library_id,), delay=LOCKED_RETRY_SECONDS)
        return None


def _lost(jobs: Jobs, args: Sequence[Any], final: bool) -> None:
    """A scan whose worker died (jobs/leases.py): free the lock it held; waiting again (scans are safe to
    repeat), or idle once its attempts are used up."""
    library_id = str(args[0])
    jobs.huey.lock_task(f"library-scan-{library_id}").clear()
    with jobs.db.session() as s:
        s.execute(update(Library).where(Library.id == library_id, Library.scan_state == "active")
                  .values(scan_state=None if final else "waiting").execution_options(synchronize_session=False))
    if not final:
        jobs.enqueue("library-scan", library_id)


leases.on_lost("library-scan", _lost)


def status(jobs: Jobs) -> dict[str, Any]:
    """The "library" queue for /api/queues: scans waiting and running."""
    with jobs.db.session(write=False) as s:
        c = libraries.scan_counts(s)
        paused = "library" in ledger.paused_queues(s)
    waiting = c["waiting"]
    return {"isPaused": paused, "isActive": c["active"] > 0,
            "statistics": {"active": c["active"], "completed": 0, "failed": 0, "delayed": 0,
                           "waiting": 0 if paused else waiting, "paused": waiting if paused else 0}}


def register(huey: Huey, jobs: Jobs) -> dict[str, Any]:
    @huey.task(name="library-scan")  # type: ignore[untyped-decorator]
    def library_scan(library_id: str) -> None:
        run(jobs, library_id)

    return {"library-scan": library_scan}

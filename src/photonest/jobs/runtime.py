"""The queue and its workers, and the layer that turns one huey queue into Immich's per-stage queues.

The database is the source of truth (jobs/ledger.py): a stage is queued by adding a ledger row and sending a
huey message (asset_id, stage); a worker claims the row, runs the stage, and in one transaction writes the
results, marks the stage done and drops the row. Per-queue pause (flags in system_metadata, seen by every
process) and concurrency (a semaphore per queue in each process) sit on top of huey's single queue.
On start-up and nightly a sweep queues whatever is missing, so a crash or a lost message loses no work; a
claimed job is leased to its worker, so a job whose worker died is taken back within a minute (jobs/leases.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer
from sqlalchemy import update

from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import Asset
from photonest.db.types import utcnow
from photonest.events import EventBus, RedisTransport
from photonest.jobs import leases, ledger
from photonest.jobs.registry import STAGES, Apply, Stage, StageRun, dependents, enabled_stages, stages_for_queue
from photonest.media.errors import MediaError

log = logging.getLogger(__name__)


@dataclass
class Context:
    settings: Settings
    db: Database


_context: Context | None = None


def context() -> Context:
    if _context is None:
        raise RuntimeError("job context not initialised (create jobs.runtime.Jobs first)")
    return _context


def make_huey(settings: Settings, name: str = "photonest") -> Huey:
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, results=False)
    return SqliteHuey(name, filename=str(settings.data / "queue.db"), results=False)


# Queue names a worker's --queues accepts besides Immich's own (metadataExtraction, faceDetection, ...).
QUEUE_ALIASES = {"metadata": "metadataExtraction", "thumbnails": "thumbnailGeneration", "video": "videoConversion",
                 "faces": "faceDetection", "smart_search": "smartSearch", "smart-search": "smartSearch",
                 "duplicates": "duplicateDetection"}


def resolve_queues(spec: str | Sequence[str] | None) -> frozenset[str] | None:
    """'ocr,faces' -> the Immich queue names it means (None: every queue). Stage names work too."""
    if spec is None:
        return None
    items = [p.strip() for p in (spec.split(",") if isinstance(spec, str) else spec) if p.strip()]
    if not items:
        return None
    known = {st.queue for st in STAGES.values()}
    out: set[str] = set()
    for item in items:
        name = QUEUE_ALIASES.get(item) or (STAGES[item].queue if item in STAGES else item)
        if name not in known:
            raise UnknownQueue(f"unknown queue {item!r}; known: {', '.join(sorted(known | set(QUEUE_ALIASES)))}")
        out.add(name)
    return frozenset(out)


class UnknownQueue(ValueError):
    pass


class Jobs:
    """Owns the huey instance and runs stages; tasks are registered on it by jobs.tasks.register."""

    def __init__(self, settings: Settings, db: Database, events: EventBus | None = None) -> None:
        global _context
        _context = Context(settings, db)
        self.settings = settings
        self.db = db
        if events is None:
            # A worker-only process: without Redis its events have no one to reach; with it, the servers do.
            events = EventBus()
            if settings.redis_url:
                events.attach(RedisTransport(settings.redis_url))
        self.events = events
        # The control queue carries upload fan-out, operations jobs and the periodic tasks; each Immich queue
        # (metadataExtraction, ocr, ...) has a huey queue of its own for its stages' messages, so a worker can
        # take only some queues (`photonest worker --queues`).
        self.huey = make_huey(settings)
        from photonest.jobs import stages, tasks

        stages.register_builtin()
        self.tasks = tasks.register(self.huey, self)
        from photonest.jobs import ops

        self.tasks.update(ops.register(self.huey, self))
        from photonest.jobs import library_scans

        self.tasks.update(library_scans.register(self.huey, self))
        # Called with (queue, job name, outcome, seconds) after each job (metrics; photonest.observability).
        self.observers: list[Callable[[str, str, str, float], None]] = []
        self._queue_hueys: dict[str, tuple[Huey, Any]] = {}
        self._consumers: list[Consumer] = []
        self.queues: frozenset[str] | None = None  # the queues this process's consumers take (None: all)
        self._lock = threading.Lock()
        self._semaphores: dict[str, tuple[int, threading.BoundedSemaphore]] = {}
        self._slots = threading.BoundedSemaphore(max(1, settings.worker_threads))  # stages run at once here
        self._inflight: set[tuple[str, str]] = set()
        self._paused: tuple[float, frozenset[str]] = (0.0, frozenset())
        self._sweeper: threading.Thread | None = None
        self.worker_id = leases.new_worker_id()  # holder of the jobs this process claims
        self._stopping = False  # set by stop(): claim nothing more, hand messages on
        self._tracked = 0  # runs of tracked tasks (jobs/leases.py) in this process now
        self._leases = leases.LeaseKeeper(self)

    # --- consumer -----------------------------------------------------------------------------------------

    def _queue_huey(self, queue: str) -> tuple[Huey, Any]:
        """The huey queue of one Immich queue and its stage task (made on first use)."""
        with self._lock:
            got = self._queue_hueys.get(queue)
            if got is None:
                from photonest.jobs import tasks

                h = make_huey(self.settings, f"photonest.{queue}")
                got = self._queue_hueys[queue] = (h, tasks.register_stage(h, self))
            return got

    def all_hueys(self) -> list[Huey]:
        """The control queue and the queue of every registered stage."""
        return [self.huey] + [self._queue_huey(q)[0] for q in sorted({st.queue for st in STAGES.values()})]

    def start_consumer(self, workers: int, queues: frozenset[str] | None = None, *, periodic: bool = True) -> None:
        """Start worker threads: one consumer for the control queue and one per Immich queue taken (all, or
        `queues`). A queue gets as many threads as its concurrency allows (at most `workers`); at most `workers`
        stages run at once in this process."""
        self.queues = queues
        self._slots = threading.BoundedSemaphore(max(1, workers))
        names = sorted({st.queue for st in STAGES.values()} if queues is None else queues)
        # Two control threads: a long operations job (a backup) must not hold up the fan-out of new uploads.
        plan: list[tuple[Huey, int, bool]] = [(self.huey, 2, periodic)]
        for q in names:
            limit = max((st.concurrency(self.settings) for st in stages_for_queue(q)), default=1)
            plan.append((self._queue_huey(q)[0], max(1, min(workers, limit)), False))
        for h, threads, with_periodic in plan:
            consumer = h.create_consumer(workers=threads, worker_type="thread", periodic=with_periodic,
                                         check_worker_health=True, flush_locks=with_periodic, max_delay=2.0)
            # The process owns SIGTERM/SIGINT (uvicorn, or run_consumer_forever); huey must not replace them.
            consumer._set_signal_handlers = lambda: None
            consumer.start()
            self._consumers.append(consumer)
        self._leases.start()
        log.info("workers started: %d stage(s) at once, queues: %s", workers, ", ".join(names))

    def run_consumer_forever(self, workers: int, queues: frozenset[str] | None = None) -> None:
        """For `photonest worker`: consume until SIGTERM or SIGINT, then let running stages finish (graceful)."""
        import signal

        stop = threading.Event()

        def on_signal(signum: int, _frame: Any) -> None:
            log.info("%s: finishing the running jobs, then stopping", signal.Signals(signum).name)
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        # Only a worker that takes every queue runs the periodic tasks (nightly, backups, release check), so a
        # GPU box restricted to ML queues does not also run the nightly jobs.
        self.start_consumer(workers, queues, periodic=queues is None)
        while not stop.wait(1.0):
            pass
        self.stop()
        log.info("worker stopped")

    def consumer_state(self) -> str:
        """For /health: off (no in-process workers), starting, ok, or down (a worker or the scheduler died)."""
        if not getattr(self, "_workers_wanted", False):
            return "off"
        consumers = list(self._consumers)
        if not consumers:
            return "starting"
        threads = [t for c in consumers for t in [c.scheduler, *(t for _, t in c.worker_threads)]]
        return "ok" if all(t.is_alive() for t in threads) else "down"

    def wait_for_start_up(self, timeout: float | None = None) -> None:
        """Block until the start-up sweep has queued what is missing (benchmarks measure a settled server)."""
        if self._sweeper is not None:
            self._sweeper.join(timeout)

    def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.join(timeout=60)
            self._sweeper = None
        if not self._consumers:
            return
        self._stopping = True
        for c in self._consumers:
            c.stop_flag.set()  # all at once; then wait for each one's running tasks
        self.release_leases()
        for c in self._consumers:
            c.stop(graceful=True)
        self._consumers = []
        self._leases.stop()

    def release_leases(self) -> int:
        """Stopping: give back the jobs this process is running, so another worker takes them at once (if this
        one finishes first, its result counts and the other finds nothing left to do)."""
        try:
            with self.db.session() as s:
                back = ledger.release_worker(s, self.worker_id)
                paused = ledger.paused_queues(s)
            n = self.send_all((a, st, 0.0) for a, st in back if st not in STAGES or STAGES[st].queue not in paused)
        except Exception:
            log.exception("could not give back the running jobs; they return when their leases run out")
            return 0
        if back:
            log.info("gave back %d running job(s) to the queue", len(back))
        return n

    def running(self) -> bool:
        """Stages or tracked runs in this process now (their leases need renewing)."""
        with self._lock:
            return bool(self._inflight) or self._tracked > 0

    def track(self, delta: int) -> None:
        with self._lock:
            self._tracked += delta

    def enqueue(self, name: str, *args: Any) -> None:
        self.tasks[name](*args)

    def observe(self, queue: str, name: str, outcome: str, seconds: float) -> None:
        for fn in self.observers:
            try:
                fn(queue, name, outcome, seconds)
            except Exception:
                log.exception("job observer failed")

    def drain(self, max_tasks: int = 100_000, include_scheduled: bool = True) -> int:
        """Run queued messages in this thread until none is left (tests, tools); returns how many ran."""
        if self._sweeper is not None:
            self._sweeper.join()  # the start-up sweep replays the ledger first
        ran = 0
        while ran < max_tasks:
            hueys = self.all_hueys()
            pending = [(h, t) for h in hueys if (t := h.dequeue()) is not None]
            if not pending:
                later = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=365)  # huey keeps naive UTC
                due = [(h, t) for h in hueys for t in (h.read_schedule(later) if include_scheduled else [])]
                if not due:
                    break
                pending = due
            for h, t in pending:
                h.execute(t)
                ran += 1
        return ran

    # --- queueing -----------------------------------------------------------------------------------------

    def send(self, asset_id: str, stage: str, delay: float = 0.0) -> None:
        """Hand one (already ledgered) job to huey, on its Immich queue's huey queue."""
        st = STAGES.get(stage)
        task = self._queue_huey(st.queue)[1] if st is not None else self.tasks["stage"]
        if delay > 0:
            task.schedule((asset_id, stage), delay=delay)
        else:
            task(asset_id, stage)

    def send_all(self, jobs: Iterable[tuple[str, str, float]]) -> int:
        n = 0
        for asset_id, stage, delay in jobs:
            self.send(asset_id, stage, delay)
            n += 1
        return n

    def enqueue_asset(self, asset_id: str, stages: Sequence[str] | None = None) -> None:
        """Queue the work an asset needs: without stages, whatever is missing and ready (a new upload);
        with stages (regenerate thumbnails, refresh metadata), those stages again even when done.

        Only a message is sent here (no database access, so a caller may hold a transaction); the worker
        records the jobs in the ledger. A lost message is found again by the start-up / nightly sweep."""
        self.tasks["asset"](asset_id, list(stages) if stages is not None else None)

    def queue_asset(self, asset_id: str, stages: Sequence[str] | None = None) -> int:
        """Record an asset's jobs in the ledger and send their messages (the worker side of enqueue_asset)."""
        sent: list[tuple[str, str, float]] = []
        with self.db.session() as s:
            if stages is None:
                for st in enabled_stages(self.settings):
                    sent += [(a, st.name, 0.0) for a in ledger.queue_missing(s, st, [asset_id], self._switched_off())]
            else:
                for name in stages:
                    forced = STAGES.get(name)
                    if forced is None or not forced.enabled(self.settings):
                        log.info("not queueing %s for %s: no such stage is enabled", name, asset_id)
                        continue
                    sent += [(a, name, 0.0) for a in ledger.queue_forced(s, forced, [asset_id])]
            paused = ledger.paused_queues(s)
        return self.send_all(j for j in sent if STAGES[j[1]].queue not in paused)

    def sweep(self, stages: Sequence[str] | None = None, *, startup: bool = False, resend: bool = False) -> int:
        """Queue every asset missing a stage; returns how many messages went out.

        At start-up (before the workers start) the ledger is replayed into a fresh huey queue and jobs left
        active by a dead process go back to waiting. Otherwise (nightly, "start missing") new jobs are sent,
        plus, with resend, every ready job (a message may have been lost); by default only those queued over
        an hour ago are sent again."""
        chosen = [st for st in enabled_stages(self.settings) if stages is None or st.name in stages]
        shared = bool(self.settings.redis_url)  # other machines' workers may be busy with "active" jobs
        if startup and not shared:
            for h in self.all_hueys():
                h.flush()  # the ledger holds everything; replaying it into an empty queue avoids doubles
        # Jobs of workers that died; at a lone process's start-up every active job is such a job.
        leases.reap(self, every_active=startup and not shared)
        new: list[tuple[str, str, float]] = []
        for st in chosen:
            with self.db.session() as s:
                new += [(a, st.name, 0.0) for a in ledger.queue_missing(s, st, None, self._switched_off())]
        fresh = {(a, st) for a, st, _ in new}
        with self.db.session(write=False) as s:
            paused = ledger.paused_queues(s)
            names = [st.name for st in chosen if st.queue not in paused]
            before = None if startup or resend else utcnow() - timedelta(hours=1)
            todo = [j for j in ledger.ready_jobs(s, names, queued_before=before) if (j[0], j[1]) not in fresh]
        todo += [j for j in new if STAGES[j[1]].queue not in paused]
        n = self.send_all(todo)
        log.info("sweep: %d new jobs, %d messages sent", len(new), n)
        return n

    def start_up(self, workers: int | None) -> None:
        """Start-up: sweep (off the request path), then start the in-process workers (workers > 0)."""
        self._workers_wanted = bool(workers)

        def run() -> None:
            try:
                self.sweep(startup=True)
                from photonest.jobs import library_scans

                library_scans.resend(self)  # the sweep flushed the queue; waiting scans are in the database
            except Exception:
                log.exception("start-up sweep failed")
            if workers:
                try:
                    queues = resolve_queues(self.settings.worker_queues)
                except UnknownQueue:
                    log.exception("PHOTONEST_WORKER_QUEUES names an unknown queue; taking every queue")
                    queues = None
                self.start_consumer(workers, queues)

        self._sweeper = threading.Thread(target=run, name="photonest-startup", daemon=True)
        self._sweeper.start()

    # --- running one stage --------------------------------------------------------------------------------

    def is_paused(self, queue: str) -> bool:
        at, paused = self._paused
        if time.monotonic() - at > 1.0:
            with self.db.session(write=False) as s:
                paused = frozenset(ledger.paused_queues(s))
            self._paused = (time.monotonic(), paused)
        return queue in paused

    def _semaphore(self, stage: Stage) -> threading.BoundedSemaphore:
        limit = max(1, stage.concurrency(self.settings))  # the admin may change it at any time
        with self._lock:
            got = self._semaphores.get(stage.queue)
            if got is None or got[0] != limit:
                got = self._semaphores[stage.queue] = (limit, threading.BoundedSemaphore(limit))
            return got[1]

    def run_stage(self, asset_id: str, name: str) -> str:
        """Run one stage for one asset if its job can be claimed. Returns what happened (for logs and tests):
        done | failed | retrying | paused | busy | skipped | gone."""
        stage = STAGES.get(name)
        if stage is None or not stage.enabled(self.settings):
            log.warning("dropping job for unknown or disabled stage %s", name)
            with self.db.session() as s:
                ledger.settle(s, asset_id, name)
            return "skipped"
        if self.is_paused(stage.queue):
            return "paused"  # the row stays waiting; resume sends it again
        if self._stopping:
            return "busy"  # a message taken while stopping (maybe one we gave back): sent again for another worker
        key = (asset_id, name)
        with self._lock:
            if key in self._inflight:
                return "skipped"
        sem = self._semaphore(stage)
        if not sem.acquire(blocking=False):
            return "busy"
        try:
            with self._lock:
                if key in self._inflight:
                    return "skipped"
                self._inflight.add(key)
            with self.db.session() as s:
                force = ledger.claim(s, asset_id, name, self.worker_id, self.settings.job_lease_seconds)
            if force is None:
                return "skipped"  # emptied, done by another worker, or a duplicate message
            with self._slots:
                started = time.monotonic()
                outcome = self._execute(stage, asset_id, force)
            self.observe(stage.queue, stage.name, outcome, time.monotonic() - started)
            return outcome
        finally:
            with self._lock:
                self._inflight.discard(key)
            sem.release()

    def _execute(self, stage: Stage, asset_id: str, force: bool) -> str:
        with self.db.session(write=False) as s:
            asset = s.get(Asset, asset_id)
        if asset is None:
            return "gone"
        if not force and stage.name in (asset.stages_done or []):  # a duplicate: done meanwhile
            with self.db.session() as s:
                ledger.settle(s, asset_id, stage.name)
                follow = self.queue_dependents(s, asset, stage.name)
            self.send_all(follow)
            return "done"
        run = StageRun(asset=asset, settings=self.settings, db=self.db, events=self.events, jobs=self, force=force)
        try:
            apply = stage.run(run)
        except MediaError as e:
            log.info("%s failed for %s: %s", stage.name, asset_id, e)
            return self._failed(run, stage, str(e) or type(e).__name__, retry=False)
        except Exception as e:
            log.warning("%s failed for %s (will retry): %s", stage.name, asset_id, e, exc_info=True)
            return self._failed(run, stage, f"{type(e).__name__}: {e}", retry=True)
        try:
            return self._commit(run, stage, apply)
        except Exception as e:
            log.warning("%s could not save results for %s: %s", stage.name, asset_id, e, exc_info=True)
            for p in run.rollback_files:
                run.discard(p)
            return self._failed(run, stage, f"{type(e).__name__}: {e}", retry=True)

    def _commit(self, run: StageRun, stage: Stage, apply: Apply | None) -> str:
        asset_id = run.asset.id
        with self.db.session() as s:
            # Take the asset's row lock first (SQLite: the write lock), so concurrent stages of one asset
            # append to stages_done one after the other.
            locked = s.execute(update(Asset).where(Asset.id == asset_id).values(updated_at=utcnow())
                               .execution_options(synchronize_session=False))
            if not getattr(locked, "rowcount", 0):
                s.rollback()
                for p in run.outputs:
                    run.discard(p)
                return "gone"
            if self._taken_over(s, asset_id, stage.name):
                s.rollback()  # its files are the other worker's too (same names): leave them
                return "skipped"
            asset = s.get(Asset, asset_id, populate_existing=True)
            assert asset is not None
            if apply is not None:
                apply(s, asset)
            if stage.name not in (asset.stages_done or []):
                asset.stages_done = [*(asset.stages_done or []), stage.name]
            ledger.settle(s, asset_id, stage.name)
            s.flush()
            follow = self.queue_dependents(s, asset, stage.name)
        self.send_all(follow)
        for fn in run.post_commit:
            try:
                fn()
            except Exception:
                log.exception("after %s for %s", stage.name, asset_id)
        if stage.after_commit is not None:
            try:
                stage.after_commit(run, asset)
            except Exception:
                log.exception("after %s for %s", stage.name, asset_id)
        return "done"

    def _failed(self, run: StageRun, stage: Stage, message: str, *, retry: bool) -> str:
        asset_id = run.asset.id
        base = self.settings.job_retry_delay_seconds
        follow: list[tuple[str, str, float]] = []
        with self.db.session() as s:
            asset = s.get(Asset, asset_id)
            if asset is None:
                return "gone"
            if self._taken_over(s, asset_id, stage.name):
                return "skipped"
            attempts, delay = ledger.record_failure(s, asset_id, stage.name, message,
                                                   retry_delay=base if retry else None,
                                                   max_attempts=self.settings.job_max_attempts)
            if delay is None:
                s.flush()
                follow = self.queue_dependents(s, asset, stage.name)
        if delay is not None:
            self.send(asset_id, stage.name, delay)
            return "retrying"
        self.send_all(follow)
        log.info("%s for %s failed for good after %d attempt(s): %s", stage.name, asset_id, attempts, message)
        return "failed"

    def _taken_over(self, s: Any, asset_id: str, name: str) -> bool:
        """Our lease ran out (we stalled) and another worker runs the job now: its outcome counts, not ours."""
        held = ledger.holder(s, asset_id, name)
        if held is None or held == self.worker_id:
            return False
        log.warning("%s for %s: taken over by %s while this worker ran it; dropping this run's result",
                    name, asset_id, held)
        return True

    def _switched_off(self) -> frozenset[str]:
        """Stages switched off by the settings, or not registered at all: a stage that comes after one of them
        does not wait for it (it would never settle)."""
        from photonest.jobs.registry import STAGES

        off = {n for n, st in STAGES.items() if not st.enabled(self.settings)}
        off |= {d for st in STAGES.values() for d in st.after if d not in STAGES}
        return frozenset(off)

    def queue_dependents(self, s: Any, asset: Asset, name: str) -> list[tuple[str, str, float]]:
        out: list[tuple[str, str, float]] = []
        for st in dependents(name):
            if st.enabled(self.settings) and asset.type in st.types:
                out += [(a, st.name, 0.0) for a in ledger.queue_missing(s, st, [asset.id], self._switched_off())]
        return out

    # --- queues (what /api/queues and /api/jobs show and do) ------------------------------------------------

    def _stages(self, queue: str) -> list[str]:
        return [st.name for st in stages_for_queue(queue) if st.enabled(self.settings)]

    def queue_status(self, queue: str) -> dict[str, Any]:
        from photonest.jobs import ops

        if queue in ops.QUEUES:
            return ops.status(self, queue)
        if queue == "library":  # external library scans, not asset stages (jobs/library_scans.py)
            from photonest.jobs import library_scans

            return library_scans.status(self)
        names = self._stages(queue)
        with self.db.session(write=False) as s:
            c = ledger.counts(s, names)
            paused = queue in ledger.paused_queues(s)
        with self._lock:
            local_active = sum(1 for _, st in self._inflight if st in names)
        active = max(c["active"], local_active)
        waiting = c["waiting"]
        return {
            "isPaused": paused,
            "isActive": active > 0,
            "statistics": {"active": active, "completed": c["completed"], "failed": c["failed"],
                           "delayed": c["delayed"], "waiting": 0 if paused else waiting,
                           "paused": waiting if paused else 0},
        }

    def pause(self, queue: str) -> None:
        with self.db.session() as s:
            ledger.set_paused(s, queue, True)
        self._paused = (0.0, frozenset())

    def resume(self, queue: str) -> int:
        with self.db.session() as s:
            ledger.set_paused(s, queue, False)
            todo = ledger.ready_jobs(s, self._stages(queue))
        self._paused = (0.0, frozenset())
        return self.send_all(todo)

    def empty(self, queue: str, *, failed: bool = False) -> int:
        names = self._stages(queue)
        with self.db.session() as s:
            n = ledger.empty(s, names)
            if failed:
                n += ledger.clear_failed(s, names)
        return n

    def clear_failed(self, queue: str) -> int:
        with self.db.session() as s:
            return ledger.clear_failed(s, self._stages(queue))

    def start(self, queue: str, *, force: bool = False) -> int:
        """Queue the queue's stages: for the assets missing them, or (force) for every asset again."""
        from photonest.jobs import ops

        if queue in ops.QUEUES:
            return ops.start(self, queue)
        if queue == "library":
            from photonest.jobs import library_scans

            return library_scans.request_all(self)
        names = self._stages(queue)
        if not names:
            raise UnknownQueue(f"Queue {queue} has no work to start")
        if not force:
            return self.sweep(names, resend=True)
        sent: list[tuple[str, str, float]] = []
        with self.db.session() as s:
            for name in names:
                sent += [(a, name, 0.0) for a in ledger.queue_forced(s, STAGES[name])]
            paused = queue in ledger.paused_queues(s)
        return 0 if paused else self.send_all(sent)

    def queued_jobs(self, queue: str, statuses: Iterable[str]) -> list[dict[str, Any]]:
        """Items for GET /queues/{name}/jobs."""
        names = self._stages(queue)
        wanted = set(statuses)
        out: list[dict[str, Any]] = []
        with self.db.session(write=False) as s:
            paused = queue in ledger.paused_queues(s)
            states = {"active", "delayed"} & wanted
            if ("paused" in wanted and paused) or ("waiting" in wanted and not paused):
                states.add("waiting")
            for job in ledger.list_jobs(s, names, states):
                out.append({"id": f"{job.stage}:{job.asset_id}", "name": STAGES[job.stage].job_name,
                            "data": {"id": job.asset_id, **({"force": True} if job.force else {})},
                            "timestamp": int(job.queued_at.timestamp() * 1000)})
            if "failed" in wanted:
                for f in ledger.list_failures(s, names):
                    out.append({"id": f"{f.stage}:{f.asset_id}", "name": STAGES[f.stage].job_name,
                                "data": {"id": f.asset_id, "error": f.message, "attempts": f.attempts},
                                "timestamp": int(f.updated_at.timestamp() * 1000)})
        return out

    # --- nightly --------------------------------------------------------------------------------------------

    def _nightly_library(self) -> dict[str, int]:
        """Today's memories, accounts past their delete delay (files too), stale resumable uploads."""
        from datetime import UTC, datetime

        from photonest.jobs import library_scans
        from photonest.library import memories, people, uploads, users
        from photonest.storage.backends import open_storage

        out: dict[str, int] = {}
        steps: dict[str, Any] = {
            "memories": lambda s: memories.generate_for_everyone(s, datetime.now(UTC).date()),
            "users_removed": lambda s: len(users.purge_removed(s, open_storage(self.settings),
                                                               self.settings.user_delete_delay_days)),
            "stale_uploads": lambda s: uploads.purge_expired(s, self.settings),
            "libraries_queued": lambda s: (library_scans.request_all(self)
                                           if self.settings.library_scan_nightly else 0),
            # A full re-cluster (manual assignments and named people stay as they are).
            "people_reclustered": lambda s: (len(people.recluster_all(s, self.settings))
                                             if self.settings.faces_enabled else 0),
        }
        for name, step in steps.items():
            try:
                with self.db.session() as s:
                    out[name] = int(step(s) or 0)
            except Exception:
                log.exception("nightly %s failed", name)
        return out

    def nightly(self) -> dict[str, int]:
        from photonest.jobs import tasks

        out = {"sessions": tasks.purge_expired_sessions(self.db)}
        try:
            from photonest.library.trash import purge_expired

            with self.db.session() as s:
                out["trash"] = purge_expired(s, self.settings)
        except Exception:
            log.exception("nightly trash purge failed")
        out.update(self._nightly_library())
        out["swept"] = self.sweep()
        log.info("nightly: %s", out)
        return out

"""Operations jobs that are not per-asset stages: database backups (queue backupDatabase) and integrity scans
(queue integrityCheck). Each run is one huey message; its progress is kept in system_metadata so every process
(server, `photonest worker`) reports the same queue counts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from huey import Huey, crontab

from photonest.db.tables import SystemMetadata
from photonest.db.types import utcnow
from photonest.jobs import leases
from photonest.library import backups, integrity

if TYPE_CHECKING:
    from photonest.jobs.runtime import Jobs

log = logging.getLogger(__name__)
BACKUP, INTEGRITY = "backupDatabase", "integrityCheck"
QUEUES = (BACKUP, INTEGRITY)
RECENT = timedelta(minutes=10)  # several consumers may fire the same schedule: one backup is enough

# Immich's ManualJobName -> (queue, action)
MANUAL: dict[str, tuple[str, str]] = {"backup-database": (BACKUP, "backup")}
for _typ, _slug in ((integrity.MISSING, "missing-files"), (integrity.UNTRACKED, "untracked-files"),
                    (integrity.CHECKSUM, "checksum-mismatch")):
    MANUAL[f"integrity-{_slug}"] = (INTEGRITY, f"scan:{_typ}")
    MANUAL[f"integrity-{_slug}-refresh"] = (INTEGRITY, f"refresh:{_typ}")
    MANUAL[f"integrity-{_slug}-delete-all"] = (INTEGRITY, f"resolve:{_typ}")


def parse_cron(expr: str) -> crontab:
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"PHOTONEST_BACKUP_SCHEDULE must be a cron expression of 5 fields, not {expr!r}")
    try:
        return crontab(*fields)
    except ValueError as e:
        raise ValueError(f"PHOTONEST_BACKUP_SCHEDULE {expr!r}: {e}") from None


def _key(queue: str) -> str:
    return f"ops.{queue}"


def _update(jobs: Jobs, queue: str, fn: Callable[[dict[str, Any]], None]) -> None:
    with jobs.db.session() as s:
        row = s.get(SystemMetadata, _key(queue))
        if row is None:
            row = SystemMetadata(key=_key(queue), value={})
            s.add(row)
        value = dict(row.value or {})
        fn(value)
        row.value = value


def status(jobs: Jobs, queue: str) -> dict[str, Any]:
    with jobs.db.session(write=False) as s:
        row = s.get(SystemMetadata, _key(queue))
    v = dict(row.value or {}) if row else {}
    active, waiting = int(v.get("active", 0)), int(v.get("waiting", 0))
    return {"isPaused": False, "isActive": active > 0,
            "statistics": {"active": active, "completed": int(v.get("completed", 0)),
                           "failed": int(v.get("failed", 0)), "delayed": 0, "waiting": waiting, "paused": 0}}


def queue(jobs: Jobs, queue_name: str, action: str) -> None:
    _update(jobs, queue_name, lambda v: v.update(waiting=int(v.get("waiting", 0)) + 1))
    jobs.enqueue("ops", queue_name, action)


def start(jobs: Jobs, queue_name: str) -> int:
    """The queues API's "start": a backup, or all three integrity scans."""
    actions = ["backup"] if queue_name == BACKUP else [f"scan:{t}" for t in integrity.TYPES]
    for a in actions:
        queue(jobs, queue_name, a)
    return len(actions)


def run(jobs: Jobs, queue_name: str, action: str, *, scheduled: bool = False) -> Any:
    with leases.tracked(jobs, "ops", queue_name, action):  # a run lost with its worker is sent again
        return _run(jobs, queue_name, action, scheduled=scheduled)


def _lost(jobs: Jobs, args: Sequence[Any], final: bool) -> None:
    """A run whose worker died (jobs/leases.py): undo its "active" count, free the backup lock it held, and
    send it again (it starts over: a backup writes a new file, a scan reads again) or record the failure."""
    queue_name, action = str(args[0]), str(args[1])
    if action == "backup":
        jobs.huey.lock_task("backup-database").clear()

    def fix(v: dict[str, Any]) -> None:
        v["active"] = max(0, int(v.get("active", 0)) - 1)
        if final:
            v["failed"] = int(v.get("failed", 0)) + 1
            v["lastError"] = "the worker running it stopped (attempts used up)"

    _update(jobs, queue_name, fix)
    if not final:
        queue(jobs, queue_name, action)


leases.on_lost("ops", _lost)


def _run(jobs: Jobs, queue_name: str, action: str, *, scheduled: bool) -> Any:
    def begin(v: dict[str, Any]) -> None:
        v.update(active=int(v.get("active", 0)) + 1, waiting=max(0, int(v.get("waiting", 0)) - (not scheduled)))

    _update(jobs, queue_name, begin)
    started = time.monotonic()
    ok = False
    try:
        result = _perform(jobs, action, scheduled=scheduled)
        ok = True
        return result
    except Exception as e:
        log.exception("%s %s failed", queue_name, action)
        message = f"{type(e).__name__}: {e}"
        _update(jobs, queue_name, lambda v: v.update(lastError=message))
        _notify_admins(jobs, action, message)
        return None
    finally:
        seconds = time.monotonic() - started
        jobs.observe(queue_name, action.split(":")[0], "done" if ok else "failed", seconds)

        def end(v: dict[str, Any]) -> None:
            v["active"] = max(0, int(v.get("active", 0)) - 1)
            v["completed" if ok else "failed"] = int(v.get("completed" if ok else "failed", 0)) + 1
            v["lastRunAt"] = utcnow().isoformat()

        _update(jobs, queue_name, end)


def _notify_admins(jobs: Jobs, action: str, message: str) -> None:
    """A failed backup or operations job becomes a notification for the admins (as Immich's)."""
    from photonest.library import notifications

    try:
        with jobs.db.session() as s:  # commits on leaving
            notifications.operation_failed(s, action, message)
    except Exception:  # a notification must never hide the failure itself
        log.exception("could not notify admins that %s failed", action)


def _perform(jobs: Jobs, action: str, *, scheduled: bool) -> Any:
    settings = jobs.settings
    if action == "backup":
        newest = next((b for b in backups.list_backups(settings) if b.name.startswith("photonest-")), None)
        if scheduled and newest is not None and utcnow() - newest.created_at < RECENT:
            log.info("scheduled backup skipped: %s was made minutes ago", newest.name)
            return newest
        with jobs.huey.lock_task("backup-database"):
            return backups.scheduled_backup(settings)
    verb, _, typ = action.partition(":")
    if typ not in integrity.TYPES:
        raise ValueError(f"unknown operations job {action!r}")
    with jobs.db.session() as s:
        if verb == "scan":
            return integrity.SCANS[typ](s, settings)
        if verb == "refresh":
            return integrity.refresh(s, settings, typ)
        if verb == "resolve":
            requeue = integrity.resolve_all(s, settings, typ)
        else:
            raise ValueError(f"unknown operations job {action!r}")
    for asset_id, stage in requeue:
        jobs.enqueue_asset(asset_id, [stage])
    return len(requeue)


def register(huey: Huey, jobs: Jobs) -> dict[str, Any]:
    @huey.task(name="ops")  # type: ignore[untyped-decorator]
    def ops(queue_name: str, action: str) -> Any:
        return run(jobs, queue_name, action)

    out: dict[str, Any] = {"ops": ops}
    if jobs.settings.backup_enabled:
        @huey.periodic_task(parse_cron(jobs.settings.backup_schedule),  # type: ignore[untyped-decorator]
                            name="backup-database")
        def backup_database() -> None:
            run(jobs, BACKUP, "backup", scheduled=True)

        out["backup-database"] = backup_database
    return out

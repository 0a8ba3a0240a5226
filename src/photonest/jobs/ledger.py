"""The queue ledger in the database: which stages are waiting, delayed, running, done or failed per asset.

- done:    the stage's name is in Asset.stages_done
- queued:  an AssetJob row (waiting | delayed | active)
- failed:  an AssetJobFailure row and no AssetJob row (no retry left, or not retryable)
- missing: none of these, for an asset type the stage applies to, once the stages it runs after are settled

Huey only carries (asset_id, stage) messages; a worker must `claim` the row before running, so duplicate
messages, emptied queues and deleted assets are all harmless.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Select,
    String,
    Text,
    and_,
    cast,
    delete,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetJob, AssetJobFailure, SystemMetadata
from photonest.db.types import UTCDateTime, utcnow
from photonest.jobs.registry import STAGES, Stage

PAUSED_KEY = "queues.paused"


# --- predicates -------------------------------------------------------------------------------------------


def is_done(stage: str) -> ColumnElement[bool]:
    # stages_done is a JSON list of short names; its text form contains "name" exactly when the name is in it.
    return cast(Asset.stages_done, Text).like(f'%"{stage}"%')


def _job_exists(stage: str) -> ColumnElement[bool]:
    return exists().where(AssetJob.asset_id == Asset.id, AssetJob.stage == stage)


def _failure_exists(stage: str) -> ColumnElement[bool]:
    return exists().where(AssetJobFailure.asset_id == Asset.id, AssetJobFailure.stage == stage)


def gave_up(stage: str) -> ColumnElement[bool]:
    return and_(_failure_exists(stage), not_(_job_exists(stage)))


def settled(stage: str) -> ColumnElement[bool]:
    return or_(is_done(stage), gave_up(stage))


def missing(stage: Stage, ignore: Collection[str] = ()) -> Select[Any]:
    """Assets that still need `stage` and are ready for it (not queued, not failed for good). Dependencies in
    `ignore` (stages switched off) do not hold a stage back: they would never settle."""
    q = select(Asset.id).where(
        Asset.type.in_(sorted(stage.types)),
        not_(is_done(stage.name)),
        not_(_job_exists(stage.name)),
        not_(_failure_exists(stage.name)),
    )
    for dep in stage.after:
        if dep not in ignore:
            q = q.where(settled(dep))
    return q


# --- writes -----------------------------------------------------------------------------------------------


def _insert(db: Db) -> Any:
    return (sqlite.insert if db.get_bind().dialect.name == "sqlite" else postgresql.insert)(AssetJob)


def queue_missing(db: Db, stage: Stage, asset_ids: Sequence[str] | None = None,
                  ignore: Collection[str] = ()) -> list[str]:
    """Add waiting rows for assets missing `stage` (all, or only those in asset_ids); returns the new ones."""
    q = missing(stage, ignore)
    if asset_ids is not None:
        if not asset_ids:
            return []
        q = q.where(Asset.id.in_(list(asset_ids)))
    now = utcnow()
    q = q.add_columns(
        literal(stage.name, String()), literal("waiting", String()), literal(False, Boolean()),
        literal(now, UTCDateTime()),
    )
    stmt = (_insert(db).from_select(["asset_id", "stage", "state", "force", "queued_at"], q)
            .on_conflict_do_nothing().returning(AssetJob.asset_id))
    return list(db.scalars(stmt))


def queue_forced(db: Db, stage: Stage, asset_ids: Sequence[str] | None = None) -> list[str]:
    """Queue `stage` to run again (done or not) for the given assets, or every asset it applies to.

    Clears the stage's failures (a new request gets fresh attempts). Returns the ids that need a message.
    """
    fq = delete(AssetJobFailure).where(AssetJobFailure.stage == stage.name)
    if asset_ids is not None:
        if not asset_ids:
            return []
        fq = fq.where(AssetJobFailure.asset_id.in_(list(asset_ids)))
    db.execute(fq.execution_options(synchronize_session=False))
    q = select(Asset.id).where(Asset.type.in_(sorted(stage.types)))
    if asset_ids is not None:
        q = q.where(Asset.id.in_(list(asset_ids)))
    now = utcnow()
    q = q.add_columns(
        literal(stage.name, String()), literal("waiting", String()), literal(True, Boolean()),
        literal(now, UTCDateTime()),
    )
    ins = _insert(db).from_select(["asset_id", "stage", "state", "force", "queued_at"], q)
    ins = ins.on_conflict_do_update(index_elements=["asset_id", "stage"], set_={"force": True})
    return list(db.scalars(ins.returning(AssetJob.asset_id)))


def claim(db: Db, asset_id: str, stage: str, worker: str | None = None, lease: float = 60.0) -> bool | None:
    """Mark the job active if it is ready (waiting, or a delayed retry now due), leased to `worker` for `lease`
    seconds; its force flag, or None."""
    now = utcnow()
    stmt = (
        update(AssetJob)
        .where(AssetJob.asset_id == asset_id, AssetJob.stage == stage,
               or_(AssetJob.state == "waiting", and_(AssetJob.state == "delayed", AssetJob.run_at <= now)))
        .values(state="active", started_at=now, worker=worker, lease_until=now + timedelta(seconds=lease))
        .returning(AssetJob.force)
        .execution_options(synchronize_session=False)
    )
    row = db.execute(stmt).first()
    return None if row is None else bool(row[0])


def release(db: Db, asset_id: str, stage: str) -> None:
    """Give a claimed job back (paused or busy): waiting again."""
    db.execute(update(AssetJob).where(AssetJob.asset_id == asset_id, AssetJob.stage == stage,
                                      AssetJob.state == "active")
               .values(state="waiting", started_at=None, worker=None, lease_until=None)
               .execution_options(synchronize_session=False))


# --- leases (jobs/leases.py) ------------------------------------------------------------------------------


def renew(db: Db, worker: str, lease: float) -> int:
    """Extend every lease `worker` holds; returns how many it holds."""
    res = db.execute(update(AssetJob).where(AssetJob.worker == worker, AssetJob.state == "active")
                     .values(lease_until=utcnow() + timedelta(seconds=lease))
                     .execution_options(synchronize_session=False))
    return int(getattr(res, "rowcount", 0) or 0)


def release_worker(db: Db, worker: str) -> list[tuple[str, str]]:
    """A worker shutting down gives back all it holds (waiting again, no attempt counted): (asset_id, stage)."""
    res = db.execute(update(AssetJob).where(AssetJob.worker == worker, AssetJob.state == "active")
                     .values(state="waiting", started_at=None, worker=None, lease_until=None)
                     .returning(AssetJob.asset_id, AssetJob.stage).execution_options(synchronize_session=False))
    return [(a, st) for a, st in res]


def holder(db: Db, asset_id: str, stage: str) -> str | None:
    """The worker holding an active job, or None (not active, or gone)."""
    return db.scalar(select(AssetJob.worker).where(AssetJob.asset_id == asset_id, AssetJob.stage == stage,
                                                   AssetJob.state == "active"))


def expire(db: Db, asset_id: str, stage: str, worker: str | None, *, any_lease: bool = False) -> bool:
    """Take an expired job (any active one: any_lease) away from the worker that held it, unless it was renewed,
    released or taken by another reaper meanwhile (the condition is re-checked in the UPDATE: one reaper wins)."""
    q = update(AssetJob).where(
        AssetJob.asset_id == asset_id, AssetJob.stage == stage, AssetJob.state == "active",
        AssetJob.worker.is_(None) if worker is None else AssetJob.worker == worker)
    if not any_lease:
        q = q.where(or_(AssetJob.lease_until.is_(None), AssetJob.lease_until < utcnow()))
    res = db.execute(
        q.values(state="waiting", started_at=None, worker=None, lease_until=None)
        .execution_options(synchronize_session=False))
    return bool(getattr(res, "rowcount", 0))


def record_lost(db: Db, asset_id: str, stage: str, message: str, *, max_attempts: int) -> tuple[int, bool]:
    """An expired job counts as a failed attempt (a file that kills its worker every time must not loop);
    at the limit the failure is final and the job row goes. Returns (attempts, final)."""
    attempts = _count_failure(db, asset_id, stage, message)
    if attempts < max_attempts:
        return attempts, False
    db.execute(delete(AssetJob).where(AssetJob.asset_id == asset_id, AssetJob.stage == stage)
               .execution_options(synchronize_session=False))
    return attempts, True


def expired(db: Db, *, every_active: bool = False, limit: int = 500) -> list[tuple[str, str, str | None]]:
    """(asset_id, stage, worker) of active jobs whose lease ran out (jobs active from before leases existed have
    none), or of every active job (a process that knows it is the only consumer, at its start-up)."""
    q = select(AssetJob.asset_id, AssetJob.stage, AssetJob.worker).where(AssetJob.state == "active")
    if not every_active:
        q = q.where(or_(AssetJob.lease_until.is_(None), AssetJob.lease_until < utcnow()))
    return [(a, st, w) for a, st, w in db.execute(q.order_by(AssetJob.started_at).limit(limit))]


def settle(db: Db, asset_id: str, stage: str) -> None:
    """The stage is done: drop its job row and any failure."""
    db.execute(delete(AssetJob).where(AssetJob.asset_id == asset_id, AssetJob.stage == stage)
               .execution_options(synchronize_session=False))
    db.execute(delete(AssetJobFailure).where(AssetJobFailure.asset_id == asset_id, AssetJobFailure.stage == stage)
               .execution_options(synchronize_session=False))


def record_failure(db: Db, asset_id: str, stage: str, message: str, *, retry_delay: float | None,
                   max_attempts: int) -> tuple[int, float | None]:
    """Store the failure. While attempts remain and the error is retryable, the job becomes a delayed retry
    (retry_delay doubling per attempt); else its row goes and the failure is final.
    Returns (attempts, delay of the retry or None)."""
    attempts = _count_failure(db, asset_id, stage, message)
    if retry_delay is not None and attempts < max_attempts:
        delay = retry_delay * 2 ** (attempts - 1)
        db.execute(update(AssetJob).where(AssetJob.asset_id == asset_id, AssetJob.stage == stage)
                   .values(state="delayed", run_at=utcnow() + timedelta(seconds=delay), force=False,
                           started_at=None, worker=None, lease_until=None)
                   .execution_options(synchronize_session=False))
        return attempts, delay
    db.execute(delete(AssetJob).where(AssetJob.asset_id == asset_id, AssetJob.stage == stage)
               .execution_options(synchronize_session=False))
    return attempts, None


def _count_failure(db: Db, asset_id: str, stage: str, message: str) -> int:
    failure = db.get(AssetJobFailure, (asset_id, stage))
    if failure is None:
        failure = AssetJobFailure(asset_id=asset_id, stage=stage, message=message[:4000], attempts=1)
        db.add(failure)
    else:
        failure.attempts += 1
        failure.message = message[:4000]
    db.flush()
    return failure.attempts


def empty(db: Db, stages: Iterable[str]) -> int:
    """Drop the waiting and delayed jobs of these stages (running ones finish)."""
    res = db.execute(delete(AssetJob).where(AssetJob.stage.in_(list(stages)), AssetJob.state != "active")
                     .execution_options(synchronize_session=False))
    return int(getattr(res, "rowcount", 0) or 0)


def clear_failed(db: Db, stages: Iterable[str]) -> int:
    """Forget final failures of these stages (the next sweep tries those assets again)."""
    names = list(stages)
    q = delete(AssetJobFailure).where(
        AssetJobFailure.stage.in_(names),
        not_(exists().where(AssetJob.asset_id == AssetJobFailure.asset_id, AssetJob.stage == AssetJobFailure.stage)),
    )
    res = db.execute(q.execution_options(synchronize_session=False))
    return int(getattr(res, "rowcount", 0) or 0)


# --- reads ------------------------------------------------------------------------------------------------


def ready_jobs(db: Db, stages: Iterable[str], queued_before: datetime | None = None
               ) -> list[tuple[str, str, float]]:
    """(asset_id, stage, delay seconds) for every waiting or delayed job of these stages."""
    now = utcnow()
    q = (select(AssetJob.asset_id, AssetJob.stage, AssetJob.state, AssetJob.run_at)
         .where(AssetJob.stage.in_(list(stages)), AssetJob.state.in_(("waiting", "delayed")))
         .order_by(AssetJob.queued_at))
    if queued_before is not None:
        q = q.where(AssetJob.queued_at < queued_before)
    rows = db.execute(q)
    out = []
    for asset_id, stage, state, run_at in rows:
        delay = max(0.0, (run_at - now).total_seconds()) if state == "delayed" and run_at else 0.0
        out.append((asset_id, stage, delay))
    return out


def counts(db: Db, stages: Sequence[str]) -> dict[str, int]:
    """active / waiting / delayed / failed / completed summed over the stages of one queue."""
    out = {"active": 0, "waiting": 0, "delayed": 0, "failed": 0, "completed": 0}
    if not stages:
        return out
    for state, n in db.execute(select(AssetJob.state, func.count()).where(AssetJob.stage.in_(list(stages)))
                               .group_by(AssetJob.state)).all():
        out[state] = out.get(state, 0) + int(n)
    out["failed"] = int(db.scalar(
        select(func.count()).select_from(AssetJobFailure).where(
            AssetJobFailure.stage.in_(list(stages)),
            not_(exists().where(AssetJob.asset_id == AssetJobFailure.asset_id,
                                AssetJob.stage == AssetJobFailure.stage)))) or 0)
    for name in stages:
        stage = STAGES.get(name)
        if stage is not None:
            out["completed"] += int(db.scalar(select(func.count()).select_from(Asset).where(
                Asset.type.in_(sorted(stage.types)), is_done(name))) or 0)
    return out


def list_jobs(db: Db, stages: Sequence[str], states: Iterable[str], limit: int = 1000) -> list[AssetJob]:
    return list(db.scalars(select(AssetJob).where(AssetJob.stage.in_(list(stages)), AssetJob.state.in_(list(states)))
                           .order_by(AssetJob.queued_at).limit(limit)))


def list_failures(db: Db, stages: Sequence[str], limit: int = 1000) -> list[AssetJobFailure]:
    return list(db.scalars(select(AssetJobFailure).where(
        AssetJobFailure.stage.in_(list(stages)),
        not_(exists().where(AssetJob.asset_id == AssetJobFailure.asset_id, AssetJob.stage == AssetJobFailure.stage)))
        .order_by(AssetJobFailure.updated_at).limit(limit)))


# --- pause flags (system_metadata, so every process sees them) --------------------------------------------


def paused_queues(db: Db) -> set[str]:
    row = db.get(SystemMetadata, PAUSED_KEY)
    return set(row.value.get("queues", [])) if row else set()


def set_paused(db: Db, queue: str, paused: bool) -> None:
    row = db.get(SystemMetadata, PAUSED_KEY, with_for_update=True)
    current = set(row.value.get("queues", [])) if row else set()
    current = current | {queue} if paused else current - {queue}
    if row is None:
        db.add(SystemMetadata(key=PAUSED_KEY, value={"queues": sorted(current)}))
    else:
        row.value = {"queues": sorted(current)}
    db.flush()

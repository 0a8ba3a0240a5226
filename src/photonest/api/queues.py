"""/api/queues (and the legacy /api/jobs): per-queue counts, pause / resume, empty, start."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from photonest.api.deps import Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.jobs.runtime import Jobs, UnknownQueue
from photonest.library import errors
from photonest.library.auth import AuthContext

router = Router(prefix="/queues", tags=["Queues"])
legacy = Router(prefix="/jobs", tags=["Jobs"])
QUEUES = [q.value for q in dto.QueueName]


def _jobs(request: Request) -> Jobs:
    return request.app.state.jobs  # type: ignore[no-any-return]


JobsDep = Annotated[Jobs, Depends(_jobs)]
# Permissions and admin-only as the contract's x-immich-permission / x-immich-admin-only say.
QueueRead = Annotated[AuthContext, Depends(auth("queue.read", admin=True))]
QueueUpdate = Annotated[AuthContext, Depends(auth("queue.update", admin=True))]
QueueJobRead = Annotated[AuthContext, Depends(auth("queueJob.read", admin=True))]
QueueJobDelete = Annotated[AuthContext, Depends(auth("queueJob.delete", admin=True))]
JobRead = Annotated[AuthContext, Depends(auth("job.read", admin=True))]
JobCreate = Annotated[AuthContext, Depends(auth("job.create", admin=True))]


def _queue(jobs: Jobs, name: str) -> dict[str, Any]:
    st = jobs.queue_status(name)
    return {"name": name, "isPaused": st["isPaused"], "statistics": st["statistics"]}


def _legacy(jobs: Jobs, name: str) -> dict[str, Any]:
    st = jobs.queue_status(name)
    return {"jobCounts": st["statistics"],
            "queueStatus": {"isActive": st["isActive"], "isPaused": st["isPaused"]}}


@router.get("", response_model=list[dto.QueueResponseDto], operation_id="getQueues")
def get_queues(ctx: QueueRead, jobs: JobsDep) -> list[dict[str, Any]]:
    return [_queue(jobs, q) for q in QUEUES]


@router.get("/{name}", response_model=dto.QueueResponseDto, operation_id="getQueue")
def get_queue(name: dto.QueueName, ctx: QueueRead, jobs: JobsDep) -> dict[str, Any]:
    return _queue(jobs, name.value)


@router.put("/{name}", response_model=dto.QueueResponseDto, operation_id="updateQueue")
def update_queue(name: dto.QueueName, body: dto.QueueUpdateDto, ctx: QueueUpdate, db: Db,
                 jobs: JobsDep) -> dict[str, Any]:
    db.commit()  # the queue layer writes in its own transactions (SQLite has one writer)
    if body.isPaused is True:
        jobs.pause(name.value)
    elif body.isPaused is False:
        jobs.resume(name.value)
    return _queue(jobs, name.value)


@router.get("/{name}/jobs", response_model=list[dto.QueueJobResponseDto], operation_id="getQueueJobs")
def get_queue_jobs(name: dto.QueueName, ctx: QueueJobRead, jobs: JobsDep,
                   status: Annotated[list[dto.QueueJobStatus] | None, Query(description="Filter jobs by status")]
                   = None) -> list[dict[str, Any]]:
    wanted = [s.value for s in status] if status else [s.value for s in dto.QueueJobStatus]
    return jobs.queued_jobs(name.value, wanted)


@router.delete("/{name}/jobs", status_code=204, operation_id="emptyQueue")
def empty_queue(name: dto.QueueName, ctx: QueueJobDelete, jobs: JobsDep,
                db: Db, body: dto.QueueDeleteDto | None = None) -> Response:
    db.commit()
    jobs.empty(name.value, failed=bool(body and body.failed))
    return Response(status_code=204)


@legacy.get("", response_model=dto.QueuesResponseLegacyDto, operation_id="getQueuesLegacy", deprecated=True,
            tags=["Deprecated"])
def get_jobs_legacy(ctx: JobRead, jobs: JobsDep) -> dict[str, Any]:
    return {q: _legacy(jobs, q) for q in QUEUES}


@legacy.post("", status_code=204, operation_id="createJob")
def create_job(body: dto.JobCreateDto, ctx: JobCreate, db: Db, jobs: JobsDep) -> Response:
    """Queue an admin's one-off job: clean-ups and memories (library/manual_jobs.py), backups and integrity
    scans (jobs/ops.py); a worker runs it."""
    from photonest.jobs import ops
    from photonest.library.manual_jobs import JOBS

    db.commit()
    name = body.name.value
    if name in JOBS:
        jobs.enqueue("manual", name)
    elif name in ops.MANUAL:
        ops.queue(jobs, *ops.MANUAL[name])
    else:
        raise errors.BadRequest(f"Job {name} is not supported by photonest yet")
    return Response(status_code=204)


@legacy.put("/{name}", response_model=dto.QueueResponseLegacyDto, operation_id="runQueueCommandLegacy",
            deprecated=True, tags=["Deprecated"])
def run_queue_command_legacy(name: dto.QueueName, body: dto.QueueCommandDto, ctx: JobCreate, db: Db,
                             jobs: JobsDep) -> dict[str, Any]:
    db.commit()
    q = name.value
    match body.command:
        case dto.QueueCommand.start:
            try:
                jobs.start(q, force=bool(body.force))
            except UnknownQueue as e:
                raise errors.BadRequest(str(e)) from e
        case dto.QueueCommand.pause:
            jobs.pause(q)
        case dto.QueueCommand.resume:
            jobs.resume(q)
        case dto.QueueCommand.empty:
            jobs.empty(q)
        case dto.QueueCommand.clear_failed:
            jobs.clear_failed(q)
    return _legacy(jobs, q)

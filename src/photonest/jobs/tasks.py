"""The huey tasks. Each is a small named function; the database remains the record of what is done."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from huey import Huey, crontab
from sqlalchemy import delete

from photonest.db.engine import Database
from photonest.db.tables import Session
from photonest.db.types import utcnow

if TYPE_CHECKING:
    from photonest.jobs.runtime import Jobs

log = logging.getLogger(__name__)
BUSY_RETRY_SECONDS = 0.5  # a queue at its concurrency limit: try the message again shortly


def purge_expired_sessions(db: Database | None = None) -> int:
    if db is None:
        from photonest.jobs.runtime import context

        db = context().db
    with db.session() as s:
        result = s.execute(delete(Session).where(Session.expires_at < utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)


def register_stage(huey: Huey, jobs: Jobs) -> Any:
    """The one task of an Immich queue's huey queue: run a stage for an asset."""

    @huey.task(name="stage")  # type: ignore[untyped-decorator]
    def stage(asset_id: str, name: str) -> str:
        outcome = jobs.run_stage(asset_id, name)
        if outcome == "busy":
            jobs.send(asset_id, name, BUSY_RETRY_SECONDS)
        return outcome

    return stage


def register(huey: Huey, jobs: Jobs) -> dict[str, Any]:
    """The control queue's tasks. (Its "stage" task runs messages queued there by earlier versions.)"""
    stage = register_stage(huey, jobs)

    @huey.task(name="asset")  # type: ignore[untyped-decorator]
    def asset(asset_id: str, stages: list[str] | None) -> int:
        return jobs.queue_asset(asset_id, stages)

    @huey.task(name="manual")  # type: ignore[untyped-decorator]
    def manual(name: str) -> int:
        """An admin's one-off job (POST /api/jobs; library/manual_jobs.py)."""
        from photonest.jobs.leases import tracked
        from photonest.library.manual_jobs import JOBS

        with tracked(jobs, "manual", name), jobs.db.session() as s:  # one transaction: safe to run again
            n = JOBS[name](s, jobs.settings)
        log.info("manual job %s: %d item(s)", name, n)
        return n

    @huey.periodic_task(crontab(minute="0", hour="0"), name="nightly")  # type: ignore[untyped-decorator]
    def nightly() -> None:
        jobs.nightly()

    @huey.periodic_task(crontab(minute="17"), name="release-check")  # type: ignore[untyped-decorator]
    def release_check() -> None:
        if jobs.settings.version_check:
            from photonest.jobs import release

            release.check(jobs.settings, jobs.db, jobs.events)

    return {"stage": stage, "asset": asset, "manual": manual, "nightly": nightly, "release-check": release_check}

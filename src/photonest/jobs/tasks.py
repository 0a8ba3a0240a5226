"""The tasks. Each is a small named function; the database remains the record of what is done."""

from __future__ import annotations

import logging
from typing import Any

from huey import Huey, crontab
from sqlalchemy import delete

from photonest.db.tables import Session
from photonest.db.types import utcnow
from photonest.jobs.runtime import context

log = logging.getLogger(__name__)


def purge_expired_sessions() -> int:
    with context().db.session() as db:
        result = db.execute(delete(Session).where(Session.expires_at < utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)


def register(huey: Huey) -> dict[str, Any]:
    @huey.periodic_task(crontab(minute="0", hour="0"), name="nightly")
    def nightly() -> None:
        n = purge_expired_sessions()
        log.info("nightly: purged %d expired sessions", n)

    return {"nightly": nightly}

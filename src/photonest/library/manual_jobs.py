"""The admin's one-off jobs (POST /api/jobs, Immich's ManualJobName): clean-ups and memory generation.

Each runs in a worker (a message on the control queue, jobs/tasks.py "manual"); the operations jobs (database
backup, integrity scans) belong to jobs/ops.py and are handed to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import AssetFace, Memory, Person, Tag, TagAsset
from photonest.db.types import utcnow

log = logging.getLogger(__name__)


def person_cleanup(db: Db, settings: Settings) -> int:
    """Delete the people no face belongs to any more (and their cached face crops)."""
    from photonest.library.people import thumbnail_key

    empty = list(db.scalars(select(Person).where(~exists().where(AssetFace.person_id == Person.id))))
    keys = [k for k in (thumbnail_key(p) for p in empty) if k]
    for p in empty:
        db.delete(p)
    db.flush()
    for k in keys:
        (settings.data / k).unlink(missing_ok=True)
    return len(empty)


def tag_cleanup(db: Db, settings: Settings) -> int:
    """Delete tags that tag nothing and have no child tags (repeatedly, so emptied parents go too)."""
    child = Tag.__table__.alias("child")
    n = 0
    while True:
        ids = list(db.scalars(select(Tag.id).where(~exists().where(TagAsset.tag_id == Tag.id),
                                                   ~exists().where(child.c.parent_id == Tag.id))))
        if not ids:
            return n
        db.execute(delete(Tag).where(Tag.id.in_(ids)))
        n += len(ids)


def user_cleanup(db: Db, settings: Settings) -> int:
    """Remove the accounts deleted longer ago than the delete delay (their assets and files too)."""
    from photonest.library import users
    from photonest.storage.backends import open_storage

    return len(users.purge_removed(db, open_storage(settings), settings.user_delete_delay_days))


def memory_cleanup(db: Db, settings: Settings) -> int:
    """Delete the memories nobody saved once their showing time is over (hide_at passed)."""
    gone = list(db.scalars(select(Memory.id).where(Memory.is_saved.is_(False), Memory.hide_at < utcnow())))
    if gone:
        db.execute(delete(Memory).where(Memory.id.in_(gone)))
    return len(gone)


def memory_create(db: Db, settings: Settings) -> int:
    """Today's "on this day" memories for every user (what the nightly job does)."""
    from photonest.library import memories

    return memories.generate_for_everyone(db, datetime.now(UTC).date())


JOBS: dict[str, Callable[[Db, Settings], int]] = {
    "person-cleanup": person_cleanup,
    "tag-cleanup": tag_cleanup,
    "user-cleanup": user_cleanup,
    "memory-cleanup": memory_cleanup,
    "memory-create": memory_create,
}

"""Assets owned by a user: queries scoped by owner."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset


def statistics(
    db: Db, owner_id: str, *, is_favorite: bool | None = None, is_trashed: bool | None = None,
    visibility: str | None = None,
) -> dict[str, int]:
    q = select(Asset.type, func.count()).where(Asset.owner_id == owner_id).group_by(Asset.type)
    if is_favorite is not None:
        q = q.where(Asset.is_favorite.is_(is_favorite))
    if is_trashed is not None:
        q = q.where(Asset.deleted_at.is_not(None) if is_trashed else Asset.deleted_at.is_(None))
    if visibility is not None:
        q = q.where(Asset.visibility == visibility)
    else:
        q = q.where(Asset.visibility.in_(("timeline", "archive")))
    counts = dict(db.execute(q).tuples().all())
    images, videos = counts.get("IMAGE", 0), counts.get("VIDEO", 0)
    return {"images": images, "videos": videos, "total": images + videos}

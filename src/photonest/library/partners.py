"""Partner sharing: I let a partner see my whole library (read-only); they choose whether it joins their timeline."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Partner, User
from photonest.library import errors
from photonest.library.auth import AuthContext


def _active_user(db: Db, user_id: str) -> User:
    user = db.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise errors.BadRequest("User not found")
    return user


def create(db: Db, ctx: AuthContext, shared_with_id: str) -> tuple[User, Partner]:
    if shared_with_id == ctx.user.id:
        raise errors.BadRequest("You cannot share with yourself")
    other = _active_user(db, shared_with_id)
    if db.get(Partner, (ctx.user.id, shared_with_id)) is not None:
        raise errors.BadRequest("Partner already exists")
    p = Partner(shared_by_id=ctx.user.id, shared_with_id=shared_with_id, in_timeline=False)
    db.add(p)
    db.flush()
    return other, p


def list_partners(db: Db, ctx: AuthContext, direction: str) -> list[tuple[User, Partner]]:
    """shared-by: the users I share with; shared-with: the users who share with me."""
    if direction == "shared-by":
        q = select(User, Partner).join(Partner, Partner.shared_with_id == User.id).where(
            Partner.shared_by_id == ctx.user.id)
    else:
        q = select(User, Partner).join(Partner, Partner.shared_by_id == User.id).where(
            Partner.shared_with_id == ctx.user.id)
    q = q.where(User.deleted_at.is_(None)).order_by(User.name)
    return [(u, p) for u, p in db.execute(q).all()]


def update(db: Db, ctx: AuthContext, shared_by_id: str, *, in_timeline: bool) -> tuple[User, Partner]:
    """The receiving side decides whether a partner's photos show in their own timeline."""
    p = db.get(Partner, (shared_by_id, ctx.user.id))
    if p is None:
        raise errors.BadRequest("Partner not found")
    p.in_timeline = in_timeline
    db.flush()
    return _active_user(db, shared_by_id), p


def remove(db: Db, ctx: AuthContext, shared_with_id: str) -> None:
    """Stop sharing my library with a partner."""
    p = db.get(Partner, (ctx.user.id, shared_with_id))
    if p is None:
        raise errors.BadRequest("Partner not found")
    db.delete(p)
    db.flush()


def sharing_with(db: Db, user_id: str, *, in_timeline_only: bool = False) -> list[str]:
    """Ids of the users whose libraries user_id may read (for access checks and the timeline)."""
    q = select(Partner.shared_by_id).join(User, User.id == Partner.shared_by_id).where(
        Partner.shared_with_id == user_id, User.deleted_at.is_(None))
    if in_timeline_only:
        q = q.where(Partner.in_timeline.is_(True))
    return list(db.scalars(q))

"""A user's sessions (signed-in devices): list, create child sessions, lock, revoke."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Session
from photonest.library import errors
from photonest.library.auth import AuthContext, create_session


def list_for(db: Db, user_id: str) -> list[Session]:
    return list(
        db.scalars(select(Session).where(Session.user_id == user_id).order_by(Session.updated_at.desc()))
    )


def _get(db: Db, auth: AuthContext, session_id: str) -> Session:
    s = db.get(Session, session_id)
    if s is None or s.user_id != auth.user.id:
        raise errors.BadRequest("Session not found")
    return s


def create(
    db: Db, auth: AuthContext, *, device_type: str | None, device_os: str | None, duration: int | None
) -> tuple[Session, str]:
    """A session for another device (e.g. a cast target), optionally short-lived (duration in seconds)."""
    if duration is not None and duration < 1:
        raise errors.BadRequest("duration must be a positive number of seconds")
    return create_session(
        db, auth.user, device_type=device_type or "", device_os=device_os or "",
        parent_id=auth.session.id if auth.session else None,
        lifetime=timedelta(seconds=duration) if duration else None,
    )


def update(db: Db, auth: AuthContext, session_id: str, *, is_pending_sync_reset: bool | None) -> Session:
    s = _get(db, auth, session_id)
    if is_pending_sync_reset is not None:
        s.is_pending_sync_reset = is_pending_sync_reset
    db.flush()
    return s


def lock(db: Db, auth: AuthContext, session_id: str) -> None:
    _get(db, auth, session_id).pin_expires_at = None
    db.flush()


def delete(db: Db, auth: AuthContext, session_id: str) -> None:
    db.delete(_get(db, auth, session_id))
    db.flush()


def delete_all_others(db: Db, auth: AuthContext) -> None:
    q = sql_delete(Session).where(Session.user_id == auth.user.id)
    if auth.session is not None:
        q = q.where(Session.id != auth.session.id)
    db.execute(q)
    db.flush()

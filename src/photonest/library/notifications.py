"""Notifications (Immich's /notifications): messages for one user, from an admin or from the server itself.
A user reads, marks read/unread and deletes only their own; only an admin sends one to someone else.
The server notifies about what Immich notifies about: an album invitation (to the invited user), a failed
database backup and failed processing jobs (to every admin)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Notification, User
from photonest.library import errors
from photonest.library.auth import AuthContext

LEVELS = ("success", "error", "warning", "info")
TYPES = ("JobFailed", "BackupFailed", "SystemMessage", "AlbumInvite", "AlbumUpdate", "Custom")
MAX_TITLE = 500
MAX_DESCRIPTION = 10_000


@dataclass(frozen=True)
class Filters:
    id: str | None = None
    level: str | None = None
    type: str | None = None
    unread: bool | None = None


def create(db: Db, user_id: str, title: str, *, type: str = "Custom", level: str = "info",
           description: str | None = None, data: dict[str, Any] | None = None,
           read_at: datetime | None = None) -> Notification:
    if not title.strip():
        raise errors.BadRequest("title must not be empty")
    if len(title) > MAX_TITLE or len(description or "") > MAX_DESCRIPTION:
        raise errors.BadRequest(f"title is limited to {MAX_TITLE} and description to {MAX_DESCRIPTION} characters")
    if level not in LEVELS or type not in TYPES:
        raise errors.BadRequest("unknown notification level or type")
    n = Notification(user_id=user_id, title=title, type=type, level=level, description=description,
                     data=data, read_at=read_at)
    db.add(n)
    db.flush()
    return n


def send(db: Db, ctx: AuthContext, user_id: str, title: str, **kw: Any) -> Notification:
    """An admin's notification to any (existing, not deleted) user."""
    ctx.require_admin()
    user = db.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise errors.BadRequest("User not found")
    return create(db, user_id, title, **kw)


def notify_admins(db: Db, title: str, *, type: str, level: str = "error", description: str | None = None,
                  data: dict[str, Any] | None = None) -> list[Notification]:
    admins = db.scalars(select(User.id).where(User.is_admin.is_(True), User.deleted_at.is_(None))).all()
    return [create(db, a, title, type=type, level=level, description=description, data=data) for a in admins]


def search(db: Db, ctx: AuthContext, f: Filters) -> list[Notification]:
    q = select(Notification).where(Notification.user_id == ctx.user.id)
    if f.id:
        q = q.where(Notification.id == f.id)
    if f.level:
        q = q.where(Notification.level == f.level)
    if f.type:
        q = q.where(Notification.type == f.type)
    if f.unread is not None:
        q = q.where(Notification.read_at.is_(None) if f.unread else Notification.read_at.is_not(None))
    return list(db.scalars(q.order_by(Notification.created_at.desc(), Notification.id)))


def get(db: Db, ctx: AuthContext, notification_id: str, permission: str = "notification.read") -> Notification:
    n = db.get(Notification, notification_id)
    if n is None or n.user_id != ctx.user.id:
        raise errors.BadRequest(f"Not found or no {permission} access")
    return n


def _owned_ids(db: Db, ctx: AuthContext, ids: Sequence[str], permission: str) -> list[str]:
    wanted = list(dict.fromkeys(str(i) for i in ids))
    found = set(db.scalars(select(Notification.id).where(Notification.id.in_(wanted),
                                                         Notification.user_id == ctx.user.id)))
    if found != set(wanted):  # all or nothing, as Immich's access check
        raise errors.BadRequest(f"Not found or no {permission} access")
    return wanted


def mark(db: Db, ctx: AuthContext, ids: Sequence[str], read_at: datetime | None) -> None:
    """Set (or clear, with None: unread again) the read time of the caller's notifications."""
    owned = _owned_ids(db, ctx, ids, "notification.update")
    db.execute(update(Notification).where(Notification.id.in_(owned)).values(read_at=read_at)
               .execution_options(synchronize_session="fetch"))


def remove(db: Db, ctx: AuthContext, ids: Sequence[str]) -> None:
    owned = _owned_ids(db, ctx, ids, "notification.delete")
    db.execute(delete(Notification).where(Notification.id.in_(owned)).execution_options(synchronize_session=False))


# --- sent by the server ----------------------------------------------------------------------------------

def album_invite(db: Db, album_id: str, album_name: str, sender: User, user_ids: Sequence[str]) -> None:
    """Tell each newly invited member (as Immich's AlbumInvite)."""
    text = f"{sender.name or sender.email} shared an album ({album_name}) with you"[:MAX_DESCRIPTION]
    for uid in dict.fromkeys(user_ids):
        if uid != sender.id:
            create(db, uid, "Shared album invitation", type="AlbumInvite", level="info", description=text,
                   data={"albumId": album_id, "senderId": sender.id})


def operation_failed(db: Db, action: str, message: str) -> None:
    """Tell the admins that a database backup (BackupFailed) or another operations job (JobFailed) failed."""
    if action == "backup":
        notify_admins(db, "Database backup failed", type="BackupFailed", description=message[:MAX_DESCRIPTION],
                      data={"action": action})
    else:
        notify_admins(db, f"Job {action} failed", type="JobFailed", description=message[:MAX_DESCRIPTION],
                      data={"action": action})

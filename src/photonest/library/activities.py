"""Comments and likes in shared albums (the album's isActivityEnabled switch turns them off)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Activity, AlbumAsset, User
from photonest.library import albums as albums_lib
from photonest.library import errors
from photonest.library.auth import AuthContext


def _check_asset(db: Db, album_id: str, asset_id: str | None) -> None:
    if asset_id and db.get(AlbumAsset, (album_id, asset_id)) is None:
        raise errors.BadRequest("Asset is not in the album")


def search(db: Db, ctx: AuthContext, *, album_id: str, asset_id: str | None = None, level: str | None = None,
           type: str | None = None, user_id: str | None = None) -> list[tuple[Activity, User]]:
    albums_lib.get_readable(db, ctx, album_id, "activity.read")
    q = select(Activity, User).join(User, User.id == Activity.user_id).where(Activity.album_id == album_id)
    if asset_id:
        q = q.where(Activity.asset_id == asset_id)
    if level == "album":
        q = q.where(Activity.asset_id.is_(None))
    elif level == "asset":
        q = q.where(Activity.asset_id.is_not(None))
    if type == "like":
        q = q.where(Activity.is_liked.is_(True))
    elif type == "comment":
        q = q.where(Activity.is_liked.is_(False))
    if user_id:
        q = q.where(Activity.user_id == user_id)
    return [(a, u) for a, u in db.execute(q.order_by(Activity.created_at))]


def create(db: Db, ctx: AuthContext, *, album_id: str, asset_id: str | None, type: str,
           comment: str | None) -> tuple[Activity, bool]:
    """Returns (activity, created). A second like by the same user on the same thing returns the first."""
    album = albums_lib.get_readable(db, ctx, album_id, "activity.create")
    if not album.is_activity_enabled:
        raise errors.BadRequest("Activity is disabled for this album")
    _check_asset(db, album_id, asset_id)
    if type == "like":
        existing = db.scalar(select(Activity).where(
            Activity.album_id == album_id, Activity.user_id == ctx.user.id, Activity.is_liked.is_(True),
            Activity.asset_id.is_(None) if asset_id is None else Activity.asset_id == asset_id))
        if existing is not None:
            return existing, False
        act = Activity(album_id=album_id, asset_id=asset_id, user_id=ctx.user.id, is_liked=True)
    else:
        if not comment or not comment.strip():
            raise errors.BadRequest("A comment needs text")
        act = Activity(album_id=album_id, asset_id=asset_id, user_id=ctx.user.id, comment=comment[:10_000])
    db.add(act)
    db.flush()
    return act, True


def delete(db: Db, ctx: AuthContext, activity_id: str) -> None:
    """Authors delete their own; the album owner may delete any in their album."""
    act = db.get(Activity, activity_id)
    if act is None:
        raise errors.BadRequest("Not found or no activity.delete access")
    album = albums_lib.get_readable(db, ctx, act.album_id, "activity.delete")
    if act.user_id != ctx.user.id and album.owner_id != ctx.user.id:
        raise errors.BadRequest("Not found or no activity.delete access")
    db.delete(act)
    db.flush()


def statistics(db: Db, ctx: AuthContext, *, album_id: str, asset_id: str | None = None) -> dict[str, int]:
    albums_lib.get_readable(db, ctx, album_id, "activity.statistics")
    q = select(Activity.is_liked, func.count()).where(Activity.album_id == album_id).group_by(Activity.is_liked)
    if asset_id:
        q = q.where(Activity.asset_id == asset_id)
    counts = {bool(k): int(v) for k, v in db.execute(q)}
    return {"comments": counts.get(False, 0), "likes": counts.get(True, 0)}

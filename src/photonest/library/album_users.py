"""Sharing an album with other users, as editors (add and remove their own photos) or viewers (look only)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Album, AlbumUser, User
from photonest.db.types import utcnow
from photonest.library import albums as albums_lib
from photonest.library import errors
from photonest.library.auth import AuthContext

ROLES = ("editor", "viewer")


def add_users(db: Db, ctx: AuthContext, album_id: str, users: Sequence[tuple[str, str]]) -> Album:
    album = albums_lib.get_owned(db, ctx, album_id, "albumUser.create")
    present = set(db.scalars(select(AlbumUser.user_id).where(AlbumUser.album_id == album.id)))
    for user_id, role in users:
        if role not in ROLES:
            raise errors.BadRequest("role must be editor or viewer")
        if user_id == album.owner_id:
            raise errors.BadRequest("The owner is already in the album")
        if user_id in present:
            raise errors.BadRequest("User already added")
        u = db.get(User, user_id)
        if u is None or u.deleted_at is not None:
            raise errors.BadRequest("User not found")
        db.add(AlbumUser(album_id=album.id, user_id=user_id, role=role))
        present.add(user_id)
    album.updated_at = utcnow()
    db.flush()
    from photonest.library import notifications

    notifications.album_invite(db, album.id, album.album_name, ctx.user, [u for u, _r in users])
    return album


def _member(db: Db, album: Album, user_id: str) -> AlbumUser:
    m = db.get(AlbumUser, (album.id, user_id))
    if m is None:
        raise errors.BadRequest("User is not in the album")
    return m


def update_user(db: Db, ctx: AuthContext, album_id: str, user_id: str, role: str) -> None:
    album = albums_lib.get_owned(db, ctx, album_id, "albumUser.update")
    if role not in ROLES:
        raise errors.BadRequest("role must be editor or viewer")
    _member(db, album, user_id).role = role
    db.flush()


def remove_user(db: Db, ctx: AuthContext, album_id: str, user_id: str) -> None:
    """The owner removes anyone; a member may remove themselves ("me": leaving the album)."""
    if user_id == "me":
        user_id = ctx.user.id
    album = albums_lib.get_readable(db, ctx, album_id, "albumUser.delete")
    if user_id == album.owner_id:
        raise errors.BadRequest("The owner cannot be removed from the album")
    if album.owner_id != ctx.user.id and user_id != ctx.user.id:
        raise errors.BadRequest("Not found or no albumUser.delete access")
    db.delete(_member(db, album, user_id))
    db.flush()

"""Who may read which asset: the one place that answers it, for every feature that shows or serves assets.

A signed-in user reads their own assets (the locked folder only from a session unlocked with the PIN), the
timeline and archive of partners who share with them, and the assets of albums they own or were invited to.
A share-link holder reads exactly the link's assets, and downloads them only if the link allows it.
Trashed, hidden (live-photo parts) and locked assets are only ever their owner's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Album, AlbumAsset, AlbumUser, Asset, Partner, SharedLink, User
from photonest.library.auth import AuthContext

SHARED_VISIBILITY = ("timeline", "archive")


def _shared_ok() -> ColumnElement[bool]:
    """What others may ever see of someone's asset: live (not trashed) and in the timeline or archive."""
    return and_(Asset.deleted_at.is_(None), Asset.visibility.in_(SHARED_VISIBILITY))


def _own(ctx: AuthContext) -> ColumnElement[bool]:
    cond = Asset.owner_id == ctx.user.id
    if not ctx.is_elevated:
        cond = and_(cond, Asset.visibility != "locked")
    return cond


def _partner_owner_ids(ctx: AuthContext) -> Select[Any]:
    return (select(Partner.shared_by_id).join(User, User.id == Partner.shared_by_id)
            .where(Partner.shared_with_id == ctx.user.id, User.deleted_at.is_(None)))


def _album_asset_ids(ctx: AuthContext) -> Select[Any]:
    albums = select(Album.id).where(or_(Album.owner_id == ctx.user.id, Album.id.in_(
        select(AlbumUser.album_id).where(AlbumUser.user_id == ctx.user.id))))
    return select(AlbumAsset.asset_id).where(AlbumAsset.album_id.in_(albums))


def readable(ctx: AuthContext) -> ColumnElement[bool]:
    """A WHERE clause on Asset: the assets ctx may read."""
    link = ctx.shared_link
    if isinstance(link, SharedLink):
        from photonest.library.shared_links import asset_ids_query

        return Asset.id.in_(asset_ids_query(link))
    return or_(
        _own(ctx),
        and_(_shared_ok(), or_(Asset.owner_id.in_(_partner_owner_ids(ctx)), Asset.id.in_(_album_asset_ids(ctx)))),
    )


def downloadable(ctx: AuthContext) -> ColumnElement[bool]:
    link = ctx.shared_link
    if isinstance(link, SharedLink) and not link.allow_download:
        return Asset.id.is_(None)  # nothing
    return readable(ctx)


def can_read(db: Db, ctx: AuthContext, asset_id: str) -> bool:
    return db.scalar(select(Asset.id).where(Asset.id == asset_id, readable(ctx))) is not None


def readable_ids(db: Db, ctx: AuthContext, ids: Iterable[str], *, download: bool = False) -> set[str]:
    wanted = list(dict.fromkeys(str(i) for i in ids))
    if not wanted:
        return set()
    cond = downloadable(ctx) if download else readable(ctx)
    return set(db.scalars(select(Asset.id).where(Asset.id.in_(wanted), cond)))

"""Share links: a hand-picked set of assets (INDIVIDUAL) or an album (ALBUM), optionally with a password, an
expiry, download/upload switches and hidden metadata. A link reaches exactly its assets and nothing else."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from photonest.db.tables import AlbumAsset, Asset, SharedLink, SharedLinkAsset, User
from photonest.db.types import utcnow
from photonest.library import albums as albums_lib
from photonest.library import bulk_ids, errors
from photonest.library.auth import AuthContext, LoginThrottle
from photonest.library.secrets import constant_time_equal, hash_password, new_token, token_hash, verify_password

SLUG = re.compile(r"^[A-Za-z0-9._~-]{1,200}$")
KEY_BYTES = 32  # 256 bits of randomness
PASSWORD_PLACEHOLDER = "********"


def _shown(q: Select[Any]) -> Select[Any]:
    """Assets a link may show: never trashed, hidden (live-photo parts) or locked."""
    return q.where(Asset.deleted_at.is_(None), Asset.visibility.in_(("timeline", "archive")))


def asset_ids_query(link: SharedLink) -> Select[Any]:
    """The ids of the assets a link reaches (an album link follows the album as it changes)."""
    if link.type == "ALBUM":
        q = select(AlbumAsset.asset_id).join(Asset, Asset.id == AlbumAsset.asset_id).where(
            AlbumAsset.album_id == link.album_id)
    else:
        q = select(SharedLinkAsset.asset_id).join(Asset, Asset.id == SharedLinkAsset.asset_id).where(
            SharedLinkAsset.shared_link_id == link.id)
    return _shown(q)


def assets(db: Db, link: SharedLink) -> list[Asset]:
    ids = asset_ids_query(link).subquery()
    return list(db.scalars(select(Asset).where(Asset.id.in_(select(ids))).order_by(Asset.local_date_time.desc())))


def reaches(db: Db, link: SharedLink, asset_id: str) -> bool:
    return db.scalar(asset_ids_query(link).where(Asset.id == asset_id).limit(1)) is not None


def _check_slug(db: Db, slug: str | None, link_id: str | None = None) -> str | None:
    if slug is None or slug == "":
        return None
    if not SLUG.match(slug):
        raise errors.BadRequest("slug may use letters, digits, '.', '_', '~' and '-' only")
    q = select(SharedLink.id).where(SharedLink.slug == slug)
    if link_id:
        q = q.where(SharedLink.id != link_id)
    if db.scalar(q) is not None:
        raise errors.BadRequest("This slug is already in use")
    return slug


def _own_shareable_ids(db: Db, ctx: AuthContext, ids: Sequence[str]) -> set[str]:
    return set(db.scalars(select(Asset.id).where(Asset.id.in_(list(ids)), Asset.owner_id == ctx.user.id,
                                                 Asset.visibility != "locked", Asset.deleted_at.is_(None))))


def create(db: Db, ctx: AuthContext, data: dict[str, Any]) -> SharedLink:
    ctx.require("sharedLink.create")
    link_type = str(data["type"])
    album_id = data.get("albumId")
    if link_type == "ALBUM":
        if not album_id:
            raise errors.BadRequest("An album link needs albumId")
        albums_lib.get_owned(db, ctx, str(album_id), "album.share")
    elif link_type == "INDIVIDUAL":
        ids = [str(i) for i in data.get("assetIds") or []]
        if not ids:
            raise errors.BadRequest("An individual link needs at least one asset")
        if len(_own_shareable_ids(db, ctx, ids)) != len(set(ids)):
            raise errors.BadRequest("Not found or no asset.share access")
        album_id = None
    else:
        raise errors.BadRequest("type must be ALBUM or INDIVIDUAL")
    expires_at = data.get("expiresAt")
    if expires_at is not None and expires_at <= utcnow():
        raise errors.BadRequest("expiresAt must be in the future")
    key = new_token(KEY_BYTES)
    link = SharedLink(
        user_id=ctx.user.id, key=key, key_hash=token_hash(key), type=link_type, album_id=album_id,
        slug=_check_slug(db, data.get("slug")), description=data.get("description"),
        password_hash=hash_password(data["password"]) if data.get("password") else None, expires_at=expires_at,
        allow_download=True if data.get("allowDownload") is None else bool(data["allowDownload"]),
        allow_upload=bool(data.get("allowUpload") or False),
        show_metadata=True if data.get("showMetadata") is None else bool(data["showMetadata"]),
    )
    db.add(link)
    try:
        db.flush()
    except IntegrityError as e:
        raise errors.BadRequest("This slug is already in use") from e
    if link_type == "INDIVIDUAL":
        db.add_all(SharedLinkAsset(shared_link_id=link.id, asset_id=str(i)) for i in dict.fromkeys(
            str(x) for x in data.get("assetIds") or []))
        db.flush()
    return link


def list_mine(db: Db, ctx: AuthContext, *, album_id: str | None = None, link_id: str | None = None
              ) -> list[SharedLink]:
    q = select(SharedLink).where(SharedLink.user_id == ctx.user.id).order_by(SharedLink.created_at.desc())
    if album_id:
        q = q.where(SharedLink.album_id == album_id)
    if link_id:
        q = q.where(SharedLink.id == link_id)
    return list(db.scalars(q))


def get_mine(db: Db, ctx: AuthContext, link_id: str) -> SharedLink:
    link = db.get(SharedLink, link_id)
    if link is None or link.user_id != ctx.user.id:
        raise errors.BadRequest("Shared link not found")
    return link


def update(db: Db, ctx: AuthContext, link_id: str, changes: dict[str, Any]) -> SharedLink:
    link = get_mine(db, ctx, link_id)
    for field, attr in (("allowDownload", "allow_download"), ("allowUpload", "allow_upload"),
                        ("showMetadata", "show_metadata")):
        if changes.get(field) is not None:
            setattr(link, attr, bool(changes[field]))
    if "description" in changes:
        link.description = changes["description"]
    if "expiresAt" in changes:
        link.expires_at = changes["expiresAt"]
    if "password" in changes and changes["password"] != PASSWORD_PLACEHOLDER:
        # Empty or null removes the password; a new one signs out everyone who unlocked the old one.
        link.password_hash = hash_password(changes["password"]) if changes["password"] else None
    if "slug" in changes:
        link.slug = _check_slug(db, changes["slug"], link.id)
    db.flush()
    return link


def delete_link(db: Db, ctx: AuthContext, link_id: str) -> None:
    db.delete(get_mine(db, ctx, link_id))
    db.flush()


def _individual(db: Db, ctx: AuthContext, link_id: str) -> SharedLink:
    link = get_mine(db, ctx, link_id)
    if link.type != "INDIVIDUAL":
        raise errors.BadRequest("Only individual shared links can have assets added or removed")
    return link


def add_assets(db: Db, ctx: AuthContext, link_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    link = _individual(db, ctx, link_id)
    present = set(db.scalars(select(SharedLinkAsset.asset_id).where(SharedLinkAsset.shared_link_id == link.id)))
    out, added = bulk_ids.sort_additions(ids, present, _own_shareable_ids(db, ctx, ids), key="assetId")
    db.add_all(SharedLinkAsset(shared_link_id=link.id, asset_id=i) for i in added)
    db.flush()
    return out


def remove_assets(db: Db, ctx: AuthContext, link_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    link = _individual(db, ctx, link_id)
    present = set(db.scalars(select(SharedLinkAsset.asset_id).where(SharedLinkAsset.shared_link_id == link.id)))
    out, removed = bulk_ids.sort_removals(ids, present, key="assetId")
    if removed:
        db.execute(delete(SharedLinkAsset).where(and_(SharedLinkAsset.shared_link_id == link.id,
                                                      SharedLinkAsset.asset_id.in_(removed))))
    db.flush()
    return out


# --- the link holder's side --------------------------------------------------------------------------------

def unlock_token(link: SharedLink) -> str:
    """What the password cookie holds: derived from the salted password hash, so it is unforgeable without the
    database and stops working the moment the owner changes or removes the password."""
    return hashlib.sha256(f"{link.id}:{link.password_hash}".encode()).hexdigest()


def find(db: Db, throttle: LoginThrottle, client: str, *, key: str | None, slug: str | None) -> SharedLink:
    """The link a key or slug names; guessing is throttled per client like failed logins."""
    throttle.check("share-link", client)
    link = None
    if key:
        link = db.scalar(select(SharedLink).where(SharedLink.key_hash == token_hash(key)))
    elif slug:
        link = db.scalar(select(SharedLink).where(SharedLink.slug == slug))
    if link is None:
        throttle.failed("share-link", client)
        raise errors.Unauthorized("Invalid share key")
    if link.expires_at is not None and link.expires_at <= utcnow():
        raise errors.Unauthorized("Expired shared link")
    owner = db.get(User, link.user_id)
    if owner is None or owner.deleted_at is not None:
        raise errors.Unauthorized("Invalid share key")
    return link


def authenticate(db: Db, throttle: LoginThrottle, client: str, *, key: str | None, slug: str | None,
                 token: str | None, for_login: bool = False) -> AuthContext:
    link = find(db, throttle, client, key=key, slug=slug)
    if link.password_hash and not for_login and not (token and constant_time_equal(token, unlock_token(link))):
        raise errors.Unauthorized("Password required")
    owner = db.get(User, link.user_id)
    assert owner is not None
    return AuthContext(user=owner, shared_link=link)


def login(db: Db, throttle: LoginThrottle, client: str, link: SharedLink, password: str) -> str:
    key = f"share-password:{link.id}"
    throttle.check(key, client)
    if not link.password_hash or not verify_password(password, link.password_hash):
        throttle.failed(key, client)
        raise errors.Unauthorized("Invalid password")
    throttle.succeeded(key, client)
    return unlock_token(link)


def is_expired(link: SharedLink, now: datetime | None = None) -> bool:
    return link.expires_at is not None and link.expires_at <= (now or utcnow())

"""Tags: hierarchical ("Travel/Japan/Kyoto"), per user, with colours; tagging is limited to one's own assets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, Tag, TagAsset
from photonest.db.types import utcnow
from photonest.library import bulk_ids, errors
from photonest.library.auth import AuthContext


def _clean(value: str) -> str:
    parts = [p.strip() for p in value.replace("\\", "/").split("/")]
    if not value.strip() or any(not p for p in parts):
        raise errors.BadRequest("A tag needs a name, and no empty level between slashes")
    return "/".join(parts)


def _get(db: Db, ctx: AuthContext, tag_id: str) -> Tag:
    tag = db.get(Tag, tag_id)
    if tag is None or tag.user_id != ctx.user.id:
        raise errors.BadRequest("Not found or no tag access")
    return tag


def upsert_path(db: Db, ctx: AuthContext, value: str, color: str | None = None) -> Tag:
    """The tag at value, creating it and any missing parents."""
    value = _clean(value)
    parent: Tag | None = None
    path = ""
    for part in value.split("/"):
        path = f"{path}/{part}" if path else part
        tag = db.scalar(select(Tag).where(Tag.user_id == ctx.user.id, Tag.value == path))
        if tag is None:
            tag = Tag(user_id=ctx.user.id, value=path, parent_id=parent.id if parent else None)
            db.add(tag)
            db.flush()
        parent = tag
    assert parent is not None
    if color is not None:
        parent.color = color
    return parent


def create(db: Db, ctx: AuthContext, *, name: str, parent_id: str | None, color: str | None) -> Tag:
    prefix = _get(db, ctx, parent_id).value + "/" if parent_id else ""
    value = prefix + _clean(name)
    if db.scalar(select(Tag.id).where(Tag.user_id == ctx.user.id, Tag.value == value)):
        raise errors.BadRequest(f"A tag called {value} already exists")
    return upsert_path(db, ctx, value, color)


def list_all(db: Db, ctx: AuthContext) -> list[Tag]:
    return list(db.scalars(select(Tag).where(Tag.user_id == ctx.user.id).order_by(Tag.value)))


def get(db: Db, ctx: AuthContext, tag_id: str) -> Tag:
    return _get(db, ctx, tag_id)


def update(db: Db, ctx: AuthContext, tag_id: str, *, color: str | None = None, name: str | None = None) -> Tag:
    tag = _get(db, ctx, tag_id)
    if color is not None:
        tag.color = color or None
    if name is not None and name != tag.value.rsplit("/", 1)[-1]:
        # Renaming a level renames its whole subtree (beyond Immich, which only recolours).
        new_leaf = _clean(name)
        if "/" in new_leaf:
            raise errors.BadRequest("Rename a single level; move tags by creating them under another parent")
        old = tag.value
        new = (old.rsplit("/", 1)[0] + "/" if "/" in old else "") + new_leaf
        if db.scalar(select(Tag.id).where(Tag.user_id == ctx.user.id, Tag.value == new)):
            raise errors.BadRequest(f"A tag called {new} already exists")
        for t in db.scalars(select(Tag).where(Tag.user_id == ctx.user.id,
                                              (Tag.value == old) | Tag.value.startswith(old + "/", autoescape=True))):
            t.value = new + t.value[len(old):]
    tag.updated_at = utcnow()
    db.flush()
    return tag


def delete_tag(db: Db, ctx: AuthContext, tag_id: str) -> list[str]:
    """Delete a tag and the tags below it; returns the assets that lost a tag."""
    untagged = tagged_asset_ids(db, ctx, tag_id)
    db.delete(_get(db, ctx, tag_id))  # children and tag_asset rows go by ON DELETE CASCADE
    db.flush()
    return untagged


def _own_assets(db: Db, ctx: AuthContext, ids: Sequence[str]) -> set[str]:
    return set(db.scalars(select(Asset.id).where(Asset.id.in_(list(ids)), Asset.owner_id == ctx.user.id)))


def tag_assets(db: Db, ctx: AuthContext, tag_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    tag = _get(db, ctx, tag_id)
    present = set(db.scalars(select(TagAsset.asset_id).where(TagAsset.tag_id == tag.id)))
    out, added = bulk_ids.sort_additions(ids, present, _own_assets(db, ctx, ids))
    db.add_all(TagAsset(tag_id=tag.id, asset_id=i) for i in added)
    db.flush()
    return out


def untag_assets(db: Db, ctx: AuthContext, tag_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    tag = _get(db, ctx, tag_id)
    present = set(db.scalars(select(TagAsset.asset_id).where(TagAsset.tag_id == tag.id)))
    out, removed = bulk_ids.sort_removals(ids, present)
    if removed:
        db.execute(delete(TagAsset).where(TagAsset.tag_id == tag.id, TagAsset.asset_id.in_(removed)))
    db.flush()
    return out


def bulk_tag(db: Db, ctx: AuthContext, tag_ids: Sequence[str], asset_ids: Sequence[str]) -> int:
    tags = [_get(db, ctx, t) for t in dict.fromkeys(tag_ids)]
    allowed = _own_assets(db, ctx, asset_ids)
    if len(allowed) != len(set(asset_ids)):
        raise errors.BadRequest("Not found or no asset access")
    count = 0
    for tag in tags:
        present = set(db.scalars(select(TagAsset.asset_id).where(TagAsset.tag_id == tag.id)))
        for a in allowed - present:
            db.add(TagAsset(tag_id=tag.id, asset_id=a))
            count += 1
    db.flush()
    return count


def tags_of(db: Db, asset_ids: Sequence[str]) -> dict[str, list[Tag]]:
    """Each asset's tags (for AssetResponseDto.tags)."""
    out: dict[str, list[Tag]] = {}
    if asset_ids:
        for asset_id, tag in db.execute(select(TagAsset.asset_id, Tag).join(Tag, Tag.id == TagAsset.tag_id)
                                        .where(TagAsset.asset_id.in_(list(asset_ids))).order_by(Tag.value)):
            out.setdefault(asset_id, []).append(tag)
    return out


def descendant_ids(db: Db, ctx: AuthContext, tag_id: str) -> Any:
    """A subquery: the tag and every tag below it (a filter on "Travel" also finds "Travel/Japan")."""
    tag = _get(db, ctx, tag_id)
    return select(Tag.id).where(Tag.user_id == ctx.user.id,
                                (Tag.id == tag.id) | Tag.value.startswith(tag.value + "/", autoescape=True))


def tagged_asset_ids(db: Db, ctx: AuthContext, tag_id: str) -> list[str]:
    """The assets carrying the tag or a tag below it (a rename or delete changes the words their smart-search
    text holds)."""
    return list(db.scalars(select(TagAsset.asset_id).where(TagAsset.tag_id.in_(descendant_ids(db, ctx, tag_id)))
                           .distinct()))


def count(db: Db, ctx: AuthContext) -> int:
    return int(db.scalar(select(func.count()).select_from(Tag).where(Tag.user_id == ctx.user.id)) or 0)

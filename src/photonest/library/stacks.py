"""Stacks: a burst or a RAW+JPEG pair grouped under a primary asset; the timeline shows the primary only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, Stack, StackAsset
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext


@dataclass
class StackView:
    stack: Stack
    assets: list[Asset]


def _get(db: Db, ctx: AuthContext, stack_id: str) -> Stack:
    s = db.get(Stack, stack_id)
    if s is None or s.owner_id != ctx.user.id:
        raise errors.BadRequest("Not found or no stack access")
    return s


def view(db: Db, stack: Stack) -> StackView:
    assets = list(db.scalars(select(Asset).join(StackAsset, StackAsset.asset_id == Asset.id)
                             .where(StackAsset.stack_id == stack.id).order_by(Asset.local_date_time)))
    # The primary first, as Immich lists it.
    assets.sort(key=lambda a: a.id != stack.primary_asset_id)
    return StackView(stack, assets)


def _dissolve_if_small(db: Db, stack: Stack) -> None:
    rest = list(db.scalars(select(StackAsset.asset_id).where(StackAsset.stack_id == stack.id)))
    if len(rest) < 2:
        db.delete(stack)
    elif stack.primary_asset_id not in rest:
        stack.primary_asset_id = rest[0]


def create(db: Db, ctx: AuthContext, asset_ids: Sequence[str]) -> StackView:
    """Stack assets; the first becomes the primary. Assets already in stacks move (old stacks merge in)."""
    ids = list(dict.fromkeys(asset_ids))
    if len(ids) < 2:
        raise errors.BadRequest("A stack needs at least two assets")
    owned = set(db.scalars(select(Asset.id).where(Asset.id.in_(ids), Asset.owner_id == ctx.user.id)))
    if owned != set(ids):
        raise errors.BadRequest("Not found or no asset access")
    old_stacks = set(db.scalars(select(StackAsset.stack_id).where(StackAsset.asset_id.in_(ids))))
    members = set(ids) | set(db.scalars(select(StackAsset.asset_id).where(StackAsset.stack_id.in_(old_stacks))))
    if old_stacks:
        db.execute(delete(StackAsset).where(StackAsset.stack_id.in_(old_stacks)))
        db.execute(delete(Stack).where(Stack.id.in_(old_stacks)))
    stack = Stack(owner_id=ctx.user.id, primary_asset_id=ids[0])
    db.add(stack)
    db.flush()
    db.add_all(StackAsset(stack_id=stack.id, asset_id=a) for a in members)
    db.flush()
    return view(db, stack)


def search(db: Db, ctx: AuthContext, primary_asset_id: str | None = None) -> list[StackView]:
    q = select(Stack).where(Stack.owner_id == ctx.user.id).order_by(Stack.created_at)
    if primary_asset_id:
        q = q.where(Stack.primary_asset_id == primary_asset_id)
    return [view(db, s) for s in db.scalars(q)]


def get(db: Db, ctx: AuthContext, stack_id: str) -> StackView:
    return view(db, _get(db, ctx, stack_id))


def update(db: Db, ctx: AuthContext, stack_id: str, primary_asset_id: str | None) -> StackView:
    stack = _get(db, ctx, stack_id)
    if primary_asset_id is not None:
        member = db.get(StackAsset, primary_asset_id)
        if member is None or member.stack_id != stack.id:
            raise errors.BadRequest("The primary asset must be in the stack")
        stack.primary_asset_id = primary_asset_id
        stack.updated_at = utcnow()
    db.flush()
    return view(db, stack)


def delete_stacks(db: Db, ctx: AuthContext, stack_ids: Sequence[str]) -> None:
    for sid in dict.fromkeys(stack_ids):
        db.delete(_get(db, ctx, sid))  # membership rows go by ON DELETE CASCADE; the assets stay
    db.flush()


def remove_asset(db: Db, ctx: AuthContext, stack_id: str, asset_id: str) -> None:
    stack = _get(db, ctx, stack_id)
    member = db.get(StackAsset, asset_id)
    if member is None or member.stack_id != stack.id:
        raise errors.BadRequest("Asset is not in this stack")
    db.delete(member)
    db.flush()
    _dissolve_if_small(db, stack)
    db.flush()


def stack_of(db: Db, asset_ids: Sequence[str]) -> dict[str, tuple[str, str, int]]:
    """asset id -> (stack id, primary asset id, asset count), for AssetResponseDto.stack and the timeline."""
    if not asset_ids:
        return {}
    rows = db.execute(select(StackAsset.asset_id, Stack.id, Stack.primary_asset_id)
                      .join(Stack, Stack.id == StackAsset.stack_id).where(StackAsset.asset_id.in_(list(asset_ids))))
    found = {a: (s, p) for a, s, p in rows}
    counts: dict[str, int] = {}
    for sid in {s for s, _ in found.values()}:
        counts[sid] = len(list(db.scalars(select(StackAsset.asset_id).where(StackAsset.stack_id == sid))))
    return {a: (s, p, counts[s]) for a, (s, p) in found.items()}

"""Asset metadata: free key/value objects a client keeps on an asset (Immich's asset metadata; the mobile app
stores its iCloud ids under "mobile-app"). Reading follows asset.read (owner, partners, albums); changing
needs the asset to be the caller's own, as Immich's asset.update. The rows reach phones through the sync
stream (AssetMetadataV1 / AssetMetadataDeleteV1, library.sync), whose triggers stamp every write.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session as Db

from photonest.db.tables import AssetMetadata
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.assets import get_many_owned, get_readable
from photonest.library.auth import AuthContext

MAX_KEY_LENGTH = 200  # the column's width
MAX_VALUE_BYTES = 64 * 1024  # a value is a small object (ids, flags); this keeps a client from storing files


@dataclass(frozen=True)
class Item:
    asset_id: str
    key: str
    value: dict[str, Any] | None = None


def _check_key(key: str) -> None:
    if not key.strip():
        raise errors.BadRequest("key must not be empty")
    if len(key) > MAX_KEY_LENGTH:
        raise errors.BadRequest(f"key must be at most {MAX_KEY_LENGTH} characters")


def check_items(items: Sequence[Item], *, values: bool) -> None:
    seen: set[tuple[str, str]] = set()
    for it in items:
        _check_key(it.key)
        if (it.asset_id, it.key) in seen:
            raise errors.BadRequest(f'Duplicate items are not allowed: "({it.asset_id}, {it.key})"')
        seen.add((it.asset_id, it.key))
        if values and len(json.dumps(it.value, separators=(",", ":")).encode()) > MAX_VALUE_BYTES:
            raise errors.BadRequest(f"value of {it.key!r} is larger than {MAX_VALUE_BYTES} bytes")


CHUNK = 500  # (asset, key) pairs per statement: well under SQLite's bound-parameter limit


def _chunks(items: Sequence[Item]) -> list[list[tuple[str, str]]]:
    pairs = [(it.asset_id, it.key) for it in items]
    return [pairs[i:i + CHUNK] for i in range(0, len(pairs), CHUNK)]


def _in(pairs: list[tuple[str, str]]) -> Any:
    return tuple_(AssetMetadata.asset_id, AssetMetadata.key).in_(pairs)


def list_for(db: Db, ctx: AuthContext, asset_id: str) -> list[AssetMetadata]:
    a = get_readable(db, ctx, asset_id, "asset.read")
    return list(db.scalars(select(AssetMetadata).where(AssetMetadata.asset_id == a.id).order_by(AssetMetadata.key)))


def get(db: Db, ctx: AuthContext, asset_id: str, key: str) -> AssetMetadata:
    a = get_readable(db, ctx, asset_id, "asset.read")
    row = db.get(AssetMetadata, (a.id, key))
    if row is None:  # Immich's answer (400, not 404)
        raise errors.BadRequest(f'Metadata with key "{key}" not found for asset with id "{asset_id}"')
    return row


def upsert(db: Db, ctx: AuthContext, items: Sequence[Item], asset_id: str | None = None) -> list[AssetMetadata]:
    """Insert or replace each (asset, key); all assets must be the caller's, else nothing changes.
    asset_id: the one asset of a single-asset request (checked even when items is empty)."""
    check_items(items, values=True)
    get_many_owned(db, ctx, [asset_id] if asset_id else [it.asset_id for it in items], "asset.update")
    if not items:
        return []
    existing = {(r.asset_id, r.key): r for chunk in _chunks(items)
                for r in db.scalars(select(AssetMetadata).where(_in(chunk)))}
    now = utcnow()
    out: list[AssetMetadata] = []
    for it in items:
        row = existing.get((it.asset_id, it.key))
        if row is None:
            row = AssetMetadata(asset_id=it.asset_id, key=it.key)
            db.add(row)
        row.value, row.updated_at = dict(it.value or {}), now
        out.append(row)
    db.flush()
    return out


def delete_items(db: Db, ctx: AuthContext, items: Sequence[Item]) -> None:
    """Remove each (asset, key) if present; all assets must be the caller's, else nothing changes."""
    check_items(items, values=False)
    if not items:
        return
    get_many_owned(db, ctx, [it.asset_id for it in items], "asset.update")
    for chunk in _chunks(items):
        db.execute(delete(AssetMetadata).where(_in(chunk)).execution_options(synchronize_session=False))

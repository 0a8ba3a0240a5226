"""API keys: named secrets with a set of permissions, stored hashed, owned by one user."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import ApiKey
from photonest.library import errors
from photonest.library.auth import ALL, AuthContext
from photonest.library.secrets import new_token, token_hash


def _check_grant(auth: AuthContext, permissions: list[str]) -> None:
    # A key may not hand out more than the key that creates it holds.
    if auth.api_key is not None:
        for p in permissions:
            if not auth.has(p) or (p == ALL and ALL not in (auth.api_key.permissions or [])):
                raise errors.BadRequest(f"Cannot grant permissions you do not have: {p}")


def create(db: Db, auth: AuthContext, *, name: str | None, permissions: list[str]) -> tuple[ApiKey, str]:
    if not permissions:
        raise errors.BadRequest("permissions must not be empty")
    _check_grant(auth, permissions)
    secret = new_token()
    key = ApiKey(
        user_id=auth.user.id, name=name or "API Key", key_hash=token_hash(secret),
        permissions=sorted(set(permissions)),
    )
    db.add(key)
    db.flush()
    return key, secret


def list_mine(db: Db, auth: AuthContext) -> list[ApiKey]:
    return list(db.scalars(select(ApiKey).where(ApiKey.user_id == auth.user.id).order_by(ApiKey.created_at)))


def get(db: Db, auth: AuthContext, key_id: str) -> ApiKey:
    key = db.get(ApiKey, key_id)
    if key is None or key.user_id != auth.user.id:
        raise errors.BadRequest("API Key not found")
    return key


def update(
    db: Db, auth: AuthContext, key_id: str, *, name: str | None, permissions: list[str] | None
) -> ApiKey:
    key = get(db, auth, key_id)
    if name is not None:
        key.name = name
    if permissions is not None:
        if not permissions:
            raise errors.BadRequest("permissions must not be empty")
        _check_grant(auth, permissions)
        key.permissions = sorted(set(permissions))
    db.flush()
    return key


def delete(db: Db, auth: AuthContext, key_id: str) -> None:
    db.delete(get(db, auth, key_id))
    db.flush()

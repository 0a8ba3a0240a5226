"""/api/api-keys: a user's API keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Response

from photonest.api import mappers
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import api_keys as keys_lib
from photonest.library import errors
from photonest.library.auth import AuthContext

router = Router(prefix="/api-keys", tags=["API keys"])


@router.get("", response_model=list[dto.ApiKeyResponseDto], operation_id="getApiKeys")
def list_keys(ctx: Annotated[AuthContext, Depends(auth("apiKey.read"))], db: Db) -> list[dict[str, Any]]:
    return [mappers.api_key(k) for k in keys_lib.list_mine(db, ctx)]


@router.post("", status_code=201, response_model=dto.ApiKeyCreateResponseDto, operation_id="createApiKey")
def create(body: dto.ApiKeyCreateDto, ctx: Annotated[AuthContext, Depends(auth("apiKey.create"))],
           db: Db) -> dict[str, Any]:
    key, secret = keys_lib.create(db, ctx, name=body.name, permissions=[p.value for p in body.permissions])
    return {"secret": secret, "apiKey": mappers.api_key(key)}


@router.get("/me", response_model=dto.ApiKeyResponseDto, operation_id="getMyApiKey")
def me(ctx: Annotated[AuthContext, Depends(auth())]) -> dict[str, Any]:
    if ctx.api_key is None:
        raise errors.Forbidden("Not authenticated with an API key")
    return mappers.api_key(ctx.api_key)


@router.get("/{id}", response_model=dto.ApiKeyResponseDto, operation_id="getApiKey")
def get(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("apiKey.read"))], db: Db) -> dict[str, Any]:
    return mappers.api_key(keys_lib.get(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.ApiKeyResponseDto, operation_id="updateApiKey")
def update(id: IdParam, body: dto.ApiKeyUpdateDto, ctx: Annotated[AuthContext, Depends(auth("apiKey.update"))],
           db: Db) -> dict[str, Any]:
    perms = [p.value for p in body.permissions] if body.permissions is not None else None
    return mappers.api_key(keys_lib.update(db, ctx, str(id), name=body.name, permissions=perms))


@router.delete("/{id}", status_code=204, operation_id="deleteApiKey")
def delete(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("apiKey.delete"))], db: Db) -> Response:
    keys_lib.delete(db, ctx, str(id))
    return Response(status_code=204)

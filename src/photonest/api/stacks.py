"""/api/stacks: group bursts and RAW+JPEG pairs under a primary asset."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Response

from photonest.api import mappers
from photonest.api.assets import ids_of
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import stacks as stacks_lib
from photonest.library.auth import AuthContext
from photonest.library.stacks import StackView

router = Router(prefix="/stacks", tags=["Stacks"])
StackReadCtx = Annotated[AuthContext, Depends(auth("stack.read"))]
StackCreateCtx = Annotated[AuthContext, Depends(auth("stack.create"))]
StackUpdateCtx = Annotated[AuthContext, Depends(auth("stack.update"))]
StackDeleteCtx = Annotated[AuthContext, Depends(auth("stack.delete"))]


def stack_dto(v: StackView) -> dict[str, Any]:
    return {"id": v.stack.id, "primaryAssetId": v.stack.primary_asset_id,
            "assets": [mappers.asset(a) for a in v.assets]}


@router.get("", response_model=list[dto.StackResponseDto], operation_id="searchStacks")
def search_stacks(ctx: StackReadCtx, db: Db, primaryAssetId: UUID | None = None) -> list[dict[str, Any]]:
    return [stack_dto(v) for v in stacks_lib.search(db, ctx, str(primaryAssetId) if primaryAssetId else None)]


@router.post("", status_code=201, response_model=dto.StackResponseDto, operation_id="createStack")
def create_stack(body: dto.StackCreateDto, ctx: StackCreateCtx, db: Db) -> dict[str, Any]:
    return stack_dto(stacks_lib.create(db, ctx, ids_of(body.assetIds)))


@router.delete("", status_code=204, operation_id="deleteStacks")
def delete_stacks(body: dto.BulkIdsDto, ctx: StackDeleteCtx, db: Db) -> Response:
    stacks_lib.delete_stacks(db, ctx, ids_of(body.ids))
    return Response(status_code=204)


@router.get("/{id}", response_model=dto.StackResponseDto, operation_id="getStack")
def get_stack(id: IdParam, ctx: StackReadCtx, db: Db) -> dict[str, Any]:
    return stack_dto(stacks_lib.get(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.StackResponseDto, operation_id="updateStack")
def update_stack(id: IdParam, body: dto.StackUpdateDto, ctx: StackUpdateCtx, db: Db) -> dict[str, Any]:
    return stack_dto(stacks_lib.update(db, ctx, str(id), str(body.primaryAssetId) if body.primaryAssetId else None))


@router.delete("/{id}", status_code=204, operation_id="deleteStack")
def delete_stack(id: IdParam, ctx: StackDeleteCtx, db: Db) -> Response:
    stacks_lib.delete_stacks(db, ctx, [str(id)])
    return Response(status_code=204)


@router.delete("/{id}/assets/{assetId}", status_code=204, operation_id="removeAssetFromStack")
def remove_asset_from_stack(id: IdParam, assetId: UUID, ctx: StackUpdateCtx, db: Db) -> Response:
    stacks_lib.remove_asset(db, ctx, str(id), str(assetId))
    return Response(status_code=204)

"""/api/trash: empty it, restore everything, restore some assets."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from photonest import events as ev
from photonest.api.assets import ids_of, storage
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import assets as assets_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/trash", tags=["Trash"])
AssetDeleteCtx = Annotated[AuthContext, Depends(auth("asset.delete"))]


@router.post("/empty", response_model=dto.TrashResponseDto, operation_id="emptyTrash")
def empty_trash(ctx: AssetDeleteCtx, db: Db, settings: AppSettings, request: Request) -> dict[str, int]:
    ids = assets_lib.empty_trash(db, storage(settings), ctx)
    for i in ids:
        request.app.state.events.emit(ctx.user.id, ev.ASSET_DELETE, i)
    return {"count": len(ids)}


@router.post("/restore", response_model=dto.TrashResponseDto, operation_id="restoreTrash")
def restore_trash(ctx: AssetDeleteCtx, db: Db, request: Request) -> dict[str, int]:
    ids = assets_lib.restore(db, ctx)
    db.commit()
    if ids:
        request.app.state.events.emit(ctx.user.id, ev.ASSET_RESTORE, ids)
    return {"count": len(ids)}


@router.post("/restore/assets", response_model=dto.TrashResponseDto, operation_id="restoreAssets")
def restore_assets(body: dto.BulkIdsDto, ctx: AssetDeleteCtx, db: Db, request: Request) -> dict[str, int]:
    ids = assets_lib.restore(db, ctx, ids_of(body.ids))
    db.commit()
    if ids:
        request.app.state.events.emit(ctx.user.id, ev.ASSET_RESTORE, ids)
    return {"count": len(ids)}

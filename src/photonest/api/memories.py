"""/api/memories: "on this day" and saved memories."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from photonest.api import mappers
from photonest.api.assets import ids_of
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import memories as memories_lib
from photonest.library.auth import AuthContext
from photonest.library.memories import MemoryView

router = Router(prefix="/memories", tags=["Memories"])
MemoryReadCtx = Annotated[AuthContext, Depends(auth("memory.read"))]
MemoryStatisticsCtx = Annotated[AuthContext, Depends(auth("memory.statistics"))]
MemoryCreateCtx = Annotated[AuthContext, Depends(auth("memory.create"))]
MemoryUpdateCtx = Annotated[AuthContext, Depends(auth("memory.update"))]
MemoryDeleteCtx = Annotated[AuthContext, Depends(auth("memory.delete"))]
MemoryAssetCreateCtx = Annotated[AuthContext, Depends(auth("memoryAsset.create"))]
MemoryAssetDeleteCtx = Annotated[AuthContext, Depends(auth("memoryAsset.delete"))]


def _dto(v: MemoryView) -> dict[str, Any]:
    m = v.memory
    out: dict[str, Any] = {
        "id": m.id, "ownerId": m.owner_id, "type": m.type, "data": m.data, "isSaved": m.is_saved,
        "memoryAt": mappers.iso(m.memory_at), "createdAt": mappers.iso(m.created_at),
        "updatedAt": mappers.iso(m.updated_at), "assets": [mappers.asset(a) for a in v.assets],
    }
    for key, value in (("showAt", m.show_at), ("hideAt", m.hide_at), ("seenAt", m.seen_at),
                       ("deletedAt", m.deleted_at)):
        if value is not None:
            out[key] = mappers.iso(value)
    return out


def _search(request: Request, ctx: Any, db: Any, for_: datetime | None, isSaved: bool | None,
            isTrashed: bool | None, order: dto.MemorySearchOrder | None, size: int | None,
            type: dto.MemoryType | None) -> list[MemoryView]:
    if for_ is not None and memories_lib.make_due(db, request.app.state.db.session, ctx.user.id, for_):
        db.commit()  # ends this request's read transaction: the next read sees the new memories
    return memories_lib.search(db, ctx, at=for_, is_saved=isSaved, is_trashed=isTrashed,
                               type=type.value if type else None, order=order.value if order else "desc",
                               size=size)


For = Annotated[datetime | None, Query(alias="for", description="Memories shown at this moment (and made if due)")]
Size = Annotated[int | None, Query(ge=1, le=1000)]


@router.get("", response_model=list[dto.MemoryResponseDto], operation_id="searchMemories")
def search_memories(request: Request, ctx: MemoryReadCtx, db: Db, for_: For = None, isSaved: bool | None = None,
                    isTrashed: bool | None = None, order: dto.MemorySearchOrder | None = None, size: Size = None,
                    type: dto.MemoryType | None = None) -> list[dict[str, Any]]:
    return [_dto(v) for v in _search(request, ctx, db, for_, isSaved, isTrashed, order, size, type)]


@router.get("/statistics", response_model=dto.MemoryStatisticsResponseDto, operation_id="memoriesStatistics")
def statistics(request: Request, ctx: MemoryStatisticsCtx, db: Db, for_: For = None, isSaved: bool | None = None,
               isTrashed: bool | None = None, order: dto.MemorySearchOrder | None = None, size: Size = None,
               type: dto.MemoryType | None = None) -> dict[str, int]:
    return {"total": len(_search(request, ctx, db, for_, isSaved, isTrashed, order, size, type))}


@router.post("", status_code=201, response_model=dto.MemoryResponseDto, operation_id="createMemory")
def create_memory(body: dto.MemoryCreateDto, ctx: MemoryCreateCtx, db: Db) -> dict[str, Any]:
    return _dto(memories_lib.create(
        db, ctx, type=body.type.value, data=body.data.model_dump(), memory_at=body.memoryAt,
        asset_ids=ids_of(body.assetIds or []), is_saved=bool(body.isSaved), seen_at=body.seenAt,
        show_at=body.showAt, hide_at=body.hideAt))


@router.get("/{id}", response_model=dto.MemoryResponseDto, operation_id="getMemory")
def get_memory(id: IdParam, ctx: MemoryReadCtx, db: Db) -> dict[str, Any]:
    return _dto(memories_lib.get(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.MemoryResponseDto, operation_id="updateMemory")
def update_memory(id: IdParam, body: dto.MemoryUpdateDto, ctx: MemoryUpdateCtx, db: Db) -> dict[str, Any]:
    return _dto(memories_lib.update(db, ctx, str(id), body.model_dump(exclude_unset=True)))


@router.delete("/{id}", status_code=204, operation_id="deleteMemory")
def delete_memory(id: IdParam, ctx: MemoryDeleteCtx, db: Db) -> Response:
    memories_lib.delete(db, ctx, str(id))
    return Response(status_code=204)


@router.put("/{id}/assets", response_model=list[dto.BulkIdResponseDto], operation_id="addMemoryAssets")
def add_assets(id: IdParam, body: dto.BulkIdsDto, ctx: MemoryAssetCreateCtx, db: Db) -> list[dict[str, Any]]:
    return memories_lib.add_assets(db, ctx, str(id), ids_of(body.ids))


@router.delete("/{id}/assets", response_model=list[dto.BulkIdResponseDto], operation_id="removeMemoryAssets")
def remove_assets(id: IdParam, body: dto.BulkIdsDto, ctx: MemoryAssetDeleteCtx, db: Db) -> list[dict[str, Any]]:
    return memories_lib.remove_assets(db, ctx, str(id), ids_of(body.ids))

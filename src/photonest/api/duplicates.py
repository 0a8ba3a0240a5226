"""/api/duplicates: near-duplicate groups for review (the rules live in library.duplicates)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response

from photonest import events as ev
from photonest.api import mappers
from photonest.api.assets import ids_of
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import duplicates
from photonest.library.auth import AuthContext

router = Router(prefix="/duplicates", tags=["Duplicates"])
DuplicateReadCtx = Annotated[AuthContext, Depends(auth("duplicate.read"))]
DuplicateDeleteCtx = Annotated[AuthContext, Depends(auth("duplicate.delete"))]


@router.get("", response_model=list[dto.DuplicateResponseDto], operation_id="getAssetDuplicates")
def get_asset_duplicates(ctx: DuplicateReadCtx, db: Db) -> list[dict[str, Any]]:
    out = []
    for g in duplicates.groups(db, ctx):
        items = []
        for a, e in g.assets:
            item = mappers.asset(a, e)
            item["duplicateId"] = g.id
            items.append(item)
        out.append({"duplicateId": g.id, "assets": items, "suggestedKeepAssetIds": g.suggested_keep})
    return out


@router.delete("", status_code=204, operation_id="deleteDuplicates")
def delete_duplicates(body: dto.BulkIdsDto, ctx: DuplicateDeleteCtx, db: Db) -> Response:
    duplicates.dismiss(db, ctx, ids_of(body.ids))
    return Response(status_code=204)


@router.post("/resolve", response_model=list[dto.BulkIdResponseDto], operation_id="resolveDuplicates")
def resolve_duplicates(body: dto.DuplicateResolveDto, ctx: DuplicateDeleteCtx, db: Db,
                       request: Request) -> list[dict[str, Any]]:
    groups = [{"duplicateId": str(g.duplicateId), "keepAssetIds": ids_of(g.keepAssetIds),
               "trashAssetIds": ids_of(g.trashAssetIds)} for g in body.groups]
    results, trashed = duplicates.resolve(db, ctx, groups)
    db.commit()
    if trashed:
        request.app.state.events.emit(ctx.user.id, ev.ASSET_TRASH, trashed)
    return results


@router.delete("/{id}", status_code=204, operation_id="deleteDuplicate")
def delete_duplicate(id: IdParam, ctx: DuplicateDeleteCtx, db: Db) -> Response:
    duplicates.dismiss(db, ctx, [str(id)])
    return Response(status_code=204)

"""/api/tags: hierarchical tags, tagging and untagging assets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response

from photonest.api import mappers
from photonest.api.assets import ids_of
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Tag
from photonest.library import smart_search
from photonest.library import tags as tags_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/tags", tags=["Tags"])
TagReadCtx = Annotated[AuthContext, Depends(auth("tag.read"))]
TagCreateCtx = Annotated[AuthContext, Depends(auth("tag.create"))]
TagUpdateCtx = Annotated[AuthContext, Depends(auth("tag.update"))]
TagDeleteCtx = Annotated[AuthContext, Depends(auth("tag.delete"))]
TagAssetCtx = Annotated[AuthContext, Depends(auth("tag.asset"))]


class TagUpdateDto(dto.TagUpdateDto):
    """Immich's TagUpdateDto plus an optional new name for the tag's last level (beyond Immich: rename)."""

    name: str | None = None


def tag_dto(t: Tag) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id, "name": t.value.rsplit("/", 1)[-1], "value": t.value,
                           "createdAt": mappers.iso(t.created_at), "updatedAt": mappers.iso(t.updated_at)}
    if t.parent_id:
        out["parentId"] = t.parent_id
    if t.color:
        out["color"] = t.color
    return out


@router.get("", response_model=list[dto.TagResponseDto], operation_id="getAllTags")
def get_all_tags(ctx: TagReadCtx, db: Db) -> list[dict[str, Any]]:
    return [tag_dto(t) for t in tags_lib.list_all(db, ctx)]


@router.post("", status_code=201, response_model=dto.TagResponseDto, operation_id="createTag")
def create_tag(body: dto.TagCreateDto, ctx: TagCreateCtx, db: Db) -> dict[str, Any]:
    return tag_dto(tags_lib.create(db, ctx, name=body.name, parent_id=str(body.parentId) if body.parentId else None,
                                   color=body.color))


@router.put("", response_model=list[dto.TagResponseDto], operation_id="upsertTags")
def upsert_tags(body: dto.TagUpsertDto, ctx: TagCreateCtx, db: Db) -> list[dict[str, Any]]:
    return [tag_dto(tags_lib.upsert_path(db, ctx, v)) for v in body.tags]


@router.put("/assets", response_model=dto.TagBulkAssetsResponseDto, operation_id="bulkTagAssets")
def bulk_tag_assets(body: dto.TagBulkAssetsDto, ctx: TagAssetCtx, db: Db, request: Request) -> dict[str, int]:
    count = tags_lib.bulk_tag(db, ctx, ids_of(body.tagIds), ids_of(body.assetIds))  # all the caller's, or 400
    _retext(db, request, ids_of(body.assetIds) if count else [])
    return {"count": count}


def _retext(db: Db, request: Request, asset_ids: list[str]) -> None:
    """Tags are in the text embedding of a photo (smart search): make it again after the commit."""
    if asset_ids:
        db.commit()
        smart_search.refresh_text(request.app.state.jobs, asset_ids)


@router.get("/{id}", response_model=dto.TagResponseDto, operation_id="getTagById")
def get_tag(id: IdParam, ctx: TagReadCtx, db: Db) -> dict[str, Any]:
    return tag_dto(tags_lib.get(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.TagResponseDto, operation_id="updateTag")
def update_tag(id: IdParam, body: TagUpdateDto, ctx: TagUpdateCtx, db: Db, request: Request) -> dict[str, Any]:
    old = tags_lib.get(db, ctx, str(id)).value
    tag = tags_lib.update(db, ctx, str(id), color=body.color, name=body.name)
    out = tag_dto(tag)
    if tag.value != old:  # renamed: the photos tagged with it or below it say the new words
        _retext(db, request, tags_lib.tagged_asset_ids(db, ctx, tag.id))
    return out


@router.delete("/{id}", status_code=204, operation_id="deleteTag")
def delete_tag(id: IdParam, ctx: TagDeleteCtx, db: Db, request: Request) -> Response:
    _retext(db, request, tags_lib.delete_tag(db, ctx, str(id)))
    return Response(status_code=204)


@router.put("/{id}/assets", response_model=list[dto.BulkIdResponseDto], operation_id="tagAssets")
def tag_assets(id: IdParam, body: dto.BulkIdsDto, ctx: TagAssetCtx, db: Db, request: Request) -> list[dict[str, Any]]:
    out = tags_lib.tag_assets(db, ctx, str(id), ids_of(body.ids))
    _retext(db, request, [str(r["id"]) for r in out if r.get("success")])
    return out


@router.delete("/{id}/assets", response_model=list[dto.BulkIdResponseDto], operation_id="untagAssets")
def untag_assets(id: IdParam, body: dto.BulkIdsDto, ctx: TagAssetCtx, db: Db,
                 request: Request) -> list[dict[str, Any]]:
    out = tags_lib.untag_assets(db, ctx, str(id), ids_of(body.ids))
    _retext(db, request, [str(r["id"]) for r in out if r.get("success")])
    return out

"""/api/albums: create, list, read, edit, delete albums; add and remove assets; statistics; map markers.
HTTP only: who may do what, covers and counts live in library.albums."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from photonest.api import mappers
from photonest.api.assets import ids_of
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import albums as albums_lib
from photonest.library import users as users_lib
from photonest.library.albums import AlbumView
from photonest.library.auth import AuthContext

router = Router(prefix="/albums", tags=["Albums"])
AlbumCreateCtx = Annotated[AuthContext, Depends(auth("album.create"))]
AlbumDeleteCtx = Annotated[AuthContext, Depends(auth("album.delete"))]
AlbumReadCtx = Annotated[AuthContext, Depends(auth("album.read"))]
AlbumStatisticsCtx = Annotated[AuthContext, Depends(auth("album.statistics"))]
AlbumUpdateCtx = Annotated[AuthContext, Depends(auth("album.update"))]
AlbumAssetCreateCtx = Annotated[AuthContext, Depends(auth("albumAsset.create"))]
AlbumAssetDeleteCtx = Annotated[AuthContext, Depends(auth("albumAsset.delete"))]
SharedLinkKey = Annotated[str | None, Query(description="Shared link key (shared links come with sharing)")]
SharedLinkSlug = Annotated[str | None, Query(description="Shared link slug (shared links come with sharing)")]


def album_dto(v: AlbumView) -> dict[str, Any]:
    """AlbumResponseDto. albumUsers: the owner first, then the members (the caller first among them)."""
    a = v.album
    users = [{"user": mappers.user(v.owner), "role": "owner"}]
    users += [{"user": mappers.user(u), "role": role} for u, role in v.members]
    out: dict[str, Any] = {
        "id": a.id, "albumName": a.album_name, "description": a.description or "",
        "createdAt": mappers.iso(a.created_at), "updatedAt": mappers.iso(a.updated_at),
        "albumThumbnailAssetId": v.cover_id, "shared": v.shared, "hasSharedLink": False,
        "albumUsers": users, "assetCount": v.asset_count, "isActivityEnabled": a.is_activity_enabled,
        "order": a.order,
    }
    if v.start_date is not None:
        out["startDate"] = mappers.iso(v.start_date)
        out["endDate"] = mappers.iso(v.end_date)
    if v.last_modified is not None:
        out["lastModifiedAssetTimestamp"] = mappers.iso(v.last_modified)
    if v.contributors is not None:
        out["contributorCounts"] = [{"userId": k, "assetCount": n} for k, n in v.contributors.items()]
    return out


def _emit_update(request: Request, v: AlbumView) -> None:
    for user_id in {v.album.owner_id, *(u.id for u, _ in v.members)}:
        request.app.state.events.emit(user_id, "on_album_update", v.album.id)


@router.get("", response_model=list[dto.AlbumResponseDto], operation_id="getAllAlbums",
             response_model_exclude_unset=True)
def get_all_albums(
    ctx: AlbumReadCtx, db: Db,
    assetId: Annotated[UUID | None, Query(
        description="Filter albums containing this asset ID (ignores other parameters)")] = None,
    id: Annotated[UUID | None, Query(description="Album ID")] = None,
    isOwned: Annotated[bool | None, Query(
        description="Filter by ownership: true = only owned, false = only shared-with-me")] = None,
    isShared: Annotated[bool | None, Query(
        description="Filter by shared status: true = only shared, false = not shared")] = None,
    name: Annotated[str | None, Query(description="Album name (exact match)")] = None,
) -> list[dict[str, Any]]:
    albums = albums_lib.list_albums(db, ctx, asset_id=str(assetId) if assetId else None,
                                    album_id=str(id) if id else None, is_owned=isOwned, is_shared=isShared,
                                    name=name)
    return [album_dto(v) for v in albums_lib.views(db, ctx, albums)]


@router.post("", status_code=201, response_model=dto.AlbumResponseDto, operation_id="createAlbum",
             response_model_exclude_unset=True)
def create_album(body: dto.CreateAlbumDto, ctx: AlbumCreateCtx, db: Db) -> dict[str, Any]:
    order = users_lib.preferences(ctx.user).get("albums", {}).get("defaultAssetOrder", "desc")
    album = albums_lib.create(
        db, ctx, name=body.albumName, description=body.description, asset_ids=ids_of(body.assetIds or []),
        members=[(str(u.userId), u.role.value) for u in body.albumUsers or []], order=order)
    return album_dto(albums_lib.view(db, ctx, album))


@router.get("/statistics", response_model=dto.AlbumStatisticsResponseDto, operation_id="getAlbumStatistics",
             response_model_exclude_unset=True)
def get_album_statistics(ctx: AlbumStatisticsCtx, db: Db) -> dict[str, int]:
    return albums_lib.statistics(db, ctx)


@router.put("/assets", response_model=dto.AlbumsAddAssetsResponseDto, operation_id="addAssetsToAlbums",
             response_model_exclude_unset=True)
def add_assets_to_albums(body: dto.AlbumsAddAssetsDto, ctx: AlbumAssetCreateCtx, db: Db,
                         request: Request) -> dict[str, Any]:
    result = albums_lib.add_assets_to_albums(db, ctx, ids_of(body.albumIds), ids_of(body.assetIds))
    if result.get("success"):
        db.commit()
        for aid in ids_of(body.albumIds):
            request.app.state.events.emit(ctx.user.id, "on_album_update", aid)
    return result


@router.get("/{id}", response_model=dto.AlbumResponseDto, operation_id="getAlbumInfo",
             response_model_exclude_unset=True)
def get_album_info(id: IdParam, ctx: AlbumReadCtx, db: Db, key: SharedLinkKey = None,
                   slug: SharedLinkSlug = None) -> dict[str, Any]:
    return album_dto(albums_lib.view(db, ctx, albums_lib.get_readable(db, ctx, str(id))))


@router.patch("/{id}", response_model=dto.AlbumResponseDto, operation_id="updateAlbumInfo",
             response_model_exclude_unset=True)
def update_album_info(id: IdParam, body: dto.UpdateAlbumDto, ctx: AlbumUpdateCtx, db: Db,
                      request: Request) -> dict[str, Any]:
    album = albums_lib.update_album(db, ctx, str(id), body.model_dump(exclude_unset=True, mode="json"))
    v = albums_lib.view(db, ctx, album)
    db.commit()
    _emit_update(request, v)
    return album_dto(v)


@router.delete("/{id}", status_code=204, operation_id="deleteAlbum")
def delete_album(id: IdParam, ctx: AlbumDeleteCtx, db: Db) -> Response:
    albums_lib.delete_album(db, ctx, str(id))
    return Response(status_code=204)


@router.put("/{id}/assets", response_model=list[dto.BulkIdResponseDto], operation_id="addAssetsToAlbum",
             response_model_exclude_unset=True)
def add_assets_to_album(id: IdParam, body: dto.BulkIdsDto, ctx: AlbumAssetCreateCtx, db: Db,
                        request: Request) -> list[dict[str, Any]]:
    results = albums_lib.add_assets(db, ctx, str(id), ids_of(body.ids))
    if any(r["success"] for r in results):
        db.commit()
        request.app.state.events.emit(ctx.user.id, "on_album_update", str(id))
    return results


@router.delete("/{id}/assets", response_model=list[dto.BulkIdResponseDto], operation_id="removeAssetFromAlbum",
             response_model_exclude_unset=True)
def remove_asset_from_album(id: IdParam, body: dto.BulkIdsDto, ctx: AlbumAssetDeleteCtx, db: Db,
                            request: Request) -> list[dict[str, Any]]:
    results = albums_lib.remove_assets(db, ctx, str(id), ids_of(body.ids))
    if any(r["success"] for r in results):
        db.commit()
        request.app.state.events.emit(ctx.user.id, "on_album_update", str(id))
    return results


@router.get("/{id}/map-markers", response_model=list[dto.MapMarkerResponseDto], operation_id="getAlbumMapMarkers")
def get_album_map_markers(id: IdParam, ctx: AlbumReadCtx, db: Db, key: SharedLinkKey = None,
                          slug: SharedLinkSlug = None) -> list[dict[str, Any]]:
    return albums_lib.map_markers(db, ctx, str(id))

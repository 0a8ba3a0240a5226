"""/api/activities: comments and likes in shared albums; /api/albums/{id}/users: who an album is shared with."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response

from photonest.api import mappers
from photonest.api.albums import album_dto
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Activity, User
from photonest.library import activities as activities_lib
from photonest.library import album_users as album_users_lib
from photonest.library import albums as albums_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/activities", tags=["Activities"])
album_users = Router(prefix="/albums", tags=["Albums"])
ReadCtx = Annotated[AuthContext, Depends(auth("activity.read"))]
CreateCtx = Annotated[AuthContext, Depends(auth("activity.create"))]
DeleteCtx = Annotated[AuthContext, Depends(auth("activity.delete"))]
StatsCtx = Annotated[AuthContext, Depends(auth("activity.statistics"))]
AlbumUserCreateCtx = Annotated[AuthContext, Depends(auth("albumUser.create"))]
AlbumUserUpdateCtx = Annotated[AuthContext, Depends(auth("albumUser.update"))]
AlbumUserDeleteCtx = Annotated[AuthContext, Depends(auth("albumUser.delete"))]


def activity_dto(a: Activity, u: User) -> dict[str, Any]:
    out: dict[str, Any] = {"id": a.id, "assetId": a.asset_id, "createdAt": mappers.iso(a.created_at),
                           "type": "like" if a.is_liked else "comment", "user": mappers.user(u)}
    if not a.is_liked:
        out["comment"] = a.comment
    return out


@router.get("", response_model=list[dto.ActivityResponseDto], operation_id="getActivities")
def get_activities(ctx: ReadCtx, db: Db, albumId: UUID, assetId: UUID | None = None,
                   level: dto.ReactionLevel | None = None, type: dto.ReactionType | None = None,
                   userId: UUID | None = None) -> list[dict[str, Any]]:
    rows = activities_lib.search(db, ctx, album_id=str(albumId), asset_id=str(assetId) if assetId else None,
                                 level=level.value if level else None, type=type.value if type else None,
                                 user_id=str(userId) if userId else None)
    return [activity_dto(a, u) for a, u in rows]


@router.post("", status_code=201, response_model=dto.ActivityResponseDto, operation_id="createActivity")
def create_activity(body: dto.ActivityCreateDto, ctx: CreateCtx, db: Db, request: Request,
                    response: Response) -> dict[str, Any]:
    act, created = activities_lib.create(db, ctx, album_id=str(body.albumId),
                                         asset_id=str(body.assetId) if body.assetId else None,
                                         type=body.type.value, comment=body.comment)
    if not created:
        response.status_code = 200  # Immich answers a repeated like with the existing one
    return activity_dto(act, ctx.user)


@router.get("/statistics", response_model=dto.ActivityStatisticsResponseDto, operation_id="getActivityStatistics")
def get_activity_statistics(ctx: StatsCtx, db: Db, albumId: UUID = Query(...),
                            assetId: UUID | None = None) -> dict[str, int]:
    return activities_lib.statistics(db, ctx, album_id=str(albumId), asset_id=str(assetId) if assetId else None)


@router.delete("/{id}", status_code=204, operation_id="deleteActivity")
def delete_activity(id: IdParam, ctx: DeleteCtx, db: Db) -> Response:
    activities_lib.delete(db, ctx, str(id))
    return Response(status_code=204)


@album_users.put("/{id}/users", response_model=dto.AlbumResponseDto, operation_id="addUsersToAlbum")
def add_users_to_album(id: IdParam, body: dto.AddUsersDto, ctx: AlbumUserCreateCtx, db: Db,
                       request: Request) -> dict[str, Any]:
    album = album_users_lib.add_users(db, ctx, str(id), [(str(u.userId), str(u.role))
                                                         for u in body.albumUsers])
    for u in body.albumUsers:
        request.app.state.events.emit(str(u.userId), "on_album_update", album.id)
    return album_dto(albums_lib.view(db, ctx, album))


@album_users.put("/{id}/user/{userId}", status_code=204, operation_id="updateAlbumUser")
def update_album_user(id: IdParam, userId: str, body: dto.UpdateAlbumUserDto, ctx: AlbumUserUpdateCtx,
                      db: Db) -> Response:
    album_users_lib.update_user(db, ctx, str(id), userId, str(body.role))
    return Response(status_code=204)


@album_users.delete("/{id}/user/{userId}", status_code=204, operation_id="removeUserFromAlbum")
def remove_user_from_album(id: IdParam, userId: str, ctx: AlbumUserDeleteCtx, db: Db) -> Response:
    album_users_lib.remove_user(db, ctx, str(id), userId)
    return Response(status_code=204)

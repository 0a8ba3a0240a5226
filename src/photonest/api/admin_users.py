"""/api/admin/users: the admin manages accounts (never their photos)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from photonest.api import mappers
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import assets as assets_lib
from photonest.library import sessions as sessions_lib
from photonest.library import users as users_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/admin/users", tags=["Users (admin)"])


@router.get("", response_model=list[dto.UserAdminResponseDto], operation_id="searchUsersAdmin")
def search(ctx: Annotated[AuthContext, Depends(auth("adminUser.read", admin=True))], db: Db,
           id: IdParam | None = Query(None),
           withDeleted: bool = False) -> list[dict[str, Any]]:
    return [mappers.user_admin(u)
            for u in users_lib.admin_search(db, user_id=str(id) if id else None, with_deleted=withDeleted)]


@router.post("", status_code=201, response_model=dto.UserAdminResponseDto, operation_id="createUserAdmin")
def create(body: dto.UserAdminCreateDto, ctx: Annotated[AuthContext, Depends(auth("adminUser.create", admin=True))],
           db: Db) -> dict[str, Any]:
    return mappers.user_admin(users_lib.admin_create(db, body.model_dump(exclude_unset=True, mode="json")))


@router.get("/{id}", response_model=dto.UserAdminResponseDto, operation_id="getUserAdmin")
def get(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminUser.read", admin=True))],
        db: Db) -> dict[str, Any]:
    return mappers.user_admin(users_lib.get_user(db, str(id), with_deleted=True))


@router.put("/{id}", response_model=dto.UserAdminResponseDto, operation_id="updateUserAdmin")
def update(id: IdParam, body: dto.UserAdminUpdateDto,
           ctx: Annotated[AuthContext, Depends(auth("adminUser.update", admin=True))],
           db: Db) -> dict[str, Any]:
    user = users_lib.get_user(db, str(id))
    return mappers.user_admin(users_lib.admin_update(db, ctx, user, body.model_dump(exclude_unset=True,
                                                                                      mode="json")))


@router.delete("/{id}", response_model=dto.UserAdminResponseDto, operation_id="deleteUserAdmin")
def delete(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminUser.delete", admin=True))], db: Db,
           body: dto.UserAdminDeleteDto = dto.UserAdminDeleteDto()) -> dict[str, Any]:
    # The contract requires a body; we also take a bare DELETE, as {"force": false}. A deleted (restorable)
    # account can be deleted again with force, to remove it now instead of after the delay.
    user = users_lib.get_user(db, str(id), with_deleted=True)
    force = bool(body.force)
    return mappers.user_admin(users_lib.admin_delete(db, ctx, user, force=force))


@router.post("/{id}/restore", response_model=dto.UserAdminResponseDto, operation_id="restoreUserAdmin")
def restore(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminUser.delete", admin=True))],
            db: Db) -> dict[str, Any]:
    user = users_lib.get_user(db, str(id), with_deleted=True)
    return mappers.user_admin(users_lib.admin_restore(db, user))


@router.get("/{id}/preferences", response_model=dto.UserPreferencesResponseDto,
            operation_id="getUserPreferencesAdmin")
def get_preferences(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminUser.read", admin=True))],
                    db: Db) -> dict[str, Any]:
    return users_lib.preferences(users_lib.get_user(db, str(id)))


@router.put("/{id}/preferences", response_model=dto.UserPreferencesResponseDto,
            operation_id="updateUserPreferencesAdmin")
def update_preferences(id: IdParam, body: dto.UserPreferencesUpdateDto,
                       ctx: Annotated[AuthContext,
                       Depends(auth("adminUser.update", admin=True))], db: Db) -> dict[str, Any]:
    user = users_lib.get_user(db, str(id))
    return users_lib.update_preferences(db, user, body.model_dump(exclude_unset=True, mode="json"))


@router.get("/{id}/sessions", response_model=list[dto.SessionResponseDto], operation_id="getUserSessionsAdmin")
def sessions(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminSession.read", admin=True))],
             db: Db) -> list[dict[str, Any]]:
    users_lib.get_user(db, str(id), with_deleted=True)
    return [mappers.session(s, ctx.session) for s in sessions_lib.list_for(db, str(id))]


@router.get("/{id}/statistics", response_model=dto.AssetStatsResponseDto, operation_id="getUserStatisticsAdmin")
def statistics(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminUser.read", admin=True))], db: Db,
               isFavorite: bool | None = None,
               isTrashed: bool | None = None, visibility: dto.AssetVisibility | None = None) -> dict[str, int]:
    users_lib.get_user(db, str(id), with_deleted=True)
    return assets_lib.statistics(db, str(id), is_favorite=isFavorite, is_trashed=isTrashed,
                                 visibility=visibility.value if visibility else None)

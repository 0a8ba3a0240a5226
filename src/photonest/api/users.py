"""/api/users: me, preferences, profile images, other users."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from photonest.api import mappers
from photonest.api.deps import AppSettings, Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import errors
from photonest.library import users as users_lib
from photonest.library.auth import AuthContext
from photonest.library.images import check_web_image
from photonest.media.types import mime_type

router = Router(prefix="/users", tags=["Users"])
MAX_PROFILE_BYTES = 25 * 1024 * 1024
BINARY = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


class CreateProfileImageDto(BaseModel):
    """The multipart form of POST /users/profile-image (Immich's schema of the same name)."""

    file: Annotated[UploadFile, Field(description="Profile image file")]


@router.get("", response_model=list[dto.UserResponseDto], operation_id="searchUsers")
def search_users(ctx: Annotated[AuthContext, Depends(auth("user.read"))], db: Db,
                 settings: AppSettings) -> list[dict[str, Any]]:
    return [mappers.user(u) for u in users_lib.visible_users(db, ctx, settings.public_users)]


@router.get("/me", response_model=dto.UserAdminResponseDto, operation_id="getMyUser")
def get_my_user(ctx: Annotated[AuthContext, Depends(auth("user.read"))]) -> dict[str, Any]:
    return mappers.user_admin(ctx.user)


@router.put("/me", response_model=dto.UserAdminResponseDto, operation_id="updateMyUser")
def update_my_user(body: dto.UserUpdateMeDto, ctx: Annotated[AuthContext, Depends(auth("user.update"))],
                   db: Db) -> dict[str, Any]:
    return mappers.user_admin(users_lib.update_me(db, ctx, body.model_dump(exclude_unset=True, mode="json")))


@router.get("/me/preferences", response_model=dto.UserPreferencesResponseDto, operation_id="getMyPreferences")
def get_my_preferences(ctx: Annotated[AuthContext, Depends(auth("userPreference.read"))]) -> dict[str, Any]:
    return users_lib.preferences(ctx.user)


@router.put("/me/preferences", response_model=dto.UserPreferencesResponseDto,
            operation_id="updateMyPreferences")
def update_my_preferences(body: dto.UserPreferencesUpdateDto,
                          ctx: Annotated[AuthContext, Depends(auth("userPreference.update"))],
                          db: Db) -> dict[str, Any]:
    return users_lib.update_preferences(db, ctx.user, body.model_dump(exclude_unset=True, mode="json"))


@router.get("/me/onboarding", response_model=dto.OnboardingResponseDto, operation_id="getUserOnboarding")
def get_onboarding(ctx: Annotated[AuthContext, Depends(auth("userOnboarding.read"))]) -> dict[str, Any]:
    return {"isOnboarded": ctx.user.onboarding}


@router.put("/me/onboarding", response_model=dto.OnboardingResponseDto, operation_id="setUserOnboarding")
def set_onboarding(body: dto.OnboardingDto, ctx: Annotated[AuthContext, Depends(auth("userOnboarding.update"))],
                   db: Db) -> dict[str, Any]:
    ctx.user.onboarding = body.isOnboarded
    db.flush()
    return {"isOnboarded": ctx.user.onboarding}


@router.delete("/me/onboarding", status_code=204, operation_id="deleteUserOnboarding")
def delete_onboarding(ctx: Annotated[AuthContext, Depends(auth("userOnboarding.delete"))], db: Db) -> Response:
    ctx.user.onboarding = False
    db.flush()
    return Response(status_code=204)


@router.post("/profile-image", status_code=201, response_model=dto.CreateProfileImageResponseDto,
             operation_id="createProfileImage")
def create_profile_image(form: Annotated[CreateProfileImageDto, Form(media_type="multipart/form-data")],
                         ctx: Annotated[AuthContext, Depends(auth("userProfileImage.update"))], db: Db,
                         settings: AppSettings) -> dict[str, Any]:
    file = form.file
    with tempfile.NamedTemporaryFile(dir=settings.upload_dir, delete=False) as tmp:
        tmp_path = Path(tmp.name)
        try:
            copied = 0
            while chunk := file.file.read(1 << 20):
                copied += len(chunk)
                if copied > MAX_PROFILE_BYTES:
                    raise errors.PayloadTooLarge("Profile image is larger than 25 MB")
                tmp.write(chunk)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise
    try:
        ext = check_web_image(tmp_path)
        final = tmp_path.with_suffix(ext)
        shutil.move(tmp_path, final)
        tmp_path = final
        user = users_lib.set_profile_image(db, ctx.user, settings.data, tmp_path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return {"userId": user.id, "profileImagePath": user.profile_image_path,
            "profileChangedAt": mappers.iso(user.profile_changed_at)}


@router.delete("/profile-image", status_code=204, operation_id="deleteProfileImage")
def delete_profile_image(ctx: Annotated[AuthContext, Depends(auth("userProfileImage.delete"))], db: Db,
                         settings: AppSettings) -> Response:
    users_lib.delete_profile_image(db, ctx.user, settings.data)
    return Response(status_code=204)


@router.get("/{id}", response_model=dto.UserResponseDto, operation_id="getUser")
def get_user(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("user.read"))], db: Db) -> dict[str, Any]:
    return mappers.user(users_lib.get_user(db, str(id)))


@router.get("/{id}/profile-image", operation_id="getProfileImage", response_class=FileResponse,
            responses={200: BINARY})
def get_profile_image(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("userProfileImage.read"))], db: Db,
                      settings: AppSettings, request: Request) -> Response:
    user = users_lib.get_user(db, str(id))
    path = settings.data / user.profile_image_path if user.profile_image_path else None
    if path is None or not path.is_file():
        raise errors.NotFound("User does not have a profile image")
    return FileResponse(path, media_type=mime_type(path.suffix),
                        headers={"Cache-Control": "private, max-age=86400, no-transform"})

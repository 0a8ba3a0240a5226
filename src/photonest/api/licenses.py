"""/api/server/license and /api/users/me/license: Immich's license endpoints, answered as an unlicensed server
(library.licenses explains why no key is ever activated)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Response

from photonest.api.deps import Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import licenses as lib
from photonest.library.auth import AuthContext

server_router = Router(prefix="/server", tags=["Server"])
user_router = Router(prefix="/users", tags=["Users"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": ""}}


@server_router.get("/license", response_model=dto.LicenseResponseDto, operation_id="getServerLicense",
                   responses=NOT_FOUND)
def get_server_license(ctx: Annotated[AuthContext, Depends(auth("serverLicense.read", admin=True))]
                       ) -> dict[str, Any]:
    """Retrieve information about whether the server currently has a product key registered."""
    return lib.server_license()


@server_router.put("/license", response_model=dto.LicenseResponseDto, operation_id="setServerLicense")
def set_server_license(body: dto.LicenseKeyDto,
                       ctx: Annotated[AuthContext, Depends(auth("serverLicense.update", admin=True))]
                       ) -> dict[str, Any]:
    """Validate and set the server product key if successful."""
    return lib.activate_server_license(body.licenseKey)


@server_router.delete("/license", status_code=204, operation_id="deleteServerLicense")
def delete_server_license(ctx: Annotated[AuthContext, Depends(auth("serverLicense.delete", admin=True))]
                          ) -> Response:
    """Delete the currently set server product key (there never is one)."""
    return Response(status_code=204)


@user_router.get("/me/license", response_model=dto.LicenseResponseDto, operation_id="getUserLicense")
def get_user_license(ctx: Annotated[AuthContext, Depends(auth("userLicense.read"))]) -> dict[str, Any]:
    """Retrieve information about whether the current user has a registered product key."""
    return lib.user_license(ctx.user)


@user_router.put("/me/license", response_model=dto.LicenseResponseDto, operation_id="setUserLicense")
def set_user_license(body: dto.LicenseKeyDto,
                     ctx: Annotated[AuthContext, Depends(auth("userLicense.update"))]) -> dict[str, Any]:
    """Register a product key for the current user."""
    return lib.activate_user_license(body.licenseKey)


@user_router.delete("/me/license", status_code=204, operation_id="deleteUserLicense")
def delete_user_license(ctx: Annotated[AuthContext, Depends(auth("userLicense.delete"))], db: Db) -> Response:
    """Delete the registered product key for the current user."""
    lib.delete_user_license(db, ctx.user)
    return Response(status_code=204)

"""/api/system-config (the admin's settings) and /api/system-metadata (small server-wide state documents)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response

from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import system_config as config_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/system-config", tags=["System config"])
metadata_router = Router(prefix="/system-metadata", tags=["System metadata"])

def _base(request: Request) -> str:
    """This server's address as the client sees it (makes photonest's own map style URLs absolute)."""
    return str(request.base_url).rstrip("/")


ConfigRead = Annotated[AuthContext, Depends(auth("systemConfig.read", admin=True))]
ConfigUpdate = Annotated[AuthContext, Depends(auth("systemConfig.update", admin=True))]
MetadataRead = Annotated[AuthContext, Depends(auth("systemMetadata.read", admin=True))]
MetadataUpdate = Annotated[AuthContext, Depends(auth("systemMetadata.update", admin=True))]


@router.get("", response_model=dto.SystemConfigDto, operation_id="getConfig")
def get_config(ctx: ConfigRead, db: Db, settings: AppSettings, request: Request) -> dict[str, Any]:
    return config_lib.effective_config(db, settings, _base(request))


@router.put("", response_model=dto.SystemConfigDto, operation_id="updateConfig")
def update_config(body: dto.SystemConfigDto, ctx: ConfigUpdate, db: Db, settings: AppSettings,
                  request: Request) -> dict[str, Any]:
    return config_lib.update(db, settings, body.model_dump(mode="json", by_alias=True), _base(request))


@router.get("/defaults", response_model=dto.SystemConfigDto, operation_id="getConfigDefaults")
def get_config_defaults(ctx: ConfigRead, settings: AppSettings, request: Request) -> dict[str, Any]:
    return config_lib.defaults(settings, _base(request))


@router.get("/storage-template-options", response_model=dto.SystemConfigTemplateStorageOptionDto,
            operation_id="getStorageTemplateOptions")
def get_storage_template_options(ctx: ConfigRead) -> dict[str, list[str]]:
    return config_lib.STORAGE_TEMPLATE_OPTIONS


@metadata_router.get("/admin-onboarding", response_model=dto.AdminOnboardingUpdateDto,
                     operation_id="getAdminOnboarding")
def get_admin_onboarding(ctx: MetadataRead, db: Db) -> dict[str, bool]:
    return {"isOnboarded": bool(config_lib.metadata(db, "admin-onboarding").get("isOnboarded", False))}


@metadata_router.post("/admin-onboarding", status_code=204, operation_id="updateAdminOnboarding")
def update_admin_onboarding(body: dto.AdminOnboardingUpdateDto, ctx: MetadataUpdate, db: Db) -> Response:
    config_lib.set_metadata(db, "admin-onboarding", {"isOnboarded": body.isOnboarded})
    return Response(status_code=204)


@metadata_router.get("/reverse-geocoding-state", response_model=dto.ReverseGeocodingStateResponseDto,
                     operation_id="getReverseGeocodingState")
def get_reverse_geocoding_state(ctx: MetadataRead, db: Db) -> dict[str, Any]:
    state = config_lib.metadata(db, "reverse-geocoding-state")
    return {"lastUpdate": state.get("lastUpdate"), "lastImportFileName": state.get("lastImportFileName")}


@metadata_router.get("/version-check-state", response_model=dto.VersionCheckStateResponseDto,
                     operation_id="getVersionCheckState")
def get_version_check_state(ctx: MetadataRead, db: Db) -> dict[str, Any]:
    state = config_lib.metadata(db, "version-check-state")
    return {"checkedAt": state.get("checkedAt"), "releaseVersion": state.get("releaseVersion")}

"""/api/server: ping, version, features, config, media types, statistics, storage; /.well-known/immich."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from photonest import IMMICH_API_VERSION, __version__
from photonest.api import mappers
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import server as server_lib
from photonest.library.auth import AuthContext
from photonest.media import types as media_types

router = Router(prefix="/server", tags=["Server"])
well_known = APIRouter()
REPOSITORY = "photonest/photonest"


@well_known.get("/.well-known/immich", include_in_schema=False)
def immich_discovery() -> dict[str, Any]:
    return {"api": {"endpoint": "/api"}}


@router.get("/ping", response_model=dto.ServerPingResponse, operation_id="pingServer")
def ping() -> dict[str, str]:
    return {"res": "pong"}


@router.get("/version", response_model=dto.ServerVersionResponseDto, operation_id="getServerVersion")
def version() -> dict[str, Any]:
    # Immich clients check compatibility against the API version they were built for.
    major, minor, patch = IMMICH_API_VERSION
    return {"major": major, "minor": minor, "patch": patch, "prerelease": None}


@router.get("/version-history", response_model=list[dto.ServerVersionHistoryResponseDto],
            operation_id="getVersionHistory")
def version_history(db: Db) -> list[dict[str, Any]]:
    return [{"id": v.id, "version": v.version, "createdAt": mappers.iso(v.created_at)}
            for v in server_lib.version_history(db)]


@router.get("/about", response_model=dto.ServerAboutResponseDto, operation_id="getAboutInfo")
def about(ctx: Annotated[AuthContext, Depends(auth("server.about"))]) -> dict[str, Any]:
    return {
        "version": f"v{'.'.join(map(str, IMMICH_API_VERSION))}",
        "versionUrl": f"https://github.com/{REPOSITORY}/releases/tag/v{__version__}",
        "licensed": False,
        "build": f"photonest {__version__}",
        "repository": REPOSITORY,
        "repositoryUrl": f"https://github.com/{REPOSITORY}",
    }


@router.get("/features", response_model=dto.ServerFeaturesDto, operation_id="getServerFeatures")
def features(settings: AppSettings) -> dict[str, bool]:
    return server_lib.features(settings)


@router.get("/config", response_model=dto.ServerConfigDto, operation_id="getServerConfig")
def config(db: Db, settings: AppSettings, request: Request) -> dict[str, Any]:
    return server_lib.config(db, settings, str(request.base_url))


@router.get("/media-types", response_model=dto.ServerMediaTypesResponseDto,
            operation_id="getSupportedMediaTypes")
def get_media_types() -> dict[str, list[str]]:
    return {"image": sorted(media_types.IMAGE), "video": sorted(media_types.VIDEO),
            "sidecar": sorted(media_types.SIDECAR)}


@router.get("/statistics", response_model=dto.ServerStatsResponseDto, operation_id="getServerStatistics")
def statistics(ctx: Annotated[AuthContext, Depends(auth("server.statistics", admin=True))], db: Db) -> dict[str, Any]:
    return server_lib.statistics(db)


@router.get("/storage", response_model=dto.ServerStorageResponseDto, operation_id="getStorage")
def storage(ctx: Annotated[AuthContext, Depends(auth("server.storage"))], settings: AppSettings) -> dict[str, Any]:
    return server_lib.storage(settings.data)


@router.get("/version-check", response_model=dto.VersionCheckStateResponseDto, operation_id="getVersionCheck")
def version_check(ctx: Annotated[AuthContext, Depends(auth("server.versionCheck"))], db: Db) -> dict[str, Any]:
    # Filled by the (opt-in) release check; without network we simply know of no newer release.
    state = server_lib.version_check_state(db)
    return {"checkedAt": state.get("checkedAt"), "releaseVersion": state.get("releaseVersion")}

"""/api/libraries: external libraries (admin only, as in Immich): folders indexed in place, read-only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from photonest.api import mappers
from photonest.api.assets import storage
from photonest.api.deps import AppSettings, Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Library
from photonest.jobs import library_scans
from photonest.library import libraries as libraries_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/libraries", tags=["Libraries"])
# Permissions and admin-only as the contract's x-immich-permission / x-immich-admin-only say.
ReadCtx = Annotated[AuthContext, Depends(auth("library.read", admin=True))]
CreateCtx = Annotated[AuthContext, Depends(auth("library.create", admin=True))]
UpdateCtx = Annotated[AuthContext, Depends(auth("library.update", admin=True))]
DeleteCtx = Annotated[AuthContext, Depends(auth("library.delete", admin=True))]
StatsCtx = Annotated[AuthContext, Depends(auth("library.statistics", admin=True))]
ValidateCtx = Annotated[AuthContext, Depends(auth(None, admin=True))]


def library_dto(lib: Library, asset_count: int) -> dict[str, Any]:
    return {"id": lib.id, "ownerId": lib.owner_id, "name": lib.name, "importPaths": list(lib.import_paths or []),
            "exclusionPatterns": list(lib.exclusion_patterns or []), "assetCount": asset_count,
            "createdAt": mappers.iso(lib.created_at), "updatedAt": mappers.iso(lib.updated_at),
            "refreshedAt": mappers.iso(lib.refreshed_at) if lib.refreshed_at else None}


def _one(db: Any, lib: Library) -> dict[str, Any]:
    return library_dto(lib, libraries_lib.asset_counts(db, [lib.id]).get(lib.id, 0))


def _watch_changed(request: Request) -> None:
    watcher = getattr(request.app.state, "library_watcher", None)
    if watcher is not None:
        watcher.refresh()


@router.get("", response_model=list[dto.LibraryResponseDto], operation_id="getAllLibraries")
def get_all_libraries(ctx: ReadCtx, db: Db) -> list[dict[str, Any]]:
    libs = libraries_lib.list_all(db)
    counts = libraries_lib.asset_counts(db, [lib.id for lib in libs])
    return [library_dto(lib, counts.get(lib.id, 0)) for lib in libs]


@router.post("", status_code=201, response_model=dto.LibraryResponseDto, operation_id="createLibrary")
def create_library(body: dto.CreateLibraryDto, ctx: CreateCtx, db: Db, settings: AppSettings,
                   request: Request) -> dict[str, Any]:
    lib = libraries_lib.create(db, settings.data, owner_id=str(body.ownerId), name=body.name,
                               import_paths=body.importPaths, exclusion_patterns=body.exclusionPatterns)
    db.commit()
    _watch_changed(request)
    return _one(db, lib)


@router.get("/{id}", response_model=dto.LibraryResponseDto, operation_id="getLibrary")
def get_library(id: IdParam, ctx: ReadCtx, db: Db) -> dict[str, Any]:
    return _one(db, libraries_lib.get(db, str(id)))


@router.put("/{id}", response_model=dto.LibraryResponseDto, operation_id="updateLibrary")
def update_library(id: IdParam, body: dto.UpdateLibraryDto, ctx: UpdateCtx, db: Db, settings: AppSettings,
                   request: Request) -> dict[str, Any]:
    lib = libraries_lib.update_one(db, settings.data, str(id), body.model_dump(exclude_unset=True))
    db.commit()
    _watch_changed(request)
    return _one(db, lib)


@router.delete("/{id}", status_code=204, operation_id="deleteLibrary")
async def delete_library(id: IdParam, ctx: DeleteCtx, db: Db, settings: AppSettings, request: Request) -> Response:
    await run_in_threadpool(libraries_lib.delete, db, storage(settings), str(id))
    _watch_changed(request)
    return Response(status_code=204)


@router.post("/{id}/scan", status_code=204, operation_id="scanLibrary")
def scan_library(id: IdParam, ctx: UpdateCtx, db: Db, request: Request) -> Response:
    libraries_lib.get(db, str(id))
    db.commit()  # the queue writes in its own transaction (SQLite has one writer)
    library_scans.request(request.app.state.jobs, str(id))
    return Response(status_code=204)


@router.get("/{id}/statistics", response_model=dto.LibraryStatsResponseDto, operation_id="getLibraryStatistics")
def get_library_statistics(id: IdParam, ctx: StatsCtx, db: Db) -> dict[str, int]:
    return libraries_lib.statistics(db, str(id))


@router.post("/{id}/validate", response_model=dto.ValidateLibraryResponseDto, operation_id="validate")
def validate(id: IdParam, body: dto.ValidateLibraryDto, ctx: ValidateCtx, settings: AppSettings) -> dict[str, Any]:
    checks = libraries_lib.validate(body.importPaths or [], body.exclusionPatterns or [], settings.data)
    return {"importPaths": [{"importPath": c.import_path, "isValid": c.is_valid,
                             **({"message": c.message} if c.message else {})} for c in checks]}

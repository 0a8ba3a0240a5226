"""/api/admin/database-backups: list, download, delete, upload and restore database backups (library/backups)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Path, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import backups, errors
from photonest.library.auth import AuthContext, has_admin

router = Router(prefix="/admin/database-backups", tags=["Database Backups (admin)"])
BINARY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}
Filename = Annotated[str, Path(pattern=r"^[a-zA-Z0-9_\-.]+$")]


class DatabaseBackupUploadDto(BaseModel):
    """The multipart form of POST /admin/database-backups/upload (Immich's schema of the same name)."""

    file: Annotated[UploadFile | None, Field(description="Database backup file")] = None


@router.get("", response_model=dto.DatabaseBackupListResponseDto, operation_id="listDatabaseBackups")
def list_database_backups(ctx: Annotated[AuthContext, Depends(auth("maintenance", admin=True))],
                          settings: AppSettings) -> dict[str, Any]:
    return {"backups": [{"filename": b.name, "filesize": b.size, "timezone": "UTC"}
                        for b in backups.list_backups(settings)]}


@router.get("/{filename}", operation_id="downloadDatabaseBackup", response_class=FileResponse, responses=BINARY)
def download_database_backup(filename: Filename,
                             ctx: Annotated[AuthContext, Depends(auth("backup.download", admin=True))],
                             settings: AppSettings) -> Response:
    path = backups.path_of(settings, filename)
    return FileResponse(path, media_type="application/octet-stream", filename=path.name)


@router.delete("", status_code=200, operation_id="deleteDatabaseBackup", response_class=Response)
def delete_database_backup(body: dto.DatabaseBackupDeleteDto,
                           ctx: Annotated[AuthContext, Depends(auth("backup.delete", admin=True))],
                           settings: AppSettings) -> Response:
    backups.delete_backups(settings, body.backups)
    return Response(status_code=200)


@router.post("/upload", status_code=201, operation_id="uploadDatabaseBackup", response_class=Response)
async def upload_database_backup(form: Annotated[DatabaseBackupUploadDto, Form(media_type="multipart/form-data")],
                                 ctx: Annotated[AuthContext, Depends(auth("backup.upload", admin=True))],
                                 settings: AppSettings) -> Response:
    if form.file is None:
        raise errors.BadRequest("file is required")
    upload = form.file
    await run_in_threadpool(backups.save_upload, settings, upload.filename or "", upload.file)
    return Response(status_code=201)


@router.post("/start-restore", status_code=201, operation_id="startDatabaseRestoreFlow",
             response_class=Response)
async def start_database_restore_flow(request: Request, db: Db, settings: AppSettings) -> Response:
    """Immich allows this only before the server is set up: restore the newest backup in <data>/backups (e.g. the
    backups folder of the old installation, copied in). A server with users restores with the CLI."""
    if await run_in_threadpool(has_admin, db):
        raise errors.BadRequest("photonest is already set up: stop the server and run "
                                "`photonest backup restore NAME` (see docs/backups.md)")
    found = backups.list_backups(settings)
    if not found:
        raise errors.BadRequest(f"No backup in {settings.backups_dir}: copy one there first")
    await run_in_threadpool(db.rollback)
    await run_in_threadpool(backups.restore, settings, found[0].name, safety_backup=False)
    await run_in_threadpool(request.app.state.jobs.sweep)  # the restored library's unfinished work
    return Response(status_code=201)

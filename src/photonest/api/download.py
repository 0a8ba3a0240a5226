"""/api/download: plan archives and stream them as ZIP (ZIP64, no temporary copy)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import StreamingResponse

from photonest.api.assets import ids_of, storage
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import downloads as downloads_lib
from photonest.library.auth import AuthContext
from photonest.storage.s3 import ObjectFile, S3Storage
from photonest.storage.zipstream import Openable, stream_zip

router = Router(prefix="/download", tags=["Download"])
DownloadCtx = Annotated[AuthContext, Depends(auth("asset.download", shared_link=True))]


@router.post("/info", status_code=201, response_model=dto.DownloadResponseDto, operation_id="getDownloadInfo")
def get_download_info(body: dto.DownloadInfoDto, ctx: DownloadCtx, db: Db, key: str | None = None,
                      slug: str | None = None) -> dict[str, Any]:
    return downloads_lib.plan(db, ctx, asset_ids=ids_of(body.assetIds) if body.assetIds else None,
                              album_id=str(body.albumId) if body.albumId else None,
                              user_id=str(body.userId) if body.userId else None, archive_size=body.archiveSize)


@router.post("/archive", operation_id="downloadArchive", response_class=StreamingResponse,
             responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                   "format": "binary"}}}}})
def download_archive(body: dto.DownloadArchiveDto, ctx: DownloadCtx, db: Db, settings: AppSettings,
                     key: str | None = None, slug: str | None = None) -> StreamingResponse:
    # Resolve and check everything before the first byte goes out: errors are then proper 4xx responses.
    store = storage(settings)
    # Absolute paths are external originals, already checked against their library's import paths.
    # Object storage: each object is streamed from the bucket as the archive is written.
    files: list[tuple[Path | Openable, str, datetime | None]] = [
        (Path(k) if os.path.isabs(k) else ObjectFile(store, k) if isinstance(store, S3Storage) else store.path(k),
         name, when) for k, name, when in downloads_lib.entries(db, ctx, ids_of(body.assetIds))]
    return StreamingResponse(stream_zip(files), media_type="application/octet-stream",
                             headers={"Content-Disposition": 'attachment; filename="photonest-download.zip"'})

"""/api/upload/tus: resumable uploads with the tus 1.0 protocol (beyond Immich).

Extensions: creation, termination, expiration. Upload-Metadata keys are the upload form's fields:
filename (required), fileCreatedAt, fileModifiedAt, isFavorite, visibility, livePhotoVideoId, duration,
deviceAssetId, deviceId. A finished upload goes through the same ingest as POST /api/assets; the last PATCH
(and any HEAD afterwards) answers with X-Immich-Asset-Id and X-Immich-Asset-Status (created | duplicate).
"""

from __future__ import annotations

import base64
import binascii
import logging
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from photonest.api.assets import after_ingest, new_asset_from_fields, storage
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.errors import error_response
from photonest.api.routing import Router
from photonest.api.streaming import BodyWriter
from photonest.db.tables import TusUpload
from photonest.library import errors
from photonest.library import uploads as uploads_lib
from photonest.library.auth import AuthContext
from photonest.library.ingest import Upload, ingest
from photonest.storage.local import StorageFull, is_disk_full

log = logging.getLogger(__name__)
router = Router(prefix="/upload/tus", tags=["Uploads (tus)"], include_in_schema=False)
AssetUploadCtx = Annotated[AuthContext, Depends(auth("asset.upload"))]

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
OFFSET_TYPE = "application/offset+octet-stream"


def _headers(up: TusUpload | None = None, **extra: str) -> dict[str, str]:
    h = {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **extra}
    if up is not None:
        h["Upload-Offset"] = str(up.offset)
        h["Upload-Length"] = str(up.length)
        if up.asset_id:
            h["X-Immich-Asset-Id"] = up.asset_id
            h["X-Immich-Asset-Status"] = up.status or "created"
        else:
            h["Upload-Expires"] = format_datetime(up.expires_at, usegmt=True)
    return h


def _check_version(request: Request) -> Response | None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        return error_response(412, "Tus-Resumable 1.0.0 is required",
                              headers={"Tus-Version": TUS_VERSION, "Tus-Resumable": TUS_VERSION})
    return None


def parse_metadata(value: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in value.split(","))):
        key, _, b64 = pair.partition(" ")
        if not key or key in meta:
            raise errors.BadRequest("Upload-Metadata has an empty or repeated key")
        try:
            meta[key] = base64.b64decode(b64.strip(), validate=True).decode("utf-8") if b64 else ""
        except (binascii.Error, UnicodeDecodeError) as e:
            raise errors.BadRequest(f"Upload-Metadata value of {key} is not base64 of UTF-8 text") from e
    return meta


def _int_header(request: Request, name: str) -> int:
    v = request.headers.get(name)
    if v is None or not v.isdigit():
        raise errors.BadRequest(f"{name} header is required (a non-negative integer)")
    return int(v)


@router.options("")
def tus_options(settings: AppSettings) -> Response:
    return Response(status_code=204, headers={
        "Tus-Resumable": TUS_VERSION, "Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS,
        "Tus-Max-Size": str(settings.max_upload_bytes)})


@router.post("")
def tus_create(request: Request, ctx: AssetUploadCtx, db: Db, settings: AppSettings) -> Response:
    if (bad := _check_version(request)) is not None:
        return bad
    if request.headers.get("upload-defer-length"):
        raise errors.BadRequest("Upload-Defer-Length is not supported; send Upload-Length")
    length = _int_header(request, "upload-length")
    meta = parse_metadata(request.headers.get("upload-metadata", ""))
    from photonest.db.types import utcnow

    now = utcnow().isoformat()
    meta.setdefault("fileCreatedAt", meta.get("fileModifiedAt") or now)
    meta.setdefault("fileModifiedAt", meta["fileCreatedAt"])
    new_asset_from_fields(meta, None)  # refuse bad fields now, not after gigabytes
    up = uploads_lib.create(db, ctx, settings, storage(settings), length, meta)
    return Response(status_code=201, headers=_headers(up, Location=f"/api/upload/tus/{up.id}"))


@router.head("/{upload_id}")
def tus_head(upload_id: str, request: Request, ctx: AssetUploadCtx, db: Db) -> Response:
    if (bad := _check_version(request)) is not None:
        return bad
    up = uploads_lib.get(db, ctx, upload_id)
    return Response(status_code=200, headers=_headers(up))


@router.delete("/{upload_id}")
def tus_terminate(upload_id: str, request: Request, ctx: AssetUploadCtx, db: Db,
                  settings: AppSettings) -> Response:
    if (bad := _check_version(request)) is not None:
        return bad
    uploads_lib.terminate(db, ctx, storage(settings), upload_id)
    return Response(status_code=204, headers=_headers())


@router.patch("/{upload_id}")
async def tus_patch(upload_id: str, request: Request, ctx: AssetUploadCtx, db: Db,
                    settings: AppSettings) -> Response:
    if (bad := _check_version(request)) is not None:
        return bad
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != OFFSET_TYPE:
        return error_response(415, f"Content-Type must be {OFFSET_TYPE}", headers=_headers())
    offset = _int_header(request, "upload-offset")
    store = storage(settings)
    up, sink = await run_in_threadpool(uploads_lib.open_for_patch, db, ctx, store, upload_id, offset)
    start = sink.size
    writer = BodyWriter(sink, up.length - start,
                        lambda n: errors.BadRequest("The body goes past Upload-Length"))
    try:
        try:
            async for chunk in request.stream():
                if chunk:
                    writer.feed(chunk)
                    await writer.pump()
        except ClientDisconnect:
            log.info("tus %s: connection dropped at %d bytes; resumable", up.id, start + writer.received)
        await writer.finish()
        await run_in_threadpool(uploads_lib.record_progress, db, settings, up, sink)
    except BaseException as exc:
        # A refused or failed PATCH leaves the upload exactly as it was before it.
        await writer.drain_quietly()
        try:
            sink.truncate(start)
        finally:
            sink.close(durable=False)
            uploads_lib.forget(up.id)
        if isinstance(exc, OSError) and (isinstance(exc, StorageFull) or is_disk_full(exc)):
            raise errors.InsufficientStorage("Not enough free space on the server to store this file") from exc
        raise
    done = sink.size == up.length
    checksum = sink.digest
    await run_in_threadpool(sink.close)
    if not done:
        return Response(status_code=204, headers=_headers(up))
    return await _finish(request, db, settings, ctx, up, checksum)


async def _finish(request: Request, db: Any, settings: Any, ctx: Any, up: TusUpload, checksum: bytes) -> Response:
    store = storage(settings)
    path = store.upload_path(uploads_lib.part_name(up.id))
    try:
        info = new_asset_from_fields(dict(up.meta), None)
        result = await run_in_threadpool(ingest, db, store, ctx, info, Upload(path, up.length, checksum))
    except BaseException as exc:
        path.unlink(missing_ok=True)
        await run_in_threadpool(uploads_lib.drop, db, up)
        if isinstance(exc, OSError) and is_disk_full(exc):
            raise errors.InsufficientStorage("Not enough free space on the server to store this file") from exc
        raise
    await run_in_threadpool(uploads_lib.mark_finished, db, up, result.id, result.status)
    await run_in_threadpool(after_ingest, request, db, result)
    return Response(status_code=204, headers=_headers(up))

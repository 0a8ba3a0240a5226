"""/api/assets: upload (streamed multipart), bulk upload check, read, edit, delete, download, thumbnails,
video playback, statistics, jobs. HTTP only: the rules live in library.ingest and library.assets."""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session as DbSession
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from photonest import events as ev
from photonest.api import mappers
from photonest.api.deps import AppSettings, Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.object_media import object_response
from photonest.api.routing import Router
from photonest.api.streaming import BodyWriter, read_multipart
from photonest.config import Settings
from photonest.db.tables import Asset
from photonest.library import assets as assets_lib
from photonest.library import errors, smart_search
from photonest.library import tags as tags_lib
from photonest.library.assets import AssetView
from photonest.library.auth import AuthContext
from photonest.library.ingest import (
    IngestResult,
    NewAsset,
    Upload,
    check_quota,
    check_upload_access,
    find_by_checksum,
    ingest,
    parse_checksum,
    quota_message,
    remaining_quota,
)
from photonest.library.originals import file_path
from photonest.media.types import mime_type
from photonest.storage.backends import open_storage
from photonest.storage.local import LocalStorage, StorageFull, is_disk_full
from photonest.storage.s3 import S3Storage

log = logging.getLogger(__name__)
router = Router(prefix="/assets", tags=["Assets"])
AssetDeleteCtx = Annotated[AuthContext, Depends(auth("asset.delete"))]
AssetDownloadCtx = Annotated[AuthContext, Depends(auth("asset.download", shared_link=True))]
AssetReadCtx = Annotated[AuthContext, Depends(auth("asset.read", shared_link=True))]
AssetStatisticsCtx = Annotated[AuthContext, Depends(auth("asset.statistics"))]
AssetUpdateCtx = Annotated[AuthContext, Depends(auth("asset.update"))]
AssetUploadCtx = Annotated[AuthContext, Depends(auth("asset.upload"))]
# Guests of a share link that allows uploads may add to it (as Immich): ?key= / ?slug=.
GuestUploadCtx = Annotated[AuthContext, Depends(auth("asset.upload", shared_link=True))]
AssetViewCtx = Annotated[AuthContext, Depends(auth("asset.view", shared_link=True))]
JobCreateCtx = Annotated[AuthContext, Depends(auth("job.create"))]

MULTIPART_SLACK = 1 << 20  # headers and small fields around the file in a multipart body
MAX_SIDECAR_BYTES = 32 << 20
CACHE_PRIVATE = "private, max-age=86400, no-transform"
WEB_IMAGES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".avif"}
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"$ref": "#/components/schemas/AssetMediaCreateDto"}}}}}


def storage(settings: Settings) -> LocalStorage:
    """The configured backend (data folder or S3 bucket; both stage uploads in upload/ as LocalStorage does)."""
    return open_storage(settings)


def after_ingest(request: Request, db: Any, result: IngestResult) -> None:
    """A new asset: queue its processing. Clients hear of it (on_upload_success, AssetUploadReady*) once its
    thumbnails exist, as with Immich: a timeline reloading then shows the picture, not a grey tile."""
    if result.asset is None:
        return
    a = result.asset
    db.commit()  # no transaction (SQLite: no write lock) held while the queue records the work
    try:
        request.app.state.jobs.enqueue_asset(a.id)
    except Exception:  # the asset is safe; the start-up / nightly sweep queues what is missing
        log.exception("could not queue processing for asset %s", a.id)


def ids_of(items: Any) -> list[str]:
    """UUIDs from a DTO list (plain UUIDs or the generated RootModel wrappers)."""
    return [str(getattr(i, "root", i)) for i in items]


# --- parsing the upload form ------------------------------------------------------------------------


def parse_datetime(name: str, value: str | None) -> datetime:
    if not value:
        raise errors.BadRequest(f"{name} is required")
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError as e:
        raise errors.BadRequest(f"{name} must be an ISO 8601 date-time") from e
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def parse_bool(name: str, value: str | None) -> bool:
    if value is None or value == "":
        return False
    v = value.strip().lower()
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    raise errors.BadRequest(f"{name} must be a boolean")


_LEGACY_DURATION = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def parse_duration(value: str | None) -> int | None:
    """Milliseconds (v3). Older clients send "H:MM:SS.ffffff"; both are accepted."""
    if value is None or value.strip() == "":
        return None
    v = value.strip()
    if v.isdigit():
        return int(v)
    m = _LEGACY_DURATION.match(v)
    if m:
        h, mi, s = int(m[1]), int(m[2]), float(m[3])
        return round((h * 3600 + mi * 60 + s) * 1000)
    raise errors.BadRequest("duration must be an integer number of milliseconds")


def parse_uuid(name: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError as e:
        raise errors.BadRequest(f"{name} must be a UUID") from e


def parse_metadata(value: str | None) -> list[tuple[str, dict[str, Any]]]:
    if not value:
        return []
    try:
        raw = json.loads(value)
        items = [dto.AssetMetadataUpsertItemDto.model_validate(x) for x in (raw if isinstance(raw, list) else [raw])]
    except (ValueError, ValidationError) as e:
        raise errors.BadRequest("metadata must be a JSON array of {key, value}") from e
    out = [(str(getattr(i.key, "value", i.key)), i.value if isinstance(i.value, dict) else {"value": i.value})
           for i in items]
    from photonest.library import asset_metadata

    asset_metadata.check_items([asset_metadata.Item("", k, v) for k, v in out], values=True)
    return out


def new_asset_from_fields(fields: dict[str, str], part_filename: str | None) -> NewAsset:
    filename = fields.get("filename") or part_filename or ""
    return NewAsset(
        filename=filename,
        file_created_at=parse_datetime("fileCreatedAt", fields.get("fileCreatedAt")),
        file_modified_at=parse_datetime("fileModifiedAt", fields.get("fileModifiedAt")),
        is_favorite=parse_bool("isFavorite", fields.get("isFavorite")),
        visibility=fields.get("visibility") or "timeline",
        live_photo_video_id=parse_uuid("livePhotoVideoId", fields.get("livePhotoVideoId")),
        duration=parse_duration(fields.get("duration")),
        device_asset_id=fields.get("deviceAssetId", ""),
        device_id=fields.get("deviceId", ""),
        metadata=parse_metadata(fields.get("metadata")),
    )


# --- upload -----------------------------------------------------------------------------------------


@router.post("", status_code=201, response_model=dto.AssetMediaResponseDto, operation_id="uploadAsset",
             responses={200: {"model": dto.AssetMediaResponseDto, "description": "Duplicate of an existing asset"}},
             openapi_extra=UPLOAD_BODY)
async def upload_asset(
    request: Request, ctx: GuestUploadCtx, db: Db, settings: AppSettings,
    x_immich_checksum: str | None = Header(None, description="SHA-1 of the file (hex or base64)"),
    key: str | None = Query(None), slug: str | None = Query(None),
) -> Response:
    check_upload_access(ctx)
    declared_checksum = parse_checksum(x_immich_checksum) if x_immich_checksum else None
    if declared_checksum is not None:
        dup = await run_in_threadpool(find_by_checksum, db, ctx.user.id, declared_checksum)
        if dup is not None:
            return JSONResponse({"id": dup.id, "status": "duplicate"}, status_code=200)
    await run_in_threadpool(db.commit)  # no transaction stays open while the body streams

    length = request.headers.get("content-length")
    declared = int(length) if length and length.isdigit() else None
    if declared is not None and declared > settings.max_upload_bytes + MULTIPART_SLACK:
        raise errors.PayloadTooLarge(f"Upload is larger than the server's limit of {settings.max_upload_bytes} bytes")
    remaining = remaining_quota(ctx.user)
    if remaining is not None and declared is not None and declared > remaining + MULTIPART_SLACK:
        check_quota(ctx.user, declared - MULTIPART_SLACK)

    store = storage(settings)
    writers: list[BodyWriter] = []

    def too_large(n: int) -> Exception:
        if remaining is not None and n > remaining:
            return errors.BadRequest(quota_message(ctx.user, n))
        return errors.PayloadTooLarge(f"Upload is larger than the server's limit of {settings.max_upload_bytes} bytes")

    def open_file(field: str, filename: str) -> BodyWriter:
        if field == "assetData":
            limit = settings.max_upload_bytes if remaining is None else min(settings.max_upload_bytes, remaining)
            w = BodyWriter(store.new_upload(), limit, too_large)
        elif field == "sidecarData":
            w = BodyWriter(store.new_upload(".xmp.part"), MAX_SIDECAR_BYTES,
                           lambda n: errors.PayloadTooLarge("Sidecar is larger than 32 MB"))
        else:
            raise errors.BadRequest(f"Unexpected file field {field}")
        writers.append(w)
        return w

    try:
        form = await read_multipart(request.headers.get("content-type", ""), request.stream(), open_file)
        part = form.files.get("assetData")
        if part is None:
            raise errors.BadRequest("assetData is required")
        info = new_asset_from_fields(form.fields, part.filename)
        for w in writers:
            await run_in_threadpool(w.sink.close)  # flush + fsync before the file may become visible
        sidecar_part = form.files.get("sidecarData")
        upload = Upload(part.writer.sink.path, part.writer.sink.size, part.writer.sink.digest)
        if declared_checksum is not None and declared_checksum != upload.checksum:
            raise errors.BadRequest("The file's SHA-1 does not match x-immich-checksum; the upload was damaged")
        sidecar = (Upload(sidecar_part.writer.sink.path, sidecar_part.writer.sink.size,
                          sidecar_part.writer.sink.digest) if sidecar_part else None)
        result = await run_in_threadpool(ingest, db, store, ctx, info, upload, sidecar)
    except ClientDisconnect:
        log.info("upload from %s dropped mid-body; nothing kept", ctx.user.id)
        await _discard(writers)
        return Response(status_code=400)
    except OSError as e:
        await _discard(writers)
        if isinstance(e, StorageFull) or is_disk_full(e):
            raise errors.InsufficientStorage("Not enough free space on the server to store this file") from e
        raise
    except BaseException:
        await _discard(writers)
        raise
    await run_in_threadpool(after_ingest, request, db, result)
    return JSONResponse({"id": result.id, "status": result.status},
                        status_code=201 if result.status == "created" else 200)


async def _discard(writers: list[BodyWriter]) -> None:
    for w in writers:
        try:
            await w.drain_quietly()
        finally:
            w.sink.abort()


@router.post("/bulk-upload-check", response_model=dto.AssetBulkUploadCheckResponseDto,
             operation_id="checkBulkUpload", response_model_exclude_unset=True)
def bulk_upload_check(body: dto.AssetBulkUploadCheckDto, ctx: AssetUploadCtx, db: Db) -> dict[str, Any]:
    checksums = [parse_checksum(item.checksum) for item in body.assets]
    found = assets_lib.by_checksums(db, ctx.user.id, checksums)
    results: list[dict[str, Any]] = []
    for item, cs in zip(body.assets, checksums, strict=True):
        hit = found.get(cs)
        if hit is None:
            results.append({"id": item.id, "action": "accept"})
        else:
            results.append({"id": item.id, "action": "reject", "reason": "duplicate", "assetId": hit.id,
                            "isTrashed": hit.deleted_at is not None})
    return {"results": results}


# --- reading and editing ----------------------------------------------------------------------------


def _dto(v: AssetView) -> dict[str, Any]:
    return mappers.asset(v.asset, v.exif, v.owner)


@router.get("/statistics", response_model=dto.AssetStatsResponseDto, operation_id="getAssetStatistics")
def get_asset_statistics(ctx: AssetStatisticsCtx, db: Db, isFavorite: bool | None = None,
                         isTrashed: bool | None = None,
                         visibility: dto.AssetVisibility | None = None) -> dict[str, int]:
    return assets_lib.statistics(db, ctx.user.id, is_favorite=isFavorite, is_trashed=isTrashed,
                                 visibility=visibility.value if visibility else None)


@router.post("/jobs", status_code=204, operation_id="runAssetJobs")
def run_asset_jobs(body: dto.AssetJobsDto, ctx: JobCreateCtx, db: Db, request: Request) -> Response:
    ids = assets_lib.request_jobs(db, ctx, ids_of(body.assetIds), body.name.value)
    stages = assets_lib.JOB_STAGES[body.name.value]
    db.commit()
    for asset_id in ids:
        request.app.state.jobs.enqueue_asset(asset_id, list(stages))
    return Response(status_code=204)


@router.put("", status_code=204, operation_id="updateAssets")
def update_assets(body: dto.AssetBulkUpdateDto, ctx: AssetUpdateCtx, db: Db, settings: AppSettings,
                  request: Request) -> Response:
    changes = body.model_dump(exclude_unset=True, mode="json")
    ids = [str(i) for i in changes.pop("ids")]
    changes.pop("duplicateId", None)  # duplicate groups are not tracked (yet)
    assets = assets_lib.update_many(db, ctx, ids, changes, geocode=settings.reverse_geocoding)
    db.commit()
    if smart_search.text_changed(changes):
        smart_search.refresh_text(request.app.state.jobs, [a.id for a in assets])
    for a in assets:
        v = assets_lib.view(db, a)
        request.app.state.events.emit(a.owner_id, ev.ASSET_UPDATE, _dto(v))
    return Response(status_code=204)


@router.delete("", status_code=204, operation_id="deleteAssets")
def delete_assets(body: dto.AssetBulkDeleteDto, ctx: AssetDeleteCtx, db: Db, settings: AppSettings,
                  request: Request) -> Response:
    # With the trash switched off (system config trash.enabled) a delete is for good, as in Immich.
    force = bool(body.force) or not settings.trash_enabled
    ids, purged = assets_lib.delete(db, storage(settings), ctx, ids_of(body.ids), force=force)
    db.commit()
    events = request.app.state.events
    if purged:
        for i in ids:
            events.emit(ctx.user.id, ev.ASSET_DELETE, i)
    elif ids:
        events.emit(ctx.user.id, ev.ASSET_TRASH, ids)
    return Response(status_code=204)


@router.get("/{id}", response_model=dto.AssetResponseDto, operation_id="getAssetInfo")
def get_asset_info(id: IdParam, ctx: AssetReadCtx, db: Db, key: str | None = None,
                   slug: str | None = None) -> dict[str, Any]:
    from photonest.api.people import asset_people  # faces and people (issue 8)
    from photonest.api.tags import tag_dto

    out = {**_dto(assets_lib.get_view(db, ctx, str(id))), "people": asset_people(db, str(id))}
    # Tags are private to their owner: a partner or link holder sees the asset without them (as in Immich).
    if ctx.shared_link is None and out["ownerId"] == ctx.user.id:
        out["tags"] = [tag_dto(t) for t in tags_lib.tags_of(db, [str(id)]).get(str(id), [])]
    return out


@router.put("/{id}", response_model=dto.AssetResponseDto, operation_id="updateAsset")
def update_asset(id: IdParam, body: dto.UpdateAssetDto, ctx: AssetUpdateCtx, db: Db, settings: AppSettings,
                 request: Request) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, mode="json")
    v = assets_lib.update_one(db, ctx, str(id), changes, geocode=settings.reverse_geocoding)
    db.commit()
    if smart_search.text_changed(changes):
        smart_search.refresh_text(request.app.state.jobs, [v.asset.id])
    out = _dto(v)
    request.app.state.events.emit(v.asset.owner_id, ev.ASSET_UPDATE, out)
    return out


# --- files ------------------------------------------------------------------------------------------


def _file(settings: Settings, key: str, media_type: str, filename: str | None = None, *,
          db: DbSession | None = None, asset: Asset | None = None, request: Request | None = None) -> Response:
    if filename is not None:  # names found on disk may hold control characters; never put them in a header
        filename = "".join("_" if ord(c) < 32 or ord(c) == 127 else c for c in filename)
    store = storage(settings)
    if isinstance(store, S3Storage) and not (asset is not None and asset.library_id and key == asset.original_path):
        # Object storage: streamed from the bucket with ranged GETs (an external library's original stays local).
        headers = request.headers if request is not None else {}
        return object_response(store, key, media_type, filename=filename, range_header=headers.get("range"),
                               if_none_match=headers.get("if-none-match"), cache_control=CACHE_PRIVATE)
    # An external library's original lives outside the data dir: originals.file_path checks its import paths.
    path = (file_path(db, store, asset, key) if db is not None and asset is not None else store.path(key))
    if not path.is_file():
        raise errors.NotFound("Asset media not found")
    return FileResponse(path, media_type=media_type, filename=filename, content_disposition_type="inline",
                        headers={"Cache-Control": CACHE_PRIVATE})


BINARY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/{id}/original", operation_id="downloadAsset", response_class=FileResponse, responses=BINARY)
def download_asset(id: IdParam, ctx: AssetDownloadCtx, db: Db, settings: AppSettings, request: Request,
                   edited: bool | None = None, key: str | None = None, slug: str | None = None) -> Response:
    a = assets_lib.get_readable(db, ctx, str(id), "asset.download", download=True)
    return _file(settings, a.original_path, a.original_mime_type, a.original_file_name, db=db, asset=a,
                 request=request)


@router.get("/{id}/thumbnail", operation_id="viewAsset", response_class=FileResponse, responses=BINARY)
def view_asset(id: IdParam, ctx: AssetViewCtx, db: Db, settings: AppSettings, request: Request,
               size: dto.AssetMediaSize = dto.AssetMediaSize.thumbnail, edited: bool | None = None,
               key: str | None = None, slug: str | None = None) -> Response:
    a = assets_lib.get_readable(db, ctx, str(id), "asset.view")
    file_key = assets_lib.media_file(db, a, size.value, web_images=WEB_IMAGES)
    ext = "." + file_key.rsplit(".", 1)[-1].lower() if "." in file_key else ""
    stem = a.original_file_name.rsplit(".", 1)[0]
    return _file(settings, file_key, mime_type(ext), f"{stem}_{size.value}{ext}", db=db, asset=a, request=request)


@router.get("/{id}/video/playback", operation_id="playAssetVideo", response_class=FileResponse, responses=BINARY)
def play_asset_video(id: IdParam, ctx: AssetViewCtx, db: Db, settings: AppSettings, request: Request,
                     key: str | None = None, slug: str | None = None) -> Response:
    a = assets_lib.get_readable(db, ctx, str(id), "asset.view")
    file_key = assets_lib.playback_file(db, a)
    ext = "." + file_key.rsplit(".", 1)[-1].lower() if "." in file_key else ""
    return _file(settings, file_key, mime_type(ext), db=db, asset=a, request=request)

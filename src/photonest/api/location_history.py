"""/api/location-history (ours, beyond Immich): days, trips, home and GPX import (library.location_history,
library.gpx). Every operation sees only the caller's own assets."""

from __future__ import annotations

import json
import tempfile
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from photonest import events as ev
from photonest.api import mappers
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.routing import Router
from photonest.library import assets as assets_lib
from photonest.library import errors, gpx, smart_search
from photonest.library import location_history as history
from photonest.library.auth import AuthContext

router = Router(prefix="/location-history", tags=["Location history"])
ReadCtx = Annotated[AuthContext, Depends(auth("map.read"))]
HomeCtx = Annotated[AuthContext, Depends(auth("userPreference.update"))]
ImportCtx = Annotated[AuthContext, Depends(auth("asset.update"))]


class HomeDto(BaseModel):
    latitude: float
    longitude: float
    radiusKm: float | None = Field(None, description="Days farther than this from home are away (default 50)")


class GpxApplyDto(BaseModel):
    previewId: str


@router.get("/days", operation_id="getLocationHistoryDays")
def get_days(ctx: ReadCtx, db: Db,
             from_: Annotated[str | None, Query(alias="from", description="First day, YYYY-MM-DD")] = None,
             to: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None) -> Response:
    start, end = history.parse_day(from_, "from"), history.parse_day(to, "to")
    # Already JSON (the points are rendered by the database).
    return Response(history.days_json(db, ctx.user.id, start, end), media_type="application/json")


@router.get("/trips", operation_id="getLocationHistoryTrips")
def get_trips(ctx: ReadCtx, db: Db) -> list[dict[str, Any]]:
    return history.trips(db, ctx.user.id)


@router.get("/trips/{id}", operation_id="getLocationHistoryTrip")
def get_trip(id: str, ctx: ReadCtx, db: Db) -> dict[str, Any]:
    return history.trip(db, ctx.user.id, id)


@router.get("/home", operation_id="getLocationHistoryHome")
def get_home(ctx: ReadCtx, db: Db) -> dict[str, Any] | None:
    home = history.get_home(db, ctx.user.id)
    if home is None:
        raise errors.NotFound("No home set and no geotagged photos to infer it from")
    return home.dto()


@router.put("/home", operation_id="setLocationHistoryHome")
def set_home(body: HomeDto, ctx: HomeCtx, db: Db) -> dict[str, Any]:
    return history.set_home(db, ctx.user.id, body.latitude, body.longitude, body.radiusKm).dto()


@router.delete("/home", status_code=204, operation_id="deleteLocationHistoryHome")
def delete_home(ctx: HomeCtx, db: Db) -> None:
    history.clear_home(db, ctx.user.id)


# --- GPX import -------------------------------------------------------------------------------------------

GPX_CONTENT: dict[str, Any] = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "GPX 1.0 or 1.1"},
        "offsetMinutes": {"type": "integer", "default": 0,
                          "description": "camera clock offset: camera time + offset = UTC"},
        "maxGapMinutes": {"type": "integer", "default": gpx.DEFAULT_MAX_GAP_MINUTES},
        "overwrite": {"type": "boolean", "default": False,
                      "description": "also photos that have a position"}}}}}
GPX_FORM: dict[str, Any] = {"requestBody": {"required": True, "content": GPX_CONTENT}}


async def _read_form(request: Request, db: Any) -> tuple[Any, dict[str, Any]]:
    """The multipart form: a spooled copy of the file (at most gpx.MAX_BYTES) and the options."""
    await run_in_threadpool(db.commit)  # no transaction (SQLite's write lock) stays open while the body arrives
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > gpx.MAX_BYTES + (1 << 16):
        raise errors.PayloadTooLarge(f"GPX files are limited to {gpx.MAX_BYTES >> 20} MB")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise errors.BadRequest("Send the GPX file as multipart/form-data (field 'file')")
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise errors.BadRequest("file is required (a GPX file)")
        spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (the caller closes it)
        size = 0
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > gpx.MAX_BYTES:
                spool.close()
                raise errors.PayloadTooLarge(f"GPX files are limited to {gpx.MAX_BYTES >> 20} MB")
            spool.write(chunk)
        spool.seek(0)
        options = {
            "offset_minutes": _int(form.get("offsetMinutes"), "offsetMinutes", 0),
            "max_gap_minutes": _int(form.get("maxGapMinutes"), "maxGapMinutes", gpx.DEFAULT_MAX_GAP_MINUTES),
            "overwrite": _bool(form.get("overwrite"), "overwrite"),
        }
        return spool, options
    finally:
        await form.close()


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        raise errors.BadRequest(f"{name} must be an integer") from None


def _bool(value: Any, name: str) -> bool:
    if value is None or value == "":
        return False
    text = str(value).strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise errors.BadRequest(f"{name} must be true or false")
    return text in ("true", "1")


@router.post("/gpx/preview", operation_id="previewGpxImport", openapi_extra=GPX_FORM)
async def preview_gpx(request: Request, ctx: ImportCtx, db: Db) -> dict[str, Any]:
    spool, options = await _read_form(request, db)
    try:
        return await run_in_threadpool(gpx.preview, db, ctx, spool, **options)
    finally:
        spool.close()


@router.post("/gpx/apply", operation_id="applyGpxImport", openapi_extra={"requestBody": {
    "required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["previewId"],
                                        "properties": {"previewId": {"type": "string"}}}},
        **GPX_CONTENT}}})
async def apply_gpx(request: Request, ctx: ImportCtx, db: Db, settings: AppSettings) -> dict[str, Any]:
    """A preview by its id, or (multipart, as /gpx/preview) a file matched and applied at once."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        spool, options = await _read_form(request, db)
        try:
            found = await run_in_threadpool(gpx.preview, db, ctx, spool, **options)
        finally:
            spool.close()
        preview_id = str(found["previewId"])
    else:
        try:
            body = GpxApplyDto.model_validate(json.loads(await request.body() or b"null"))
        except ValueError:
            raise errors.BadRequest("Send {\"previewId\": ...} as JSON, or the GPX file as multipart") from None
        preview_id = body.previewId
    changed = await run_in_threadpool(_apply, db, ctx, preview_id, settings.reverse_geocoding)
    # The place is in each photo's smart-search text, as for PUT /assets with a position.
    smart_search.refresh_text(request.app.state.jobs, [str(p["id"]) for p in changed])
    for payload in changed:
        request.app.state.events.emit(ctx.user.id, ev.ASSET_UPDATE, payload)
    return {"updated": len(changed)}


def _apply(db: Any, ctx: AuthContext, preview_id: str, geocode: bool) -> list[dict[str, Any]]:
    changed = gpx.apply(db, ctx, preview_id, geocode=geocode)
    db.commit()  # before the events go out, as PUT /assets does
    return [mappers.asset(v.asset, v.exif, v.owner) for v in (assets_lib.view(db, a) for a in changed)]

"""/api/admin/integrity: what the integrity scans found (library/integrity), as pages, CSV and files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from photonest.api.deps import AppSettings, Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import integrity
from photonest.library.auth import AuthContext

router = Router(prefix="/admin/integrity", tags=["Maintenance (admin)"])
Maintenance = Annotated[AuthContext, Depends(auth("maintenance", admin=True))]


class IntegrityReportResponseDto(BaseModel):
    """Immich's schema of this name, whose items are an inline object (id, type, path), not a named schema."""

    items: list[dict[str, Any]]
    nextCursor: str | None = None


BINARY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/summary", response_model=dto.IntegrityReportSummaryResponseDto,
            operation_id="getIntegrityReportSummary")
def get_integrity_report_summary(ctx: Maintenance, db: Db) -> dict[str, int]:
    return integrity.summary(db)


@router.get("/report", response_model=IntegrityReportResponseDto, operation_id="getIntegrityReport")
def get_integrity_report(ctx: Maintenance, db: Db, type: dto.IntegrityReport,
                         cursor: Annotated[str | None, Query(description="Cursor for pagination")] = None,
                         limit: Annotated[int, Query(gt=0, le=9007199254740991,
                                                     description="Number of items per page")] = 500
                         ) -> dict[str, Any]:
    rows, next_cursor = integrity.page(db, type.value, cursor, min(limit, 10_000))
    out: dict[str, Any] = {"items": [{"id": r.id, "type": r.type, "path": r.path} for r in rows]}
    if next_cursor:
        out["nextCursor"] = next_cursor
    return out


@router.get("/report/{id}/file", operation_id="getIntegrityReportFile", response_class=FileResponse,
            responses=BINARY)
def get_integrity_report_file(id: IdParam, ctx: Maintenance, db: Db, settings: AppSettings) -> Response:
    path = integrity.file_of(db, settings, str(id))
    return FileResponse(path, media_type="application/octet-stream", filename=path.name)


@router.delete("/report/{id}", status_code=200, operation_id="deleteIntegrityReport", response_class=Response)
async def delete_integrity_report(id: IdParam, ctx: Maintenance, db: Db, settings: AppSettings,
                                  request: Request) -> Response:
    requeue = await run_in_threadpool(integrity.resolve, db, settings, str(id))
    await run_in_threadpool(db.commit)  # the derivative is forgotten before its stage runs again
    for asset_id, stage in requeue:
        request.app.state.jobs.enqueue_asset(asset_id, [stage])
    return Response(status_code=200)


@router.get("/report/{type}/csv", operation_id="getIntegrityReportCsv", response_class=Response,
            responses=BINARY)
def get_integrity_report_csv(type: dto.IntegrityReport, ctx: Maintenance, db: Db) -> Response:
    stamp = int(datetime.now(UTC).timestamp() * 1000)
    return Response(integrity.to_csv(db, type.value), media_type="text/csv",
                    headers={"Cache-Control": "private, no-cache, no-transform",
                             "Content-Disposition": f'attachment; filename="{stamp}-{type.value}.csv"'})

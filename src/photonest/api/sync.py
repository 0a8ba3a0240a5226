"""/api/sync: the mobile app's change stream and its per-session checkpoints. Rules in library.sync."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import StreamingResponse

from photonest.api.deps import Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import sync as sync_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/sync", tags=["Sync"])
SyncStreamCtx = Annotated[AuthContext, Depends(auth("sync.stream"))]
SyncCheckpointReadCtx = Annotated[AuthContext, Depends(auth("syncCheckpoint.read"))]
SyncCheckpointUpdateCtx = Annotated[AuthContext, Depends(auth("syncCheckpoint.update"))]
SyncCheckpointDeleteCtx = Annotated[AuthContext, Depends(auth("syncCheckpoint.delete"))]

JSONLINES = "application/jsonlines+json"
ENTITY_TYPES = frozenset(t.value for t in dto.SyncEntityType)


def _values(items: Any) -> list[str]:
    return [str(getattr(i, "value", getattr(i, "root", i))) for i in items]


@router.post("/stream", operation_id="getSyncStream", response_class=StreamingResponse,
             responses={200: {"description": ""}})
def get_sync_stream(body: dto.SyncStreamDto, ctx: SyncStreamCtx, db: Db, request: Request) -> StreamingResponse:
    plan = sync_lib.prepare(db, ctx, _values(body.types), reset=bool(body.reset))
    db.commit()  # the reset / checkpoints are stored before the first line goes out
    return StreamingResponse(sync_lib.stream(request.app.state.db, plan), media_type=JSONLINES)


@router.get("/ack", response_model=list[dto.SyncAckDto], operation_id="getSyncAck")
def get_sync_ack(ctx: SyncCheckpointReadCtx, db: Db) -> list[dict[str, str]]:
    return sync_lib.get_acks(db, ctx)


@router.post("/ack", status_code=204, operation_id="sendSyncAck")
def send_sync_ack(body: dto.SyncAckSetDto, ctx: SyncCheckpointUpdateCtx, db: Db) -> Response:
    sync_lib.set_acks(db, ctx, body.acks, ENTITY_TYPES)
    return Response(status_code=204)


@router.delete("/ack", status_code=204, operation_id="deleteSyncAck")
def delete_sync_ack(body: dto.SyncAckDeleteDto, ctx: SyncCheckpointDeleteCtx, db: Db) -> Response:
    sync_lib.delete_acks(db, ctx, _values(body.types) if body.types is not None else None)
    return Response(status_code=204)

"""/api/sessions: the signed-in devices of the current user."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Response

from photonest.api import mappers
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import sessions as sessions_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/sessions", tags=["Sessions"])


@router.get("", response_model=list[dto.SessionResponseDto], operation_id="getSessions")
def list_sessions(ctx: Annotated[AuthContext, Depends(auth("session.read"))], db: Db) -> list[dict[str, Any]]:
    return [mappers.session(s, ctx.session) for s in sessions_lib.list_for(db, ctx.user.id)]


@router.post("", status_code=201, response_model=dto.SessionCreateResponseDto, operation_id="createSession")
def create(body: dto.SessionCreateDto, ctx: Annotated[AuthContext, Depends(auth("session.create"))],
           db: Db) -> dict[str, Any]:
    s, token = sessions_lib.create(db, ctx, device_type=body.deviceType, device_os=body.deviceOS,
                                   duration=body.duration)
    return {**mappers.session(s, ctx.session), "token": token}


@router.delete("", status_code=204, operation_id="deleteAllSessions")
def delete_all(ctx: Annotated[AuthContext, Depends(auth("session.delete"))], db: Db) -> Response:
    sessions_lib.delete_all_others(db, ctx)
    return Response(status_code=204)


@router.put("/{id}", response_model=dto.SessionResponseDto, operation_id="updateSession")
def update(id: IdParam, body: dto.SessionUpdateDto, ctx: Annotated[AuthContext, Depends(auth("session.update"))],
           db: Db) -> dict[str, Any]:
    s = sessions_lib.update(db, ctx, str(id), is_pending_sync_reset=body.isPendingSyncReset)
    return mappers.session(s, ctx.session)


@router.delete("/{id}", status_code=204, operation_id="deleteSession")
def delete(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("session.delete"))], db: Db) -> Response:
    sessions_lib.delete(db, ctx, str(id))
    return Response(status_code=204)


@router.post("/{id}/lock", status_code=204, operation_id="lockSession")
def lock(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("session.lock"))], db: Db) -> Response:
    sessions_lib.lock(db, ctx, str(id))
    return Response(status_code=204)

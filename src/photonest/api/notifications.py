"""/api/notifications and /api/admin/notifications (library.notifications)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response

from photonest.api import mappers
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Notification
from photonest.library import notifications as lib
from photonest.library.auth import AuthContext

router = Router(prefix="/notifications", tags=["Notifications"])
admin_router = Router(prefix="/admin/notifications", tags=["Notifications (admin)"])
ReadCtx = Annotated[AuthContext, Depends(auth("notification.read"))]
UpdateCtx = Annotated[AuthContext, Depends(auth("notification.update"))]
DeleteCtx = Annotated[AuthContext, Depends(auth("notification.delete"))]
ON_NOTIFICATION = "on_notification"  # the socket event Immich's web app shows as a toast


def notification_dto(n: Notification) -> dict[str, Any]:
    out: dict[str, Any] = {"id": n.id, "createdAt": mappers.iso(n.created_at), "level": n.level, "type": n.type,
                           "title": n.title}
    if n.description is not None:
        out["description"] = n.description
    if n.data is not None:
        out["data"] = n.data
    if n.read_at is not None:
        out["readAt"] = mappers.iso(n.read_at)
    return out


@router.get("", response_model=list[dto.NotificationDto], operation_id="getNotifications")
def get_notifications(ctx: ReadCtx, db: Db,
                      id: Annotated[UUID | None, Query(description="Filter by notification ID")] = None,
                      level: dto.NotificationLevel | None = None, type: dto.NotificationType | None = None,
                      unread: Annotated[bool | None, Query(description="Filter by unread status")] = None,
                      ) -> list[dict[str, Any]]:
    """Retrieve a list of notifications."""
    f = lib.Filters(str(id) if id else None, level.value if level else None, type.value if type else None, unread)
    return [notification_dto(n) for n in lib.search(db, ctx, f)]


@router.put("", status_code=204, operation_id="updateNotifications")
def update_notifications(body: dto.NotificationUpdateAllDto, ctx: UpdateCtx, db: Db) -> Response:
    """Update a list of notifications (readAt: mark read; null: unread). Allows to bulk-set the read status."""
    lib.mark(db, ctx, [str(i.root) for i in body.ids], body.readAt)
    return Response(status_code=204)


@router.delete("", status_code=204, operation_id="deleteNotifications")
def delete_notifications(body: dto.NotificationDeleteAllDto, ctx: DeleteCtx, db: Db) -> Response:
    """Delete a list of notifications at once."""
    lib.remove(db, ctx, [str(i.root) for i in body.ids])
    return Response(status_code=204)


@router.get("/{id}", response_model=dto.NotificationDto, operation_id="getNotification")
def get_notification(id: IdParam, ctx: ReadCtx, db: Db) -> dict[str, Any]:
    """Retrieve a specific notification identified by id."""
    return notification_dto(lib.get(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.NotificationDto, operation_id="updateNotification")
def update_notification(id: IdParam, body: dto.NotificationUpdateDto, ctx: UpdateCtx, db: Db) -> dict[str, Any]:
    """Update a specific notification to set its read status."""
    lib.mark(db, ctx, [str(id)], body.readAt)
    return notification_dto(lib.get(db, ctx, str(id), "notification.update"))


@router.delete("/{id}", status_code=204, operation_id="deleteNotification")
def delete_notification(id: IdParam, ctx: DeleteCtx, db: Db) -> Response:
    """Delete a specific notification."""
    lib.remove(db, ctx, [str(id)])
    return Response(status_code=204)


@admin_router.post("", status_code=201, response_model=dto.NotificationDto, operation_id="createNotification")
def create_notification(body: dto.NotificationCreateDto, request: Request,
                        ctx: Annotated[AuthContext, Depends(auth(admin=True))], db: Db) -> dict[str, Any]:
    """Create a new notification for a specific user."""
    n = lib.send(db, ctx, str(body.userId), body.title, type=(body.type or dto.NotificationType.Custom).value,
                 level=(body.level or dto.NotificationLevel.info).value, description=body.description,
                 data=body.data, read_at=body.readAt)
    out = notification_dto(n)
    request.app.state.events.emit(n.user_id, ON_NOTIFICATION, out)
    return out

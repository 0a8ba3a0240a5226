"""/api/users/me/calendar-heatmap and /api/admin/users/{id}/calendar-heatmap (library.calendar_heatmap)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import calendar_heatmap as lib
from photonest.library import users as users_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/users", tags=["Users"])
admin_router = Router(prefix="/admin/users", tags=["Users (admin)"])
From = Annotated[date | None, Query(alias="from", description="Start date in UTC")]
To = Annotated[date | None, Query(description="End date in UTC")]
Kind = Annotated[dto.CalendarHeatmapType, Query()]


DAY_ITEM: dict[str, Any] = {"type": "object", "required": ["date", "count"], "properties": {
    "date": {"type": "string", "description": "Date in UTC", "example": "2024-01-01"},
    "count": {"type": "integer", "minimum": 0, "description": "Activity count"}}}


class CalendarHeatmapResponseDto(BaseModel):
    """Immich's schema, with the day items inline as in the contract (the generated DTO names them Series)."""

    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from", description="Start date in UTC", examples=["2024-01-01"])
    to: str = Field(description="End date in UTC", examples=["2024-12-31"])
    totalCount: int = Field(ge=0, description="Total activity count over the period")
    series: list[dict[str, Any]] = Field(json_schema_extra={"items": DAY_ITEM})


def heatmap_dto(h: lib.Heatmap) -> dict[str, Any]:
    return {"from": h.start.isoformat(), "to": h.end.isoformat(), "totalCount": h.total,
            "series": [{"date": d.isoformat(), "count": n} for d, n in h.series]}


@router.get("/me/calendar-heatmap", response_model=CalendarHeatmapResponseDto,
            operation_id="getMyCalendarHeatmap")
def get_my_calendar_heatmap(ctx: Annotated[AuthContext, Depends(auth("user.read"))], db: Db,
                            from_: From = None, to: To = None,
                            type: Kind = dto.CalendarHeatmapType.Upload) -> dict[str, Any]:
    """Retrieve activity counts for a specified period, in a calendar heatmap format."""
    start, end = lib.period(from_, to)
    return heatmap_dto(lib.heatmap(db, ctx.user.id, start, end, type.value, with_locked=ctx.is_elevated))


@admin_router.get("/{id}/calendar-heatmap", response_model=CalendarHeatmapResponseDto,
                  operation_id="getUserCalendarHeatmapAdmin")
def get_user_calendar_heatmap_admin(id: IdParam, ctx: Annotated[AuthContext, Depends(auth("adminUser.read",
                                                                                          admin=True))],
                                    db: Db, from_: From = None, to: To = None,
                                    type: Kind = dto.CalendarHeatmapType.Upload) -> dict[str, Any]:
    """Retrieve activity counts for a specified period, in a calendar heatmap format."""
    users_lib.get_user(db, str(id))
    start, end = lib.period(from_, to)
    # The locked folder is counted only in its owner's unlocked session: never here.
    return heatmap_dto(lib.heatmap(db, str(id), start, end, type.value, with_locked=False))

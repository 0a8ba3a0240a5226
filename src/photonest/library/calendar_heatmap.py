"""The calendar heatmap: how many assets a user uploaded (or took) on each day of a period, as Immich's
/users/me/calendar-heatmap. Counted like the timeline: live assets in the timeline or archive; the locked folder
only for its owner's session unlocked with the PIN (never for an admin looking at someone else)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, func, select, type_coerce
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset
from photonest.library import errors

DEFAULT_DAYS = 365  # without `from`, the year up to `to` (a GitHub-style contribution calendar)


@dataclass(frozen=True)
class Heatmap:
    start: date
    end: date
    series: list[tuple[date, int]]

    @property
    def total(self) -> int:
        return sum(n for _d, n in self.series)


def _day(db: Db, col: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a stored timestamp ('YYYY-MM-DD'), computed in the database."""
    if db.get_bind().dialect.name == "sqlite":
        return func.substr(type_coerce(col, String), 1, 10)  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'
    return func.to_char(func.timezone("UTC", col), "YYYY-MM-DD")


def period(start: date | None, end: date | None, today: date | None = None) -> tuple[date, date]:
    """The inclusive days asked for: `to` defaults to today (UTC), `from` to a year before it."""
    end = end or today or datetime.now(UTC).date()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise errors.BadRequest("from must not be after to")
    return start, end


def heatmap(db: Db, owner_id: str, start: date, end: date, kind: str, *, with_locked: bool) -> Heatmap:
    """Per-day counts of owner_id's assets by upload day (kind "Upload", created_at) or by the day they were
    taken (kind "Taken", the local date and time, as the timeline groups them). Days without assets are left out."""
    col = Asset.local_date_time if kind == "Taken" else Asset.created_at
    visible = ("timeline", "archive", "locked") if with_locked else ("timeline", "archive")
    lo = datetime.combine(start, time.min, UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, UTC)
    day = _day(db, col).label("day")
    rows = db.execute(
        select(day, func.count()).where(
            Asset.owner_id == owner_id, Asset.deleted_at.is_(None), Asset.visibility.in_(visible),
            col >= lo, col < hi)
        .group_by(day).order_by(day)).all()
    return Heatmap(start, end, [(date.fromisoformat(str(d)[:10]), int(n)) for d, n in rows])

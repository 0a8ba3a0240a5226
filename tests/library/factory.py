"""Asset rows inserted straight into the database, for timeline and album edge cases (dates, zones, no EXIF)
that real files cannot all provide. End-to-end tests upload real files instead (tests/uploading.py)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from photonest.db.tables import Asset, AssetExif


def insert_asset(client: TestClient, owner_id: str, local: str, offset_hours: float | None = 0.0, *,
                 exif: dict[str, Any] | None = None, **fields: Any) -> str:
    """One asset taken at wall-clock `local` ('2024-01-31T23:30:00') in a zone `offset_hours` east of UTC.

    offset_hours=None: a file without EXIF dates: no asset_exif row, taken "at" the file's date in UTC.
    exif: columns of an asset_exif row (city, latitude, ...). Other keyword arguments set Asset columns."""
    wall = datetime.fromisoformat(local).replace(tzinfo=UTC)
    instant = wall - timedelta(hours=offset_hours or 0)
    aid = str(uuid.uuid4())
    row = {
        "id": aid, "owner_id": owner_id, "checksum": hashlib.sha1(aid.encode()).digest(), "type": "IMAGE",
        "original_path": f"library/{owner_id}/{aid}.jpg", "original_file_name": f"{aid[:8]}.jpg",
        "original_mime_type": "image/jpeg", "file_size": 1000, "file_created_at": instant,
        "file_modified_at": instant, "local_date_time": wall, "width": 4000, "height": 3000,
        **fields,
    }
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.add(Asset(**row))
        s.flush()
        if offset_hours is not None or exif:
            s.add(AssetExif(asset_id=aid, date_time_original=instant if offset_hours is not None else None,
                            time_zone=None, locked_fields=[], **(exif or {})))
    return aid

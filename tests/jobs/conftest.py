"""Helpers for pipeline tests: run the queue synchronously, read an asset's rows."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from photonest.db.tables import Asset, AssetExif, AssetFile, AssetJob, AssetJobFailure
from photonest.jobs.runtime import Jobs


def jobs_of(client: TestClient) -> Jobs:
    return client.app.state.jobs  # type: ignore[attr-defined,no-any-return]


def process(client: TestClient) -> int:
    """Run every queued job (and due retries) in this thread."""
    return jobs_of(client).drain()


def rows(client: TestClient, asset_id: str) -> dict[str, Any]:
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        asset = s.get(Asset, asset_id)
        return {
            "asset": asset,
            "exif": s.get(AssetExif, asset_id),
            "files": {f.type: f.path for f in s.scalars(select(AssetFile).where(AssetFile.asset_id == asset_id))},
            "file_rows": list(s.scalars(select(AssetFile).where(AssetFile.asset_id == asset_id))),
            "failures": {f.stage: f for f in s.scalars(select(AssetJobFailure)
                                                       .where(AssetJobFailure.asset_id == asset_id))},
            "jobs": {j.stage: j for j in s.scalars(select(AssetJob).where(AssetJob.asset_id == asset_id))},
        }

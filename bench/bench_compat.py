"""Figures for the small Immich-compatibility endpoints on a library of synthetic rows (no files needed):
the folder view (unique folders; one folder's assets), the calendar heatmap (a year, all time) and asset metadata
(read one asset's; a bulk upsert of 100 items). They scan one owner's assets, so the size of the library matters.

Run: .venv/bin/python -m bench.bench_compat [--assets 50000] [--folders 500] [--rounds 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from photonest.app import create_app
from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import Asset, AssetMetadata
from photonest.db.types import new_id


def _ms(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {q[18] * 1000:.1f} ms"


def _time(rounds: int, call: Callable[[], Any]) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        call()
        out.append(time.perf_counter() - t)
    return out


def _fill(db: Database, owner: str, n: int, folders: int) -> list[str]:
    rng = random.Random(1)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    ids = []
    with db.session() as s:
        rows = []
        for i in range(n):
            aid = new_id()
            ids.append(aid)
            when = start + timedelta(seconds=rng.randrange(10 * 365 * 86400))
            rows.append({"id": aid, "owner_id": owner, "checksum": hashlib.sha1(aid.encode()).digest(),
                         "type": "IMAGE", "original_path": f"/mnt/nas/photos/f{i % folders:04d}/IMG_{i:06d}.jpg",
                         "original_file_name": f"IMG_{i:06d}.jpg", "file_created_at": when,
                         "file_modified_at": when, "local_date_time": when, "created_at": when,
                         "updated_at": when, "stages_done": []})
            if len(rows) == 5000:
                s.execute(insert(Asset), rows)
                rows = []
        if rows:
            s.execute(insert(Asset), rows)
        s.execute(insert(AssetMetadata), [{"asset_id": a, "key": "mobile-app", "value": {"iCloudId": a},
                                           "updated_at": start} for a in ids[:5000]])
    return ids


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=50_000)
    ap.add_argument("--folders", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-compat-"))
    settings = Settings(data=data / "data", database_url=args.database_url, workers=False,  # type: ignore[call-arg]
                        _env_file=None)
    with TestClient(create_app(settings)) as client:
        client.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": "benchmark pw",
                                                     "name": "A"})
        login = client.post("/api/auth/login", json={"email": "a@example.com", "password": "benchmark pw"}).json()
        h = {"Authorization": f"Bearer {login['accessToken']}"}
        db = Database(settings.db_url)
        t = time.perf_counter()
        ids = _fill(db, login["userId"], args.assets, args.folders)
        print(f"{args.assets} assets in {args.folders} folders ({db.engine.dialect.name}), "
              f"filled in {time.perf_counter() - t:.1f} s")
        r = client.get("/api/view/folder/unique-paths", headers=h)
        assert r.status_code == 200 and len(r.json()) == args.folders, r.text[:200]
        folder = r.json()[args.folders // 2]
        n = len(client.get("/api/view/folder", headers=h, params={"path": folder}).json())
        figures = {
            "view/folder/unique-paths": _time(args.rounds, lambda: client.get("/api/view/folder/unique-paths",
                                                                                headers=h)),
            f"view/folder?path= ({n} assets)": _time(args.rounds, lambda: client.get(
                "/api/view/folder", headers=h, params={"path": folder})),
            "calendar-heatmap (default year)": _time(args.rounds, lambda: client.get(
                "/api/users/me/calendar-heatmap", headers=h)),
            "calendar-heatmap (10 years, Taken)": _time(args.rounds, lambda: client.get(
                "/api/users/me/calendar-heatmap", headers=h,
                params={"from": "2015-01-01", "to": "2024-12-31", "type": "Taken"})),
            "GET assets/{id}/metadata": _time(args.rounds, lambda: client.get(
                f"/api/assets/{ids[7]}/metadata", headers=h)),
            "PUT assets/metadata (100 items)": _time(args.rounds, lambda: client.put(
                "/api/assets/metadata", headers=h, json={"items": [
                    {"assetId": a, "key": "bench", "value": {"n": random.random()}} for a in ids[:100]]})),
        }
        for name, values in figures.items():
            print(f"{name:40s} {_ms(values)}")
        db.dispose()


if __name__ == "__main__":
    main()

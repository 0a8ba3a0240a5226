"""Timeline and album figures over 100,000 generated assets in SQLite, through the whole ASGI stack.

Run: .venv/bin/python -m bench.bench_timeline [--assets 100000] [--requests 200] [--data DIR]
(--data keeps the generated library: a second run with the same DIR reuses it instead of generating again.)
Targets (issue 4): /timeline/buckets p95 <= 20 ms; /timeline/bucket for a month of 5,000 assets p95 <= 50 ms;
an album of 10,000 assets opens (GET /albums/{id}, then its buckets, then its newest bucket) p95 <= 50 ms.

Each request is timed on the wall clock and in process CPU time (time.process_time: the handler runs in this
process); on a busy machine the CPU figure is the one that says what the code costs. A month reopened unchanged
comes from library.timeline_cache; the "cache miss" cases bump its change stamp (untimed) before each request,
as any write would, so they time the month being built.

The rows are inserted directly (no files): ten years of photos with more in the summers and around Christmas,
one holiday month of exactly 5,000, a few archived / hidden (live-photo motion parts) / trashed / favourite,
every asset with an EXIF row (a third with a place), taken in zones from UTC-8 to UTC+9.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text

HOLIDAY = (2023, 8)  # the month with 5,000 assets
HOLIDAY_ASSETS = 5000
ALBUM_ASSETS = 10_000


def _month_weights() -> list[tuple[int, int, float]]:
    months = []
    for year in range(2015, 2025):
        for month in range(1, 13):
            w = 1.0 + (1.5 if month in (7, 8) else 0) + (0.8 if month == 12 else 0) + (year - 2015) * 0.15
            months.append((year, month, w))
    return months


def generate(db: Any, owner_id: str, n: int, seed: int = 4) -> tuple[list[str], str]:
    """Insert n assets (and their EXIF rows) for owner_id; returns (asset ids, album id of ALBUM_ASSETS)."""
    from photonest.db.tables import Album, AlbumAsset, Asset, AssetExif

    rnd = random.Random(seed)
    months = [(y, m, w) for y, m, w in _month_weights() if (y, m) != HOLIDAY]
    weights = [w for _, _, w in months]
    picks = rnd.choices(months, weights=weights, k=n - HOLIDAY_ASSETS)
    picks += [(HOLIDAY[0], HOLIDAY[1], 0.0)] * HOLIDAY_ASSETS
    now = datetime.now(UTC)
    cities = [("Paris", "France", 48.85, 2.35), ("Kyoto", "Japan", 35.01, 135.77),
              ("Lisbon", "Portugal", 38.72, -9.14), ("Austin", "United States of America", 30.27, -97.74)]
    ids: list[str] = []
    assets: list[dict[str, Any]] = []
    exifs: list[dict[str, Any]] = []
    for y, m, _ in picks:
        aid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        ids.append(aid)
        start = datetime(y, m, 1, tzinfo=UTC)
        days = ((datetime(y + m // 12, m % 12 + 1, 1, tzinfo=UTC)) - start).days
        local = start + timedelta(days=rnd.randrange(days), seconds=rnd.randrange(86400))
        offset = rnd.choice((-8, -5, 0, 1, 2, 5.5, 9))
        instant = local - timedelta(hours=offset)
        r = rnd.random()
        visibility = "archive" if r < 0.02 else "hidden" if r < 0.03 else "timeline"
        video = rnd.random() < 0.08
        assets.append({
            "id": aid, "owner_id": owner_id, "checksum": hashlib.sha1(aid.encode()).digest(),
            "type": "VIDEO" if video else "IMAGE", "original_path": f"library/{owner_id}/{aid}.jpg",
            "original_file_name": f"IMG_{len(ids):06d}.jpg", "original_mime_type": "image/jpeg",
            "file_size": 3_000_000, "device_asset_id": aid, "device_id": "bench", "file_created_at": instant,
            "file_modified_at": instant, "local_date_time": local, "visibility": visibility,
            "is_favorite": rnd.random() < 0.05, "is_offline": False, "duration": 12_000 if video else None,
            "stages_done": ["metadata", "thumbnails"], "thumbhash": rnd.randbytes(25),
            "width": rnd.choice((4000, 3000)), "height": rnd.choice((3000, 4000)), "created_at": now,
            "updated_at": now, "deleted_at": now if rnd.random() < 0.005 else None,
        })
        place = rnd.choice(cities) if rnd.random() < 0.33 else None
        exifs.append({
            "asset_id": aid, "make": "Canon", "model": "EOS", "date_time_original": instant,
            "time_zone": f"UTC{offset:+}", "city": place[0] if place else None,
            "country": place[1] if place else None, "latitude": place[2] if place else None,
            "longitude": place[3] if place else None, "description": "", "locked_fields": [],
        })
    album_id = str(uuid.uuid4())
    in_album = rnd.sample(ids, ALBUM_ASSETS)
    with db.session() as s:
        for i in range(0, n, 5000):
            s.execute(insert(Asset), assets[i:i + 5000])
            s.execute(insert(AssetExif), exifs[i:i + 5000])
        s.execute(insert(Album), [{"id": album_id, "owner_id": owner_id, "album_name": "Ten thousand",
                                   "description": "", "album_thumbnail_asset_id": in_album[0],
                                   "is_activity_enabled": True, "order": "desc", "created_at": now,
                                   "updated_at": now}])
        s.execute(insert(AlbumAsset), [{"album_id": album_id, "asset_id": a, "added_by_id": owner_id,
                                        "created_at": now} for a in in_album])
    with db.engine.connect() as c:
        c.exec_driver_sql("ANALYZE")
    return ids, album_id


def plans(db: Any, owner_id: str, album_id: str) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the timeline's queries, as the library builds them."""
    from photonest.db.tables import User
    from photonest.library import timeline
    from photonest.library.auth import AuthContext

    out: dict[str, list[str]] = {}
    with db.session(write=False) as s:
        ctx = AuthContext(user=s.get(User, owner_id))
        cases = {
            "buckets": lambda: timeline.buckets(s, ctx, timeline.TimelineQuery(visibility="timeline")),
            "bucket": lambda: timeline.bucket(s, ctx, "2023-08-01", timeline.TimelineQuery(visibility="timeline")),
            "album buckets": lambda: timeline.buckets(s, ctx, timeline.TimelineQuery(album_id=album_id)),
            "album bucket": lambda: timeline.bucket(s, ctx, "2023-08-01", timeline.TimelineQuery(album_id=album_id)),
        }
        for name, fn in cases.items():
            captured: list[tuple[str, Any]] = []

            def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool,
                     sink: list[tuple[str, Any]] = captured) -> None:
                if statement.lstrip().upper().startswith(("SELECT", "WITH")) and (
                        "asset" in statement or "album_timeline" in statement):
                    sink.append((statement, params))

            from sqlalchemy import event

            engine = s.get_bind()
            event.listen(engine, "before_cursor_execute", grab)
            try:
                fn()
            finally:
                event.remove(engine, "before_cursor_execute", grab)
            lines: list[str] = []
            for statement, params in captured:
                rows = s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                lines += [str(r[-1]) for r in rows if "CONSTANT ROW" not in str(r[-1])]
            out[name] = lines
    return out


async def measure(n_assets: int, n_requests: int, data: Path | None = None) -> None:
    from asgi_lifespan import LifespanManager  # type: ignore[import-not-found]

    from photonest.app import create_app
    from photonest.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data=data or Path(tmp), workers=False, _env_file=None))  # type: ignore[call-arg]
        from photonest.heap import settle_after_start_up

        settle_after_start_up()  # as `photonest serve` does
        async with LifespanManager(app):
            # The start-up sweep queues every generated asset's missing stages: let it finish first.
            await asyncio.to_thread(app.state.jobs.wait_for_start_up)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                await c.post("/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
                login = (await c.post("/api/auth/login", json={"email": "a@b.co", "password": "pw"})).json()
                h = {"Authorization": f"Bearer {login['accessToken']}"}
                db = app.state.db
                with db.session() as s:
                    album_id = s.execute(text("SELECT id FROM album")).scalar()
                    have = s.execute(text("SELECT count(*) FROM asset")).scalar_one()
                if album_id is None:
                    t0 = time.perf_counter()
                    _, album_id = generate(db, login["userId"], n_assets)
                    print(f"generated {n_assets:,} assets (+ EXIF rows, an album of {ALBUM_ASSETS:,}) "
                          f"in {time.perf_counter() - t0:.1f} s")
                else:
                    print(f"reusing {have:,} generated assets in {data}")
                for name, plan in plans(db, login["userId"], album_id).items():
                    print(f"  plan {name}: " + " | ".join(plan))

                buckets = (await c.get("/api/timeline/buckets", headers=h, params={"visibility": "timeline"})).json()
                album_buckets = (await c.get("/api/timeline/buckets", headers=h,
                                             params={"albumId": album_id})).json()
                newest = album_buckets[0]["timeBucket"]
                holiday = next(b for b in buckets if b["timeBucket"] == "2023-08-01")
                print(f"{len(buckets)} month buckets; holiday month {holiday['count']:,} assets on the timeline; "
                      f"album: {sum(b['count'] for b in album_buckets):,} assets in {len(album_buckets)} months")

                async def get(path: str, **params: Any) -> None:
                    r = await c.get(path, headers=h, params=params)
                    assert r.status_code == 200, r.text

                async def album_open() -> None:
                    await get(f"/api/albums/{album_id}", withoutAssets="true")  # as the web UI asks
                    await get("/api/timeline/buckets", albumId=album_id)
                    await get("/api/timeline/bucket", albumId=album_id, timeBucket=newest)

                def change() -> None:
                    # What any write does to the month cache's stamp (library.timeline_cache): not timed.
                    with db.session() as s:
                        s.execute(text("UPDATE sync_clock SET value = value + 1 WHERE id = 1"))

                cases: list[tuple[str, Callable[[], Awaitable[None]], float]] = [
                    ("baseline: GET /users/me (auth + ASGI only)", lambda: get("/api/users/me"), 3),
                    ("GET /timeline/buckets (100k, visibility=timeline)",
                     lambda: get("/api/timeline/buckets", visibility="timeline"), 20),
                    ("GET /timeline/buckets (100k, no filter)", lambda: get("/api/timeline/buckets"), 20),
                    ("GET /timeline/bucket (month of 5,000)",
                     lambda: get("/api/timeline/bucket", timeBucket="2023-08-01", visibility="timeline"), 50),
                    ("GET /timeline/bucket (month of 5,000), built every time (cache miss)",
                     lambda: get("/api/timeline/bucket", timeBucket="2023-08-01", visibility="timeline"), 50),
                    ("GET /albums/{id} (10,000 assets)", lambda: get(f"/api/albums/{album_id}"), 50),
                    ("GET /timeline/buckets?albumId (10,000)",
                     lambda: get("/api/timeline/buckets", albumId=album_id), 50),
                    (f"GET /timeline/bucket?albumId ({newest}, cache miss)",
                     lambda: get("/api/timeline/bucket", albumId=album_id, timeBucket=newest), 50),
                    (f"GET /timeline/bucket?albumId ({newest})",
                     lambda: get("/api/timeline/bucket", albumId=album_id, timeBucket=newest), 50),
                    ("album opens: info + buckets + newest bucket", album_open, 50),
                    ("album opens, cache miss: info + buckets + newest bucket", album_open, 50),
                ]
                for name, fn, target in cases:
                    miss = "cache miss" in name
                    for _ in range(10):
                        await fn()
                    times, cpu = [], []
                    for _ in range(n_requests):
                        if miss:
                            change()
                        t, c0 = time.perf_counter(), time.process_time()
                        await fn()
                        times.append((time.perf_counter() - t) * 1000)
                        cpu.append((time.process_time() - c0) * 1000)
                    times.sort()
                    cpu.sort()
                    p95, cpu95 = times[int(len(times) * 0.95) - 1], cpu[int(len(cpu) * 0.95) - 1]
                    verdict = "ok" if p95 <= target else "OVER"
                    print(f"{name}: wall median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
                          f"(target {target:.0f} ms: {verdict}); CPU median {statistics.median(cpu):.1f} ms, "
                          f"p95 {cpu95:.1f} ms; over {n_requests}")
                with db.engine.connect() as conn:
                    size = conn.execute(text("PRAGMA page_count")).scalar_one() * conn.execute(
                        text("PRAGMA page_size")).scalar_one()
                print(f"database size {size / 1e6:.0f} MB; load average during the run "
                      f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--assets", type=int, default=100_000)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--data", type=Path, help="keep the data directory here (default: a temporary one)")
    args = p.parse_args()
    asyncio.run(measure(args.assets, args.requests, args.data))


if __name__ == "__main__":
    main()

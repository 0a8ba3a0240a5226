"""System config figures: what keeping every process in step costs, and how fast a change reaches another process.

Run: .venv/bin/python -m bench.bench_config [--rounds 200] [--database-url URL]   (default: SQLite in a temp dir)

- poll: one ConfigWatcher check with nothing changed (each process does this once a second);
- put: PUT /api/system-config through the whole ASGI stack (validate, store, apply here);
- reach: from a PUT's answer until a second Settings object, kept in step by its own ConfigWatcher with the
  production interval (what a worker process does), has the new value. Expected: uniform in 0..POLL_SECONDS.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from photonest.app import create_app
from photonest.config import Settings
from photonest.db.engine import Database
from photonest.library import system_config


def _ms(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
    return f"median {statistics.median(values) * 1000:.2f} ms, p95 {q[18] * 1000:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--reach-rounds", type=int, default=10)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-config-"))
    settings = Settings(data=data / "data", database_url=args.database_url, workers=False,  # type: ignore[call-arg]
                        _env_file=None)
    with TestClient(create_app(settings)) as client:
        client.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": "benchmark pw",
                                                     "name": "A"})
        token = client.post("/api/auth/login", json={"email": "a@example.com", "password": "benchmark pw"}
                            ).json()["accessToken"]
        h = {"Authorization": f"Bearer {token}"}
        cfg = client.get("/api/system-config", headers=h).json()
        db = Database(settings.db_url)
        other = Settings(data=settings.data, database_url=args.database_url, workers=False,  # type: ignore[call-arg]
                         _env_file=None)
        system_config.refresh(db, other)

        wall, cpu = [], []
        for _ in range(args.rounds):
            t, c = time.perf_counter(), time.process_time()
            system_config.refresh(db, other)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(f"poll (no change): wall {_ms(wall)}; CPU {_ms(cpu)}")

        puts = []
        for i in range(args.rounds // 4):
            new = copy.deepcopy(cfg)
            new["trash"]["days"] = 10 + i % 50
            t = time.perf_counter()
            assert client.put("/api/system-config", headers=h, json=new).status_code == 200
            puts.append(time.perf_counter() - t)
        print(f"PUT /api/system-config: {_ms(puts)}")

        watcher = system_config.ConfigWatcher(db, other)
        watcher.start()
        reach = []
        try:
            for i in range(args.reach_rounds):
                time.sleep(random.random())  # not in step with the watcher's ticks
                new = copy.deepcopy(cfg)
                new["trash"]["days"] = 100 + i
                assert client.put("/api/system-config", headers=h, json=new).status_code == 200
                t = time.perf_counter()
                while other.trash_days != 100 + i:
                    time.sleep(0.005)
                reach.append(time.perf_counter() - t)
        finally:
            watcher.stop()
            db.dispose()
        print(f"reach another process (watcher every {system_config.POLL_SECONDS:.0f} s): {_ms(reach)}, "
              f"max {max(reach) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

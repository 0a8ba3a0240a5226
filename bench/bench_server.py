"""Foundation figures: server start-up to first ping, and GET /api/users/me through the ASGI stack.

Run: .venv/bin/python -m bench.bench_server
Targets (issue 2): start-up < 2 s; /users/me median < 3 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.helpers import free_port


def startup_seconds(runs: int = 5, *, restart: bool = False) -> list[float]:
    """Wall time from spawning `photonest serve` to the first pong: on a fresh data dir (migrations included), or
    with `restart` on a data dir a previous run left (the everyday case: the schema is already at head)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            if restart:
                startup_seconds_in(tmp)
            times.append(startup_seconds_in(tmp))
    return times


def startup_seconds_in(tmp: str) -> float:
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "photonest.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--data", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/server/ping", timeout=1).status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                time.sleep(0.01)
    finally:
        proc.terminate()
        proc.wait(20)


async def users_me_ms(n: int = 2000) -> list[float]:
    from asgi_lifespan import LifespanManager  # type: ignore[import-not-found]

    from photonest.app import create_app
    from photonest.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data=Path(tmp), workers=False, _env_file=None))  # type: ignore[call-arg]
        from photonest.heap import settle_after_start_up

        settle_after_start_up()  # as `photonest serve` does
        async with LifespanManager(app):
            # The start-up sweep queues every generated asset's missing stages: let it finish first.
            await asyncio.to_thread(app.state.jobs.wait_for_start_up)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                await c.post("/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
                token = (await c.post("/api/auth/login", json={"email": "a@b.co", "password": "pw"})).json()
                h = {"Authorization": f"Bearer {token['accessToken']}"}
                for _ in range(200):  # warm-up
                    await c.get("/api/users/me", headers=h)
                out = []
                for _ in range(n):
                    t0 = time.perf_counter()
                    r = await c.get("/api/users/me", headers=h)
                    out.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200
                return out


def main() -> None:
    for restart in (False, True):
        st = startup_seconds(restart=restart)
        what = "restart (schema at head)" if restart else "first start (new data dir, migrations)"
        print(f"start-up to first ping, {what}: median {statistics.median(st):.2f} s, max {max(st):.2f} s "
              f"over {len(st)} runs")
    me = asyncio.run(users_me_ms())
    me.sort()
    print(f"GET /api/users/me (ASGI, SQLite): median {statistics.median(me):.2f} ms, "
          f"p95 {me[int(len(me) * 0.95)]:.2f} ms over {len(me)} requests")


if __name__ == "__main__":
    main()

"""Starting a real `photonest serve` on a free loopback port, for tests that need a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(data: Path, env: dict[str, str] | None = None, *, timeout: float = 30,
                   args: Sequence[str] = ()) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Yield (base_url, process) of a real server; stop it with SIGTERM afterwards."""
    port = free_port()
    # The optional ML stages cost seconds per photo on these 2 cores; servers in tests run without them unless
    # a test asks (env overrides).
    quiet_ml = {f"PHOTONEST_{k}": "false" for k in ("OCR_ENABLED", "FACES_ENABLED", "LABELS_ENABLED",
                                                    "TEXT_EMBEDDING_ENABLED", "CLIP_ENABLED", "DUPLICATES_ENABLED")}
    full_env = {**os.environ, "PHOTONEST_LOG_LEVEL": "warning", **quiet_ml, **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "photonest.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data", str(data), *args],
        env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                if httpx.get(f"{url}/api/server/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"server did not start (exit {proc.poll()}):\n{out}")
            time.sleep(0.05)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()

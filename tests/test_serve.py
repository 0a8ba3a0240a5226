"""`photonest serve` as a real process: starts, serves, reads settings, and stops cleanly on signals."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers import free_port, running_server


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_shuts_down_gracefully(tmp_path: Path, sig: signal.Signals) -> None:
    data = tmp_path / "data"
    with running_server(data, {"PHOTONEST_LOG_LEVEL": "info"}) as (url, proc):
        assert httpx.get(f"{url}/.well-known/immich").json() == {"api": {"endpoint": "/api"}}
        assert "photonest" in httpx.get(url).text
        proc.send_signal(sig)
        # uvicorn finishes the shutdown, then re-raises the signal so the exit status tells what stopped it.
        assert proc.wait(20) in (0, -sig)
        log = proc.stdout.read().decode() if proc.stdout else ""
    assert "Application shutdown complete" in log and "photonest stopped" in log
    for sub in ("library", "thumbs", "encoded-video", "upload", "models", "backups"):
        assert (data / sub).is_dir(), sub
    assert (data / "photonest.db").is_file()


def test_settings_from_env_file_and_flags(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / ".env").write_text(f"PHOTONEST_PORT={port}\nPHOTONEST_DATA={tmp_path / 'from-env'}\n")
    proc = subprocess.Popen([sys.executable, "-m", "photonest.cli", "serve", "--host", "127.0.0.1",
                             "--data", str(tmp_path / "from-flag")], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/server/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            raise AssertionError("server did not start on the port from .env")
        assert (tmp_path / "from-flag" / "photonest.db").exists()  # the flag beats .env
        assert not (tmp_path / "from-env").exists()
    finally:
        proc.terminate()
        proc.wait(20)


def test_cli_reset_password(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_server(data) as (url, _):
        httpx.post(f"{url}/api/auth/admin-sign-up",
                   json={"email": "a@example.com", "password": "first password", "name": "A"})
    out = subprocess.run([sys.executable, "-m", "photonest.cli", "admin", "reset-password", "a@example.com",
                          "--data", str(data), "--password", "second password"],
                         capture_output=True, text=True, check=True)
    assert "password changed" in out.stdout
    with running_server(data) as (url, _):
        r = httpx.post(f"{url}/api/auth/login", json={"email": "a@example.com", "password": "second password"})
        assert r.status_code == 201

"""A real `photonest serve` process on a free loopback port, with accounts and API keys made through the API.

Used by tests/client (our uploader) and tests/compat (the Immich CLI): both must talk to a real server over
real HTTP. The server's output goes to a log file (a pipe nobody reads would fill up and stall it), and is
shown when the server does not start.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.helpers import free_port

PASSWORD = "correct horse battery"
SHARED_MEDIA = Path(__file__).resolve().parents[3] / "shared" / "media"


def sha1_hex(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


@dataclass
class User:
    email: str
    id: str
    token: str
    api_key: str


@dataclass
class LiveServer:
    url: str
    data: Path
    log: Path
    proc: subprocess.Popen[bytes]
    admin: User | None = None
    _n: list[int] = field(default_factory=lambda: [0])

    @property
    def api(self) -> str:
        return self.url + "/api"

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def client(self, user: User) -> httpx.Client:
        return httpx.Client(base_url=self.api, headers={"x-api-key": user.api_key}, timeout=60)

    def _key(self, token: str, name: str) -> str:
        r = httpx.post(f"{self.api}/api-keys", json={"name": name, "permissions": ["all"]},
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.text
        return str(r.json()["secret"])

    def _login(self, email: str) -> tuple[str, str]:
        r = httpx.post(f"{self.api}/auth/login", json={"email": email, "password": PASSWORD})
        assert r.status_code == 201, r.text
        return str(r.json()["userId"]), str(r.json()["accessToken"])

    def create_admin(self) -> User:
        email = "admin@example.com"
        r = httpx.post(f"{self.api}/auth/admin-sign-up", json={"email": email, "password": PASSWORD, "name": "Admin"})
        assert r.status_code == 201, r.text
        uid, token = self._login(email)
        self.admin = User(email, uid, token, self._key(token, "admin key"))
        return self.admin

    def new_user(self) -> User:
        """A fresh account with an all-permissions API key: each test gets its own library (dedup is per owner)."""
        admin = self.admin or self.create_admin()
        self._n[0] += 1
        email = f"user{self._n[0]}-{uuid.uuid4().hex[:6]}@example.com"
        r = httpx.post(f"{self.api}/admin/users", headers={"Authorization": f"Bearer {admin.token}"},
                       json={"email": email, "password": PASSWORD, "name": email.split("@")[0],
                             "shouldChangePassword": False})
        assert r.status_code == 201, r.text
        uid, token = self._login(email)
        return User(email, uid, token, self._key(token, "uploader"))

    def assets_by_checksum(self, user: User, checksums: Iterable[str]) -> dict[str, str | None]:
        """SHA-1 hex -> the id of the user's asset with those bytes (None if the server has none)."""
        checksums = list(checksums)
        with self.client(user) as c:
            r = c.post("/assets/bulk-upload-check",
                       json={"assets": [{"id": str(i), "checksum": s} for i, s in enumerate(checksums)]})
            assert r.status_code == 200, r.text
            found = {int(x["id"]): x.get("assetId") for x in r.json()["results"]}
        return {s: found.get(i) for i, s in enumerate(checksums)}

    def asset(self, user: User, asset_id: str) -> dict[str, Any]:
        with self.client(user) as c:
            r = c.get(f"/assets/{asset_id}")
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]


def b64_to_hex(checksum: str) -> str:
    return base64.b64decode(checksum).hex()


@contextmanager
def live_server(tmp: Path, *, env: dict[str, str] | None = None, workers: bool = False,
                timeout: float = 60) -> Iterator[LiveServer]:
    port = free_port()
    data = tmp / "data"
    log = tmp / "server.log"
    cmd = [sys.executable, "-m", "photonest.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--data", str(data)]
    if not workers:
        cmd.append("--no-workers")
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env={**os.environ, "PHOTONEST_LOG_LEVEL": "warning", **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    server = LiveServer(f"http://127.0.0.1:{port}", data, log, proc)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{server.api}/server/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"photonest serve did not start (exit {proc.poll()}):\n{server.log_tail()}")
            time.sleep(0.05)
        yield server
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

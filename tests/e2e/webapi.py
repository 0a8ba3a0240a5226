"""Setting up browser tests through the HTTP API (faster than clicking): accounts, uploads, waiting for the
pipeline, and handing the session cookie to a browser context."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

PASSWORD = "a long enough password"


def admin_client(server: str, email: str = "admin@example.com", name: str = "Admin") -> httpx.Client:
    """Sign up the first (admin) account and return a client signed in as it."""
    c = httpx.Client(base_url=server, timeout=30)
    c.post("/api/auth/admin-sign-up", json={"email": email, "password": PASSWORD, "name": name}).raise_for_status()
    c.post("/api/auth/login", json={"email": email, "password": PASSWORD}).raise_for_status()
    return c


def login_client(server: str, email: str, password: str = PASSWORD) -> httpx.Client:
    c = httpx.Client(base_url=server, timeout=30)
    c.post("/api/auth/login", json={"email": email, "password": password}).raise_for_status()
    return c


def upload(c: httpx.Client, path: Path) -> str:
    data = path.read_bytes()
    stamp = "2020-01-01T00:00:00.000Z"
    r = c.post("/api/assets", data={"deviceAssetId": f"e2e-{path.name}", "deviceId": "e2e",
                                    "fileCreatedAt": stamp, "fileModifiedAt": stamp, "filename": path.name},
               files={"assetData": (path.name, data, "application/octet-stream")})
    r.raise_for_status()
    return str(r.json()["id"])


def wait_for(check: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def wait_thumbnails(c: httpx.Client, ids: list[str]) -> None:
    wait_for(lambda: all(c.get(f"/api/assets/{i}/thumbnail").status_code == 200 for i in ids), "thumbnails")


def browser_page(browser: object, server: str, c: httpx.Client | None = None, *, width: int = 1280,
                 height: int = 860) -> Page:
    """A page in a fresh context, signed in with c's session when given."""
    ctx = browser.new_context(base_url=server, viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    if c is not None:
        ctx.add_cookies([{"name": k, "value": v, "url": server} for k, v in c.cookies.items()])
    page: Page = ctx.new_page()
    page.set_default_timeout(15000)
    return page

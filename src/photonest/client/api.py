"""A small synchronous client for the Immich-compatible API (photonest or Immich), built on httpx.

One `ServerClient` is shared by every upload thread: httpx.Client is thread-safe and pools connections.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self
from urllib.parse import urljoin

import httpx

from photonest import __version__

Progress = Callable[[int], None]
RETRIES = 3


class ApiError(Exception):
    """The server answered with an error status (or could not be reached)."""

    def __init__(self, status: int, message: str, method: str = "", url: str = "") -> None:
        self.status = status
        self.message = message
        self.method = method
        self.url = url
        where = f" ({method} {url})" if method else ""
        super().__init__(f"{status}: {message}{where}" if status else f"{message}{where}")


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:500] or response.reason_phrase
    if isinstance(body, dict):
        message = body.get("message") or body.get("error") or body
        if isinstance(message, list):
            return "; ".join(str(m) for m in message)
        return str(message)
    return str(body)


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, 4, ... at most 10)."""
    return float(min(2 ** (attempt - 1), 10))


def iso(ts: float) -> str:
    """A POSIX timestamp as the ISO 8601 UTC string Immich expects (millisecond precision, Z)."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CountingFile:
    """Wraps an open file so httpx streams it in chunks while we count the bytes sent.

    httpx seeks to 0 before each (re)send of a multipart body; the counter follows, so a retried request
    reports progress relative to what it already reported rather than counting twice.
    """

    def __init__(self, f: BinaryIO, progress: Progress | None) -> None:
        self._f = f
        self._progress = progress
        self.sent = 0

    def fileno(self) -> int:
        return self._f.fileno()

    def tell(self) -> int:
        return self._f.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        pos = self._f.seek(offset, whence)
        if whence == os.SEEK_SET and self._progress and self.sent:
            self._progress(pos - self.sent)
            self.sent = pos
        return pos

    def read(self, size: int = -1) -> bytes:
        chunk = self._f.read(size)
        if chunk:
            self.sent += len(chunk)
            if self._progress:
                self._progress(len(chunk))
        return chunk


def discover_api_url(url: str, *, timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> str:
    """The API base for what a user typed: `http://host:2283`, `http://host:2283/api` or a proxied sub-path.

    Like the Immich clients, follow `/.well-known/immich` when the URL does not already end in /api.
    """
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    if url.rstrip("/").endswith("/api"):
        return url.rstrip("/")
    base = url if url.endswith("/") else url + "/"
    try:
        with httpx.Client(timeout=timeout, transport=transport, follow_redirects=True) as http:
            r = http.get(urljoin(base, ".well-known/immich"))
            if r.status_code == 200:
                endpoint = r.json()["api"]["endpoint"]
                return urljoin(base, str(endpoint)).rstrip("/")
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        pass
    return urljoin(base, "api")


class ServerClient:
    """The API calls the uploader needs. Paths follow Immich's v3 OpenAPI contract."""

    def __init__(self, url: str, api_key: str, *, discover: bool = True, timeout: float = 60.0,
                 transport: httpx.BaseTransport | None = None, retries: int = RETRIES) -> None:
        self.retries = retries  # for transport errors and 5xx answers, with back-off
        self.api_url = discover_api_url(url, transport=transport) if discover else url.rstrip("/")
        self.api_key = api_key
        self.http = httpx.Client(
            base_url=self.api_url + "/",
            headers={"x-api-key": api_key, "User-Agent": f"photonest-upload/{__version__}"},
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
            # The Immich CLI refuses redirects on upload too: a redirect would drop the body.
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, retries: int = 0, **kwargs: Any) -> httpx.Response:
        """One API call; raises ApiError on an error status. Retries transport errors and 5xx `retries` times."""
        attempt = 0
        while True:
            try:
                r = self.http.request(method, path.lstrip("/"), **kwargs)
            except httpx.TransportError as e:
                # Nobody listening is rarely fixed by waiting: one more try, then say so.
                limit = min(retries, 1) if isinstance(e, httpx.ConnectError) else retries
                if attempt < limit:
                    attempt += 1
                    time.sleep(backoff(attempt))
                    continue
                raise ApiError(0, f"cannot reach {self.api_url}: {e}", method, path) from e
            if r.status_code >= 500 and r.status_code != 507 and attempt < retries:
                attempt += 1
                time.sleep(backoff(attempt))
                continue
            if r.status_code >= 400:
                raise ApiError(r.status_code, _error_message(r), method, "/" + path.lstrip("/"))
            return r

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        r = self.request(method, path, **kwargs)
        return r.json() if r.content else None

    # -- users, server ----------------------------------------------------------------------------------
    def my_user(self) -> dict[str, Any]:
        return self.json("GET", "users/me", retries=self.retries)  # type: ignore[no-any-return]

    def my_api_key(self) -> dict[str, Any]:
        return self.json("GET", "api-keys/me", retries=self.retries)  # type: ignore[no-any-return]

    def media_types(self) -> dict[str, list[str]]:
        """Extensions the server accepts: {"image": [".jpg", ...], "video": [...], "sidecar": [".xmp"]}."""
        return self.json("GET", "server/media-types", retries=self.retries)  # type: ignore[no-any-return]

    # -- assets -----------------------------------------------------------------------------------------
    def bulk_upload_check(self, items: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
        """[(client id, SHA-1 hex)] -> results: {id, action: accept|reject, reason?, assetId?, isTrashed?}."""
        body = {"assets": [{"id": i, "checksum": c} for i, c in items]}
        return self.json("POST", "assets/bulk-upload-check", json=body, retries=self.retries)["results"]  # type: ignore[no-any-return]

    def upload_asset(self, path: Path, *, checksum: str | None = None, sidecar: Path | None = None,
                     progress: Progress | None = None) -> dict[str, Any]:
        """POST /assets (multipart, streamed from disk). Returns {id, status: created|duplicate}."""
        st = path.stat()
        fields = {
            "fileCreatedAt": iso(st.st_mtime),
            "fileModifiedAt": iso(st.st_mtime),
            "filename": path.name,
            "isFavorite": "false",
        }
        headers = {"x-immich-checksum": checksum} if checksum else {}
        retries = self.retries
        attempt = 0
        while True:
            with ExitStack() as stack:
                counted = CountingFile(stack.enter_context(path.open("rb")), progress)
                files: dict[str, Any] = {"assetData": (path.name, counted, "application/octet-stream")}
                if sidecar:
                    files["sidecarData"] = (sidecar.name, stack.enter_context(sidecar.open("rb")), "application/xml")
                try:
                    r = self.http.post("assets", data=fields, files=files, headers=headers)
                except httpx.TransportError as e:
                    if progress and counted.sent:
                        progress(-counted.sent)
                    if attempt < retries:
                        attempt += 1
                        time.sleep(backoff(attempt))
                        continue
                    raise ApiError(0, f"upload failed: {e}", "POST", "/assets") from e
                if r.status_code >= 500 and r.status_code != 507 and attempt < retries:
                    if progress and counted.sent:
                        progress(-counted.sent)
                    attempt += 1
                    time.sleep(backoff(attempt))
                    continue
                if r.status_code >= 400:
                    raise ApiError(r.status_code, _error_message(r), "POST", "/assets")
                if progress and counted.sent < st.st_size:
                    # A duplicate answered from the checksum header before the body was read.
                    progress(st.st_size - counted.sent)
                return r.json()  # type: ignore[no-any-return]

    # -- albums -----------------------------------------------------------------------------------------
    def list_albums(self) -> list[dict[str, Any]]:
        return self.json("GET", "albums", retries=self.retries)  # type: ignore[no-any-return]

    def create_album(self, name: str, asset_ids: list[str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"albumName": name}
        if asset_ids:
            body["assetIds"] = asset_ids
        return self.json("POST", "albums", json=body)  # type: ignore[no-any-return]

    def add_assets_to_album(self, album_id: str, asset_ids: list[str]) -> list[dict[str, Any]]:
        """PUT /albums/{id}/assets -> [{id, success, error?}]; assets already in the album report duplicate."""
        return self.json("PUT", f"albums/{album_id}/assets", json={"ids": asset_ids}, retries=self.retries)  # type: ignore[no-any-return]

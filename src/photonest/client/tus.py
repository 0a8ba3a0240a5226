"""Resumable uploads with the tus 1.0 protocol (core + creation), for files too big to trust to one request.

The upload URL the server hands out is remembered on disk (keyed by server, checksum and size), so an upload
cut by a dropped connection, a proxy or a killed process continues from the server's offset next time.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from photonest.client.api import ApiError, Progress, ServerClient, _error_message, iso

log = logging.getLogger(__name__)
TUS_VERSION = "1.0.0"
DEFAULT_TUS_PATH = "upload/tus"
DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024
READ_SIZE = 1024 * 1024
MAX_FAILURES = 5


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "photonest"


class ResumeStore:
    """upload key -> tus upload URL, in a small JSON file; thread-safe, written atomically."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _save(self, data: dict[str, str]) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1))
        tmp.replace(self.path)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._load().get(key)

    def put(self, key: str, url: str) -> None:
        with self._lock:
            data = self._load()
            data[key] = url
            self._save(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = self._load()
            if data.pop(key, None) is not None:
                self._save(data)


class TusUnavailable(ApiError):
    """The server has no tus endpoint (Immich itself, or an older photonest)."""


def encode_metadata(meta: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items())


class TusClient:
    def __init__(self, client: ServerClient, *, path: str = DEFAULT_TUS_PATH, chunk_size: int = DEFAULT_CHUNK_SIZE,
                 store: ResumeStore | None = None, retry_delay: float = 1.0) -> None:
        self.client = client
        self.endpoint = path.strip("/")
        self.chunk_size = max(chunk_size, READ_SIZE)
        self.store = store or ResumeStore(None)
        self.retry_delay = retry_delay

    def _headers(self, **extra: str) -> dict[str, str]:
        return {"Tus-Resumable": TUS_VERSION, **extra}

    def _fail(self, r: httpx.Response, method: str, url: str) -> ApiError:
        return ApiError(r.status_code, _error_message(r), method, url)

    def create(self, path: Path, checksum: str, mime: str) -> str:
        st = path.stat()
        meta = {
            "filename": path.name, "filetype": mime, "checksum": checksum,
            "fileCreatedAt": iso(st.st_mtime), "fileModifiedAt": iso(st.st_mtime), "isFavorite": "false",
        }
        r = self.client.http.post(self.endpoint, headers=self._headers(
            **{"Upload-Length": str(st.st_size), "Upload-Metadata": encode_metadata(meta), "Content-Length": "0"}))
        if r.status_code in (404, 405):
            raise TusUnavailable(r.status_code, f"the server has no tus endpoint at /{self.endpoint}", "POST",
                                 "/" + self.endpoint)
        if r.status_code != 201 or "location" not in r.headers:
            raise self._fail(r, "POST", "/" + self.endpoint)
        # The Location may be absolute or relative to the endpoint.
        return str(httpx.URL(str(r.request.url)).join(r.headers["location"]))

    def status(self, url: str) -> httpx.Response | None:
        """HEAD of an upload (its Upload-Offset, and once finished its asset), or None when the server forgot it."""
        r = self.client.http.head(url, headers=self._headers())
        if r.status_code in (404, 410, 403):
            return None
        if r.status_code >= 400 or "upload-offset" not in r.headers:
            raise self._fail(r, "HEAD", url)
        return r

    def offset(self, url: str) -> int | None:
        r = self.status(url)
        return None if r is None else int(r.headers["upload-offset"])

    def _body(self, path: Path, start: int, length: int, progress: Progress | None,
              sent: list[int]) -> Iterator[bytes]:
        with path.open("rb") as f:
            f.seek(start)
            left = length
            while left > 0:
                chunk = f.read(min(READ_SIZE, left))
                if not chunk:
                    raise ApiError(0, f"{path} shrank while uploading")
                left -= len(chunk)
                sent[0] += len(chunk)
                if progress:
                    progress(len(chunk))
                yield chunk

    def upload(self, path: Path, checksum: str, *, mime: str = "application/octet-stream",
               progress: Progress | None = None) -> dict[str, Any]:
        """Upload (or resume) one file; returns the finished upload's {id, status} as the server reports it."""
        size = path.stat().st_size
        key = f"{self.client.api_url}|{checksum}|{size}"
        url = self.store.get(key)
        offset: int | None = None
        last: httpx.Response | None = None
        if url:
            try:
                last = self.status(url)
            except (ApiError, httpx.TransportError):
                last = None
            if last is None:
                self.store.delete(key)
            else:
                offset = int(last.headers["upload-offset"])
                log.info("resuming %s at %d of %d bytes", path, offset, size)
        if url is None or offset is None:
            url = self.create(path, checksum, mime)
            self.store.put(key, url)
            offset = 0
        if progress and offset:
            progress(offset)
        failures = 0
        while offset < size:
            length = min(self.chunk_size, size - offset)
            sent = [0]
            status: int | None = None
            try:
                last = self.client.http.patch(url, content=self._body(path, offset, length, progress, sent),
                                              headers=self._headers(**{
                                                  "Upload-Offset": str(offset), "Content-Length": str(length),
                                                  "Content-Type": "application/offset+octet-stream"}))
                status = last.status_code
            except httpx.TransportError as e:
                log.warning("tus PATCH of %s at %d failed: %s", path, offset, e)
                last = None
            if last is not None and status is not None and status < 300:
                offset = int(last.headers.get("upload-offset", offset + length))
                failures = 0
                continue
            if progress and sent[0]:
                progress(-sent[0])
            if last is not None and status is not None and status < 500 and status not in (409, 423, 429):
                if status in (404, 410):
                    self.store.delete(key)
                raise self._fail(last, "PATCH", url)
            last = None
            # Out of sync, dropped or a server hiccup: ask the server where we are and go on from there.
            failures += 1
            if failures > MAX_FAILURES:
                raise ApiError(status or 0, f"tus upload of {path.name} kept failing at byte {offset}", "PATCH", url)
            time.sleep(self.retry_delay * failures)
            try:
                server_offset = self.offset(url)
            except (ApiError, httpx.TransportError):
                continue
            if server_offset is None:
                self.store.delete(key)
                raise ApiError(410, f"the server dropped the unfinished upload of {path.name}", "HEAD", url)
            if progress:
                progress(server_offset - offset)
            offset = server_offset
            if offset >= size:
                last = self.status(url)  # finished after all (the answer was lost): it names the asset
        self.store.delete(key)
        return self._result(last, path, checksum)

    def _result(self, last: httpx.Response | None, path: Path, checksum: str) -> dict[str, Any]:
        """The asset the finished upload became: from the final response if the server says, else by checksum."""
        if last is not None:
            asset_id = last.headers.get("x-immich-asset-id") or last.headers.get("upload-asset-id")
            if asset_id:
                return {"id": asset_id, "status": last.headers.get("x-immich-asset-status", "created")}
            if last.content and last.headers.get("content-type", "").startswith("application/json"):
                body = last.json()
                if isinstance(body, dict) and body.get("id"):
                    return {"id": str(body["id"]), "status": str(body.get("status", "created"))}
        # The server finished the upload into the normal ingest path: the checksum now names an asset.
        for attempt in range(10):
            (res,) = self.client.bulk_upload_check([(str(path), checksum)])
            if res.get("assetId"):
                return {"id": res["assetId"], "status": "created"}
            time.sleep(0.2 * (attempt + 1))
        raise ApiError(0, f"the server accepted all of {path.name} over tus but reports no asset for it")

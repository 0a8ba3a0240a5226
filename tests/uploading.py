"""Helpers for tests that upload files: the Immich v3 multipart form, checksums, what is on disk."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from photonest.config import Settings
from tests.conftest import MEDIA, Account

JPEG = MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg"
JPEG2 = MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"
VIDEO = MEDIA / "video" / "sample.mp4"
DATES = {"fileCreatedAt": "2008-05-08T09:54:28.000Z", "fileModifiedAt": "2008-05-08T09:54:28.000Z"}


def sha1(data: bytes) -> bytes:
    return hashlib.sha1(data).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def upload(client: TestClient, who: Account, path: Path | None = None, *, data: bytes | None = None,
           part_name: str | None = None, headers: dict[str, str] | None = None, **fields: Any) -> Any:
    """POST /api/assets as the Immich clients do (fields first, then assetData); returns the response."""
    body = data if data is not None else (path or JPEG).read_bytes()
    name = part_name if part_name is not None else (path or JPEG).name
    form = {**DATES, "deviceAssetId": f"{name}-{len(body)}", "deviceId": "pytest", "fileSize": str(len(body)),
            **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}}
    ctype, content = multipart(form, {"assetData": (name, body)})
    return client.post("/api/assets", headers={**who.headers, "content-type": ctype, **(headers or {})},
                       content=content)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]], boundary: str = "pytest-boundary-x1"
              ) -> tuple[str, bytes]:
    """A multipart/form-data body built byte for byte (names are sent raw, unescaped, as a hostile client may)."""
    out = bytearray()
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode() + v.encode() + b"\r\n"
    for k, (fname, data) in files.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="'.encode()
                + fname.encode("utf-8", "surrogateescape") + b'"\r\nContent-Type: application/octet-stream\r\n\r\n')
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def library_files(settings: Settings) -> list[Path]:
    root = settings.data / "library"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload_files(settings: Settings) -> list[Path]:
    root = settings.data / "upload"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def stats(client: TestClient, who: Account, **params: Any) -> dict[str, int]:
    r = client.get("/api/assets/statistics", headers=who.headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]

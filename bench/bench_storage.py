"""Object storage overhead: the same work with PHOTONEST_STORAGE=local and =s3 (moto's server, in its own process).

Run: .venv/bin/python -m bench.bench_storage [--photos 12] [--big-mb 64]

- upload: POST /api/assets of real camera JPEGs through the whole ASGI stack (stage, hash, fsync, commit/put);
- pipeline: metadata + thumbnails per photo, run in this thread (S3: originals come from the cache the commit
  filled, derivatives are put as objects);
- download: GET /original of a large file (S3: streamed with a ranged GET), and a 1 MiB Range request in its
  middle (a video player seeking).

moto keeps objects in memory in a Python process on the same 2 cores, so the S3 figures show photonest's
overhead of talking S3 (requests, copies), not what a real object store over a network costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from photonest.app import create_app
from photonest.config import Settings
from tests.helpers import free_port
from tests.uploading import DATES, multipart

MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media" / "camera_jpeg"
BUCKET = "photonest-bench"


def _moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url, timeout=0.5)
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    import boto3

    boto3.session.Session().client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench",
                                   aws_secret_access_key="bench").create_bucket(Bucket=BUCKET)
    return proc, url


def _upload(client: TestClient, h: dict[str, str], name: str, body: bytes) -> str:
    ctype, content = multipart({**DATES, "deviceAssetId": name, "deviceId": "bench"}, {"assetData": (name, body)})
    r = client.post("/api/assets", headers={**h, "content-type": ctype}, content=content)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def run(mode: str, photos: list[Path], big: bytes, extra: dict[str, Any]) -> dict[str, float]:
    data = Path(tempfile.mkdtemp(prefix=f"bench-storage-{mode}-"))
    settings = Settings(data=data / "data", workers=False, _env_file=None,
                        ocr_enabled=False, faces_enabled=False, labels_enabled=False, text_embedding_enabled=False,
                        clip_enabled=False, duplicates_enabled=False, reverse_geocoding=False, **extra)
    out: dict[str, float] = {}
    with TestClient(create_app(settings)) as client:
        client.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": "benchmark pw",
                                                     "name": "A"})
        token = client.post("/api/auth/login", json={"email": "a@example.com", "password": "benchmark pw"}
                            ).json()["accessToken"]
        h = {"Authorization": f"Bearer {token}"}
        times = []
        for p in photos:
            t = time.perf_counter()
            _upload(client, h, p.name, p.read_bytes())
            times.append(time.perf_counter() - t)
        out["upload_ms"] = statistics.median(times) * 1000
        t = time.perf_counter()
        client.app.state.jobs.drain()  # type: ignore[attr-defined]
        out["pipeline_ms_per_photo"] = (time.perf_counter() - t) / len(photos) * 1000
        t = time.perf_counter()
        big_id = _upload(client, h, "big.mp4", big)
        out["big_upload_mb_s"] = len(big) / (time.perf_counter() - t) / 1e6
        rates = []
        for _ in range(3):
            t = time.perf_counter()
            r = client.get(f"/api/assets/{big_id}/original", headers=h)
            rates.append(len(r.content) / (time.perf_counter() - t) / 1e6)
            assert r.content == big
        out["download_mb_s"] = statistics.median(rates)
        seeks = []
        for i in range(20):
            start = (i * 7919 * 4096) % (len(big) - (1 << 20))
            t = time.perf_counter()
            r = client.get(f"/api/assets/{big_id}/original",
                           headers={**h, "Range": f"bytes={start}-{start + (1 << 20) - 1}"})
            seeks.append(time.perf_counter() - t)
            assert r.status_code == 206 and r.content == big[start:start + (1 << 20)]
        out["range_1mib_ms"] = statistics.median(seeks) * 1000
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=12)
    ap.add_argument("--big-mb", type=int, default=64)
    args = ap.parse_args()
    photos = sorted(MEDIA.glob("*.jpg"))[: args.photos]
    big = os.urandom(args.big_mb << 20)
    moto, url = _moto()
    try:
        results = {
            "local": run("local", photos, big, {}),
            "s3 (moto)": run("s3", photos, big, {
                "storage": "s3", "s3_endpoint_url": url, "s3_bucket": BUCKET, "s3_region": "us-east-1",
                "s3_access_key_id": "bench", "s3_secret_access_key": "bench"}),
        }
    finally:
        moto.terminate()
        moto.wait(10)
    print(f"{len(photos)} camera JPEGs, one {args.big_mb} MiB file")
    cols = ["upload_ms", "pipeline_ms_per_photo", "big_upload_mb_s", "download_mb_s", "range_1mib_ms"]
    print("| backend | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for name, r in results.items():
        print(f"| {name} | " + " | ".join(f"{r[c]:.1f}" for c in cols) + " |")


if __name__ == "__main__":
    main()

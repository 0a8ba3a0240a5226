"""Import pipeline: 1,000 photos uploaded to a real server and processed (metadata + derivatives, ML off),
against a bare Pillow loop making the same derivatives of the same files.

Run: .venv/bin/python -m bench.bench_import [--count 1000] [--uploaders 4] [--worker-threads 2]
Targets (issue 3): import + processing <= 1.5x the bare loop; peak server RSS <= 600 MB.

The photos are the real JPEGs of ../shared/media (camera, faces, text, nature; 8x8 px to 24 MP), cycled to
--count files, each with a few bytes appended after the image data so every checksum differs (the decoders
ignore them). The server is `photonest serve` in its own process with a fresh data dir (SQLite, in-process
workers); the clock runs from the first upload until the queues report every photo done. RSS is sampled from
the server process (and its children) every 100 ms.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.bench_thumbnails import bare_pillow

MEDIA = Path(__file__).resolve().parents[1].parent / "shared" / "media"
PASSWORD = "bench password 1"
DATES = {"fileCreatedAt": "2020-01-01T00:00:00.000Z", "fileModifiedAt": "2020-01-01T00:00:00.000Z"}


def sources() -> list[Path]:
    """The corpus's JPEG photos that Pillow decodes (MANIFEST: "PIL ok (JPEG ...)"; no broken_edge files)."""
    out = []
    with open(MEDIA / "MANIFEST.tsv", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            p = MEDIA / row["path"]
            if (p.suffix.lower() in (".jpg", ".jpeg") and "PIL ok (JPEG" in row["notes"] and p.exists()
                    and row["category"] != "broken_edge"):
                out.append(p)
    extra = MEDIA / "immich-test-assets"
    out += sorted(p for p in extra.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    return sorted(set(out))


def make_corpus(dest: Path, count: int) -> list[Path]:
    src = sources()
    dest.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        s = src[i % len(src)]
        p = dest / f"{i:05d}-{s.name}"
        p.write_bytes(s.read_bytes() + f"\0photonest-bench-{i:08d}".encode())
        files.append(p)
    return files


def baseline(files: list[Path], workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the bare loop over files."""
    with tempfile.TemporaryDirectory() as tmp:
        outs = [Path(tmp) / str(i) for i in range(workers)]
        for o in outs:
            o.mkdir()
        t0, c0 = time.perf_counter(), time.process_time()
        if workers == 1:
            for f in files:
                bare_pillow(f, outs[0])
        else:
            local = threading.local()
            counter = iter(range(workers))
            lock = threading.Lock()

            def one(f: Path) -> None:
                if not hasattr(local, "out"):
                    with lock:
                        local.out = outs[next(counter)]
                bare_pillow(f, local.out)

            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(one, files))
        return time.perf_counter() - t0, time.process_time() - c0


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                rss = self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(True))
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            self.stop.wait(0.1)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def import_run(files: list[Path], data: Path, uploaders: int, worker_threads: int) -> dict[str, Any]:
    port = free_port()
    env = {**os.environ, "PHOTONEST_LOG_LEVEL": "warning", "PHOTONEST_WORKER_THREADS": str(worker_threads)}
    proc = subprocess.Popen([sys.executable, "-m", "photonest.cli", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--data", str(data)], env=env)
    url = f"http://127.0.0.1:{port}"
    sampler = RssSampler(proc.pid)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/server/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.1)
        http = httpx.Client(base_url=url, timeout=120)
        http.post("/api/auth/admin-sign-up", json={"email": "bench@example.com", "password": PASSWORD, "name": "B"})
        token = http.post("/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD}
                          ).json()["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}
        server = psutil.Process(proc.pid)
        rss_idle = server.memory_info().rss
        cpu0 = server.cpu_times()
        sampler.start()
        local = threading.local()

        def up(p: Path) -> None:
            if not hasattr(local, "http"):
                local.http = httpx.Client(base_url=url, timeout=120, headers=headers)
            r = local.http.post("/api/assets", data={**DATES, "deviceAssetId": p.name, "deviceId": "bench"},
                                files={"assetData": (p.name, p.read_bytes(), "image/jpeg")})
            if r.status_code != 201:
                raise RuntimeError(f"upload of {p.name}: {r.status_code} {r.text}")

        t0 = time.perf_counter()
        with ThreadPoolExecutor(uploaders) as pool:
            list(pool.map(up, files))
        t_upload = time.perf_counter() - t0
        n = len(files)
        while True:
            qs = {q["name"]: q["statistics"] for q in http.get("/api/queues", headers=headers).json()}
            meta, thumbs = qs["metadataExtraction"], qs["thumbnailGeneration"]
            settled = thumbs["completed"] + thumbs["failed"]
            if settled >= n and meta["completed"] + meta["failed"] >= n and not any(
                    qs[q][k] for q in ("metadataExtraction", "thumbnailGeneration")
                    for k in ("waiting", "active", "delayed")):
                break
            if time.perf_counter() - t0 > 3600:
                raise RuntimeError(f"not done after an hour: {qs}")
            time.sleep(0.1)
        total = time.perf_counter() - t0
        cpu1 = server.cpu_times()
        cpu = (cpu1.user + cpu1.system + cpu1.children_user + cpu1.children_system
               - cpu0.user - cpu0.system - cpu0.children_user - cpu0.children_system)
        sampler.stop.set()
        sampler.join()
        return {"total": total, "upload": t_upload, "cpu": cpu, "peak_rss": sampler.peak, "idle_rss": rss_idle,
                "failed": thumbs["failed"] + meta["failed"], "completed": thumbs["completed"]}
    finally:
        sampler.stop.set()
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--uploaders", type=int, default=4)
    parser.add_argument("--worker-threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument("--threaded-baseline", action="store_true",
                        help="also time the bare loop on --worker-threads threads")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="photonest-bench-import-"))
    try:
        files = make_corpus(tmp / "corpus", args.count)
        mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"{len(files)} photos ({len(sources())} distinct sources), {mb:.0f} MB; "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        # The loop runs before and after the import, so a machine shared with other work is seen by both.
        before = baseline(files, 1)
        print(f"bare Pillow loop (1 thread): {before[0]:.1f} s wall, {before[1]:.1f} s CPU "
              f"({before[0] / len(files) * 1000:.1f} ms/photo)")
        if args.threaded_baseline:
            b2 = baseline(files, args.worker_threads)
            print(f"bare Pillow loop ({args.worker_threads} threads): {b2[0]:.1f} s wall, {b2[1]:.1f} s CPU")
        r = import_run(files, tmp / "data", args.uploaders, args.worker_threads)
        print(f"photonest import + processing: {r['total']:.1f} s wall (uploads done after {r['upload']:.1f} s), "
              f"{r['cpu']:.1f} s server CPU; {r['completed']} processed, {r['failed']} failed")
        after = baseline(files, 1)
        print(f"bare Pillow loop again: {after[0]:.1f} s wall, {after[1]:.1f} s CPU")
        wall = (before[0] + after[0]) / 2
        cpu = (before[1] + after[1]) / 2
        print(f"ratio to the bare loop: {r['total'] / wall:.2f}x wall, {r['cpu'] / cpu:.2f}x CPU "
              f"(server on {args.worker_threads} worker threads, loop on 1)")
        print(f"peak server RSS: {r['peak_rss'] / 2**20:.0f} MiB (idle after start: {r['idle_rss'] / 2**20:.0f} MiB); "
              f"load average now {os.getloadavg()[0]:.2f}")
    finally:
        if args.keep:
            print(f"data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

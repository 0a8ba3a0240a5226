"""Upload throughput: POST /api/assets (streamed multipart) and tus against sha1+write of the same bytes.

Run: .venv/bin/python -m bench.bench_upload [--size-mb 2048] [--rounds 3]
Target (issue 3): a large upload runs at >= 70% of the speed of hashing (SHA-1) and writing (+ fsync) the same
bytes on the same volume, both measured in the same run. Rounds interleave baseline and uploads so a busy
machine affects them alike; medians are reported.

A real `photonest serve` on a loopback port; the client sends the file with sendfile(2) (as curl would), so
on a small machine the client does not take the server's CPU. The upload time runs from the first byte sent
to the answer, so it includes the server's fsync, the rename into library/ and the database commit.
BENCH_TMP=/dev/shm puts source and data directory on tmpfs: then no disk limits either side and the figure
shows the server's CPU cost per byte.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CHUNK = 1 << 20
PASSWORD = "bench password 1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_file(path: Path, size: int) -> None:
    block = os.urandom(64 << 20)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(block))
            f.write(block[:n])
            left -= n


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def baseline(src: Path, out_dir: Path) -> tuple[float, float]:
    """(wall, cpu) seconds to read the source, SHA-1 it and write it to a new file with fsync."""
    dst = out_dir / "baseline.bin"
    c0 = time.process_time()
    t0 = time.perf_counter()
    h = hashlib.sha1()
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        while block := fi.read(CHUNK):
            h.update(block)
            fo.write(block)
        fo.flush()
        os.fsync(fo.fileno())
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    dst.unlink()
    return dt, cpu


def send(url: str, method: str, path: str, headers: dict[str, str], src: Path, prefix: bytes = b"",
         suffix: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request whose body is prefix + the file + suffix, sent with sendfile(2) like curl/rclone
    would: the client costs next to no CPU, which matters when client and server share two cores."""
    host, port = url.removeprefix("http://").split(":")
    length = len(prefix) + src.stat().st_size + len(suffix)
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {length}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((host, int(port))) as s, open(src, "rb") as f:
        s.sendall(head.encode() + prefix)
        s.sendfile(f)
        s.sendall(suffix)
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    top, _, body = raw.partition(b"\r\n\r\n")
    lines = top.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    return status, {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}, body


def upload_multipart(url: str, h: dict[str, str], src: Path, name: str) -> tuple[float, str]:
    import json

    boundary = "bench-boundary-7c1f"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in {"fileCreatedAt": "2024-01-01T00:00:00Z", "fileModifiedAt": "2024-01-01T00:00:00Z",
                     "deviceAssetId": name, "deviceId": "bench"}.items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="assetData"; filename="{name}"\r\n'
             f"Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    t0 = time.perf_counter()
    status, _, body = send(url, "POST", "/api/assets",
                           {**h, "Content-Type": f"multipart/form-data; boundary={boundary}"}, src, head, tail)
    dt = time.perf_counter() - t0
    assert status == 201, body
    return dt, str(json.loads(body)["id"])


def upload_tus(url: str, h: dict[str, str], src: Path, name: str) -> tuple[float, str]:
    size = src.stat().st_size
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                    for k, v in {"filename": name, "fileCreatedAt": "2024-01-01T00:00:00Z"}.items())
    tus = {**h, "Tus-Resumable": "1.0.0"}
    t0 = time.perf_counter()
    r = httpx.post(f"{url}/api/upload/tus", headers={**tus, "Upload-Length": str(size), "Upload-Metadata": meta})
    assert r.status_code == 201, r.text
    status, headers, body = send(url, "PATCH", r.headers["location"], {
        **tus, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}, src)
    dt = time.perf_counter() - t0
    assert status == 204, body
    return dt, headers["x-immich-asset-id"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=2048)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    size = args.size_mb << 20

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        data = root / "data"
        src = root / "source.bin"
        make_file(src, size)
        port = free_port()
        env = {**os.environ, "PHOTONEST_WORKERS": "false", "PHOTONEST_LOG_LEVEL": "warning"}
        proc = subprocess.Popen([sys.executable, "-m", "photonest.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--data", str(data)], env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/api/server/ping", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "b@bench.io", "password": PASSWORD,
                                                              "name": "B"})
            tok = httpx.post(f"{url}/api/auth/login", json={"email": "b@bench.io", "password": PASSWORD}).json()
            h = {"Authorization": f"Bearer {tok['accessToken']}"}
            base, multi, tus = [], [], []
            cpu: dict[str, list[float]] = {"base": [], "multi": [], "tus": []}
            for i in range(args.rounds):
                wall, c = baseline(src, data)
                base.append(wall)
                cpu["base"].append(c)
                c0 = cpu_seconds(proc.pid)
                dt, aid = upload_multipart(url, h, src, f"big-{i}.mp4")
                cpu["multi"].append(cpu_seconds(proc.pid) - c0)
                multi.append(dt)
                httpx.request("DELETE", f"{url}/api/assets", headers=h, json={"ids": [aid], "force": True})
                c0 = cpu_seconds(proc.pid)
                dt, aid = upload_tus(url, h, src, f"big-tus-{i}.mp4")
                cpu["tus"].append(cpu_seconds(proc.pid) - c0)
                tus.append(dt)
                httpx.request("DELETE", f"{url}/api/assets", headers=h, json={"ids": [aid], "force": True})
                print(f"round {i + 1}: baseline {size / base[-1] / 1e6:.0f} MB/s, multipart "
                      f"{size / multi[-1] / 1e6:.0f} MB/s, tus {size / tus[-1] / 1e6:.0f} MB/s; CPU s/GiB: "
                      f"baseline {cpu['base'][-1] * (1 << 30) / size:.2f}, server multipart "
                      f"{cpu['multi'][-1] * (1 << 30) / size:.2f}, server tus {cpu['tus'][-1] * (1 << 30) / size:.2f}",
                      flush=True)
        finally:
            proc.terminate()
            proc.wait(30)

    b, m, t = (statistics.median(x) for x in (base, multi, tus))
    print(f"\nfile {args.size_mb} MiB, {args.rounds} rounds (medians)")
    print(f"sha1+write+fsync baseline : {size / b / 1e6:7.0f} MB/s")
    print(f"POST /api/assets multipart: {size / m / 1e6:7.0f} MB/s  = {b / m:.0%} of baseline (target >= 70%)")
    print(f"tus single PATCH          : {size / t / 1e6:7.0f} MB/s  = {b / t:.0%} of baseline (target >= 70%)")
    cb, cm, ct = (statistics.median(cpu[k]) for k in ("base", "multi", "tus"))
    print("CPU time per byte (robust on a busy machine; CPU-bound speed = bytes / CPU seconds):")
    print(f"  baseline {size / cb / 1e6:.0f} MB per CPU-second; server multipart {size / cm / 1e6:.0f} "
          f"({cb / cm:.0%}); server tus {size / ct / 1e6:.0f} ({cb / ct:.0%})")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

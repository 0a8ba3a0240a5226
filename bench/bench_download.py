"""ZIP archive download: streaming speed against a plain read of the same files, and server memory meanwhile.

Run: .venv/bin/python -m bench.bench_download [GB]   (default 5)
Target (issue 4): a 5 GB archive streams at >= 70% of disk read speed with flat memory.
A real server (photonest serve) on loopback; the client discards the bytes as they arrive.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from photonest.db.engine import Database
from photonest.db.tables import Asset, User
from tests.helpers import running_server

PART = 500 * 1024**2


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _drop_caches() -> bool:
    """Make the next reads come from the disk (root only), so both figures measure the same thing."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def main(total_gb: float) -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        data = Path(tmp)
        with running_server(data) as (url, proc):
            httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
            tok = httpx.post(f"{url}/api/auth/login", json={"email": "a@b.co", "password": "pw"}).json()
            h = {"Authorization": f"Bearer {tok['accessToken']}"}
            # Files written straight into the library, as ingest would have left them.
            n = max(1, int(total_gb * 1024**3 // PART))
            lib = data / "library" / "a" / "2024" / "01"
            lib.mkdir(parents=True)
            block = os.urandom(1 << 20)
            db = Database(f"sqlite:///{data / 'photonest.db'}")
            ids = []
            with db.session() as s:
                owner = s.query(User).one().id
                for i in range(n):
                    p = lib / f"v{i}.mp4"
                    with p.open("wb") as f:
                        for _ in range(PART // len(block)):
                            f.write(block)
                    now = datetime.now(UTC)
                    a = Asset(owner_id=owner, checksum=os.urandom(20), type="VIDEO", original_file_name=f"v{i}.mp4",
                              original_path=p.relative_to(data).as_posix(), file_size=PART, file_created_at=now,
                              file_modified_at=now, local_date_time=now, visibility="timeline")
                    s.add(a)
                    s.flush()
                    ids.append(a.id)
            db.dispose()
            total = n * PART
            cold = _drop_caches()
            t0 = time.perf_counter()
            for i in range(n):
                with (lib / f"v{i}.mp4").open("rb") as f:
                    while f.read(1 << 20):
                        pass
            read_s = time.perf_counter() - t0
            _drop_caches()
            rss0 = peak = _rss_mb(proc.pid)
            # curl as the client, so the client's own speed is not what gets measured.
            import json
            import subprocess

            t0 = time.perf_counter()
            curl = subprocess.Popen(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{size_download}", "-X", "POST", "-H",
                 f"Authorization: {h['Authorization']}", "-H", "Content-Type: application/json",
                 "--data", json.dumps({"assetIds": ids}), f"{url}/api/download/archive"],
                stdout=subprocess.PIPE, text=True)
            while curl.poll() is None:
                peak = max(peak, _rss_mb(proc.pid))
                time.sleep(0.1)
            zip_s = time.perf_counter() - t0
            got = int(curl.stdout.read() if curl.stdout else 0)
    print(f"archive of {n} x 500 MiB = {total / 1024**3:.1f} GiB; {got / 1024**3:.2f} GiB streamed")
    state = "cold: page cache dropped before each" if cold else "page cache warm: could not drop it (needs root)"
    print(f"plain read of the same files ({state}): {total / read_s / 1024**2:.0f} MiB/s")
    print(f"ZIP stream over loopback: {got / zip_s / 1024**2:.0f} MiB/s = "
          f"{got / zip_s / (total / read_s) * 100:.0f}% of the plain read")
    print(f"server RSS before {rss0:.0f} MiB, peak while streaming {peak:.0f} MiB")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)

"""External library scans: first scan throughput and the rescan of unchanged files.

Run: .venv/bin/python -m bench.bench_library_scan [--files 10000] [--big 200] [--db-url URL]
Target (issue 12): a rescan of 10,000 unchanged files < 5 s. The first scan (walk, stat, SHA-1 of every file,
asset rows) is measured without the pipeline (thumbnails etc. are queued work, timed by bench_import).

Builds a share of real JPEGs from the test corpus (small ones for the file-count figures, a 3.4 MB phone
photo for the bytes-per-second figure) in a temp folder, and scans it with library.library_scan.scan directly
(no HTTP, no queue), on SQLite by default or on the database given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from photonest.db.engine import Database, migrate
from photonest.db.tables import Library, User
from photonest.library.library_scan import ScanResult, scan

MEDIA = Path(__file__).resolve().parents[1].parent / "shared" / "media"
SMALL = MEDIA / "camera_jpeg" / "Canon1DmkIII.jpg"  # 8 KB
BIG = MEDIA / "camera_jpeg" / "issue70.jpg"  # 3.4 MB, 13 MP


def build(root: Path, src: Path, n: int, per_folder: int = 100) -> int:
    data = src.read_bytes()
    for i in range(n):
        folder = root / f"{i // per_folder:04d}"
        if i % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"IMG_{i:06d}.jpg").write_bytes(data)
    return len(data) * n


def library(db: Database, root: Path) -> str:
    with db.session() as s:
        user = User(email=f"bench-{os.getpid()}-{root.name}@example.com", name="bench")
        s.add(user)
        s.flush()
        lib = Library(owner_id=user.id, name=root.name, import_paths=[str(root)], exclusion_patterns=[])
        s.add(lib)
        s.flush()
        return lib.id


def timed(db: Database, lib_id: str) -> tuple[float, ScanResult]:
    t = time.perf_counter()
    result = scan(db, lib_id, lambda _id, _stages: None)
    return time.perf_counter() - t, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=200, help="copies of the 3.4 MB photo for MB/s")
    ap.add_argument("--db-url", default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-library-"))
    try:
        url = args.db_url or f"sqlite:///{tmp / 'photonest.db'}"
        migrate(url)
        db = Database(url)
        print(f"database: {url.split(':')[0]}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        small = tmp / "small"
        size = build(small, SMALL, args.files)
        lib = library(db, small)
        first, r = timed(db, lib)
        print(f"first scan, {r.new} files ({size / 1e6:.0f} MB): {first:.2f} s = {r.new / first:.0f} files/s")
        runs = []
        for _ in range(3):
            t, r2 = timed(db, lib)
            assert r2.unchanged == args.files and r2.new == r2.changed == 0, r2
            runs.append(t)
        print(f"rescan, {args.files} unchanged files: best {min(runs):.2f} s, runs "
              + ", ".join(f"{t:.2f}" for t in runs) + " (target < 5 s)")

        if args.big:
            big = tmp / "big"
            size = build(big, BIG, args.big, per_folder=50)
            lib = library(db, big)
            t, r = timed(db, lib)
            print(f"first scan, {r.new} x 3.4 MB photos ({size / 1e6:.0f} MB): {t:.2f} s = {size / 1e6 / t:.0f} MB/s, "
                  f"{r.new / t:.0f} files/s")
        db.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Media derivatives: a 12 MP JPEG to thumbnail (WebP 250) + preview (JPEG 1440) + ThumbHash.

Run: .venv/bin/python -m bench.bench_thumbnails [--runs N] [--file PATH]
Target (issue 3): <= 80 ms per photo per core. "Per core" is measured as the process's CPU time per photo
(single-threaded loop), which stays meaningful when the machine is shared; wall time is printed beside it.

Also times the same call with the OpenCV path turned off (the Pillow path every non-JPEG takes), a bare Pillow
loop making the same three derivatives (draft decode, resize, encode, ThumbHash; no colour management, no
atomic writes, no checks) as the baseline a later full-import benchmark compares with, and probe() (metadata
only) per photo; then the stages of both paths.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps

from photonest.media import fast_jpeg
from photonest.media import images as _images  # noqa: F401  (registers the HEIF / JPEG XL openers)
from photonest.media.derivatives import WEBP_METHOD, make_image_derivatives, outside_size
from photonest.media.probe import probe
from photonest.media.thumbhash import image_thumbhash

MEDIA = Path(__file__).resolve().parents[1].parent / "shared" / "media"
# A real phone photo: Meizu M5 Note, 3120x4208 = 13.1 MP, 3.4 MB, EXIF. The corpus has no exact 12 MP JPEG.
DEFAULT_FILE = MEDIA / "camera_jpeg" / "issue70.jpg"


def bare_pillow(src: Path, out: Path) -> bytes:
    """The same derivatives with Pillow alone, written the obvious way (still with draft-mode decoding)."""
    with Image.open(src) as im:
        w, h = im.size
        scale = 1440 / min(w, h)
        if im.format == "JPEG":
            im.draft("RGB", (int(w * scale) + 1, int(h * scale) + 1))
        im = ImageOps.exif_transpose(im)
        w, h = im.size
        scale = 1440 / min(w, h)
        preview = im.convert("RGB").resize((round(w * scale), round(h * scale)), Image.Resampling.LANCZOS)
    preview.save(out / "bare-preview.jpeg", "JPEG", quality=80)
    scale = 250 / min(preview.size)
    thumb = preview.resize((round(preview.width * scale), round(preview.height * scale)),
                           Image.Resampling.LANCZOS, reducing_gap=2.0)
    thumb.save(out / "bare-thumbnail.webp", "WEBP", quality=80)
    return image_thumbhash(thumb)


@contextmanager
def pillow_only() -> Iterator[None]:
    fast_jpeg.ENABLED = False
    try:
        yield
    finally:
        fast_jpeg.ENABLED = True


def _ticker(times: dict[str, list[float]]) -> Callable[[str, float], float]:
    def tick(name: str, t0: float) -> float:
        now = time.process_time()
        times.setdefault(name, []).append((now - t0) * 1000)
        return now
    return tick


def stages_pillow(src: Path, runs: int) -> dict[str, float]:
    """Median CPU ms of each stage of the Pillow path (same calls ``derive`` makes), files not written."""
    from photonest.media.derivatives import _resize, to_srgb
    from photonest.media.registry import resolve

    handler, _ = resolve(src)
    times: dict[str, list[float]] = {}
    tick = _ticker(times)
    for _ in range(runs):
        t = time.process_time()
        loaded = handler.load(src, min_side=1440, max_pixels=10**9)
        t = tick("decode (shrink-on-load)", t)
        preview = to_srgb(_resize(loaded.image, 1440))
        t = tick("resize to 1440 + sRGB", t)
        preview.save(io.BytesIO(), "JPEG", quality=80)
        t = tick("encode preview JPEG q80", t)
        thumb = _resize(preview, 250)
        t = tick("resize to 250", t)
        thumb.save(io.BytesIO(), "WEBP", quality=80, method=WEBP_METHOD)
        t = tick("encode thumbnail WebP q80", t)
        image_thumbhash(thumb)
        tick("thumbhash", t)
    return {k: statistics.median(v) for k, v in times.items()}


def stages_opencv(src: Path, runs: int) -> dict[str, float]:
    """Median CPU ms of each stage of the OpenCV path (same calls ``_derive_jpeg_fast`` makes), files not written.
    The decode includes the header read and allocating the decoded picture."""
    times: dict[str, list[float]] = {}
    tick = _ticker(times)
    for _ in range(runs):
        t = time.process_time()
        reduced = fast_jpeg.load_reduced(src, min_side=1440, max_pixels=10**9)
        assert reduced is not None
        t = tick("header + decode (shrink-on-load)", t)
        height, width = reduced.pixels.shape[:2]
        preview = fast_jpeg.resize(reduced.pixels, outside_size(width, height, 1440))
        reduced.pixels = None
        t = tick("resize to 1440 (+ freeing the decode)", t)
        fast_jpeg.encode_jpeg(preview, 80)
        t = tick("encode preview JPEG q80", t)
        thumb = fast_jpeg.to_pil(fast_jpeg.resize(preview, outside_size(preview.shape[1], preview.shape[0], 250)))
        t = tick("resize to 250 (+ to Pillow)", t)
        thumb.save(io.BytesIO(), "WEBP", quality=80, method=WEBP_METHOD)
        t = tick("encode thumbnail WebP q80", t)
        image_thumbhash(thumb)
        tick("thumbhash", t)
    return {k: statistics.median(v) for k, v in times.items()}


def measure(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    fn()  # warm-up: imports, codec tables, ICC transform cache
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return cpu, wall


def row(name: str, cpu: list[float], wall: list[float]) -> str:
    return (f"| {name} | {statistics.median(cpu):.1f} | {statistics.mean(cpu):.1f} | {min(cpu):.1f} | "
            f"{statistics.median(wall):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()
    src: Path = args.file
    with Image.open(src) as im:
        size = im.size
    cv2 = fast_jpeg._cv2()
    opencv = f"OpenCV {cv2.__version__} ({cv2.getNumThreads()} threads)" if cv2 else "no OpenCV"
    print(f"file: {src.name} {size[0]}x{size[1]} = {size[0] * size[1] / 1e6:.1f} MP, "
          f"{src.stat().st_size / 1e6:.1f} MB; {args.runs} runs; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores; {opencv}"
          f"; MALLOC_MMAP_THRESHOLD_={os.environ.get('MALLOC_MMAP_THRESHOLD_', 'unset')}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ours = measure(lambda: make_image_derivatives(src, out, asset_id="bench", fullsize=False), args.runs)
        with pillow_only():
            pillow = measure(lambda: make_image_derivatives(src, out, asset_id="bench", fullsize=False), args.runs)
        bare = measure(lambda: bare_pillow(src, out), args.runs)
        meta = measure(lambda: probe(src), args.runs)
        d = make_image_derivatives(src, out, asset_id="check", fullsize=False)
        with Image.open(d.preview) as p, Image.open(d.thumbnail) as t:
            sizes = f"preview {p.size[0]}x{p.size[1]}, thumbnail {t.size[0]}x{t.size[1]}"
        thumb_bytes, preview_bytes = d.thumbnail.stat().st_size, d.preview.stat().st_size
    print(f"output: {sizes}; {preview_bytes / 1e3:.0f} kB preview, {thumb_bytes / 1e3:.1f} kB thumbnail, "
          f"{len(d.thumbhash)}-byte thumbhash")
    print()
    print("| what | CPU ms/photo (median) | CPU mean | CPU min | wall ms median |")
    print("|---|---|---|---|---|")
    print(row("make_image_derivatives (thumbnail + preview + thumbhash)", *ours))
    print(row("the same, OpenCV path off (Pillow path)", *pillow))
    print(row("bare Pillow loop, same derivatives", *bare))
    print(row("probe() metadata only", *meta))
    stage_runs = max(5, args.runs // 3)
    tables = [("Pillow path", stages_pillow(src, stage_runs))]
    if cv2 is not None:
        tables.insert(0, ("OpenCV path", stages_opencv(src, stage_runs)))
    for title, table in tables:
        print()
        print(f"| stage ({title}) | CPU ms (median) |")
        print("|---|---|")
        for name, ms in table.items():
            print(f"| {name} | {ms:.1f} |")
        print(f"| sum | {sum(table.values()):.1f} |")
    target = statistics.median(ours[0])
    print()
    print(f"target <= 80 ms CPU per photo per core: {'met' if target <= 80 else 'NOT met'} ({target:.1f} ms)")


if __name__ == "__main__":
    main()

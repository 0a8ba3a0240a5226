"""The web timeline at 100,000 assets, in Debian's chromium: time to the first thumbnails, and DOM size while
scrolling a year.

Run: .venv/bin/python -m bench.bench_web_timeline [--assets 100000]
Targets (issue 10): first thumbnails within 1.5 s of navigation; scrolling a year keeps the DOM under 2,000 nodes.
Assets are generated rows (bench.bench_timeline.generate); every one's thumbnail is the same real WebP file.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import insert

from bench.bench_timeline import generate
from photonest.db.engine import Database
from photonest.db.tables import AssetFile, User
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.helpers import running_server

MEDIA = Path(__file__).resolve().parents[1].parent / "shared" / "media"


def main(n: int) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with running_server(data) as (url, _):
            httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
            db = Database(f"sqlite:///{data / 'photonest.db'}")
            with db.session() as s:
                owner = s.query(User).one().id
            t0 = time.perf_counter()
            ids, _ = generate(db, owner, n)
            thumb = data / "thumbs" / "bench.webp"
            thumb.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(MEDIA / "camera_jpeg" / "leuvenA.jpg") as im:
                im.thumbnail((340, 340))
                im.save(thumb, "WEBP", quality=80)
            now = datetime.now(UTC)
            rows = [{"id": str(uuid.uuid4()), "asset_id": a, "type": "thumbnail", "path": "thumbs/bench.webp",
                     "created_at": now} for i, a in enumerate(ids)]
            with db.session() as s:
                for i in range(0, len(rows), 5000):
                    s.execute(insert(AssetFile), rows[i:i + 5000])
            db.dispose()
            print(f"generated {n} assets in {time.perf_counter() - t0:.1f} s")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                ctx = browser.new_context(base_url=url, viewport={"width": 1440, "height": 900})
                page = ctx.new_page()
                page.request.post("/api/auth/login", data={"email": "a@b.co", "password": "pw"})
                firsts = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    page.goto("/photos")
                    page.wait_for_function("document.querySelector('.tile img.loaded') !== null", timeout=30000)
                    firsts.append(time.perf_counter() - t0)
                    page.goto("about:blank")
                page.goto("/photos")
                page.wait_for_function("document.querySelector('.tile img.loaded') !== null")
                max_nodes, steps = 0, 0
                start_year = page.eval_on_selector(".month", "m => m.dataset.bucket.slice(0, 4)")
                while True:
                    page.mouse.wheel(0, 900)
                    page.wait_for_timeout(120)
                    steps += 1
                    max_nodes = max(max_nodes, page.evaluate("document.getElementsByTagName('*').length"))
                    visible = page.evaluate("""() => { const m = [...document.querySelectorAll('.month')]
                        .find(x => x.getBoundingClientRect().bottom > 0); return m?.dataset.bucket || ''; }""")
                    if visible[:4] < str(int(start_year) - 1) or steps > 2000:
                        break
                browser.close()
    firsts.sort()
    print(f"first thumbnail after navigation: median {firsts[len(firsts) // 2]:.2f} s, max {firsts[-1]:.2f} s "
          f"({len(firsts)} runs)")
    print(f"scrolled from {start_year} into {visible[:7]} in {steps} wheel steps: at most {max_nodes} DOM nodes")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    main(ap.parse_args().assets)

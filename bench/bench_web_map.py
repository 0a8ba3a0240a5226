"""The web map at 100,000 assets (a third with a position), in Debian's chromium: time from navigation until
the clustered markers are drawn, the page's DOM size, and opening the biggest cluster's photo panel.

Run: .venv/bin/python -m bench.bench_web_map [--assets 100000]
Targets (issue 11): markers drawn within 3 s of navigation; the DOM stays under 3,000 nodes, also with a
cluster of thousands of photos open. Assets are generated rows (bench.bench_timeline.generate), their positions
spread over ±0.3° around four cities; tiles come from the server itself (no network).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import httpx

from bench.bench_timeline import generate
from photonest.db.engine import Database
from photonest.db.tables import User
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.helpers import running_server

TILE = "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
DRAWN = "document.querySelector('.leaflet-marker-pane .marker-cluster') !== null"


def main(n: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with running_server(data, env={"PHOTONEST_MAP_TILE_URL": TILE}) as (url, _):
            httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": "a@b.co", "password": "pw", "name": "A"})
            db = Database(f"sqlite:///{data / 'photonest.db'}")
            with db.session() as s:
                owner = s.query(User).one().id
            generate(db, owner, n)
            with db.engine.begin() as c:  # spread the four cities' photos out (generate puts each on one point)
                c.exec_driver_sql("UPDATE asset_exif SET latitude = latitude + (abs(random()) % 6000 - 3000) / 10000.0,"
                                  " longitude = longitude + (abs(random()) % 6000 - 3000) / 10000.0"
                                  " WHERE latitude IS NOT NULL")
            db.dispose()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_context(base_url=url, viewport={"width": 1440, "height": 900}).new_page()
                page.request.post("/api/auth/login", data={"email": "a@b.co", "password": "pw"})
                markers = len(page.request.get("/api/map/markers").json())
                times = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    page.goto("/map")
                    page.wait_for_function(DRAWN, timeout=60000)
                    page.wait_for_function("/ with a location$/.test(document.querySelector('.page-head [role=status]')"
                                           "?.textContent || '')", timeout=60000)
                    times.append(time.perf_counter() - t0)
                    page.goto("about:blank")
                page.goto("/map")
                page.wait_for_function(DRAWN, timeout=60000)
                page.wait_for_timeout(1500)  # chunked clustering finishes
                nodes = page.evaluate("document.getElementsByTagName('*').length")
                biggest = page.evaluate("""() => { const c = [...document.querySelectorAll('.marker-cluster')];
                    c.sort((a, b) => +b.textContent - +a.textContent); c[0].classList.add('bench-biggest');
                    return +c[0].textContent; }""")
                # Timed in the page: from the click event to the panel's tiles in the DOM.
                panel_s = page.evaluate("""() => { const t0 = performance.now();
                    document.querySelector('.bench-biggest').click();
                    return (performance.now() - t0) / 1000; }""")
                page.wait_for_selector(".map-panel .panel-tile")
                panel_nodes = page.evaluate("document.getElementsByTagName('*').length")
                browser.close()
    times.sort()
    print(f"{markers} markers; drawn after navigation: median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s "
          f"({len(times)} runs)")
    print(f"DOM nodes with the map drawn: {nodes}; biggest cluster {biggest} photos: panel in {panel_s * 1000:.0f} ms, "
          f"DOM then {panel_nodes} nodes")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    main(ap.parse_args().assets)

"""The map page in a real browser: Leaflet served from the wheel, markers for the GPS photos only, filters,
a marker's photo panel opening the viewer; phone width."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from tests.conftest import MEDIA
from tests.e2e.conftest import shot
from tests.e2e.webapi import admin_client, browser_page, upload, wait_for, wait_thumbnails

GPS = [MEDIA / "camera_jpeg" / n for n in ("leuvenA.jpg", "GoPro.jpg", "singlemarkersoriginal.jpg")]
NO_GPS = MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"


def test_leaflet_is_served_from_the_package(server: str) -> None:
    js = httpx.get(f"{server}/static/vendor/leaflet/leaflet.js")
    assert js.status_code == 200 and "Leaflet" in js.text[:400]
    assert httpx.get(f"{server}/static/vendor/leaflet-markercluster/leaflet.markercluster.js").status_code == 200
    assert httpx.get(f"{server}/static/vendor/leaflet/nothing.js").status_code == 404
    assert httpx.get(f"{server}/static/app.js").status_code == 200  # the app's own files are not shadowed


def test_map_shows_gps_photos_and_opens_them(browser: object, server: str) -> None:
    c = admin_client(server)
    ids = [upload(c, p) for p in GPS]
    upload(c, NO_GPS)
    wait_thumbnails(c, ids)
    wait_for(lambda: len(c.get("/api/map/markers").json()) == len(GPS), "markers")

    page = browser_page(browser, server, c)
    page.goto("/map")
    expect(page.get_by_role("status").filter(has_text="with a location")).to_have_text("3 photos with a location")
    pins = page.locator(".leaflet-marker-pane .pin")
    expect(pins).to_have_count(3)  # Belgium, New York, California: far apart at the fitted zoom, no clusters
    page.wait_for_function(
        "[...document.querySelectorAll('.leaflet-marker-pane .pin img')].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "map")

    pins.first.click()
    panel = page.locator(".map-panel")
    expect(panel.locator(".panel-tile")).to_have_count(1)
    opened = panel.locator(".panel-tile").get_attribute("data-id")
    assert opened in ids
    panel.locator(".panel-tile").click()
    expect(page.get_by_role("dialog", name="Photo viewer")).to_be_visible()
    expect(page).to_have_url(f"{server}/photos/{opened}")
    page.wait_for_function("document.querySelector('.viewer .media')?.naturalWidth > 0")
    # The info panel has its own small map with the photo's marker, and the albums it is in.
    page.keyboard.press("i")
    info = page.get_by_role("complementary", name="Info")
    expect(info.locator(".info-map .leaflet-marker-icon")).to_have_count(1)
    expect(info.get_by_role("list", name="Albums")).to_contain_text("In no album")
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"{server}/map")

    # Filters are the /map/markers query: nothing is a favourite yet; then one is.
    page.get_by_label("Favourites only").check()
    expect(page.get_by_role("status").filter(has_text="with a location")).to_have_text("0 photos with a location")
    expect(pins).to_have_count(0)
    c.put(f"/api/assets/{ids[1]}", json={"isFavorite": True}).raise_for_status()
    page.get_by_label("Favourites only").uncheck()
    page.get_by_label("Favourites only").check()
    expect(pins).to_have_count(1)
    page.get_by_label("Favourites only").uncheck()
    # A date range that leaves out every photo (they were taken 2017-2019).
    page.get_by_label("From").fill("2021-01-01")
    page.get_by_label("From").dispatch_event("change")
    expect(page.get_by_role("status").filter(has_text="with a location")).to_have_text("0 photos with a location")


def test_map_clusters_and_phone_width(browser: object, server: str) -> None:
    c = admin_client(server)
    near = [MEDIA / "camera_jpeg" / n for n in ("leuvenA.jpg", "leuvenB.jpg")]  # 14 s and metres apart
    ids = [upload(c, p) for p in near]
    wait_thumbnails(c, ids)
    wait_for(lambda: len(c.get("/api/map/markers").json()) == 2, "markers")
    page = browser_page(browser, server, c, width=375, height=740)
    page.goto("/map")
    # fitBounds stops at zoom 12, where two photos metres apart are one cluster of 2.
    cluster = page.locator(".marker-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_contain_text("2")
    cluster.click()
    expect(page.locator(".map-panel .panel-tile")).to_have_count(2)
    expect(page.locator(".map-panel")).to_contain_text("2 photos")
    box = page.locator("#map").bounding_box()
    assert box is not None and box["width"] <= 375
    shot(page, "map-phone")


def test_tiles_come_from_the_configured_url(browser: object, tmp_path: object) -> None:
    from pathlib import Path

    from tests.helpers import running_server

    # A tile server on the same origin (Leaflet's own PNG stands in for tiles): no request leaves the machine.
    tile = "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    with running_server(Path(str(tmp_path)) / "data", env={"PHOTONEST_MAP_TILE_URL": tile,
                                                           "PHOTONEST_MAP_ATTRIBUTION": "Test tiles"}) as (server, _):
        c = admin_client(server)
        page = browser_page(browser, server, c)
        page.goto("/map")
        img = page.locator(".leaflet-tile-pane img.leaflet-tile").first
        tile_src = re.compile(r"/static/vendor/leaflet/images/layers\.png\?z=\d+&x=\d+&y=\d+$")
        expect(img).to_have_attribute("src", tile_src)
        page.wait_for_function(
            "[...document.querySelectorAll('.leaflet-tile-pane img')].some(i => i.complete && i.naturalWidth > 0)")
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("Test tiles")

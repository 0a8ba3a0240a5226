"""Location history in a real browser: a trip away from home listed with its cover, drawn as a numbered track
with its photos in time order; a GPX track previewed (table and map) and applied."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import MEDIA
from tests.e2e.conftest import shot
from tests.e2e.webapi import admin_client, browser_page, upload, wait_for, wait_thumbnails

HOME = [MEDIA / "camera_jpeg" / n for n in ("leuvenA.jpg", "leuvenB.jpg")]  # Leuven, 2019-04-14
AWAY = MEDIA / "camera_jpeg" / "singlemarkersoriginal.jpg"  # Grass Valley, California, 2019-11-20 13:30
MOVED = MEDIA / "camera_jpeg" / "GoPro.jpg"  # New York 2017: moved to San Francisco the next day below
NO_GPS = MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"  # 2008-05-08 09:54:34, no position


def _gpx(path: Path) -> Path:
    """A track in Death Valley every 5 minutes for two days around the photo without a position."""
    start = datetime(2008, 5, 7, 12, tzinfo=UTC)
    pts = "".join(
        f'<trkpt lat="{36.40 + i * 0.0001:.5f}" lon="{-116.86 + i * 0.0001:.5f}"><time>'
        f'{(start + timedelta(minutes=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")}</time></trkpt>' for i in range(576))
    path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
                    f"<trk><trkseg>{pts}</trkseg></trk></gpx>")
    return path


def test_trip_list_track_and_gpx_import(browser: object, server: str, tmp_path: Path) -> None:
    c = admin_client(server)
    ids = [upload(c, p) for p in [*HOME, AWAY, MOVED, NO_GPS]]
    wait_thumbnails(c, ids)
    wait_for(lambda: len(c.get("/api/map/markers").json()) == 4, "markers")
    home = {"latitude": 50.8715, "longitude": 4.6970, "radiusKm": 25}
    c.put("/api/location-history/home", json=home).raise_for_status()
    # The second day of the trip: a photo in San Francisco the day after Grass Valley.
    c.put(f"/api/assets/{ids[3]}", json={"latitude": 37.7793, "longitude": -122.4193,
                                         "dateTimeOriginal": "2019-11-21T10:00:00.000Z"}).raise_for_status()
    wait_for(lambda: any(t["days"] == 2 for t in c.get("/api/location-history/trips").json()), "the trip")

    page = browser_page(browser, server, c)
    page.goto("/photos")
    page.get_by_role("link", name="Location history").click()
    expect(page).to_have_url(re.compile(r"/history$"))
    expect(page.locator(".home-box")).to_contain_text("Home:")
    trip = page.locator(".trip-card").filter(has_text="2 days")
    expect(trip).to_have_count(1)
    expect(trip).to_contain_text("2 photos")
    page.wait_for_function("document.querySelector('.trip-card img')?.naturalWidth > 0")
    shot(page, "history")

    trip.click()
    expect(page).to_have_url(re.compile(r"/history/trips/2019-11-20_2019-11-21$"))
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)  # the track
    expect(page.locator(".leaflet-marker-pane .pin.numbered")).to_have_count(2)
    tiles = page.locator(".track-photos .panel-tile")
    expect(tiles).to_have_count(2)
    assert tiles.nth(0).get_attribute("data-id") == ids[2]  # Grass Valley first, San Francisco second
    assert tiles.nth(1).get_attribute("data-id") == ids[3]
    shot(page, "history-trip")
    tiles.nth(1).click()
    expect(page.get_by_role("dialog", name="Photo viewer")).to_be_visible()
    page.wait_for_function("document.querySelector('.viewer .media')?.naturalWidth > 0")
    page.keyboard.press("ArrowLeft")  # steps through the trip's photos
    expect(page).to_have_url(re.compile(rf"/photos/{ids[2]}$"))
    page.keyboard.press("Escape")

    # GPX import: preview first (nothing changes), then apply.
    page.goto("/history")
    page.get_by_role("button", name="Import GPX").click()
    dialog = page.get_by_role("dialog", name="Import GPX")
    dialog.get_by_label("GPX file").set_input_files(str(_gpx(tmp_path / "valley.gpx")))
    dialog.get_by_role("button", name="Preview").click()
    table = dialog.locator("table.gpx-matches")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(NO_GPS.name)
    expect(dialog.locator(".gpx-map .leaflet-marker-icon")).to_have_count(1)
    assert c.get(f"/api/assets/{ids[4]}").json()["exifInfo"].get("latitude") is None
    shot(page, "history-gpx-preview")
    dialog.get_by_role("button", name="Apply to 1 photo").click()
    expect(page.get_by_text("Updated 1 photo")).to_be_visible()
    exif = c.get(f"/api/assets/{ids[4]}").json()["exifInfo"]
    assert 36.39 < exif["latitude"] < 36.47 and -116.87 < exif["longitude"] < -116.79

    # The page shows the change: that day, picked by a date range, drawn with its one photo.
    page.get_by_label("Days from").fill("2008-05-01")
    page.get_by_label("Days to").fill("2008-05-31")
    page.get_by_label("Days to").dispatch_event("change")
    day = page.locator(".day-list .day-link")
    expect(day).to_have_count(1)
    expect(day).to_contain_text("1 photo")
    day.click()
    expect(page).to_have_url(re.compile(r"/history/days/2008-05-08$"))
    expect(page.locator(".leaflet-marker-pane .pin.numbered")).to_have_count(1)
    assert page.locator(".track-photos .panel-tile").get_attribute("data-id") == ids[4]


def test_a_broken_gpx_is_reported(browser: object, server: str, tmp_path: Path) -> None:
    c = admin_client(server)
    page = browser_page(browser, server, c, width=375, height=740)
    page.goto("/history")
    expect(page.get_by_text("No trips yet")).to_be_visible()
    page.get_by_role("button", name="Import GPX").click()
    bad = tmp_path / "bad.gpx"
    bad.write_text("this is not XML")
    dialog = page.get_by_role("dialog", name="Import GPX")
    dialog.get_by_label("GPX file").set_input_files(str(bad))
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator(".gpx-result .error")).not_to_be_empty()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "history-phone-gpx-error")

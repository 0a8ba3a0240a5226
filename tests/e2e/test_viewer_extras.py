"""The viewer in a real browser: a real video plays (time advances, fetched with Range requests), add to album
from the viewer (new and existing), the albums list in the info panel, phone width."""

from __future__ import annotations

import re

from playwright.sync_api import Request, expect

from tests.conftest import MEDIA
from tests.e2e.conftest import shot
from tests.e2e.webapi import admin_client, browser_page, upload, wait_thumbnails

VIDEO = MEDIA / "video" / "cup.mp4"  # H.264 + AAC from a phone-like camera, 8 s


def test_video_plays_with_range_requests(browser: object, server: str) -> None:
    c = admin_client(server)
    vid = upload(c, VIDEO)
    wait_thumbnails(c, [vid])
    page = browser_page(browser, server, c)
    ranges: list[str] = []

    def seen(req: Request) -> None:
        if "/video/playback" in req.url and req.headers.get("range"):
            ranges.append(req.headers["range"])

    page.on("request", seen)
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/video/playback" in r.url else None)
    page.goto(f"/photos/{vid}")
    video = page.locator(".viewer video.media")
    expect(video).to_be_visible()
    page.evaluate("document.querySelector('.viewer video').muted = true")
    page.evaluate("document.querySelector('.viewer video').play()")
    page.wait_for_function("document.querySelector('.viewer video')?.currentTime > 1", timeout=20000)
    assert page.evaluate("document.querySelector('.viewer video').videoWidth") == 640
    assert ranges, "the browser fetched the video without Range requests"
    assert 206 in statuses
    shot(page, "viewer-video")


def test_add_to_album_from_the_viewer_and_phone_width(browser: object, server: str) -> None:
    c = admin_client(server)
    ids = [upload(c, MEDIA / "camera_jpeg" / n) for n in ("leuvenA.jpg", "flower.jpg")]
    wait_thumbnails(c, ids)
    c.post("/api/albums", json={"albumName": "Existing"}).raise_for_status()
    page = browser_page(browser, server, c, width=375, height=740)
    page.goto(f"/photos/{ids[0]}")
    page.wait_for_function("document.querySelector('.viewer .media')?.naturalWidth > 0")
    page.get_by_role("button", name="Info").click()
    albums = page.get_by_role("list", name="Albums")
    expect(albums).to_have_text("In no album")

    page.get_by_role("button", name="Add to album").click()
    page.get_by_role("dialog", name="Add to album").get_by_role("button", name=re.compile("^Existing")).click()
    expect(page.get_by_text('Added 1 to "Existing"')).to_be_visible()
    expect(albums).to_have_text("Existing")
    page.once("dialog", lambda d: d.accept("From the viewer"))
    page.get_by_role("button", name="Add to album").click()
    page.get_by_role("button", name="New album").click()
    expect(albums.get_by_role("listitem")).to_have_count(2)
    expect(albums).to_contain_text("From the viewer")
    assert sorted(a["albumName"] for a in c.get("/api/albums", params={"assetId": ids[0]}).json()) == \
        ["Existing", "From the viewer"]
    # The whole viewer fits a phone: no horizontal overflow, the bar's buttons on screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.get_by_role("button", name="Delete").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    shot(page, "viewer-phone")

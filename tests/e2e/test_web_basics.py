"""The web UI, clicked through in a real browser: onboarding, sign in, upload, timeline, viewer, trash."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import MEDIA
from tests.e2e.conftest import shot

PASSWORD = "a long enough password"
PHOTOS = [MEDIA / "camera_jpeg" / n for n in ("leuvenA.jpg", "flower.jpg", "ela_original.jpg", "DSC_3079.jpg")]


def _page(browser: object, server: str) -> Page:
    ctx = browser.new_context(base_url=server, viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
    page: Page = ctx.new_page()
    page.set_default_timeout(15000)
    return page


def _onboard(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/onboarding$"))
    shot(page, "onboarding")
    page.get_by_label("Name").fill("Ada")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/photos$"))


def _wait_processed(server: str, page: Page, n: int) -> None:
    """Wait until n assets have thumbnails (the pipeline runs in the server's workers)."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    for _ in range(300):
        buckets = httpx.get(f"{server}/api/timeline/buckets", cookies=cookies).json()
        if sum(b["count"] for b in buckets) >= n:
            ids = []
            for b in buckets:
                ids += httpx.get(f"{server}/api/timeline/bucket", params={"timeBucket": b["timeBucket"]},
                                 cookies=cookies).json()["id"]
            codes = [httpx.get(f"{server}/api/assets/{i}/thumbnail", cookies=cookies).status_code for i in ids]
            # Fewer ids than counted: the metadata stage moved a photo to its EXIF month between the two reads.
            if len(ids) >= n and all(c == 200 for c in codes):
                return
        page.wait_for_timeout(200)
    raise AssertionError("assets were not processed in time")


def test_onboarding_sign_out_and_sign_in(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    expect(page.get_by_text("No photos yet")).to_be_visible()
    page.get_by_role("button", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Incorrect email or password")
    shot(page, "login-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/photos$"))


def test_upload_view_and_trash(browser: object, server: str, tmp_path: Path) -> None:
    page = _page(browser, server)
    _onboard(page)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(p) for p in PHOTOS])
    expect(page.locator(".upload-summary")).to_contain_text(f"{len(PHOTOS)} uploaded")
    _wait_processed(server, page, len(PHOTOS))
    page.reload()
    tiles = page.locator(".tile")
    expect(tiles).to_have_count(len(PHOTOS))
    # Thumbnails really decoded: the browser knows their pixel size.
    page.wait_for_function("[...document.querySelectorAll('.tile img')].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "timeline")

    # Uploading the same file again is reported as a duplicate, by name.
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(PHOTOS[0])])
    expect(page.locator(".upload-list li.duplicate").first).to_contain_text(PHOTOS[0].name)

    tiles.first.click()
    viewer = page.get_by_role("dialog", name="Photo viewer")
    expect(viewer).to_be_visible()
    expect(page).to_have_url(re.compile(r"/photos/[0-9a-f-]{36}$"))
    page.wait_for_function("document.querySelector('.viewer .media')?.naturalWidth > 0")
    first_url = page.url
    page.keyboard.press("ArrowRight")
    expect(page).not_to_have_url(first_url)
    page.keyboard.press("i")
    expect(page.get_by_role("complementary", name="Info")).to_contain_text("File")
    shot(page, "viewer-info")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Moved to trash")).to_be_visible()
    page.keyboard.press("Escape")
    page.goto("/photos")
    expect(page.locator(".tile")).to_have_count(len(PHOTOS) - 1)

    page.goto("/trash")
    expect(page.locator(".tile")).to_have_count(1)
    page.locator(".tile .check").first.click()
    page.get_by_role("button", name="Restore").click()
    expect(page.locator(".tile")).to_have_count(0)
    page.goto("/photos")
    expect(page.locator(".tile")).to_have_count(len(PHOTOS))


def test_albums_create_add_remove_delete(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(p) for p in PHOTOS[:2]])
    expect(page.locator(".upload-summary")).to_contain_text("2 uploaded")
    _wait_processed(server, page, 2)
    page.reload()
    expect(page.locator(".tile")).to_have_count(2)

    # Select both photos of the first day with a shift-click range, then add them to a new album.
    page.locator(".tile .check").first.click()
    page.locator(".tile").nth(1).click(modifiers=["Shift"])
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_role("button", name="Add to album").click()
    page.once("dialog", lambda d: d.accept("Trip <b>to</b> Leuven"))
    page.get_by_role("button", name="New album").click()
    expect(page.get_by_text('Created album "Trip <b>to</b> Leuven"')).to_be_visible()

    page.get_by_role("link", name="Albums").click()
    card = page.locator(".album-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Trip <b>to</b> Leuven")  # shown as text: markup in names is inert
    expect(card).to_contain_text("2 items")
    page.wait_for_function("document.querySelector('.album-card img')?.naturalWidth > 0")
    shot(page, "albums")
    card.click()
    expect(page.locator(".tile")).to_have_count(2)
    page.locator(".tile .check").first.click()
    page.get_by_role("button", name="Remove from album").click()
    expect(page.locator(".tile")).to_have_count(1)
    page.get_by_label("Album name").fill("Leuven")
    page.get_by_label("Album name").press("Enter")
    expect(page.get_by_text("Album renamed")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete album").click()
    expect(page).to_have_url(re.compile(r"/albums$"))
    expect(page.get_by_text("No albums yet.")).to_be_visible()
    page.goto("/photos")
    expect(page.locator(".tile")).to_have_count(2)  # deleting an album never deletes photos


def test_locked_folder_and_empty_trash(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(p) for p in PHOTOS[:3]])
    expect(page.locator(".upload-summary")).to_contain_text("3 uploaded")
    _wait_processed(server, page, 3)
    page.reload()
    expect(page.locator(".tile")).to_have_count(3)

    # Moving photos in needs an unlocked session: the first visit sets the PIN (and unlocks).
    page.get_by_role("link", name="Locked folder").click()
    page.get_by_label("PIN code").fill("123456")
    page.get_by_role("button", name="Set PIN").click()
    expect(page.get_by_text("Nothing here yet")).to_be_visible()
    page.get_by_role("link", name="Photos").click()
    page.locator(".tile .check").first.click()
    page.get_by_role("button", name="Move to locked folder").click()
    expect(page.locator(".tile")).to_have_count(2)  # locked photos leave the timeline
    page.get_by_role("link", name="Locked folder").click()
    expect(page.locator(".tile")).to_have_count(1)
    shot(page, "locked-folder")
    page.get_by_role("button", name="Lock").click()
    expect(page.get_by_role("button", name="Unlock")).to_be_visible()
    page.get_by_label("PIN code").fill("000000")
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong PIN")
    page.get_by_label("PIN code").fill("123456")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator(".tile")).to_have_count(1)

    page.get_by_role("link", name="Photos").click()
    page.locator(".tile .check").first.click()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".tile")).to_have_count(1)
    page.get_by_role("link", name="Trash").click()
    expect(page.locator(".tile")).to_have_count(1)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Empty trash").click()
    expect(page.get_by_text("Deleted 1 items for good")).to_be_visible()
    expect(page.get_by_text("Trash is empty.")).to_be_visible()


def test_memories_on_the_home_page(browser: object, server: str) -> None:
    page = _page(browser, server)
    # flower.jpg was taken on 2003-12-14: on 14 December 2025 it is a memory from 22 years ago.
    page.clock.set_fixed_time("2025-12-14T10:00:00Z")
    _onboard(page)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(PHOTOS[1])])
    expect(page.locator(".upload-summary")).to_contain_text("1 uploaded")
    _wait_processed(server, page, 1)
    page.reload()
    card = page.get_by_role("button", name="22 years ago, 1 photos")
    expect(card).to_be_visible(timeout=15000)  # memories are made on demand on the first visit
    page.wait_for_function("document.querySelector('.memory-card img')?.naturalWidth > 0")
    shot(page, "memories")
    card.click()
    expect(page.get_by_role("dialog", name="Photo viewer")).to_be_visible()


def test_partner_sharing_page(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    r = httpx.post(f"{server}/api/admin/users", cookies=cookies, json={
        "email": "bo@example.com", "password": PASSWORD, "name": "Bo", "shouldChangePassword": False})
    assert r.status_code == 201
    page.get_by_role("link", name="Sharing").click()
    expect(page.get_by_text("You don't share your library with anyone.")).to_be_visible()
    page.get_by_label("Share my library with").select_option(label="Bo (bo@example.com)")
    page.get_by_role("button", name="Share my library").click()
    expect(page.locator(".people-list").last).to_contain_text("bo@example.com")

    bo = browser.new_context(base_url=server).new_page()  # type: ignore[attr-defined]
    bo.goto("/auth/login")
    bo.get_by_label("Email").fill("bo@example.com")
    bo.get_by_label("Password").fill(PASSWORD)
    bo.get_by_role("button", name="Sign in").click()
    bo.get_by_role("link", name="Sharing").click()
    toggle = bo.get_by_label("Show Ada's photos in my timeline")
    expect(toggle).not_to_be_checked()
    toggle.check()
    expect(bo.get_by_text("Ada's photos now show in your timeline")).to_be_visible()
    shot(bo, "sharing")
    bo.reload()
    expect(bo.get_by_label("Show Ada's photos in my timeline")).to_be_checked()


def test_large_upload_is_resumable(browser: object, server: str, tmp_path: Path) -> None:
    import base64
    import hashlib
    import os

    page = _page(browser, server)
    _onboard(page)
    video = MEDIA / "video" / "box.mp4"
    big = tmp_path / "holiday.mp4"
    big.write_bytes(video.read_bytes() + os.urandom(90 * 1024 * 1024))
    patches: list[str] = []
    page.on("request", lambda r: patches.append(r.url) if r.method == "PATCH" else None)
    # Break the second chunk once, as a flaky network would: the upload must carry on from the server's offset.
    state = {"failed": False}

    def flaky(route: object) -> None:
        if len(patches) == 2 and not state["failed"]:
            state["failed"] = True
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    page.route("**/api/upload/tus/*", flaky)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files(str(big))
    expect(page.locator(".upload-summary")).to_contain_text("1 uploaded", timeout=120000)
    assert state["failed"] and len(patches) >= 12  # 90 MB in 8 MB chunks, one of them sent twice
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    digest = base64.b64encode(hashlib.sha1(big.read_bytes()).digest()).decode()
    r = httpx.post(f"{server}/api/assets/bulk-upload-check", cookies=cookies,
                   json={"assets": [{"id": "x", "checksum": digest}]})
    assert r.json()["results"][0]["action"] == "reject"  # the server has exactly these bytes


def test_shared_album_with_roles_and_comments(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    httpx.post(f"{server}/api/admin/users", cookies=cookies, json={
        "email": "bo@example.com", "password": PASSWORD, "name": "Bo", "shouldChangePassword": False})
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(PHOTOS[0])])
    _wait_processed(server, page, 1)
    page.reload()
    page.locator(".tile .check").first.click()
    page.get_by_role("button", name="Add to album").click()
    page.once("dialog", lambda d: d.accept("Weekend"))
    page.get_by_role("button", name="New album").click()
    page.get_by_role("link", name="Albums").click()
    page.locator(".album-card").first.click()
    page.get_by_role("button", name="Share with people").click()
    page.get_by_label("Person").select_option(label="Bo (bo@example.com)")
    page.get_by_label("Role", exact=True).select_option("viewer")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".album-members")).to_contain_text("Bo · viewer")

    bo = browser.new_context(base_url=server).new_page()  # type: ignore[attr-defined]
    bo.goto("/auth/login")
    bo.get_by_label("Email").fill("bo@example.com")
    bo.get_by_label("Password").fill(PASSWORD)
    bo.get_by_role("button", name="Sign in").click()
    bo.get_by_role("link", name="Albums").click()
    bo.locator(".album-card").first.click()
    # The viewer sees Ada's photo (decoded), can comment and like, but cannot rename or share.
    expect(bo.locator(".tile")).to_have_count(1)
    bo.wait_for_function("document.querySelector('.tile img')?.naturalWidth > 0")
    expect(bo.get_by_role("button", name="Share link")).to_have_count(0)
    bo.get_by_label("Comment", exact=True).fill("<script>alert(1)</script> so nice")
    bo.get_by_role("button", name="Post").click()
    expect(bo.locator(".activity-list")).to_contain_text("<script>alert(1)</script> so nice")
    bo.get_by_role("button", name=re.compile("Like")).click()
    expect(bo.get_by_role("button", name=re.compile("Liked · 1"))).to_be_visible()
    shot(bo, "shared-album")
    page.reload()
    expect(page.locator(".activity-list")).to_contain_text("so nice")


def test_bulk_tag_and_zip_download(browser: object, server: str) -> None:
    import io
    import zipfile

    page = _page(browser, server)
    _onboard(page)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(p) for p in PHOTOS[:2]])
    _wait_processed(server, page, 2)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.locator(".tile .check").first.click()
    page.locator(".tile").nth(1).click(modifiers=["Shift"])
    expect(page.locator(".selection-bar .count")).to_have_text("2 selected")
    page.get_by_role("button", name="Tag", exact=True).click()
    picker = page.get_by_role("dialog", name="Tag")
    picker.get_by_label("Tag name").fill("Trips/Belgium")
    picker.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Tagged 2 with Trips/Belgium")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the timeline reloads after an action: select once it has
    page.locator(".tile .check").first.click()
    page.locator(".tile").nth(1).click(modifiers=["Shift"])
    expect(page.locator(".selection-bar .count")).to_have_text("2 selected")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download").click()
    names = zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes())).namelist()
    assert sorted(names) == sorted(p.name for p in PHOTOS[:2])

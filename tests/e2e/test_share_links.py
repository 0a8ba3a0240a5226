"""Share links in the browser: create from a selection, open in a fresh guest context, password, download."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.test_web_basics import PHOTOS, _onboard, _page, _wait_processed


def test_share_selection_with_password_to_a_guest(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    with page.expect_file_chooser() as fc:
        page.get_by_role("button", name="Upload").click()
    fc.value.set_files([str(p) for p in PHOTOS[:3]])
    expect(page.locator(".upload-summary")).to_contain_text("3 uploaded")
    _wait_processed(server, page, 3)
    page.reload()
    page.wait_for_load_state("networkidle")  # select once the timeline has loaded (no redraw under the clicks)
    page.locator(".tile .check").nth(0).click()
    page.locator(".tile").nth(1).click()
    expect(page.locator(".selection-bar .count")).to_have_text("2 selected")
    page.get_by_role("button", name="Share", exact=True).click()
    page.get_by_label("Description").fill("<img src=x onerror=alert(1)> Leuven")
    page.get_by_label("Password (optional)").fill("kitten")
    page.get_by_role("button", name="Create link").click()
    url = page.get_by_label("Share link").input_value()
    assert re.search(r"/share/[A-Za-z0-9_-]{40,}$", url)
    page.get_by_role("button", name="Done").click()

    guest = browser.new_context(viewport={"width": 1000, "height": 800}).new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    guest.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    guest.goto(url)
    expect(guest.get_by_text("This link is password protected")).to_be_visible()
    guest.get_by_label("Password").fill("dog")
    guest.get_by_role("button", name="Open").click()
    expect(guest.get_by_role("alert")).to_contain_text("Wrong password")
    guest.get_by_label("Password").fill("kitten")
    guest.get_by_role("button", name="Open").click()
    expect(guest.locator(".tile")).to_have_count(2)
    expect(guest.get_by_role("heading", level=1)).to_have_text("<img src=x onerror=alert(1)> Leuven")
    guest.wait_for_function("[...document.querySelectorAll('.tile img')].every(i => i.complete && i.naturalWidth > 0)")
    shot(guest, "share-guest")
    guest.locator(".tile").first.click()
    expect(guest.get_by_role("dialog", name="Photo viewer")).to_be_visible()
    guest.wait_for_function("document.querySelector('.viewer .media')?.naturalWidth > 0")
    with guest.expect_download() as dl:
        guest.get_by_role("link", name="Download").click()
    assert dl.value.suggested_filename.endswith(".jpg")
    assert dialogs == []  # the description's markup stayed text

    # The owner revokes the link; the guest's next visit sees nothing.
    page.get_by_role("link", name="Sharing").click()
    page.once("dialog", lambda d: d.accept())
    expect(page.locator(".links li")).to_have_count(1)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Link deleted")).to_be_visible()
    page.reload()
    expect(page.get_by_text("You have no shared links.")).to_be_visible()
    guest.goto(url)
    expect(guest.get_by_text("This link does not work")).to_be_visible()

"""Administration > Libraries and > Backups in a real browser: an external library over a folder of real photos
(refused bad path, scan, live asset count, live path validation, delete leaving the files alone); a database
backup made, listed, downloaded and uploaded again; an integrity check finding a stray file (report and CSV);
non-admins get none of it. One server for the module."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.conftest import MEDIA
from tests.e2e.conftest import shot
from tests.e2e.webapi import PASSWORD, admin_client, browser_page, login_client
from tests.helpers import running_server

PHOTOS = [MEDIA / "camera_jpeg" / n for n in ("FurnaceCreekInn.jpg", "leuvenA.jpg")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("admin-ops")
    folder = root / "nas photos"  # outside the data directory, as import paths must be
    folder.mkdir()
    for p in PHOTOS:
        shutil.copy(p, folder / p.name)
    data = root / "data"
    with running_server(data) as (url, _):
        c = admin_client(url)
        yield {"url": url, "client": c, "folder": folder, "data": data}
        c.close()


@pytest.fixture
def page(browser: object, site: dict[str, Any]) -> Iterator[Page]:
    p = browser_page(browser, site["url"], site["client"])
    yield p
    p.context.close()


def test_external_library_create_scan_validate_delete(page: Page, site: dict[str, Any]) -> None:
    c, folder = site["client"], site["folder"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    page.goto("/admin")
    page.get_by_role("link", name="Libraries").click()
    expect(page).to_have_url(re.compile(r"/admin/libraries$"))
    expect(page.get_by_text("No external libraries yet")).to_be_visible()

    # A path that does not exist is refused with the server's message, and nothing is created.
    page.get_by_role("button", name="Create library").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Owner")).to_contain_text("admin@example.com")
    dialog.get_by_label("Name").fill("NAS <b>photos</b>")
    dialog.get_by_label("Import paths").fill(f"{folder}/missing")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_role("alert")).to_have_text("Invalid import path: Path does not exist (ENOENT)")
    assert c.get("/api/libraries").json() == []
    dialog.get_by_label("Import paths").fill(str(folder))
    dialog.get_by_role("button", name="Create").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    [lib] = c.get("/api/libraries").json()
    assert lib["importPaths"] == [str(folder)] and "**/@eaDir/**" in lib["exclusionPatterns"]  # the defaults
    row = page.locator(f"tr[data-library='{lib['id']}']")
    expect(row.locator("td").first).to_have_text("NAS <b>photos</b>")  # names are text, never markup
    expect(row).to_contain_text("Admin")
    expect(row).to_contain_text(str(folder))
    expect(row.locator(".asset-count")).to_have_text("0")

    # Scan now: the count climbs to 2 by itself (the tab polls), as the API says.
    row.get_by_role("button", name="Scan now").click()
    expect(page.get_by_text("Scan of NAS <b>photos</b> queued")).to_be_visible()
    expect(row.locator(".asset-count")).to_have_text("2", timeout=60000)
    expect(row).to_contain_text("2 photos, 0 videos")
    assert c.get(f"/api/libraries/{lib['id']}").json()["assetCount"] == 2
    expect(row.locator("td").nth(6)).not_to_have_text("never")
    shot(page, "admin-libraries")

    # Edit, opened from the keyboard: paths are checked as they are typed, with Immich's messages.
    row.get_by_role("button", name="Edit").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    checks = dialog.get_by_role("list", name="Import path checks")
    expect(checks.locator("li.ok")).to_contain_text(str(folder))
    dialog.get_by_label("Import paths").fill(f"{folder}\n/no/such/folder\nrelative/dir")
    expect(checks.locator("li.bad").nth(0)).to_contain_text("/no/such/folder Path does not exist (ENOENT)")
    expect(checks.locator("li.bad").nth(1)).to_contain_text("Import path must be absolute")
    expect(checks.locator("li.ok")).to_have_count(1)
    shot(page, "admin-library-validation")
    # Saving a bad path is refused; the library is unchanged.
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Invalid import path")
    assert c.get(f"/api/libraries/{lib['id']}").json()["importPaths"] == [str(folder)]
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    row.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Exclusion patterns").fill("**/*.tmp")
    expect(checks.locator("li.ok")).to_have_count(1)
    dialog.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("**/*.tmp")
    assert c.get(f"/api/libraries/{lib['id']}").json()["exclusionPatterns"] == ["**/*.tmp"]

    # A phone: each library is a card with its actions; the tab strip shows this tab; nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(page.get_by_role("link", name="Libraries")).to_be_in_viewport()
    expect(row.get_by_role("button", name="Delete")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.wait_for_timeout(300)
    shot(page, "admin-libraries-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    # Delete: the confirmation says the files stay; the assets go, the folder is exactly as it was.
    messages: list[str] = []

    def accept(d: Dialog) -> None:
        messages.append(d.message)
        d.accept()

    page.once("dialog", accept)
    row.get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    assert "never touched" in messages[0] and "2 assets" in messages[0]
    assert c.get("/api/libraries").json() == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_backup_now_download_upload_and_integrity(page: Page, site: dict[str, Any], tmp_path: Path) -> None:
    c, data = site["client"], site["data"]
    page.goto("/admin/backups")
    expect(page.get_by_role("heading", name="Database backups")).to_be_visible()
    known = {b["filename"] for b in c.get("/api/admin/database-backups").json()["backups"]}

    page.get_by_role("button", name="Back up now").click()
    expect(page.get_by_text("Backup queued")).to_be_visible()
    made = page.locator("tr[data-backup^='photonest-']")
    expect(made).to_have_count(len(known) + 1, timeout=60000)  # the list refreshes by itself
    name = next(b["filename"] for b in c.get("/api/admin/database-backups").json()["backups"]
                if b["filename"] not in known)
    row = page.locator(f"tr[data-backup='{name}']")
    expect(row).to_contain_text(name)
    with page.expect_download() as dl:
        row.get_by_role("link", name=f"Download {name}").click()
    saved = tmp_path / dl.value.suggested_filename
    dl.value.save_as(saved)
    assert dl.value.suggested_filename == name
    body = saved.read_bytes()
    assert len(body) > 0 and body[:2] == b"\x1f\x8b"  # gzip
    assert gzip.decompress(body)[:16] == b"SQLite format 3\x00"
    shot(page, "admin-backups")

    # The downloaded file goes back up through the page and is listed as uploaded-<name>.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload backup").click()
    chooser.value.set_files(str(saved))
    uploaded = page.locator(f"tr[data-backup='uploaded-{name}']")
    expect(uploaded).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    uploaded.get_by_role("button", name=f"Delete uploaded-{name}").click()
    expect(uploaded).to_have_count(0)
    assert f"uploaded-{name}" not in {b["filename"] for b in c.get("/api/admin/database-backups").json()["backups"]}

    # Integrity: a stray file in the data directory is found by the untracked-files check.
    stray = data / "thumbs" / "stray-file.bin"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not ours")
    card = page.locator(".stat[data-report='untracked_file']")
    expect(card.locator("strong")).to_have_text("0")
    card.get_by_role("button", name="Check now").click()
    expect(card.locator("strong")).to_have_text("1", timeout=60000)
    assert c.get("/api/admin/integrity/summary").json()["untracked_file"] == 1
    card.get_by_role("button", name="Show").click()
    report = page.locator(".integrity-report")
    expect(report).to_contain_text("stray-file.bin")
    with page.expect_download() as csv:
        card.get_by_role("link", name="Untracked files as CSV").click()
    assert "stray-file.bin" in Path(csv.value.path()).read_text()
    shot(page, "admin-integrity")
    # Acting on the finding deletes the stray file (after a confirmation) and the count goes back to 0.
    page.once("dialog", lambda d: d.accept())
    report.get_by_role("button", name="Delete file").click()
    expect(card.locator("strong")).to_have_text("0")
    expect(report).not_to_contain_text("stray-file.bin")
    assert not stray.exists()

    # A phone, opened straight on this tab: its name is scrolled into the tab strip; nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(page.get_by_role("link", name="Backups")).to_be_in_viewport()
    expect(page.locator(f"tr[data-backup='{name}']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.wait_for_timeout(300)
    shot(page, "admin-backups-phone")


def test_non_admin_gets_no_admin_tabs(browser: object, site: dict[str, Any]) -> None:
    c = site["client"]
    r = c.post("/api/admin/users", json={"email": "eve@example.com", "password": PASSWORD, "name": "Eve"})
    assert r.status_code == 201, r.text
    eve = login_client(site["url"], "eve@example.com")
    page = browser_page(browser, site["url"], eve)
    for tab in ("libraries", "backups"):
        page.goto(f"/admin/{tab}")
        expect(page).to_have_url(re.compile(r"/photos$"))
        expect(page.get_by_text("Only administrators").first).to_be_visible()
        expect(page.get_by_role("navigation", name="Administration")).to_have_count(0)
        expect(page.get_by_role("link", name="Libraries")).to_have_count(0)
        expect(page.get_by_role("link", name="Backups")).to_have_count(0)
    for method, path in (("GET", "/api/libraries"), ("GET", "/api/admin/database-backups"),
                         ("GET", "/api/admin/integrity/summary"), ("POST", "/api/jobs")):
        resp = eve.request(method, path, json={"name": "backup-database"} if method == "POST" else None)
        assert resp.status_code == 403, (path, resp.status_code)
    page.context.close()
    eve.close()

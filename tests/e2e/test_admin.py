"""Administration in a real browser: users (create, the new user signs in), non-admins kept out (UI and API),
settings that persist, live job counts, server statistics; the versions in the account menu."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx
from playwright.sync_api import expect

from photonest import __version__
from tests.conftest import MEDIA
from tests.e2e.conftest import shot
from tests.e2e.webapi import PASSWORD, admin_client, browser_page, login_client, upload, wait_for, wait_thumbnails

WEB_JS = Path(__file__).resolve().parents[2] / "src" / "photonest" / "web" / "static" / "js" / "version.js"


def test_admin_creates_a_user_who_can_sign_in_but_not_administer(browser: object, server: str) -> None:
    admin = admin_client(server)
    page = browser_page(browser, server, admin)
    page.goto("/photos")
    page.get_by_role("link", name="Administration").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    page.get_by_role("button", name="Create user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email").fill("bob@example.com")
    dialog.get_by_label("Name").fill("Bob <i>B</i>")
    dialog.get_by_label("Password", exact=True).fill(PASSWORD)
    dialog.get_by_label("Quota in GiB").fill("2")
    dialog.get_by_label("Must change password").uncheck()
    dialog.get_by_role("button", name="Create").click()
    row = page.locator("tr[data-email='bob@example.com']")
    expect(row).to_contain_text("Bob <i>B</i>")  # names are text, never markup
    expect(row).to_contain_text("2.0 GB")
    shot(page, "admin-users")
    created = next(u for u in admin.get("/api/admin/users").json() if u["email"] == "bob@example.com")
    assert created["quotaSizeInBytes"] == 2 * 1024**3 and created["isAdmin"] is False

    # Edit: a storage label; then delete and restore.
    row.get_by_role("button", name="Edit").click()
    page.get_by_role("dialog").get_by_label("Storage label").fill("bob")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(row.locator("td").nth(4)).to_have_text("bob")
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="Delete").click()
    expect(row).to_contain_text("Deleted")
    row.get_by_role("button", name="Restore").click()
    expect(row.get_by_role("button", name="Edit")).to_be_visible()
    # Another account deleted, then removed at once instead of after the delay: no way back.
    carol = admin.post("/api/admin/users", json={"email": "carol@example.com", "password": PASSWORD, "name": "Carol"})
    admin.request("DELETE", f"/api/admin/users/{carol.json()['id']}", json={"force": False}).raise_for_status()
    page.reload()
    carol_row = page.locator("tr[data-email='carol@example.com']")
    page.once("dialog", lambda d: d.accept())
    carol_row.get_by_role("button", name="Delete now").click()
    expect(carol_row).to_contain_text("Being removed")
    expect(carol_row.get_by_role("button")).to_have_count(0)
    assert admin.get(f"/api/admin/users/{carol.json()['id']}").json()["status"] == "removing"

    # Bob signs in through the login page; he has no Administration entry and /admin sends him away.
    bob = browser_page(browser, server)
    bob.goto("/auth/login")
    bob.get_by_label("Email").fill("bob@example.com")
    bob.get_by_label("Password").fill(PASSWORD)
    bob.get_by_role("button", name="Sign in").click()
    expect(bob).to_have_url(re.compile(r"/photos$"))
    expect(bob.get_by_role("link", name="Map")).to_be_visible()
    expect(bob.get_by_role("link", name="Administration")).to_have_count(0)
    bob.goto("/admin/users")
    expect(bob).to_have_url(re.compile(r"/photos$"))
    expect(bob.get_by_text("Only administrators")).to_be_visible()
    api = login_client(server, "bob@example.com")
    for path in ("/api/admin/users", "/api/system-config", "/api/queues", "/api/server/statistics"):
        r = api.get(path)
        assert r.status_code == 403, (path, r.status_code)
        assert r.json()["statusCode"] == 403


def test_settings_persist_and_jobs_and_server_tabs(browser: object, server: str) -> None:
    admin = admin_client(server)
    ids = [upload(admin, MEDIA / "camera_jpeg" / "leuvenA.jpg")]
    broken = upload(admin, MEDIA / "broken_edge" / "truncated_jpeg.jpg")  # its thumbnail job fails
    wait_thumbnails(admin, ids)
    wait_for(lambda: any(j["data"]["id"] == broken for j in
                         admin.get("/api/queues/thumbnailGeneration/jobs", params={"status": "failed"}).json()),
             "the failed thumbnail")
    page = browser_page(browser, server, admin)
    page.goto("/admin/settings")
    days = page.get_by_label("Days in trash before deletion")
    expect(days).to_have_value(str(admin.get("/api/system-config").json()["trash"]["days"]))
    days.fill("12")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved")).to_be_visible()
    assert admin.get("/api/system-config").json()["trash"]["days"] == 12
    page.reload()
    expect(page.get_by_label("Days in trash before deletion")).to_have_value("12")
    # A value the server refuses is reported, and nothing is stored.
    page.get_by_label("Days in trash before deletion").fill("-5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".settings-form .error")).not_to_be_empty()
    assert admin.get("/api/system-config").json()["trash"]["days"] == 12
    shot(page, "admin-settings")

    page.get_by_role("link", name="Jobs").click()
    thumbs = page.locator("tr[data-queue='thumbnailGeneration']")
    expect(thumbs.locator("td").nth(5)).to_have_text(re.compile(r"[1-9]"))  # completed
    thumbs.get_by_role("button", name="Pause").click()
    expect(thumbs).to_contain_text("(paused)")
    assert next(q for q in admin.get("/api/queues").json() if q["name"] == "thumbnailGeneration")["isPaused"]
    # Counts refresh by themselves: a change made elsewhere shows up without a reload.
    admin.put("/api/queues/thumbnailGeneration", json={"isPaused": False}).raise_for_status()
    expect(thumbs.get_by_role("button", name="Pause")).to_be_visible(timeout=10000)
    # Failures with their messages, then cleared.
    thumbs.locator("td").nth(4).get_by_role("button", name="1").click()
    expect(page.locator(".failures")).to_contain_text(broken)
    expect(page.locator(".failures")).to_contain_text("truncated")
    shot(page, "admin-jobs")
    thumbs.get_by_role("button", name="Clear failed").click()
    expect(thumbs.locator("td").nth(4)).to_have_text("0")
    # Run all: the legacy jobs command Immich's web sends, accepted by the server.
    with page.expect_response(lambda r: r.url.endswith("/api/jobs/metadataExtraction") and r.request.method == "PUT"
                              ) as resp:
        page.locator("tr[data-queue='metadataExtraction']").get_by_role("button", name="Run all").click()
    assert resp.value.status == 200
    assert resp.value.request.post_data_json == {"command": "start", "force": True}

    # On a phone the wide tables scroll inside themselves; the page itself does not scroll sideways.
    page.set_viewport_size({"width": 375, "height": 740})
    expect(thumbs).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.wait_for_timeout(300)  # the side menu slides away
    shot(page, "admin-jobs-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    page.get_by_role("link", name="Server").click()
    expect(page.locator(".stat").first).to_have_text("Photos2")  # the broken JPEG is a photo too
    expect(page.get_by_role("progressbar", name="Disk use")).to_be_visible()
    expect(page.locator(".admin-body table")).to_contain_text("Admin")


def test_versions_in_the_account_menu(browser: object, server: str, tmp_path: Path) -> None:
    # The web app's constant is the package's version.
    assert f'WEB_VERSION = "{__version__}"' in WEB_JS.read_text()
    admin = admin_client(server)
    page = browser_page(browser, server, admin)
    page.goto("/photos")
    page.get_by_role("button", name="Account").click()
    menu = page.locator("#account-menu")
    expect(menu).to_contain_text(f"Server: photonest {__version__}")
    expect(menu).to_contain_text(f"Web app: {__version__}")
    expect(menu).to_contain_text("Immich API: v3.1.0")
    expect(menu.locator(".version-new")).to_have_count(0)


def test_a_newer_release_is_announced(browser: object, tmp_path: Path) -> None:
    from tests.helpers import running_server

    data = tmp_path / "data"
    with running_server(data) as (server, _):
        admin = admin_client(server)
        # What the opt-in release check stores (jobs/release.py), as if it had found a newer release.
        with sqlite3.connect(data / "photonest.db") as db:
            state = {"checkedAt": "2026-01-01T00:00:00Z", "releaseVersion": "v99.0.0"}
            db.execute("INSERT INTO system_metadata (key, value) VALUES (?, ?)",
                       ("version-check-state", json.dumps(state)))
        check = httpx.get(f"{server}/api/server/version-check", cookies=admin.cookies).json()
        assert check["releaseVersion"] == "v99.0.0"
        page = browser_page(browser, server, admin)
        page.goto("/photos")
        page.get_by_role("button", name="Account").click()
        expect(page.locator("#account-menu .version-new")).to_have_text("A newer release exists: v99.0.0")
        shot(page, "account-menu-versions")

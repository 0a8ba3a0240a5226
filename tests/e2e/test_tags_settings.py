"""Tags and account settings in a real browser: a tag tree (create, rename, colour, delete), tagging a selection
and the photo in the viewer, a tag's page; API keys (created, the secret works once shown, revoked), devices,
PIN code, preferences, profile picture, and a password change followed by signing in with the new password.
One server for the module (ML stages off)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import MEDIA
from tests.e2e.conftest import shot
from tests.e2e.webapi import PASSWORD, admin_client, browser_page, login_client, upload, wait_thumbnails
from tests.helpers import running_server

PHOTOS = [MEDIA / "camera_jpeg" / n for n in ("flower.jpg", "leuvenA.jpg")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data: Path = tmp_path_factory.mktemp("tags-settings") / "data"
    with running_server(data) as (url, _):
        c = admin_client(url)
        ids = [upload(c, p) for p in PHOTOS]
        wait_thumbnails(c, ids)
        yield {"url": url, "client": c, "ids": ids}
        c.close()


def new_user(c: httpx.Client, email: str) -> httpx.Client:
    r = c.post("/api/admin/users", json={"email": email, "password": PASSWORD, "name": email.split("@")[0]})
    assert r.status_code == 201, r.text
    return login_client(str(c.base_url), email)


@pytest.fixture
def page(browser: object, site: dict[str, Any]) -> Iterator[Page]:
    p = browser_page(browser, site["url"], site["client"])
    yield p
    p.context.close()


def tags_by_value(c: httpx.Client) -> dict[str, dict[str, Any]]:
    return {t["value"]: t for t in c.get("/api/tags").json()}


def test_tag_tree_assign_and_viewer(page: Page, site: dict[str, Any]) -> None:
    c: httpx.Client = site["client"]
    flower, leuven = site["ids"]
    page.goto("/tags")
    expect(page.get_by_text("No tags yet")).to_be_visible()
    page.once("dialog", lambda d: d.accept("Travel/Japan"))
    page.get_by_role("button", name="New tag").click()
    tree = page.get_by_role("tree", name="Tags")
    expect(tree.get_by_role("treeitem", name="Travel/Japan")).to_be_visible()
    assert set(tags_by_value(c)) == {"Travel", "Travel/Japan"}

    # Rename the child, colour the parent.
    page.once("dialog", lambda d: d.accept("Kyoto"))
    page.get_by_role("button", name="Rename Travel/Japan").click()
    expect(tree.get_by_role("treeitem", name="Travel/Kyoto")).to_be_visible()
    page.get_by_label("Colour of Travel", exact=True).fill("#2f9e44")
    expect(page.get_by_text("Colour saved")).to_be_visible()
    tags = tags_by_value(c)
    assert set(tags) == {"Travel", "Travel/Kyoto"}
    assert tags["Travel"]["color"].lower().lstrip("#") == "2f9e44"
    shot(page, "tags")

    # Tag one photo from the timeline's selection.
    page.goto("/photos")
    page.locator(f'.tile[data-id="{flower}"] .check').click()
    page.get_by_role("button", name="Tag", exact=True).click()
    picker = page.get_by_role("dialog", name="Tag")
    picker.get_by_role("button", name="Travel/Kyoto").click()
    expect(page.get_by_text("Tagged the photo")).to_be_visible()
    kyoto = tags_by_value(c)["Travel/Kyoto"]["id"]

    # The tag's page (and its parent's, which includes the tags below it) shows just that photo.
    for value in ("Travel/Kyoto", "Travel"):
        page.goto("/tags")
        page.get_by_role("tree", name="Tags").get_by_role("link", name=value.split("/")[-1], exact=True).click()
        expect(page.locator(".page-title")).to_have_text(value)
        expect(page.locator(".tile")).to_have_count(1)
        assert page.locator(".tile").get_attribute("data-id") == flower

    # In the viewer: add a new tag, remove the old one.
    page.goto(f"/tags/{kyoto}")
    page.locator(".tile").click()
    page.keyboard.press("i")
    section = page.get_by_role("region", name="Tags")
    expect(section).to_contain_text("Travel/Kyoto")
    expect(page.get_by_role("radiogroup", name="Rating")).to_be_hidden()  # star ratings are off by default
    section.get_by_role("button", name="+ Add tag").click()
    picker = page.get_by_role("dialog", name="Tag")
    picker.get_by_label("Tag name").fill("Food")
    picker.get_by_role("button", name="Add").click()
    expect(section).to_contain_text("Food")
    section.get_by_role("button", name="Remove tag Travel/Kyoto").click()
    expect(section).not_to_contain_text("Kyoto")
    tagged = {t["value"] for t in c.get(f"/api/assets/{flower}").json()["tags"]}
    assert tagged == {"Food"}
    assert c.get(f"/api/assets/{leuven}").json()["tags"] == []
    shot(page, "viewer-tags")
    page.keyboard.press("Escape")

    # Delete a tag from the tree: the photo stays, untagged.
    page.goto("/tags")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete Food").click()
    expect(page.get_by_role("tree", name="Tags").get_by_role("treeitem", name="Food")).to_have_count(0)
    assert "Food" not in tags_by_value(c)
    assert c.get(f"/api/assets/{flower}").status_code == 200


def test_api_key_create_and_revoke(page: Page, site: dict[str, Any]) -> None:
    url = site["url"]
    page.goto("/photos")
    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="Account settings").click()
    expect(page).to_have_url(re.compile(r"/user-settings$"))
    keys = page.get_by_role("region", name="API keys")
    keys.get_by_label("Key name").fill("backup script")
    keys.get_by_label("All permissions").uncheck()
    keys.get_by_label("read").first.check()  # activity.read only
    keys.get_by_role("button", name="Create key").click()
    dialog = page.get_by_role("dialog", name="New API key")
    secret = dialog.get_by_label("API key secret").input_value()
    assert len(secret) > 20
    shot(page, "api-key-secret")
    # The key works, with the permissions chosen: activity.read yes, asset.read no.
    headers = {"x-api-key": secret}
    assert httpx.get(f"{url}/api/api-keys/me", headers=headers).json()["permissions"] == ["activity.read"]
    assert httpx.get(f"{url}/api/timeline/buckets", headers=headers).status_code == 403
    dialog.get_by_role("button", name="Done").click()
    expect(keys).to_contain_text("backup script")

    page.once("dialog", lambda d: d.accept())
    keys.get_by_role("button", name="Revoke backup script").click()
    expect(page.get_by_text("Key revoked")).to_be_visible()
    expect(keys).not_to_contain_text("backup script")
    assert httpx.get(f"{url}/api/api-keys/me", headers=headers).status_code == 401


def test_devices_pin_preferences_and_picture(browser: object, site: dict[str, Any]) -> None:
    c = new_user(site["client"], "dee@example.com")
    phone = login_client(site["url"], "dee@example.com")  # a second device
    page = browser_page(browser, site["url"], c)
    try:
        page.goto("/user-settings")
        devices = page.get_by_role("region", name="Devices")
        expect(devices.get_by_role("listitem")).to_have_count(2)
        expect(devices).to_contain_text("This device")
        assert phone.get("/api/users/me").status_code == 200
        page.once("dialog", lambda d: d.accept())
        devices.get_by_role("button", name="Sign out of all other devices").click()
        expect(devices.get_by_role("listitem")).to_have_count(1)
        assert phone.get("/api/users/me").status_code == 401
        assert c.get("/api/users/me").status_code == 200

        pin = page.get_by_role("region", name="PIN code")
        pin.get_by_label("New PIN code").fill("123456")
        pin.get_by_label("Confirm PIN code").fill("123457")
        pin.get_by_role("button", name="Set PIN code", exact=True).click()
        expect(pin.get_by_role("alert")).to_contain_text("do not match")
        pin.get_by_label("Confirm PIN code").fill("123456")
        pin.get_by_role("button", name="Set PIN code", exact=True).click()
        expect(pin.get_by_role("button", name="Change PIN code")).to_be_visible()
        assert c.get("/api/auth/status").json()["pinCode"] is True
        pin.get_by_label("Current PIN code").fill("000000")
        pin.get_by_label("New PIN code").fill("654321")
        pin.get_by_role("button", name="Change PIN code").click()
        # A wrong current PIN is refused, and the form says so.
        expect(pin.get_by_role("form", name="Change PIN code").get_by_role("alert")).to_contain_text(re.compile(r"\w"))
        pin.get_by_label("Password").fill(PASSWORD)
        pin.get_by_role("button", name="Reset PIN code").click()
        expect(pin.get_by_role("button", name="Set PIN code", exact=True)).to_be_visible()
        assert c.get("/api/auth/status").json()["pinCode"] is False

        # Star ratings on: the viewer's info panel offers them (and a rating sticks).
        prefs = page.get_by_role("region", name="Preferences")
        assert c.get("/api/users/me/preferences").json()["ratings"]["enabled"] is False
        prefs.get_by_label("Star ratings in the info panel").check()
        expect(page.get_by_text("Preference saved")).to_be_visible()
        assert c.get("/api/users/me/preferences").json()["ratings"]["enabled"] is True
        photo = upload(c, PHOTOS[1])
        wait_thumbnails(c, [photo])
        page.goto(f"/photos/{photo}")
        expect(page.get_by_role("dialog", name="Photo viewer")).to_be_visible()
        page.get_by_role("button", name="Info").click()
        stars = page.get_by_role("radiogroup", name="Rating")
        expect(stars).to_be_visible()
        stars.get_by_role("radio", name="4 stars").click()
        expect(stars.get_by_role("radio", name="4 stars")).to_have_attribute("aria-checked", "true")
        assert c.get(f"/api/assets/{photo}").json()["exifInfo"]["rating"] == 4
        page.keyboard.press("Escape")
        page.goto("/user-settings")

        profile = page.get_by_role("region", name="Profile")
        profile.get_by_label("Profile picture file").set_input_files(str(PHOTOS[0]))
        picture = profile.get_by_role("img", name="Your profile picture")
        expect(picture).to_be_visible()
        page.wait_for_function("document.querySelector('.profile-picture')?.naturalWidth > 0")
        assert c.get("/api/users/me").json()["profileImagePath"]
        expect(page.locator(".topbar .avatar img")).to_be_visible()  # the account button shows it too
        page.get_by_role("heading", name="Account settings").scroll_into_view_if_needed()
        shot(page, "settings")
        profile.get_by_role("button", name="Remove picture").click()
        expect(picture).to_have_count(0)
        expect(page.locator(".topbar .avatar img")).to_have_count(0)
        assert c.get("/api/users/me").json()["profileImagePath"] == ""

        profile.get_by_label("Name").fill("Dee Dee")
        profile.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Profile saved")).to_be_visible()
        assert c.get("/api/users/me").json()["name"] == "Dee Dee"
    finally:
        page.context.close()
        phone.close()


def test_password_change_then_sign_in(browser: object, site: dict[str, Any]) -> None:
    c = new_user(site["client"], "eve@example.com")
    page = browser_page(browser, site["url"], c)
    try:
        page.goto("/user-settings")
        pw = page.get_by_role("region", name="Password")
        pw.get_by_label("Current password").fill("not my password")
        pw.get_by_label("New password", exact=True).fill("a brand new passphrase")
        pw.get_by_label("Confirm new password").fill("a brand new passphrase")
        pw.get_by_role("button", name="Change password").click()
        expect(pw.get_by_role("alert")).to_contain_text(re.compile(r"\w"))
        pw.get_by_label("Current password").fill(PASSWORD)
        pw.get_by_role("button", name="Change password").click()
        expect(page.get_by_text("Password changed")).to_be_visible()

        page.get_by_role("button", name="Account").click()
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/auth/login$"))
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        page.get_by_label("Email").fill("eve@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("Incorrect email or password")
        page.get_by_label("Password").fill("a brand new passphrase")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/photos$"))
    finally:
        page.context.close()

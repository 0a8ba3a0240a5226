"""Live updates: what another device does shows in an open browser tab without a reload (Socket.IO)."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.test_web_basics import PHOTOS, _onboard, _page


def test_uploads_and_trash_from_another_device_appear_without_reload(browser: object, server: str) -> None:
    page = _page(browser, server)
    _onboard(page)
    expect(page.locator(".tile")).to_have_count(0)
    navigations: list[str] = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else None)

    # "The phone": the same account through the API, as the mobile app or the Immich CLI would upload.
    login = httpx.post(f"{server}/api/auth/login", json={"email": "ada@example.com",
                                                          "password": "a long enough password"})
    phone = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    ids = []
    for p in PHOTOS[:2]:
        r = httpx.post(f"{server}/api/assets", headers=phone, files={"assetData": (p.name, p.read_bytes())},
                       data={"deviceAssetId": p.name, "deviceId": "phone", "fileCreatedAt": "2024-05-01T10:00:00Z",
                             "fileModifiedAt": "2024-05-01T10:00:00Z"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    # The tiles arrive once their thumbnails exist (on_upload_success), decoded, with no navigation.
    expect(page.locator(".tile")).to_have_count(2, timeout=30000)
    page.wait_for_function("[...document.querySelectorAll('.tile img')].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "live-upload")

    assert httpx.request("DELETE", f"{server}/api/assets", headers=phone, json={"ids": ids[:1]}).status_code == 204
    expect(page.locator(".tile")).to_have_count(1, timeout=15000)
    assert navigations == [], f"the page reloaded: {navigations}"

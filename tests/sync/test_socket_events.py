"""The Socket.IO events the mobile app listens to, with a real python-socketio client (as the app connects:
the token in the immich_access_token cookie). Payloads are checked against the contract's sync schemas."""

from __future__ import annotations

import httpx
import pytest

from tests.api.test_socketio import Live, _account, _connect, live  # noqa: F401  (live: the fixture)
from tests.sync.schema import validate
from tests.uploading import DATES, JPEG

pytestmark = pytest.mark.timeout(120)


def test_upload_ready_and_delete_events(live: Live) -> None:  # noqa: F811
    http = httpx.Client(base_url=live.url, timeout=30)
    _, admin_token = _account(http, "admin@example.com", None)
    alice_id, token = _account(http, "alice@example.com", admin_token)
    auth = {"Authorization": f"Bearer {token}"}
    phone = _connect(live, headers={"Cookie": f"immich_access_token={token}"})
    try:
        r = http.post("/api/assets", headers=auth, data={**DATES, "deviceAssetId": "one", "deviceId": "phone"},
                      files={"assetData": (JPEG.name, JPEG.read_bytes(), "image/jpeg")})
        assert r.status_code == 201, r.text
        asset_id = r.json()["id"]
        live.app.state.jobs.drain()
        v2 = phone.wait_for("AssetUploadReadyV2")
        validate("SyncAssetV2", v2["asset"])
        validate("SyncAssetExifV1", v2["exif"])
        assert v2["asset"]["id"] == asset_id and v2["asset"]["ownerId"] == alice_id
        v1 = phone.wait_for("AssetUploadReadyV1")
        validate("SyncAssetV1", v1["asset"])

        r = http.request("DELETE", "/api/assets", headers=auth, json={"ids": [asset_id], "force": True})
        assert r.status_code == 204, r.text
        assert phone.wait_for("on_asset_delete") == asset_id
    finally:
        phone.client.disconnect()

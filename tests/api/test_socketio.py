"""Socket.IO at /api/socket.io: a real server on a loopback port, real python-socketio clients.

Each user's clients get that user's events only; a connection without valid credentials is refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import socketio
import uvicorn

from photonest.api.dto import immich as dto
from photonest.app import create_app
from photonest.config import Settings
from tests.conftest import PASSWORD
from tests.helpers import free_port
from tests.uploading import DATES, JPEG

pytestmark = pytest.mark.timeout(120)


@dataclass
class Live:
    url: str
    app: Any


@pytest.fixture
def live(settings: Settings) -> Iterator[Live]:
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                                           ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(30)


@dataclass
class Listener:
    """A socket.io client that records every event it receives."""

    events: list[tuple[str, Any]] = field(default_factory=list)
    client: socketio.Client = field(default_factory=lambda: socketio.Client(reconnection=False))

    def __post_init__(self) -> None:
        self.client.on("*", lambda event, *args: self.events.append((event, args[0] if args else None)))

    def names(self) -> list[str]:
        return [e for e, _ in self.events]

    def wait_for(self, event: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e, data in self.events:
                if e == event:
                    return data
            time.sleep(0.05)
        raise AssertionError(f"no {event}; got {self.names()}")


def _account(http: httpx.Client, email: str, admin_token: str | None) -> tuple[str, str]:
    if admin_token is None:
        r = http.post("/api/auth/admin-sign-up", json={"email": email, "password": PASSWORD, "name": "Admin"})
    else:
        r = http.post("/api/admin/users", headers={"Authorization": f"Bearer {admin_token}"},
                      json={"email": email, "password": PASSWORD, "name": email, "shouldChangePassword": False})
    assert r.status_code == 201, r.text
    r = http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 201, r.text
    return r.json()["userId"], r.json()["accessToken"]


def _connect(live: Live, **kw: Any) -> Listener:
    listener = Listener()
    listener.client.connect(live.url, socketio_path="/api/socket.io", transports=["websocket"], wait_timeout=10,
                            **kw)
    return listener


def test_events_reach_only_their_owner(live: Live) -> None:
    http = httpx.Client(base_url=live.url, timeout=30)
    _, admin_token = _account(http, "admin@example.com", None)
    alice_id, alice_token = _account(http, "alice@example.com", admin_token)
    bob_id, bob_token = _account(http, "bob@example.com", admin_token)
    bob_key = http.post("/api/api-keys", headers={"Authorization": f"Bearer {bob_token}"},
                        json={"name": "k", "permissions": ["all"]}).json()["secret"]

    a = _connect(live, headers={"Authorization": f"Bearer {alice_token}"})
    a2 = _connect(live, headers={"Cookie": f"immich_access_token={alice_token}"})  # how the mobile app sends it
    b = _connect(live, headers={"x-api-key": bob_key})
    b2 = _connect(live, auth={"token": bob_token})
    try:
        for listener in (a, a2, b, b2):
            version = listener.wait_for("on_server_version")
            dto.ServerVersionResponseDto.model_validate(version)

        r = http.post("/api/assets", headers={"Authorization": f"Bearer {alice_token}"},
                      data={**DATES, "deviceAssetId": "one", "deviceId": "pytest"},
                      files={"assetData": (JPEG.name, JPEG.read_bytes(), "image/jpeg")})
        assert r.status_code == 201, r.text
        asset_id = r.json()["id"]
        live.app.state.jobs.drain()  # metadata and thumbnails, then AssetUploadReady*

        for listener in (a, a2):
            uploaded = listener.wait_for("on_upload_success")
            assert uploaded["id"] == asset_id and uploaded["thumbhash"]  # sent once thumbnails exist
            v2 = listener.wait_for("AssetUploadReadyV2")
            dto.SyncAssetV2.model_validate(v2["asset"])
            dto.SyncAssetExifV1.model_validate(v2["exif"])
            assert v2["asset"]["id"] == asset_id and v2["asset"]["ownerId"] == alice_id
            assert v2["asset"]["thumbhash"] and v2["exif"]["make"] == "Canon"
            v1 = listener.wait_for("AssetUploadReadyV1")
            dto.SyncAssetV1.model_validate(v1["asset"])

        r = http.request("DELETE", "/api/assets", headers={"Authorization": f"Bearer {alice_token}"},
                         json={"ids": [asset_id]})
        assert r.status_code == 204, r.text
        assert a.wait_for("on_asset_trash") == [asset_id]

        time.sleep(0.5)  # anything misrouted would have arrived by now
        for listener in (b, b2):
            assert listener.names() == ["on_server_version"], listener.events
        assert bob_id != alice_id
    finally:
        for listener in (a, a2, b, b2):
            listener.client.disconnect()
        http.close()


@pytest.mark.parametrize("kw", [{}, {"headers": {"Authorization": "Bearer not-a-token"}},
                                {"auth": {"apiKey": "wrong"}}])
def test_connection_without_valid_credentials_is_refused(live: Live, kw: dict[str, Any]) -> None:
    client = socketio.Client(reconnection=False)
    errors: list[Any] = []
    client.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live.url, socketio_path="/api/socket.io", transports=["websocket"], wait_timeout=5, **kw)
    assert errors and "unauthorized" in str(errors[0])  # what the mobile app checks for


def test_a_client_that_connects_learns_of_a_newer_release(live: Live, settings: Settings) -> None:
    from photonest.jobs import release

    http = httpx.Client(base_url=live.url, timeout=30)
    _, token = _account(http, "admin@example.com", None)
    settings.version_check = True
    release.check(settings, live.app.state.db, live.app.state.events, fetch=lambda: "v99.0.0")
    listener = _connect(live, headers={"Authorization": f"Bearer {token}"})
    try:
        event = listener.wait_for("on_new_release")
        dto.ReleaseEventV1.model_validate(event)
        assert event["releaseVersion"]["major"] == 99 and event["isAvailable"] is True
    finally:
        listener.client.disconnect()
        http.close()

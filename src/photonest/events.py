"""Server-to-client events (Immich's socket.io events), delivered only to the users they concern.

Anything may emit (request handlers, worker threads): `EventBus.emit(user_id, event, payload)` reaches the
sockets of that user only (their room), `broadcast` reaches everyone (on_config_update, on_new_release).
The socket.io transport (api/socket.py) attaches itself when the server starts; without one (a worker-only
process, a test) events go to in-process subscribers only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Event names the Immich clients listen to (server/src/repositories/websocket.repository.ts, mobile app).
UPLOAD_SUCCESS = "on_upload_success"
ASSET_UPDATE = "on_asset_update"
ASSET_DELETE = "on_asset_delete"
ASSET_TRASH = "on_asset_trash"
ASSET_RESTORE = "on_asset_restore"
ASSET_HIDDEN = "on_asset_hidden"
ALBUM_UPDATE = "on_album_update"
CONFIG_UPDATE = "on_config_update"
NEW_RELEASE = "on_new_release"
SERVER_VERSION = "on_server_version"
SESSION_DELETE = "on_session_delete"
ASSET_UPLOAD_READY_V1 = "AssetUploadReadyV1"
ASSET_UPLOAD_READY_V2 = "AssetUploadReadyV2"


class _NoPayload:
    def __repr__(self) -> str:
        return "NO_PAYLOAD"


NO_PAYLOAD: Any = _NoPayload()  # for events sent without an argument (on_config_update)


class Transport(Protocol):
    def send(self, room: str | None, event: str, payload: Any) -> None:
        """Deliver to one room (None: everyone). Must be callable from any thread and never block long."""


Subscriber = Callable[[str | None, str, Any], None]


class EventBus:
    """Publishes named events to a user's connected clients."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._transport: Transport | None = None
        self._subscribers: list[Subscriber] = []

    def attach(self, transport: Transport | None) -> None:
        with self._lock:
            self._transport = transport

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Call fn(user_id or None, event, payload) for every event in this process; returns unsubscribe."""
        with self._lock:
            self._subscribers.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._subscribers:
                    self._subscribers.remove(fn)

        return unsubscribe

    def emit(self, user_id: str, event: str, payload: Any = NO_PAYLOAD) -> None:
        """Send event to the clients of user_id only."""
        self._send(user_id, event, payload)

    def broadcast(self, event: str, payload: Any = NO_PAYLOAD) -> None:
        """Send event to every connected client."""
        self._send(None, event, payload)

    def _send(self, room: str | None, event: str, payload: Any) -> None:
        with self._lock:
            transport, subscribers = self._transport, list(self._subscribers)
        log.debug("event %s for %s", event, room or "everyone")
        for fn in subscribers:
            try:
                fn(room, event, payload)
            except Exception:  # a listener must not break the emitter (often a worker mid-stage)
                log.exception("event subscriber failed on %s", event)
        if transport is not None:
            try:
                transport.send(room, event, payload)
            except Exception:
                log.exception("could not deliver event %s", event)


class RedisTransport:
    """For worker processes when PHOTONEST_REDIS_URL is set: publish events through Redis, where the servers'
    socket.io (which uses the same Redis as its client manager) deliver them to the right room."""

    def __init__(self, url: str) -> None:
        import socketio

        self._manager = socketio.RedisManager(url, write_only=True)

    def send(self, room: str | None, event: str, payload: Any) -> None:
        data = None if payload is NO_PAYLOAD else payload
        self._manager.emit(event, data, namespace="/", room=room)

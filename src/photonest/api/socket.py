"""Socket.IO at /api/socket.io (websocket transport), as Immich serves it.

A connection authenticates like an API request (cookie immich_access_token, Authorization: Bearer,
x-immich-user-token / x-immich-session-token, x-api-key, ?apiKey= / ?sessionKey=, or the socket.io auth
payload {token | accessToken | apiKey}) and joins a room named by the user id (and one by the session id).
EventBus.emit(user_id, ...) then reaches that room only. A refused connection gets connect_error
"unauthorized", the message the mobile app checks for.
"""

from __future__ import annotations

import asyncio
import logging
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

import socketio
from starlette.types import ASGIApp, Receive, Scope, Send

from photonest import IMMICH_API_VERSION
from photonest.api.deps import COOKIE_TOKEN
from photonest.config import Settings
from photonest.db.engine import Database
from photonest.events import NEW_RELEASE, NO_PAYLOAD, SERVER_VERSION, EventBus
from photonest.jobs import release
from photonest.library import errors
from photonest.library.auth import AuthContext, authenticate_api_key, authenticate_token

log = logging.getLogger(__name__)
PATH = "/api/socket.io"


def _credentials(environ: dict[str, Any], auth: Any) -> tuple[str | None, str | None]:
    """(session token, api key) from the handshake, in the order Immich looks for them."""
    scope = environ.get("asgi.scope") or {}
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    payload = auth if isinstance(auth, dict) else {}
    token = headers.get("x-immich-user-token") or headers.get("x-immich-session-token")
    authz = headers.get("authorization", "")
    if not token and authz[:7].lower() == "bearer ":
        token = authz[7:].strip()
    if not token and "cookie" in headers:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers["cookie"])
        except Exception:  # a malformed cookie header is no credential
            jar = SimpleCookie()
        if COOKIE_TOKEN in jar:
            token = jar[COOKIE_TOKEN].value
    token = token or query.get("sessionKey") or payload.get("token") or payload.get("accessToken")
    key = headers.get("x-api-key") or query.get("apiKey") or payload.get("apiKey")
    return (str(token) if token else None), (str(key) if key else None)


def _authenticate(db: Database, token: str | None, key: str | None) -> tuple[str, str | None]:
    with db.session() as s:
        ctx: AuthContext
        if token:
            ctx = authenticate_token(s, token)
        elif key:
            ctx = authenticate_api_key(s, key)
        else:
            raise errors.Unauthorized("Authentication required")
        return ctx.user.id, (ctx.session.id if ctx.session else None)


class SocketTransport:
    """EventBus transport: emits on the server's event loop, from whichever thread calls it."""

    def __init__(self, sio: socketio.AsyncServer, loop: asyncio.AbstractEventLoop) -> None:
        self.sio = sio
        self.loop = loop

    def send(self, room: str | None, event: str, payload: Any) -> None:
        if self.loop.is_closed():
            return
        data = None if payload is NO_PAYLOAD else payload

        async def deliver() -> None:
            try:
                await self.sio.emit(event, data, to=room)
            except Exception:
                log.exception("socket.io emit of %s failed", event)

        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self.loop.create_task(deliver())
        else:
            asyncio.run_coroutine_threadsafe(deliver(), self.loop)


class SocketServer:
    """The socket.io server, wired to the app's database (for authentication) once the app has started."""

    def __init__(self, redis_url: str | None = None) -> None:
        # With Redis, events emitted by any server or `photonest worker` process reach every server's sockets.
        manager = socketio.AsyncRedisManager(redis_url) if redis_url else None
        self.sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*", transports=["websocket"],
                                        logger=False, engineio_logger=False, client_manager=manager)
        self.asgi = socketio.ASGIApp(self.sio, socketio_path=PATH.lstrip("/"))
        self.db: Database | None = None
        self.settings: Settings | None = None
        self.sio.on("connect", self._connect)

    def start(self, db: Database, events: EventBus, settings: Settings | None = None) -> None:
        self.db = db
        self.settings = settings
        events.attach(SocketTransport(self.sio, asyncio.get_running_loop()))

    def stop(self, events: EventBus) -> None:
        events.attach(None)
        self.db = None

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        db = self.db
        token, key = _credentials(environ, auth)
        if db is None:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        try:
            user_id, session_id = await asyncio.to_thread(_authenticate, db, token, key)
        except errors.DomainError as e:
            log.info("socket.io connection refused: %s", e.message)
            raise socketio.exceptions.ConnectionRefusedError("unauthorized") from None
        await self.sio.enter_room(sid, user_id)
        if session_id:
            await self.sio.enter_room(sid, session_id)
        major, minor, patch = IMMICH_API_VERSION
        await self.sio.emit(SERVER_VERSION, {"major": major, "minor": minor, "patch": patch, "prerelease": None},
                            to=sid)
        if self.settings is not None and self.settings.version_check:
            # As Immich: a client that connects learns of a newer release the last check found.
            event = release.release_event(await asyncio.to_thread(release.stored_state, db))
            if event is not None:
                await self.sio.emit(NEW_RELEASE, event, to=sid)


class SocketIOMiddleware:
    """Sends /api/socket.io/* to the socket.io server and everything else (lifespan too) to the app."""

    def __init__(self, app: ASGIApp, server: SocketServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and (path == PATH or path.startswith(PATH + "/")):
            await self.server.asgi(scope, receive, send)
        else:
            await self.app(scope, receive, send)

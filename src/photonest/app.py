"""create_app(settings): the ASGI app with the API, the web UI's static files and the workers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from photonest import __version__
from photonest.api import admin_users, api_keys, auth, errors, server, sessions, users
from photonest.config import Settings
from photonest.db.engine import Database, migrate
from photonest.events import EventBus
from photonest.library import server as server_lib
from photonest.library.auth import LoginThrottle

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "web" / "static"
ROUTERS = [auth.router, users.router, admin_users.router, api_keys.router, sessions.router, server.router]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        migrate(settings.db_url)
        db = Database(settings.db_url)
        app.state.db = db
        with db.session() as s:
            server_lib.record_version(s)
        from photonest.jobs.runtime import Jobs

        jobs = Jobs(settings, db)
        app.state.jobs = jobs
        if settings.workers:
            jobs.start_consumer(settings.worker_threads)
        log.info("photonest %s ready; data in %s", __version__, settings.data.resolve())
        try:
            yield
        finally:
            jobs.stop()
            db.dispose()

    app = FastAPI(
        title="photonest", version=__version__, lifespan=lifespan,
        openapi_url="/api/spec.json", docs_url="/api/docs", redoc_url=None,
        description="A self-hosted photo library server speaking the Immich v3 API.",
    )
    app.state.settings = settings
    app.state.events = EventBus()
    app.state.login_throttle = LoginThrottle(settings.login_max_failures, settings.login_window_seconds)
    errors.install(app)
    for r in ROUTERS:
        app.include_router(r, prefix="/api")
    app.include_router(server.well_known)

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                   include_in_schema=False)
    async def api_not_found(request: Request, rest: str) -> JSONResponse:
        return errors.error_response(404, f"Cannot {request.method} /api/{rest}")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/{path:path}", include_in_schema=False)
    async def web_ui(path: str) -> Response:
        # The web UI is a single page: every non-API path serves index.html (client-side routing).
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    return app

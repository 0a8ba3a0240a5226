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
from photonest.api import (
    activities,
    admin_users,
    api_keys,
    assets,
    auth,
    database_backups,
    download,
    errors,
    health,
    integrity,
    memories,
    partners,
    pin_code,
    server,
    sessions,
    shared_links,
    stacks,
    tags,
    trash,
    tus,
    users,
)
from photonest.api import albums as albums_api
from photonest.api import asset_metadata as asset_metadata_api
from photonest.api import calendar_heatmap as calendar_heatmap_api
from photonest.api import duplicates as duplicates_api
from photonest.api import faces as faces_api
from photonest.api import folders as folders_api
from photonest.api import libraries as libraries_api
from photonest.api import licenses as licenses_api
from photonest.api import location_history as location_history_api
from photonest.api import map as map_api
from photonest.api import notifications as notifications_api
from photonest.api import oauth as oauth_api
from photonest.api import ocr as ocr_api
from photonest.api import people as people_api
from photonest.api import queues as queues_api
from photonest.api import search as search_api
from photonest.api import sync as sync_api
from photonest.api import system_config as system_config_api
from photonest.api import timeline as timeline_api
from photonest.api.routing import ImmichAPI
from photonest.api.socket import SocketIOMiddleware, SocketServer
from photonest.config import Settings
from photonest.db.engine import Database, migrate
from photonest.events import EventBus
from photonest.library import server as server_lib
from photonest.library.auth import LoginThrottle
from photonest.library.system_config import ConfigWatcher
from photonest.metrics import Metrics, RequestMiddleware

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "web" / "static"
# Every router, by area; all are mounted under /api.
ROUTERS = [
    # accounts and the server (foundation)
    auth.router, pin_code.router, users.router, admin_users.router, api_keys.router, sessions.router,
    calendar_heatmap_api.router, calendar_heatmap_api.admin_router, licenses_api.server_router,
    licenses_api.user_router,
    server.router, oauth_api.router, system_config_api.router, system_config_api.metadata_router,
    # ingest, assets and the jobs that process them
    asset_metadata_api.router, assets.router, trash.router, tus.router, download.router, queues_api.router,
    queues_api.legacy, libraries_api.router,
    # organising: albums, timeline, tags, stacks, memories
    albums_api.router, timeline_api.router, tags.router, stacks.router, memories.router,
    folders_api.router,
    # sharing: partners, album members and activity, share links
    partners.router, activities.router, activities.album_users, shared_links.router,
    notifications_api.router, notifications_api.admin_router,
    # finding: places and map, search, OCR, people and faces, duplicates
    map_api.router, location_history_api.router, search_api.router, ocr_api.router, people_api.router,
    people_api.search_router, faces_api.router, duplicates_api.router,
    # the mobile app's sync protocol
    sync_api.router,
    # operations: database backups, integrity reports
    database_backups.router, integrity.router,
]


def vendor_dirs() -> dict[str, str]:
    """The web UI's third-party files, each served from the Python package that ships it."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {"leaflet": str(leaflet.BASE_DIR), "leaflet-markercluster": str(markercluster.BASE_DIR)}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        if settings.storage == "s3":  # a wrong bucket or key stops start-up instead of failing every upload
            from photonest.storage.backends import open_storage

            open_storage(settings).check()
        migrate(settings.db_url)
        db = Database(settings.db_url)
        app.state.db = db
        with db.session() as s:
            server_lib.record_version(s)
        # The admin's system config, applied now and re-read when another process changes it.
        config_watcher = ConfigWatcher(db, settings)
        config_watcher.start()
        from photonest.jobs.runtime import Jobs

        jobs = Jobs(settings, db, app.state.events)
        app.state.jobs = jobs
        jobs.observers.append(app.state.metrics.observe_job)
        socket_server.start(db, app.state.events, settings)
        # The database says what work is missing: queue it (off the request path), then start the workers.
        jobs.start_up(settings.worker_threads if settings.workers else None)
        if settings.library_watch:  # external libraries: rescan on file changes (jobs/library_watch.py)
            from photonest.jobs.library_watch import LibraryWatcher

            app.state.library_watcher = LibraryWatcher(jobs, settings.library_watch_debounce_seconds)
            app.state.library_watcher.start()
        log.info("photonest %s ready; data in %s", __version__, settings.data.resolve())
        try:
            yield
        finally:
            socket_server.stop(app.state.events)
            if getattr(app.state, "library_watcher", None) is not None:
                app.state.library_watcher.stop()
            jobs.stop()
            config_watcher.stop()
            db.dispose()
            log.info("photonest stopped")

    app = ImmichAPI(
        title="photonest", version=__version__, lifespan=lifespan,
        openapi_url="/api/spec.json", docs_url="/api/docs", redoc_url=None,
        description="A self-hosted photo library server speaking the Immich v3 API.",
    )
    app.state.settings = settings
    app.state.events = EventBus()
    # Socket.IO at /api/socket.io, in front of the routes (so the /api catch-all below never sees it).
    socket_server = SocketServer(settings.redis_url)
    app.state.socket = socket_server
    app.add_middleware(SocketIOMiddleware, server=socket_server)
    app.state.login_throttle = LoginThrottle(settings.login_max_failures, settings.login_window_seconds)
    errors.install(app)
    # Outermost: times and logs every request, Socket.IO included (/metrics, /health: api/health.py).
    app.state.metrics = Metrics()
    app.state.metrics.attach(app)
    app.add_middleware(RequestMiddleware, metrics=app.state.metrics)
    app.include_router(health.router)
    for r in ROUTERS:
        app.include_router(r, prefix="/api")
    app.include_router(server.well_known)

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                   include_in_schema=False)
    async def api_not_found(request: Request, rest: str) -> JSONResponse:
        return errors.error_response(404, f"Cannot {request.method} /api/{rest}")

    # Leaflet for the web UI's maps, from its xstatic wheels (mounted before /static, which would shadow them).
    for name, base in vendor_dirs().items():
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=base), name=f"vendor-{name}")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/{path:path}", include_in_schema=False)
    async def web_ui(path: str) -> Response:
        # The web UI is a single page: every non-API path serves index.html (client-side routing).
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    return app

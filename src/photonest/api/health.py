"""GET /health (container health checks) and GET /metrics (Prometheus), outside /api and Immich's contract."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import make_url, text
from sqlalchemy.pool import NullPool
from starlette.concurrency import run_in_threadpool

from photonest import __version__
from photonest.api.errors import error_response
from photonest.db.engine import make_engine

router = APIRouter()


def _database_ok(url: str) -> str:
    database = make_url(url).database
    if url.startswith("sqlite") and database and not Path(database).is_file():
        return "error: database file missing"  # connecting would create an empty one
    # A new connection each time: a pooled one could outlive the database (file deleted, server gone).
    engine = make_engine(url, poolclass=NullPool, immediate=False)
    try:
        with engine.connect() as c:
            c.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        return "ok"
    except Exception as e:
        return f"error: {type(e).__name__}"
    finally:
        engine.dispose()


@router.get("/health", include_in_schema=False)
async def health(request: Request) -> JSONResponse:
    """200 when the database answers and the in-process workers (if any) run; 503 otherwise."""
    state = request.app.state
    database = await run_in_threadpool(_database_ok, state.settings.db_url)
    jobs = getattr(state, "jobs", None)
    workers = jobs.consumer_state() if jobs is not None else "starting"
    ok = database == "ok" and workers != "down"
    body: dict[str, Any] = {"status": "ok" if ok else "error", "database": database, "workers": workers,
                            "version": __version__}
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if not token:
        return error_response(404, "Cannot GET /metrics")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return error_response(401, "Metrics need the bearer token PHOTONEST_METRICS_TOKEN",
                              {"WWW-Authenticate": "Bearer"})
    body = await run_in_threadpool(generate_latest, request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)

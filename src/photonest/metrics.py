"""Prometheus metrics and request logs: one ASGI middleware times every request; a collector reads queue depths,
counts and the database size from the database at scrape time. Each app has its own registry (tests run many)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from photonest.db.tables import Asset, User

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("photonest.http")
QUIET = ("/health", "/metrics", "/api/server/ping")  # probes: logged at debug, not info
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("photonest_http_requests", "HTTP requests by route template, method and status.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("photonest_http_request_duration_seconds",
                                 "Time from request to the end of the response, by route template.",
                                 ["method", "route"], buckets=REQUEST_BUCKETS, registry=self.registry)
        self.jobs = Counter("photonest_jobs", "Jobs run by this process, by queue, job and outcome.",
                            ["queue", "job", "outcome"], registry=self.registry)
        self.job_seconds = Histogram("photonest_job_duration_seconds",
                                     "Time a job took in this process (ML stages: model time included).",
                                     ["queue", "job"], buckets=JOB_BUCKETS, registry=self.registry)

    def observe_job(self, queue: str, job: str, outcome: str, seconds: float) -> None:
        if outcome in ("paused", "busy", "skipped"):
            return  # the job did not run
        self.jobs.labels(queue, job, outcome).inc()
        self.job_seconds.labels(queue, job).observe(seconds)

    def attach(self, app: FastAPI) -> None:
        """Read the library's state at scrape time (needs app.state.db / jobs, set by the lifespan)."""
        self.registry.register(LibraryCollector(app))


def _route(scope: Scope) -> str:
    """The matched route's template with its router's prefix, e.g. /api/assets/{id}. (FastAPI records the route
    of an included router without the prefix; the prefix is the request path's leading segments.)"""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        if ":path}" in path:
            return path
        actual = str(scope.get("path", "")).rstrip("/").split("/")
        extra = len(actual) - len(path.rstrip("/").split("/"))
        return "/".join(actual[: extra + 1]) + path if extra > 0 else path
    p = str(scope.get("path", ""))
    if p.startswith("/api/socket.io"):
        return "/api/socket.io"
    return "unmatched"


class RequestMiddleware:
    """Counts and times requests by route template (bounded label values) and writes one log line each."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = time.perf_counter() - started
            method, path, route = scope["method"], scope["path"], _route(scope)
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(seconds)
            level = logging.DEBUG if path in QUIET else logging.INFO
            if log.isEnabledFor(level):
                client = scope.get("client")
                log.log(level, "%s %s %d %.1fms", method, path, status, seconds * 1000,
                        extra={"method": method, "path": path, "route": route, "status": status,
                               "duration_ms": round(seconds * 1000, 2),
                               "client": client[0] if client else None})


def database_size(db: Any) -> int:
    url = db.url
    if url.startswith("sqlite"):
        base = Path(db.engine.url.database or "")
        return sum(p.stat().st_size for p in (base, Path(f"{base}-wal")) if p.is_file())
    with db.session(write=False) as s:
        return int(s.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


class LibraryCollector(Collector):
    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        db = getattr(self.app.state, "db", None)
        jobs = getattr(self.app.state, "jobs", None)
        if db is None or jobs is None:
            return
        from photonest.api.dto.immich import QueueName

        depth = GaugeMetricFamily("photonest_queue_jobs", "Jobs in each Immich queue, by state.",
                                  labels=["queue", "state"])
        for q in QueueName:
            try:
                stats = jobs.queue_status(q.value)["statistics"]
            except Exception:  # a queue with no work of ours
                continue
            for state, n in stats.items():
                depth.add_metric([q.value, state], n)
        yield depth
        with db.session(write=False) as s:
            by_type = dict(s.execute(select(Asset.type, func.count()).where(Asset.deleted_at.is_(None))
                                     .group_by(Asset.type)).all())
            users = s.scalar(select(func.count()).select_from(User).where(User.deleted_at.is_(None))) or 0
        assets = GaugeMetricFamily("photonest_assets", "Assets not in the trash, by type.", labels=["type"])
        for typ in ("IMAGE", "VIDEO", "AUDIO", "OTHER"):
            assets.add_metric([typ], int(by_type.get(typ, 0)))
        yield assets
        yield GaugeMetricFamily("photonest_users", "User accounts (not deleted).", value=int(users))
        yield GaugeMetricFamily("photonest_database_size_bytes", "Size of the database.", value=database_size(db))
        from photonest.jobs.leases import reaped_totals

        with db.session(write=False) as s:
            reaped = reaped_totals(s)
        # Kept in the database: the reaping happens in whichever worker process noticed the dead one.
        lost = CounterMetricFamily("photonest_jobs_reaped", "Jobs taken back from workers that died (lease ran "
                                   "out), by outcome: requeued, or failed for good (attempts used up).",
                                   labels=["outcome"])
        for outcome, n in reaped.items():
            lost.add_metric([outcome], n)
        yield lost

"""The queue and its consumer, and the context tasks run in (settings + database)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from photonest.config import Settings
from photonest.db.engine import Database

log = logging.getLogger(__name__)


@dataclass
class Context:
    settings: Settings
    db: Database


_context: Context | None = None


def context() -> Context:
    if _context is None:
        raise RuntimeError("job context not initialised (call jobs.runtime.init first)")
    return _context


def make_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey("photonest", url=settings.redis_url, results=False)
    return SqliteHuey("photonest", filename=str(settings.data / "queue.db"), results=False)


class Jobs:
    """Owns the huey instance; tasks are registered on it by jobs.tasks.register."""

    def __init__(self, settings: Settings, db: Database) -> None:
        global _context
        _context = Context(settings, db)
        self.huey = make_huey(settings)
        from photonest.jobs import tasks

        self.tasks = tasks.register(self.huey)
        self._consumer: Consumer | None = None

    def start_consumer(self, workers: int) -> None:
        consumer = self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                             check_worker_health=True, flush_locks=True)
        # The server owns SIGTERM/SIGINT (uvicorn); huey must not replace those handlers.
        consumer._set_signal_handlers = lambda: None  # type: ignore[method-assign]
        consumer.start()
        self._consumer = consumer
        log.info("in-process workers started (%d threads)", workers)

    def run_consumer_forever(self, workers: int) -> None:
        """For `photonest worker`: a foreground consumer that handles signals itself."""
        self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()

    def stop(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None

    def enqueue(self, name: str, *args: Any) -> None:
        self.tasks[name](*args)

    def enqueue_asset(self, asset_id: str) -> None:
        """Queue the processing stages a new asset still needs (metadata, derivatives, ...)."""
        # Filled in by the processing pipeline; the startup sweep catches anything enqueued before it exists.

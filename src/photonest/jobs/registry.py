"""The processing stages: what each does to an asset, which Immich queue shows it, what it waits for.

A stage is registered once (`register(Stage(...))`) and the rest follows: the sweep finds assets missing it,
the queues API counts it under its queue, the worker runs it with the queue's concurrency. Later features add
their stages the same way, e.g.::

    register(Stage("ocr", queue="ocr", job_name="Ocr", run=run_ocr, types=IMAGES, after=("thumbnails",),
                   concurrency=lambda s: s.job_concurrency_ocr, enabled=lambda s: s.ml_enabled))

A stage function does its slow work outside any transaction and returns a callable that writes its results;
the runtime calls that inside the one transaction that also marks the stage done, so an asset never holds half
a stage. Running a stage twice must do no harm (outputs are replaced, rows upserted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import Asset
from photonest.events import EventBus

if TYPE_CHECKING:
    from photonest.jobs.runtime import Jobs

IMAGES = frozenset({"IMAGE"})
VIDEOS = frozenset({"VIDEO"})
MEDIA = frozenset({"IMAGE", "VIDEO"})

Apply = Callable[[Db, Asset], None]


@dataclass
class StageRun:
    """What a stage function gets: the asset (a detached snapshot), settings, database, events, the runtime."""

    asset: Asset
    settings: Settings
    db: Database
    events: EventBus
    jobs: Jobs
    force: bool = False
    # Files the stage wrote that must go if the results are not committed (the asset vanished meanwhile).
    outputs: list[Path] = field(default_factory=list)
    # Files the results' transaction created that must go if that transaction does not commit (a motion
    # photo's video moved into the library for a new asset row).
    rollback_files: list[Path] = field(default_factory=list)
    # Called once the results are committed (events, queueing assets the stage created).
    post_commit: list[Callable[[], None]] = field(default_factory=list)

    def path(self, key: str) -> Path:
        """A local file with a stored key's bytes (object storage: a cached copy), refusing keys that leave the
        data directory; the path does not exist when nothing is stored under key."""
        from photonest.storage.backends import local_file

        root = self.settings.data.resolve()
        if root not in (root / key).resolve().parents:
            raise ValueError(f"path escapes the data directory: {key!r}")
        return local_file(self.settings, key)

    def store(self, path: Path) -> str:
        """Store a file the stage wrote under the data directory (object storage: put it in the bucket);
        returns its key. Done before the results commit; `outputs` removes it again if they do not."""
        from photonest.storage.backends import open_storage

        key = self.key(path)
        open_storage(self.settings).put_file(path, key)
        return key

    def discard(self, path: Path) -> None:
        """Remove an output or rollback file: from the store when it lies under the data directory."""
        from photonest.storage.backends import open_storage

        try:
            key = self.key(path)
        except ValueError:
            path.unlink(missing_ok=True)
            return
        open_storage(self.settings).delete(key)

    def original(self) -> Path:
        """The asset's original: under the data directory, or (external library) inside its import paths."""
        if self.asset.library_id is None:
            return self.path(self.asset.original_path)
        from photonest.library.originals import external_path

        with self.db.session(write=False) as s:
            return external_path(s, self.asset)

    def key(self, path: Path) -> str:
        return path.resolve().relative_to(self.settings.data.resolve()).as_posix()


StageFn = Callable[[StageRun], Apply | None]
AfterCommit = Callable[[StageRun, Asset], None]


def _one(_: Settings) -> int:
    return 1


def _always(_: Settings) -> bool:
    return True


@dataclass(frozen=True)
class Stage:
    name: str  # stored in Asset.stages_done; short, stable
    queue: str  # Immich QueueName it is counted under
    job_name: str  # Immich JobName of one item (getQueueJobs)
    run: StageFn
    types: frozenset[str] = MEDIA  # asset types it applies to
    after: tuple[str, ...] = ()  # stages that must be settled (done, or failed for good) first
    concurrency: Callable[[Settings], int] = _one
    enabled: Callable[[Settings], bool] = _always
    after_commit: AfterCommit | None = None  # notifications etc., once the results are committed
    retryable: tuple[type[BaseException], ...] = (Exception,)  # MediaError is never retried (see runtime)


STAGES: dict[str, Stage] = {}


def register(stage: Stage) -> Stage:
    for dep in stage.after:
        if dep not in STAGES:
            raise ValueError(f"stage {stage.name} runs after unknown stage {dep}")
    STAGES[stage.name] = stage
    return stage


def enabled_stages(settings: Settings) -> list[Stage]:
    return [s for s in STAGES.values() if s.enabled(settings)]


def stages_for_queue(queue: str) -> list[Stage]:
    return [s for s in STAGES.values() if s.queue == queue]


def dependents(stage: str) -> list[Stage]:
    return [s for s in STAGES.values() if stage in s.after]

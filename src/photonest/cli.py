"""`photonest serve | worker | migrate | admin ...`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from photonest import __version__
from photonest.config import Settings
from photonest.heap import settle_after_start_up


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _logging(level: str, fmt: str = "text") -> None:
    from photonest.logs import setup

    setup(level, fmt)


@click.group()
@click.version_option(__version__, prog_name="photonest")
def main() -> None:
    """photonest: your photo library, on your machine."""


@main.command()
@click.option("--host", help="Address to listen on [PHOTONEST_HOST, default 0.0.0.0].")
@click.option("--port", type=int, help="Port to listen on [PHOTONEST_PORT, default 2283].")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA, default ./data].")
@click.option("--no-workers", is_flag=True, default=False, help="Do not run background workers in this process.")
def serve(host: str | None, port: int | None, data: Path | None, no_workers: bool) -> None:
    """Serve the API, the web UI and (unless --no-workers) the background workers in one process."""
    import uvicorn

    from photonest.app import create_app

    settings = _settings(host=host, port=port, data=data, workers=False if no_workers else None)
    _logging(settings.log_level, settings.log_format)
    app = create_app(settings)
    settle_after_start_up()  # p95 latency of large responses (photonest/heap.py)
    # uvicorn handles SIGTERM/SIGINT: stop accepting, finish requests, then run the lifespan shutdown.
    # log_config=None: uvicorn's loggers go through ours (text or JSON); requests are logged by photonest.metrics.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level, log_config=None,
                access_log=False,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", timeout_graceful_shutdown=30,
                h11_max_incomplete_event_size=1024 * 1024)


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
@click.option("--queues", metavar="LIST",
              help="Take only these queues, comma-separated: Immich names (metadataExtraction, thumbnailGeneration, "
                   "videoConversion, ocr, faceDetection, smartSearch, duplicateDetection) or metadata, thumbnails, "
                   "video, faces, smart_search, duplicates [PHOTONEST_WORKER_QUEUES; default: all].")
@click.option("--concurrency", "--threads", "concurrency", type=click.IntRange(1, 256),
              help="Jobs run at the same time in this process [PHOTONEST_WORKER_THREADS].")
def worker(data: Path | None, queues: str | None, concurrency: int | None) -> None:
    """Run background workers only, no HTTP (share the database, storage and PHOTONEST_REDIS_URL with the server).

    SIGTERM or Ctrl-C stops taking jobs, gives the running ones back to the queue (another worker starts them at
    once), finishes them unless another worker is quicker, then exits."""
    from photonest.db.engine import Database, migrate
    from photonest.jobs import stages
    from photonest.jobs.runtime import Jobs, UnknownQueue, resolve_queues
    from photonest.library.system_config import ConfigWatcher

    settings = _settings(data=data, worker_threads=concurrency, worker_queues=queues)
    stages.register_builtin()  # the queues there are: check --queues before anything starts
    try:
        chosen = resolve_queues(settings.worker_queues)
    except UnknownQueue as e:
        raise click.UsageError(str(e)) from None
    _logging(settings.log_level, settings.log_format)
    settings.ensure_dirs()
    if settings.storage == "s3":  # as the server: a wrong bucket or key stops start-up
        from photonest.storage.backends import open_storage
        from photonest.storage.local import StorageUnavailable

        try:
            open_storage(settings).check()
        except StorageUnavailable as e:
            raise click.ClickException(str(e)) from None
    migrate(settings.db_url)
    db = Database(settings.db_url)
    jobs = Jobs(settings, db)
    watcher = ConfigWatcher(db, settings)  # the admin's system config, re-read when it changes
    watcher.start()
    try:
        jobs.run_consumer_forever(settings.worker_threads, chosen)
    finally:
        watcher.stop()
        db.dispose()


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
def migrate(data: Path | None) -> None:
    """Apply database migrations and exit."""
    from photonest.db.engine import migrate as run_migrations

    settings = _settings(data=data)
    settings.ensure_dirs()
    run_migrations(settings.db_url)
    click.echo("database is up to date")


@main.group()
def admin() -> None:
    """Administrative tasks run directly against the database."""


@admin.command("reset-password")
@click.argument("email")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
@click.password_option(help="The new password (asked for when not given).")
def reset_password(email: str, data: Path | None, password: str) -> None:
    """Set a new password for the account EMAIL and sign out its sessions."""
    from sqlalchemy import delete, func, select

    from photonest.db.engine import Database
    from photonest.db.engine import migrate as run_migrations
    from photonest.db.tables import Session, User
    from photonest.library.secrets import hash_password

    settings = _settings(data=data)
    run_migrations(settings.db_url)
    with Database(settings.db_url).session() as db:
        user = db.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if user is None:
            raise click.ClickException(f"no user with email {email}")
        user.password_hash = hash_password(password)
        db.execute(delete(Session).where(Session.user_id == user.id))
    click.echo(f"password changed for {email}")


def _size(value: str) -> int | None:
    """'64M', '1.5G', '500000', 'off' -> bytes (None: never)."""
    v = value.strip().lower().removesuffix("ib").removesuffix("b")
    if v in ("off", "never", "none"):
        return None
    units = {"k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
    try:
        if v and v[-1] in units:
            return int(float(v[:-1]) * units[v[-1]])
        return int(v)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size (e.g. 64M, 2G, off)") from None


@main.command()
@click.argument("url")
@click.argument("key", required=False)
def login(url: str, key: str | None) -> None:
    """Check URL and an API KEY against the server and save them for `photonest upload`.

    The key is asked for when not given. It is stored, readable by you only, in ~/.config/photonest/auth.json
    (or $PHOTONEST_CONFIG_DIR/auth.json).
    """
    from photonest.client import ApiError, ServerClient
    from photonest.client import config as client_config

    key = key or click.prompt("API key", hide_input=True)
    try:
        with ServerClient(url, key) as client:
            user = client.my_user()
            path = client_config.save(client_config.Credentials(client.api_url, key))
    except ApiError as e:
        raise click.ClickException(f"cannot log in to {url}: {e}") from None
    click.echo(f"logged in to {client.api_url} as {user.get('email')}; saved to {path}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-r", "--recursive", is_flag=True, help="Descend into sub-folders.")
@click.option("-A", "--album", metavar="NAME", help="Add every uploaded file (and duplicates) to this album.")
@click.option("--watch", is_flag=True, help="After uploading, keep watching the folders and upload new files.")
@click.option("-c", "--concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Files hashed and uploaded at the same time.")
@click.option("--server", envvar="PHOTONEST_SERVER", metavar="URL",
              help="Server URL [PHOTONEST_SERVER; default: the saved login].")
@click.option("--key", envvar="PHOTONEST_API_KEY", metavar="KEY",
              help="API key [PHOTONEST_API_KEY; default: the saved login].")
@click.option("--tus-threshold", default="64M", show_default=True, metavar="SIZE",
              help="Files at least this big go over resumable tus uploads ('off': never).")
@click.option("--include-hidden", is_flag=True, help="Also upload hidden files and folders.")
@click.option("-n", "--dry-run", is_flag=True, help="Hash and check, but upload nothing.")
@click.option("--progress/--no-progress", default=None, help="Progress bars [default: when on a terminal].")
def upload(paths: tuple[Path, ...], recursive: bool, album: str | None, watch: bool, concurrency: int,
           server: str | None, key: str | None, tus_threshold: str, include_hidden: bool, dry_run: bool,
           progress: bool | None) -> None:
    """Upload photos and videos in PATHS (files or folders) to a photonest (or Immich) server.

    Files are hashed first and the server asked which it already has, so re-running only sends what is new.
    """
    from photonest.client import ApiError, ServerClient, Uploader, UploadOptions
    from photonest.client import config as client_config
    from photonest.client.files import HashCache
    from photonest.client.tus import ResumeStore, cache_dir
    from photonest.client.watch import Watcher

    creds = client_config.resolve(server, key)
    if creds is None:
        raise click.UsageError("no server: give --server and --key (or PHOTONEST_SERVER and PHOTONEST_API_KEY), "
                               "or run `photonest login URL KEY` once")
    options = UploadOptions(recursive=recursive, album=album, concurrency=concurrency,
                            tus_threshold=_size(tus_threshold), include_hidden=include_hidden, dry_run=dry_run,
                            progress=progress)
    hashes = HashCache(cache_dir() / "hashes.sqlite")
    try:
        with ServerClient(creds.server, creds.api_key) as client:
            uploader = Uploader(client, options, echo=lambda m: click.echo(m, err=True), hash_cache=hashes,
                                resume_store=ResumeStore(cache_dir() / "tus-uploads.json"))
            if watch:
                Watcher(uploader, paths).run()
                return
            report = uploader.run(paths)
    except ApiError as e:
        raise click.ClickException(str(e)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted; run the same command again to continue", err=True)
        sys.exit(130)
    finally:
        hashes.close()
    if not report.ok:
        sys.exit(1)



@main.command()
@click.option("--url", metavar="URL", help="Server to check [default: http://127.0.0.1:$PHOTONEST_PORT].")
def healthcheck(url: str | None) -> None:
    """Exit 0 if the server's GET /health says ok, else 1 (the Docker image's HEALTHCHECK)."""
    import httpx

    target = url or f"http://127.0.0.1:{_settings().port}"
    try:
        r = httpx.get(f"{target.rstrip('/')}/health", timeout=10)
    except httpx.HTTPError as e:
        click.echo(f"unhealthy: {e}", err=True)
        sys.exit(1)
    click.echo(r.text)
    sys.exit(0 if r.status_code == 200 else 1)


@main.group()
def backup() -> None:
    """Database backups in <data>/backups (docs/backups.md)."""


@backup.command("create")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
def backup_create(data: Path | None) -> None:
    """Back up the database now (SQLite: online copy; PostgreSQL: pg_dump), then apply PHOTONEST_BACKUP_KEEP."""
    from photonest.library import backups
    from photonest.library.errors import DomainError

    settings = _settings(data=data)
    try:
        made = backups.scheduled_backup(settings)
    except (DomainError, RuntimeError) as e:
        raise click.ClickException(getattr(e, "message", str(e))) from None
    click.echo(f"{settings.backups_dir / made.name} ({made.size} bytes)")


@backup.command("list")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
def backup_list(data: Path | None) -> None:
    """The backups, newest first: name, size, time (UTC)."""
    from photonest.library import backups

    for b in backups.list_backups(_settings(data=data)):
        click.echo(f"{b.name}\t{b.size}\t{b.created_at:%Y-%m-%d %H:%M:%S}")


@backup.command("restore")
@click.argument("name")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def backup_restore(name: str, data: Path | None, yes: bool) -> None:
    """Replace the database with backup NAME (from `photonest backup list`). Stop the server and workers first.

    The current database is backed up first (a "-pre-restore" backup), so a restore can be undone."""
    from photonest.library import backups
    from photonest.library.errors import DomainError

    settings = _settings(data=data)
    if not yes:
        click.confirm(f"Replace the database with {name}? (stop the server and workers first)", abort=True)
    try:
        before = backups.restore(settings, name)
    except DomainError as e:
        raise click.ClickException(e.message) from None
    if before is not None:
        click.echo(f"the previous database is saved as {before.name}")
    click.echo(f"restored {name}; start the server again")


@main.group()
def models() -> None:
    """Machine-learning models: which are here, fetch them for offline use, remove cached copies."""


@models.command("list")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
def models_list(data: Path | None) -> None:
    """Every known model and where its files are (package, cache) or that it is missing."""
    from photonest.ml.store import store_for

    store = store_for(_settings(data=data))
    for spec, found in store.status():
        where = f"{found.source}: {found.dir}" if found else "missing (downloaded on first use)"
        click.echo(f"{spec.name:42} {spec.task:8} {where}")
        click.echo(f"    {spec.description}")


@models.command("download")
@click.argument("names", nargs=-1, required=True)
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
@click.option("--force", is_flag=True, help="Download again even if the cache has the model.")
def models_download(names: tuple[str, ...], data: Path | None, force: bool) -> None:
    """Download models into <data>/models (copy that folder to an offline machine to use them there)."""
    from photonest.ml.store import ModelError, ModelStore

    settings = _settings(data=data)
    store = ModelStore(settings.models_dir, allow_download=True)
    for name in names:
        try:
            found = None if force else store.find(name)
            got = found or store.download(name, force=force)
        except ModelError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"{name}: {got.source} {got.dir}")


@models.command("remove")
@click.argument("names", nargs=-1, required=True)
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
def models_remove(names: tuple[str, ...], data: Path | None) -> None:
    """Delete cached models (models shipped inside installed packages stay)."""
    from photonest.ml.store import ModelError, store_for

    store = store_for(_settings(data=data))
    for name in names:
        try:
            removed = store.remove(name)
        except ModelError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"{name}: {'removed' if removed else 'not in the cache'}")


@main.group()
def storage() -> None:
    """Where originals and derivatives live (docs/deployment.md "Object storage (S3)")."""


@storage.command("migrate")
@click.option("--to", "to", type=click.Choice(["s3", "local"]), required=True, help="The backend to copy to.")
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
@click.option("--no-checksums", is_flag=True, help="Verify sizes only (originals are SHA-1 checked by default).")
@click.option("--delete-source", is_flag=True, help="After every file verified, delete the copies left behind.")
def storage_migrate(to: str, data: Path | None, no_checksums: bool, delete_source: bool) -> None:
    """Copy every stored file to the other backend (PHOTONEST_S3_* must be set), verify it, then tell how to
    switch. Safe to re-run: verified files are skipped. Stop uploads first (or run it twice: once live, once
    with the server stopped) so nothing is added meanwhile."""
    from photonest.db.engine import Database
    from photonest.library import storage_migration
    from photonest.storage.local import StorageUnavailable

    settings = _settings(data=data)
    if not settings.s3_bucket:
        raise click.UsageError("set PHOTONEST_S3_BUCKET (and the other PHOTONEST_S3_* settings) first")
    db = Database(settings.db_url)
    try:
        with db.session(write=False) as s:
            total = sum(1 for _ in storage_migration.stored_keys(s))
        with db.session(write=False) as s, click.progressbar(length=total, label=f"copying to {to}") as bar:
            report = storage_migration.migrate(s, settings, to, checksums=not no_checksums,
                                               delete_source=delete_source, progress=bar.update)
    except StorageUnavailable as e:
        raise click.ClickException(str(e)) from None
    finally:
        db.dispose()
    click.echo(f"copied {report.copied}, already there {report.skipped}, missing on the source "
               f"{len(report.missing)}, not verified {len(report.failed)}, source copies deleted {report.deleted}")
    for key in report.missing:
        click.echo(f"missing: {key}")
    for key in report.failed:
        click.echo(f"NOT VERIFIED: {key}")
    if report.failed:
        raise click.ClickException("some files did not verify; run the command again before switching")
    click.echo(f"now set PHOTONEST_STORAGE={to} for the server and every worker, and restart them")


if __name__ == "__main__":
    main()

"""`photonest serve | worker | migrate | admin ...`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from photonest import __version__
from photonest.config import Settings


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _logging(level: str) -> None:
    logging.basicConfig(stream=sys.stderr, level=level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


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
    _logging(settings.log_level)
    app = create_app(settings)
    # uvicorn handles SIGTERM/SIGINT: stop accepting, finish requests, then run the lifespan shutdown.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", timeout_graceful_shutdown=30,
                h11_max_incomplete_event_size=1024 * 1024)


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data directory [PHOTONEST_DATA].")
@click.option("--threads", type=int, help="Worker threads [PHOTONEST_WORKER_THREADS].")
def worker(data: Path | None, threads: int | None) -> None:
    """Run background workers only (share the database, storage and PHOTONEST_REDIS_URL with the server)."""
    from photonest.db.engine import Database, migrate
    from photonest.jobs.runtime import Jobs

    settings = _settings(data=data, worker_threads=threads)
    _logging(settings.log_level)
    settings.ensure_dirs()
    migrate(settings.db_url)
    Jobs(settings, Database(settings.db_url)).run_consumer_forever(settings.worker_threads)


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

if __name__ == "__main__":
    main()

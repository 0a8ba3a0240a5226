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


if __name__ == "__main__":
    main()

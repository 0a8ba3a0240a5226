"""timeline: a covering index for the EXIF columns a timeline bucket shows (issue 4)

Revision ID: 0009_timeline
Revises: 0008_config
"""

from __future__ import annotations

from alembic import op

revision = "0009_timeline"
down_revision = "0008_config"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_asset_exif_timeline", "asset_exif",
                    ["asset_id", "projection_type", "city", "country", "latitude", "longitude"])


def downgrade() -> None:
    op.drop_index("ix_asset_exif_timeline", table_name="asset_exif")

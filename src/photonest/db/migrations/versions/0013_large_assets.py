"""large assets: an index for the owner's assets by file size (issue 6)

Revision ID: 0013_large_assets
Revises: 0012_album_timeline
"""

from __future__ import annotations

from alembic import op

revision = "0013_large_assets"
down_revision = "0012_album_timeline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_asset_owner_size", "asset", ["owner_id", "deleted_at", "file_size", "visibility", "id"])


def downgrade() -> None:
    op.drop_index("ix_asset_owner_size", table_name="asset")

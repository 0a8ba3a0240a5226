"""external libraries (issue 12)

Revision ID: 0004_libraries
Revises: 0003_sync

library: folders indexed in place for one owner; library_file: what each indexed file was at the last scan
(size, mtime, content SHA-1); asset.library_id marks an asset that lives in an external library.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from photonest.db.types import UTCDateTime

revision = "0004_libraries"
down_revision = "0003_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_id", sa.String(36), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("import_paths", sa.JSON(), nullable=False),
        sa.Column("exclusion_patterns", sa.JSON(), nullable=False),
        sa.Column("scan_state", sa.String(10), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("refreshed_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_library_owner_id", "library", ["owner_id"])
    op.create_table(
        "library_file",
        sa.Column("asset_id", sa.String(36), sa.ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("library_id", sa.String(36), sa.ForeignKey("library.id", ondelete="CASCADE"), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("sha1", sa.LargeBinary(), nullable=False),
        sa.Column("sidecar_mtime_ns", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("library_id", "path", name="uq_library_file_path"),
    )
    # No foreign key (SQLite cannot add one to an existing table without rebuilding it, which would drop the
    # asset table's triggers); deleting a library deletes its assets in library.libraries.
    op.add_column("asset", sa.Column("library_id", sa.String(36), nullable=True))
    op.create_index("ix_asset_library_id", "asset", ["library_id"])


def downgrade() -> None:
    op.drop_index("ix_asset_library_id", table_name="asset")
    with op.batch_alter_table("asset", recreate="never") as batch:
        batch.drop_column("library_id")
    op.drop_table("library_file")
    op.drop_index("ix_library_owner_id", table_name="library")
    op.drop_table("library")

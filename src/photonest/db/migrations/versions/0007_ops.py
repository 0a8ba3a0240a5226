"""operations: backups, integrity reports (issue 12)

Revision ID: 0007_ops
Revises: 0006_people

Backups are files in <data>/backups (no table); integrity scans keep their findings in integrity_report.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from photonest.db.types import UTCDateTime

revision = "0007_ops"
down_revision = "0006_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "integrity_report",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.String(36), sa.ForeignKey("asset.id", ondelete="CASCADE"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("type", "path", name="uq_integrity_report_type_path"),
    )
    op.create_index("ix_integrity_report_asset_id", "integrity_report", ["asset_id"])


def downgrade() -> None:
    op.drop_index("ix_integrity_report_asset_id", table_name="integrity_report")
    op.drop_table("integrity_report")

"""job leases (issue 12)

Revision ID: 0011_jobs_lease
Revises: 0010_places_perf
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import photonest.db.types

revision = "0011_jobs_lease"
down_revision = "0010_places_perf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns: SQLite adds them in place (no table rebuild). Jobs active before the upgrade have no
    # lease and count as expired, so the first reaper puts them back.
    op.add_column("asset_job", sa.Column("worker", sa.String(length=200), nullable=True))
    op.add_column("asset_job", sa.Column("lease_until", photonest.db.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_asset_job_state_worker", "asset_job", ["state", "worker"])
    op.create_table(
        "job_run",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("task", sa.String(length=50), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("lease_until", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("job_run")
    op.drop_index("ix_asset_job_state_worker", table_name="asset_job")
    with op.batch_alter_table("asset_job", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("worker")

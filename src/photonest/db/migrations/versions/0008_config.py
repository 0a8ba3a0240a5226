"""system config and jobs (issues 7, 12)

Revision ID: 0008_config
Revises: 0007_ops
"""

from __future__ import annotations

revision = "0008_config"
down_revision = "0007_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

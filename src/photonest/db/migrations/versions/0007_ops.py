"""operations: backups, integrity reports (issue 12)

Revision ID: 0007_ops
Revises: 0006_people
"""

from __future__ import annotations

revision = "0007_ops"
down_revision = "0006_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

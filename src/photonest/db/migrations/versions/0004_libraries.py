"""external libraries (issue 12)

Revision ID: 0004_libraries
Revises: 0003_sync
"""

from __future__ import annotations

revision = "0004_libraries"
down_revision = "0003_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

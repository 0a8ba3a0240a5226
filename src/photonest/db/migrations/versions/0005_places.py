"""location history and GPX imports (issue 6)

Revision ID: 0005_places
Revises: 0004_libraries
"""

from __future__ import annotations

revision = "0005_places"
down_revision = "0004_libraries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

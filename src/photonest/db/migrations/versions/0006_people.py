"""face clustering feedback and vector indexes (issues 8, 9)

Revision ID: 0006_people
Revises: 0005_places
"""

from __future__ import annotations

revision = "0006_people"
down_revision = "0005_places"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

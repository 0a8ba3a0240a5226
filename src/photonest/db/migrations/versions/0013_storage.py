"""object storage (issue 12)

Revision ID: 0013_storage
Revises: 0012_album_timeline
"""

from __future__ import annotations

revision = "0013_storage"
down_revision = "0012_album_timeline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

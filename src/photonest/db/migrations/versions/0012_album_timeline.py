"""album timeline (issue 4)

Revision ID: 0012_album_timeline
Revises: 0011_jobs_lease
"""

from __future__ import annotations

revision = "0012_album_timeline"
down_revision = "0011_jobs_lease"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

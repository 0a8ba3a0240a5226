"""job leases (issue 12)

Revision ID: 0011_jobs_lease
Revises: 0010_places_perf
"""

from __future__ import annotations

revision = "0011_jobs_lease"
down_revision = "0010_places_perf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

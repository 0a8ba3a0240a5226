"""face clustering feedback and vector indexes (issues 8, 9)

- person_not_same: the user's "not the same person" answers to merge suggestions (library.people);
- asset_face.identity: usable / unusable (a drawn face: no embedding, never clustered) / none (drawn by hand);
- asset_label: a covering (label, score, asset_id) index for smart search's label signal;
- PostgreSQL with pgvector: asset_embedding.vec and an HNSW index for the text embeddings (db.pgvector).

Revision ID: 0006_people
Revises: 0005_places
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from photonest.db import pgvector
from photonest.db.types import UTCDateTime

revision = "0006_people"
down_revision = "0005_places"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_not_same",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("other_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", "other_id"),
    )
    op.create_index("ix_person_not_same_other_id", "person_not_same", ["other_id"])
    op.create_index("ix_person_not_same_owner_id", "person_not_same", ["owner_id"])
    with op.batch_alter_table("asset_face") as batch_op:
        batch_op.add_column(sa.Column("identity", sa.String(length=16), nullable=False, server_default="usable"))
    # Faces found by the detector that had no embedding before this revision are treated as unusable.
    op.execute("UPDATE asset_face SET identity = 'none' "
               "WHERE embedding IS NULL AND source_type <> 'machine-learning'")
    op.execute("UPDATE asset_face SET identity = 'unusable' WHERE embedding IS NULL "
               "AND source_type = 'machine-learning'")
    with op.batch_alter_table("asset_label") as batch_op:
        batch_op.drop_index("ix_asset_label_label")
        batch_op.create_index("ix_asset_label_label_score", ["label", "score", "asset_id"], unique=False)
    pgvector.upgrade(op.get_bind())


def downgrade() -> None:
    pgvector.downgrade(op.get_bind())
    with op.batch_alter_table("asset_label") as batch_op:
        batch_op.drop_index("ix_asset_label_label_score")
        batch_op.create_index("ix_asset_label_label", ["label"], unique=False)
    with op.batch_alter_table("asset_face") as batch_op:
        batch_op.drop_column("identity")
    op.drop_index("ix_person_not_same_owner_id", table_name="person_not_same")
    op.drop_index("ix_person_not_same_other_id", table_name="person_not_same")
    op.drop_table("person_not_same")

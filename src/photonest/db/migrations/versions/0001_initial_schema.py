"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import photonest.db.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "system_metadata",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("should_change_password", sa.Boolean(), nullable=False),
        sa.Column("avatar_color", sa.String(length=20), nullable=True),
        sa.Column("profile_image_path", sa.String(length=500), nullable=False),
        sa.Column("profile_changed_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("storage_label", sa.String(length=100), nullable=True),
        sa.Column("quota_size_in_bytes", sa.BigInteger(), nullable=True),
        sa.Column("quota_usage_in_bytes", sa.BigInteger(), nullable=False),
        sa.Column("pin_code_hash", sa.String(length=200), nullable=True),
        sa.Column("oauth_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("preferences", sa.JSON(), nullable=False),
        sa.Column("license", sa.JSON(), nullable=True),
        sa.Column("onboarding", sa.Boolean(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("storage_label"),
    )
    op.create_table(
        "version_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "api_key",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_key_user_id"), ["user_id"], unique=False)

    op.create_table(
        "asset",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("checksum", sa.LargeBinary(), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("original_path", sa.Text(), nullable=False),
        sa.Column("original_file_name", sa.Text(), nullable=False),
        sa.Column("original_mime_type", sa.String(length=100), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("device_asset_id", sa.String(length=300), nullable=False),
        sa.Column("device_id", sa.String(length=300), nullable=False),
        sa.Column("file_created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("file_modified_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("local_date_time", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("is_favorite", sa.Boolean(), nullable=False),
        sa.Column("is_offline", sa.Boolean(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("live_photo_video_id", sa.String(length=36), nullable=True),
        sa.Column("stages_done", sa.JSON(), nullable=False),
        sa.Column("thumbhash", sa.LargeBinary(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["live_photo_video_id"], ["asset.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "checksum", name="uq_asset_owner_checksum"),
    )
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.create_index("ix_asset_owner_time", ["owner_id", "local_date_time"], unique=False)

    op.create_table(
        "session",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("device_type", sa.String(length=100), nullable=False),
        sa.Column("device_os", sa.String(length=100), nullable=False),
        sa.Column("app_version", sa.String(length=50), nullable=True),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("is_pending_sync_reset", sa.Boolean(), nullable=False),
        sa.Column("pin_expires_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["session.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "asset_exif",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("make", sa.String(length=200), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("lens_model", sa.String(length=200), nullable=True),
        sa.Column("exif_image_width", sa.Integer(), nullable=True),
        sa.Column("exif_image_height", sa.Integer(), nullable=True),
        sa.Column("file_size_in_byte", sa.BigInteger(), nullable=True),
        sa.Column("orientation", sa.String(length=10), nullable=True),
        sa.Column("date_time_original", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("modify_date", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("f_number", sa.Float(), nullable=True),
        sa.Column("focal_length", sa.Float(), nullable=True),
        sa.Column("iso", sa.Integer(), nullable=True),
        sa.Column("exposure_time", sa.String(length=30), nullable=True),
        sa.Column("projection_type", sa.String(length=50), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("fps", sa.Float(), nullable=True),
        sa.Column("codec", sa.String(length=50), nullable=True),
        sa.Column("live_photo_cid", sa.String(length=200), nullable=True),
        sa.Column("locked_fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id"),
    )
    with op.batch_alter_table("asset_exif", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_exif_live_photo_cid"), ["live_photo_cid"], unique=False)

    op.create_table(
        "asset_file",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asset_id", "type", name="uq_asset_file_type"),
    )
    with op.batch_alter_table("asset_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_file_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "asset_job_failure",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id", "stage"),
    )


def downgrade() -> None:

    op.drop_table("asset_job_failure")
    with op.batch_alter_table("asset_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_file_asset_id"))

    op.drop_table("asset_file")
    with op.batch_alter_table("asset_exif", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_exif_live_photo_cid"))

    op.drop_table("asset_exif")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_user_id"))

    op.drop_table("session")
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_owner_time")

    op.drop_table("asset")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_user_id"))

    op.drop_table("api_key")
    op.drop_table("version_history")
    op.drop_table("user")
    op.drop_table("system_metadata")

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
        "sync_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("ref_id", sa.String(length=200), nullable=True),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_audit", schema=None) as batch_op:
        batch_op.create_index("ix_sync_audit_entity_update", ["entity", "update_id"], unique=False)

    op.create_table(
        "sync_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
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
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("storage_label"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index("ix_user_update_id", ["update_id"], unique=False)

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
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["live_photo_video_id"], ["asset.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "checksum", name="uq_asset_owner_checksum"),
    )
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.create_index(
            "ix_asset_album_join", ["id", "deleted_at", "visibility", "local_date_time", "updated_at"], unique=False
        )
        batch_op.create_index(
            "ix_asset_owner_created",
            ["owner_id", "file_created_at", "visibility", "deleted_at", "is_favorite", "updated_at", "id"],
            unique=False,
        )
        batch_op.create_index("ix_asset_owner_time", ["owner_id", "local_date_time"], unique=False)
        batch_op.create_index("ix_asset_owner_update_id", ["owner_id", "update_id"], unique=False)
        batch_op.create_index(
            "ix_asset_timeline", ["owner_id", "deleted_at", "visibility", "local_date_time"], unique=False
        )
        batch_op.create_index("ix_asset_update_id", ["update_id"], unique=False)

    op.create_table(
        "memory",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("memory_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("show_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("hide_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("seen_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("is_saved", sa.Boolean(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("memory", schema=None) as batch_op:
        batch_op.create_index("ix_memory_owner_show", ["owner_id", "show_at", "hide_at"], unique=False)
        batch_op.create_index("ix_memory_update_id", ["update_id"], unique=False)

    op.create_table(
        "partner",
        sa.Column("shared_by_id", sa.String(length=36), nullable=False),
        sa.Column("shared_with_id", sa.String(length=36), nullable=False),
        sa.Column("in_timeline", sa.Boolean(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("create_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["shared_by_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shared_with_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("shared_by_id", "shared_with_id"),
    )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_shared_with_id"), ["shared_with_id"], unique=False)
        batch_op.create_index("ix_partner_update_id", ["update_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("is_hidden", sa.Boolean(), nullable=False),
        sa.Column("is_favorite", sa.Boolean(), nullable=False),
        sa.Column("color", sa.String(length=20), nullable=True),
        sa.Column("feature_face_id", sa.String(length=36), nullable=True),
        sa.Column("centroid", sa.LargeBinary(), nullable=True),
        sa.Column("face_count", sa.Integer(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_owner_name", ["owner_id", "name"], unique=False)
        batch_op.create_index("ix_person_update_id", ["update_id"], unique=False)

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
        "tag",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("color", sa.String(length=20), nullable=True),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["tag.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "value", name="uq_tag_user_value"),
    )
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "tus_upload",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=True),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tus_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tus_upload_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tus_upload_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "album",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("album_name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("album_thumbnail_asset_id", sa.String(length=36), nullable=True),
        sa.Column("is_activity_enabled", sa.Boolean(), nullable=False),
        sa.Column("order", sa.String(length=4), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["album_thumbnail_asset_id"], ["asset.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("album", schema=None) as batch_op:
        batch_op.create_index("ix_album_owner_created", ["owner_id", "created_at"], unique=False)
        batch_op.create_index("ix_album_update_id", ["update_id"], unique=False)

    op.create_table(
        "asset_duplicate",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("dhash", sa.LargeBinary(), nullable=True),
        sa.Column("duplicate_id", sa.String(length=36), nullable=True),
        sa.Column("dismissed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id"),
    )
    with op.batch_alter_table("asset_duplicate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_duplicate_duplicate_id"), ["duplicate_id"], unique=False)

    op.create_table(
        "asset_embedding",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id", "model"),
    )
    with op.batch_alter_table("asset_embedding", schema=None) as batch_op:
        batch_op.create_index("ix_asset_embedding_model_updated", ["model", "updated_at"], unique=False)

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
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id"),
    )
    with op.batch_alter_table("asset_exif", schema=None) as batch_op:
        batch_op.create_index("ix_asset_exif_city", ["city"], unique=False)
        batch_op.create_index("ix_asset_exif_country", ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_asset_exif_live_photo_cid"), ["live_photo_cid"], unique=False)
        batch_op.create_index(
            "ix_asset_exif_position", ["asset_id", "latitude", "longitude", "city", "state", "country"], unique=False
        )
        batch_op.create_index("ix_asset_exif_state", ["state"], unique=False)
        batch_op.create_index("ix_asset_exif_update_id", ["update_id"], unique=False)

    op.create_table(
        "asset_face",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("x1", sa.Float(), nullable=False),
        sa.Column("y1", sa.Float(), nullable=False),
        sa.Column("x2", sa.Float(), nullable=False),
        sa.Column("y2", sa.Float(), nullable=False),
        sa.Column("image_width", sa.Integer(), nullable=False),
        sa.Column("image_height", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("model", sa.String(length=50), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("assigned_manually", sa.Boolean(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("asset_face", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_face_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index("ix_asset_face_owner_person", ["owner_id", "person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_asset_face_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_asset_face_update_id", ["update_id"], unique=False)

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
        "asset_job",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("force", sa.Boolean(), nullable=False),
        sa.Column("run_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("queued_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id", "stage"),
    )
    with op.batch_alter_table("asset_job", schema=None) as batch_op:
        batch_op.create_index("ix_asset_job_stage_state", ["stage", "state"], unique=False)

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
    op.create_table(
        "asset_label",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id", "label"),
    )
    with op.batch_alter_table("asset_label", schema=None) as batch_op:
        batch_op.create_index("ix_asset_label_label", ["label"], unique=False)

    op.create_table(
        "asset_metadata",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id", "key"),
    )
    with op.batch_alter_table("asset_metadata", schema=None) as batch_op:
        batch_op.create_index("ix_asset_metadata_update_id", ["update_id"], unique=False)

    op.create_table(
        "asset_ocr",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("x1", sa.Float(), nullable=False),
        sa.Column("y1", sa.Float(), nullable=False),
        sa.Column("x2", sa.Float(), nullable=False),
        sa.Column("y2", sa.Float(), nullable=False),
        sa.Column("x3", sa.Float(), nullable=False),
        sa.Column("y3", sa.Float(), nullable=False),
        sa.Column("x4", sa.Float(), nullable=False),
        sa.Column("y4", sa.Float(), nullable=False),
        sa.Column("box_score", sa.Float(), nullable=False),
        sa.Column("text_score", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("asset_ocr", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_ocr_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index("ix_asset_ocr_update_id", ["update_id"], unique=False)

    op.create_table(
        "asset_ocr_search",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asset_id"),
    )
    with op.batch_alter_table("asset_ocr_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_ocr_search_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "memory_asset",
        sa.Column("memory_id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["memory_id"], ["memory.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("memory_id", "asset_id"),
    )
    with op.batch_alter_table("memory_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memory_asset_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index("ix_memory_asset_update_id", ["update_id"], unique=False)

    op.create_table(
        "session_sync_checkpoint",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("ack", sa.Text(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "type"),
    )
    op.create_table(
        "stack",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("primary_asset_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["primary_asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stack", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stack_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_stack_update_id", ["update_id"], unique=False)

    op.create_table(
        "tag_asset",
        sa.Column("tag_id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tag_id", "asset_id"),
    )
    with op.batch_alter_table("tag_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_asset_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("album_id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=True),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("is_liked", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["album_id"], ["album.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_album", ["album_id", "created_at"], unique=False)

    op.create_table(
        "album_asset",
        sa.Column("album_id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("added_by_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["album_id"], ["album.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("album_id", "asset_id"),
    )
    with op.batch_alter_table("album_asset", schema=None) as batch_op:
        batch_op.create_index("ix_album_asset_asset", ["asset_id", "album_id"], unique=False)
        batch_op.create_index("ix_album_asset_update_id", ["update_id"], unique=False)

    op.create_table(
        "album_user",
        sa.Column("album_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("create_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["album_id"], ["album.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("album_id", "user_id"),
    )
    with op.batch_alter_table("album_user", schema=None) as batch_op:
        batch_op.create_index("ix_album_user_update_id", ["update_id"], unique=False)
        batch_op.create_index("ix_album_user_user", ["user_id", "album_id"], unique=False)

    op.create_table(
        "shared_link",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=True),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("album_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("expires_at", photonest.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("allow_download", sa.Boolean(), nullable=False),
        sa.Column("allow_upload", sa.Boolean(), nullable=False),
        sa.Column("show_metadata", sa.Boolean(), nullable=False),
        sa.Column("created_at", photonest.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["album_id"], ["album.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
        sa.UniqueConstraint("slug"),
    )
    with op.batch_alter_table("shared_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shared_link_album_id"), ["album_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shared_link_user_id"), ["user_id"], unique=False)

    op.create_table(
        "stack_asset",
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("stack_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stack_id"], ["stack.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("asset_id"),
    )
    with op.batch_alter_table("stack_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stack_asset_stack_id"), ["stack_id"], unique=False)

    op.create_table(
        "shared_link_asset",
        sa.Column("shared_link_id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shared_link_id"], ["shared_link.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("shared_link_id", "asset_id"),
    )
    with op.batch_alter_table("shared_link_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shared_link_asset_asset_id"), ["asset_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("shared_link_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_link_asset_asset_id"))

    op.drop_table("shared_link_asset")
    with op.batch_alter_table("stack_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stack_asset_stack_id"))

    op.drop_table("stack_asset")
    with op.batch_alter_table("shared_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_link_user_id"))
        batch_op.drop_index(batch_op.f("ix_shared_link_album_id"))

    op.drop_table("shared_link")
    with op.batch_alter_table("album_user", schema=None) as batch_op:
        batch_op.drop_index("ix_album_user_user")
        batch_op.drop_index("ix_album_user_update_id")

    op.drop_table("album_user")
    with op.batch_alter_table("album_asset", schema=None) as batch_op:
        batch_op.drop_index("ix_album_asset_update_id")
        batch_op.drop_index("ix_album_asset_asset")

    op.drop_table("album_asset")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_album")

    op.drop_table("activity")
    with op.batch_alter_table("tag_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_asset_asset_id"))

    op.drop_table("tag_asset")
    with op.batch_alter_table("stack", schema=None) as batch_op:
        batch_op.drop_index("ix_stack_update_id")
        batch_op.drop_index(batch_op.f("ix_stack_owner_id"))

    op.drop_table("stack")
    op.drop_table("session_sync_checkpoint")
    with op.batch_alter_table("memory_asset", schema=None) as batch_op:
        batch_op.drop_index("ix_memory_asset_update_id")
        batch_op.drop_index(batch_op.f("ix_memory_asset_asset_id"))

    op.drop_table("memory_asset")
    with op.batch_alter_table("asset_ocr_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_ocr_search_owner_id"))

    op.drop_table("asset_ocr_search")
    with op.batch_alter_table("asset_ocr", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_ocr_update_id")
        batch_op.drop_index(batch_op.f("ix_asset_ocr_asset_id"))

    op.drop_table("asset_ocr")
    with op.batch_alter_table("asset_metadata", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_metadata_update_id")

    op.drop_table("asset_metadata")
    with op.batch_alter_table("asset_label", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_label_label")

    op.drop_table("asset_label")
    op.drop_table("asset_job_failure")
    with op.batch_alter_table("asset_job", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_job_stage_state")

    op.drop_table("asset_job")
    with op.batch_alter_table("asset_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_file_asset_id"))

    op.drop_table("asset_file")
    with op.batch_alter_table("asset_face", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_face_update_id")
        batch_op.drop_index(batch_op.f("ix_asset_face_person_id"))
        batch_op.drop_index("ix_asset_face_owner_person")
        batch_op.drop_index(batch_op.f("ix_asset_face_asset_id"))

    op.drop_table("asset_face")
    with op.batch_alter_table("asset_exif", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_exif_update_id")
        batch_op.drop_index("ix_asset_exif_state")
        batch_op.drop_index("ix_asset_exif_position")
        batch_op.drop_index(batch_op.f("ix_asset_exif_live_photo_cid"))
        batch_op.drop_index("ix_asset_exif_country")
        batch_op.drop_index("ix_asset_exif_city")

    op.drop_table("asset_exif")
    with op.batch_alter_table("asset_embedding", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_embedding_model_updated")

    op.drop_table("asset_embedding")
    with op.batch_alter_table("asset_duplicate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_duplicate_duplicate_id"))

    op.drop_table("asset_duplicate")
    with op.batch_alter_table("album", schema=None) as batch_op:
        batch_op.drop_index("ix_album_update_id")
        batch_op.drop_index("ix_album_owner_created")

    op.drop_table("album")
    with op.batch_alter_table("tus_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tus_upload_owner_id"))
        batch_op.drop_index(batch_op.f("ix_tus_upload_expires_at"))

    op.drop_table("tus_upload")
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_parent_id"))

    op.drop_table("tag")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_user_id"))

    op.drop_table("session")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_update_id")
        batch_op.drop_index("ix_person_owner_name")

    op.drop_table("person")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_update_id")
        batch_op.drop_index(batch_op.f("ix_partner_shared_with_id"))

    op.drop_table("partner")
    with op.batch_alter_table("memory", schema=None) as batch_op:
        batch_op.drop_index("ix_memory_update_id")
        batch_op.drop_index("ix_memory_owner_show")

    op.drop_table("memory")
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_update_id")
        batch_op.drop_index("ix_asset_timeline")
        batch_op.drop_index("ix_asset_owner_update_id")
        batch_op.drop_index("ix_asset_owner_time")
        batch_op.drop_index("ix_asset_owner_created")
        batch_op.drop_index("ix_asset_album_join")

    op.drop_table("asset")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_user_id"))

    op.drop_table("api_key")
    op.drop_table("version_history")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index("ix_user_update_id")

    op.drop_table("user")
    op.drop_table("system_metadata")
    op.drop_table("sync_clock")
    with op.batch_alter_table("sync_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_audit_entity_update")

    op.drop_table("sync_audit")

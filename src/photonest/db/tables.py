"""The tables. Every row that belongs to a user carries owner_id / user_id; repositories scope by it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from photonest.db.types import UTCDateTime, new_id, utcnow

ID = String(36)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class User(Base):
    __tablename__ = "user"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    should_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    avatar_color: Mapped[str | None] = mapped_column(String(20), nullable=True)
    profile_image_path: Mapped[str] = mapped_column(String(500), default="")
    profile_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    storage_label: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    quota_size_in_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    quota_usage_in_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    pin_code_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    oauth_id: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | removing | deleted
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    license: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    onboarding: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Session(Base):
    __tablename__ = "session"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_type: Mapped[str] = mapped_column(String(100), default="")
    device_os: Mapped[str] = mapped_column(String(100), default="")
    app_version: Mapped[str | None] = mapped_column(String(50), nullable=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), nullable=True
    )
    is_pending_sync_reset: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    permissions: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionHistory(Base):
    __tablename__ = "version_history"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    version: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SystemMetadata(Base):
    __tablename__ = "system_metadata"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Asset(Base):
    """One photo or video. The original lives at original_path (relative to the data dir)."""

    __tablename__ = "asset"
    __table_args__ = (
        UniqueConstraint("owner_id", "checksum", name="uq_asset_owner_checksum"),
        Index("ix_asset_owner_time", "owner_id", "local_date_time"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    checksum: Mapped[bytes] = mapped_column()  # SHA-1, 20 bytes
    type: Mapped[str] = mapped_column(String(10))  # IMAGE | VIDEO | AUDIO | OTHER
    original_path: Mapped[str] = mapped_column(Text)
    original_file_name: Mapped[str] = mapped_column(Text)
    original_mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    device_asset_id: Mapped[str] = mapped_column(String(300), default="")
    device_id: Mapped[str] = mapped_column(String(300), default="")
    file_created_at: Mapped[datetime] = mapped_column()
    file_modified_at: Mapped[datetime] = mapped_column()
    local_date_time: Mapped[datetime] = mapped_column()
    visibility: Mapped[str] = mapped_column(String(10), default="timeline")  # archive|timeline|hidden|locked
    is_favorite: Mapped[bool] = mapped_column(Boolean, default=False)
    is_offline: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set for a file indexed in place from an external library (original_path is then absolute; issue 12).
    # No foreign key: SQLite cannot add one to an existing table; library.libraries.delete removes the assets.
    library_id: Mapped[str | None] = mapped_column(ID, nullable=True, index=True)
    duration: Mapped[int | None] = mapped_column(Integer, nullable=True)  # milliseconds (videos)
    live_photo_video_id: Mapped[str | None] = mapped_column(
        ForeignKey("asset.id", ondelete="SET NULL"), nullable=True
    )
    stages_done: Mapped[list[str]] = mapped_column(default=list)
    thumbhash: Mapped[bytes | None] = mapped_column(nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AssetExif(Base):
    """What the file says about itself (EXIF/XMP/video tags), one row per asset (ExifResponseDto)."""

    __tablename__ = "asset_exif"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    make: Mapped[str | None] = mapped_column(String(200), nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lens_model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    exif_image_width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exif_image_height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_size_in_byte: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    orientation: Mapped[str | None] = mapped_column(String(10), nullable=True)
    date_time_original: Mapped[datetime | None] = mapped_column(nullable=True)
    modify_date: Mapped[datetime | None] = mapped_column(nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    city: Mapped[str | None] = mapped_column(String(200), nullable=True)
    state: Mapped[str | None] = mapped_column(String(200), nullable=True)
    country: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    f_number: Mapped[float | None] = mapped_column(Float, nullable=True)
    focal_length: Mapped[float | None] = mapped_column(Float, nullable=True)
    iso: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exposure_time: Mapped[str | None] = mapped_column(String(30), nullable=True)
    projection_type: Mapped[str | None] = mapped_column(String(50), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fps: Mapped[float | None] = mapped_column(Float, nullable=True)
    codec: Mapped[str | None] = mapped_column(String(50), nullable=True)
    live_photo_cid: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    # Fields the user edited through the API; a metadata refresh keeps these.
    locked_fields: Mapped[list[str]] = mapped_column(default=list)


class AssetFile(Base):
    """A derivative on disk: thumbnail, preview, fullsize, encoded_video, sidecar."""

    __tablename__ = "asset_file"
    __table_args__ = (UniqueConstraint("asset_id", "type", name="uq_asset_file_type"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(Text)  # relative to the data dir
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssetJobFailure(Base):
    """The last failure of one processing stage for one asset, with its message."""

    __tablename__ = "asset_job_failure"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(30), primary_key=True)
    message: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- uploads & asset metadata (ingest) ---------------------------------------------------------------


class AssetMetadata(Base):
    """Key/value metadata a client attaches to an asset (Immich's asset metadata, e.g. "mobile-app")."""

    __tablename__ = "asset_metadata"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TusUpload(Base):
    """A resumable (tus 1.0) upload in progress; its bytes are upload/<id>.part. Finished ones keep asset_id."""

    __tablename__ = "tus_upload"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    # filename, fileCreatedAt, fileModifiedAt, isFavorite, visibility, livePhotoVideoId, duration, ...
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    asset_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    status: Mapped[str | None] = mapped_column(String(10), nullable=True)  # created | duplicate once finished
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


# --- jobs: the processing pipeline's queue ledger -----------------------------------------------------


class AssetJob(Base):
    """One processing stage handed to the queue for one asset: waiting, delayed (a retry) or active (leased).

    Asset.stages_done records what is finished; a row here records work that was queued and not yet settled.
    The row goes in the same transaction that marks the stage done (or records its final failure), so the
    queues' counts come from the database and a restart re-enqueues exactly what is left.
    """

    __tablename__ = "asset_job"
    # (state, worker): the heartbeat's and the reaper's look-ups touch only the few active rows of a long queue.
    __table_args__ = (Index("ix_asset_job_stage_state", "stage", "state"),
                      Index("ix_asset_job_state_worker", "state", "worker"))

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(30), primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="waiting")  # waiting | delayed | active
    force: Mapped[bool] = mapped_column(Boolean, default=False)  # run even when the stage is already done
    run_at: Mapped[datetime | None] = mapped_column(nullable=True)  # when a delayed retry is due
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # An active job's lease: the worker holding it (host:pid:uuid) renews lease_until while it lives; once the
    # lease expires any consumer's reaper puts the job back (jobs/leases.py).
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)


class JobRun(Base):
    """A running job that is not per asset (library scan, backup, integrity scan, admin job): leased like an
    AssetJob, so one whose worker died is sent again (jobs/leases.py). The row goes when the run ends."""

    __tablename__ = "job_run"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # task and its arguments
    task: Mapped[str] = mapped_column(String(50))
    args: Mapped[list[Any]] = mapped_column(JSON, default=list)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)  # None: lost, sent again
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # runs lost with their worker
    started_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- albums -------------------------------------------------------------------------------------------


class Album(Base):
    """A named collection of assets. Deleting it deletes the membership rows only, never the assets."""

    __tablename__ = "album"
    __table_args__ = (Index("ix_album_owner_created", "owner_id", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    album_name: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The cover the owner chose, or the one picked automatically; library.albums keeps it pointing at an asset
    # that is in the album and not trashed (and picks another when it leaves).
    album_thumbnail_asset_id: Mapped[str | None] = mapped_column(
        ForeignKey("asset.id", ondelete="SET NULL"), nullable=True
    )
    is_activity_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    order: Mapped[str] = mapped_column(String(4), default="desc")  # asc | desc (AssetOrder)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlbumAsset(Base):
    """An asset in an album. The primary key (album_id, asset_id) is the album's index: an album's assets are
    one range of it; ix_album_asset_asset answers "which albums hold this asset"."""

    __tablename__ = "album_asset"
    __table_args__ = (Index("ix_album_asset_asset", "asset_id", "album_id"),)

    album_id: Mapped[str] = mapped_column(ForeignKey("album.id", ondelete="CASCADE"), primary_key=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    added_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlbumUser(Base):
    """A user an album is shared with (issue 5 builds sharing). The owner is Album.owner_id, never a row here."""

    __tablename__ = "album_user"
    __table_args__ = (Index("ix_album_user_user", "user_id", "album_id"),)

    album_id: Mapped[str] = mapped_column(ForeignKey("album.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), default="editor")  # editor | viewer (AlbumUserRole)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlbumTimeline(Base):
    """The album members an album shows (asset not trashed, timeline or archive) with the asset columns its
    figures and timeline need, copied by database triggers (migration 0012_album_timeline) on every write of
    album_asset or of those asset columns; leaving the album removes the row by cascade. Clustered by album and
    local time (SQLite WITHOUT ROWID): an album's count, dates and months are one index range, and a month's
    members are found without visiting the album's other members (library.albums, library.timeline)."""

    __tablename__ = "album_timeline"
    __table_args__ = (
        ForeignKeyConstraint(["album_id", "asset_id"], ["album_asset.album_id", "album_asset.asset_id"],
                             ondelete="CASCADE"),
        Index("ix_album_timeline_asset", "asset_id"),
        Index("ix_album_timeline_updated", "album_id", "updated_at"),
        {"sqlite_with_rowid": False},
    )

    album_id: Mapped[str] = mapped_column(ID, primary_key=True)
    local_date_time: Mapped[datetime] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(ID, primary_key=True)
    owner_id: Mapped[str] = mapped_column(ID)
    updated_at: Mapped[datetime] = mapped_column()


# Timeline indexes on asset (library/timeline.py). Every timeline query is "one owner, not trashed (or trashed),
# these visibilities, a range of local_date_time": this index serves the bucket counts as a covering scan
# (GROUP BY month without touching the table) and a month's bucket as one range per visibility.
Index("ix_asset_timeline", Asset.owner_id, Asset.deleted_at, Asset.visibility, Asset.local_date_time)
# Albums reach their assets by id (album_asset -> asset): this index answers an album's counts, dates and month
# buckets from the index alone (one lookup per member instead of two), and finds one month's members cheaply.
Index("ix_asset_album_join", Asset.id, Asset.deleted_at, Asset.visibility, Asset.local_date_time, Asset.updated_at)


# --- OCR (ml.ocr reads it, library.ocr stores and searches it) ----------------------------------------


class AssetOcr(Base):
    """One line of text read in an asset's preview: the text, its box (corners normalised to 0..1,
    clockwise from top-left) and the detection / recognition confidences (Immich's AssetOcrResponseDto)."""

    __tablename__ = "asset_ocr"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), index=True)
    x1: Mapped[float] = mapped_column(Float)
    y1: Mapped[float] = mapped_column(Float)
    x2: Mapped[float] = mapped_column(Float)
    y2: Mapped[float] = mapped_column(Float)
    x3: Mapped[float] = mapped_column(Float)
    y3: Mapped[float] = mapped_column(Float)
    x4: Mapped[float] = mapped_column(Float)
    y4: Mapped[float] = mapped_column(Float)
    box_score: Mapped[float] = mapped_column(Float)
    text_score: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)


class AssetOcrSearch(Base):
    """All the text of one asset, normalised for search (NFKD, no combining marks, casefolded).

    The search index is not in this metadata: migration 0002 adds an FTS5 trigram table kept in step by
    triggers (SQLite) or a pg_trgm GIN index (PostgreSQL); see db/search_index.py.
    """

    __tablename__ = "asset_ocr_search"

    # An integer key: on SQLite it is the rowid the FTS5 table points at (stable, unlike an implicit rowid).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), unique=True)
    # The asset's owner, copied (assets never change owner): a search filters by it without visiting asset rows.
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)


# --- places (issue 6): indexes for the map's markers --------------------------------------------------------
# An owner's assets newest first, with the columns the markers query filters on (no sort, no row lookups) and
# updated_at (the marker cache's stamp: count and newest change, one index-only scan); and each asset's position
# and place names (covering, so the join never reads the asset_exif rows).
Index("ix_asset_owner_created", Asset.owner_id, Asset.file_created_at, Asset.visibility, Asset.deleted_at,
      Asset.is_favorite, Asset.updated_at, Asset.id)
# /search/large-assets: an owner's assets by size without a sort over the whole library (migration 0013).
Index("ix_asset_owner_size", Asset.owner_id, Asset.deleted_at, Asset.file_size, Asset.visibility, Asset.id)
Index("ix_asset_exif_position", AssetExif.asset_id, AssetExif.latitude, AssetExif.longitude, AssetExif.city,
      AssetExif.state, AssetExif.country)


class AssetPosition(Base):
    """Every positioned asset the map and the location history can show (not trashed, timeline or archive, a
    valid position that is not null island), copied from asset + asset_exif by database triggers (migration
    0010_places_perf) so that every write path keeps it in step. Clustered by owner and time (SQLite WITHOUT
    ROWID): an owner's markers are one range scan with no join. `marker` and `point` are the asset's JSON as
    GET /map/markers and GET /location-history/days write it, rendered once by the trigger."""

    __tablename__ = "asset_position"
    __table_args__ = (
        Index("ix_asset_position_asset", "asset_id", unique=True),
        # A day range of points read from the index alone (a year: ~30 ms less than visiting the rows).
        Index("ix_asset_position_local", "owner_id", "local_date_time", "asset_id", "latitude", "longitude", "point"),
        {"sqlite_with_rowid": False},
    )

    owner_id: Mapped[str] = mapped_column(ID, primary_key=True)
    file_created_at: Mapped[datetime] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    local_date_time: Mapped[datetime] = mapped_column()
    visibility: Mapped[str] = mapped_column(String(10))
    is_favorite: Mapped[bool] = mapped_column(Boolean)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    city: Mapped[str | None] = mapped_column(String(200), nullable=True)
    state: Mapped[str | None] = mapped_column(String(200), nullable=True)
    country: Mapped[str | None] = mapped_column(String(200), nullable=True)
    marker: Mapped[str] = mapped_column(Text)
    point: Mapped[str] = mapped_column(Text)


# --- timeline (issue 4): a bucket's EXIF columns read from the index alone (library.timeline pins it on SQLite,
# whose planner prefers the primary key's index without statistics).
Index("ix_asset_exif_timeline", AssetExif.asset_id, AssetExif.projection_type, AssetExif.city, AssetExif.country,
      AssetExif.latitude, AssetExif.longitude)


# --- location history (issue 6): each user's home and pending GPX imports -----------------------------------
class LocationHome(Base):
    """Where a user lives, as they set it; without a row, library.location_history infers it."""

    __tablename__ = "location_home"

    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GpxPreview(Base):
    """A GPX import shown to its owner and not yet applied: [[asset_id, latitude, longitude], ...]."""

    __tablename__ = "gpx_preview"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    matches: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


# --- sharing (issue 5) ------------------------------------------------------------------------------------
class Partner(Base):
    """shared_by lets shared_with see their library (read-only); in_timeline is shared_with's choice."""

    __tablename__ = "partner"

    shared_by_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    shared_with_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True,
                                                index=True)
    in_timeline: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SharedLink(Base):
    """A link that lets anyone holding it see a hand-picked set of assets (INDIVIDUAL) or an album (ALBUM).

    key is shown to the owner (it is the link); lookups go by key_hash so that comparing a guess with the real
    key never depends on how many characters match. The password is stored hashed (argon2)."""

    __tablename__ = "shared_link"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    slug: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    type: Mapped[str] = mapped_column(String(12))  # ALBUM | INDIVIDUAL
    album_id: Mapped[str | None] = mapped_column(ForeignKey("album.id", ondelete="CASCADE"), nullable=True,
                                                 index=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    allow_download: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_upload: Mapped[bool] = mapped_column(Boolean, default=False)
    show_metadata: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharedLinkAsset(Base):
    __tablename__ = "shared_link_asset"

    shared_link_id: Mapped[str] = mapped_column(ForeignKey("shared_link.id", ondelete="CASCADE"), primary_key=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True, index=True)


# --- tags and stacks (issue 4) -----------------------------------------------------------------------------
class Tag(Base):
    """A hierarchical tag: value is the whole path ("Travel/Japan/Kyoto"), each level its own row."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("user_id", "value", name="uq_tag_user_value"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), nullable=True, index=True)
    color: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TagAsset(Base):
    __tablename__ = "tag_asset"

    tag_id: Mapped[str] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True, index=True)


class Stack(Base):
    """A burst or RAW+JPEG group shown as its primary asset."""

    __tablename__ = "stack"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    primary_asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StackAsset(Base):
    __tablename__ = "stack_asset"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    stack_id: Mapped[str] = mapped_column(ForeignKey("stack.id", ondelete="CASCADE"), index=True)


class Activity(Base):
    """A comment or a like in a shared album, on the album or on one of its assets."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_album", "album_id", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    album_id: Mapped[str] = mapped_column(ForeignKey("album.id", ondelete="CASCADE"))
    asset_id: Mapped[str | None] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), nullable=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    is_liked: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- memories (issue 4) -----------------------------------------------------------------------------------
class Memory(Base):
    """A memory shown between show_at and hide_at; "on this day" ones are generated per owner and date."""

    __tablename__ = "memory"
    __table_args__ = (Index("ix_memory_owner_show", "owner_id", "show_at", "hide_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20), default="on_this_day")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    memory_at: Mapped[datetime] = mapped_column()
    show_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hide_at: Mapped[datetime | None] = mapped_column(nullable=True)
    seen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    is_saved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class MemoryAsset(Base):
    __tablename__ = "memory_asset"

    memory_id: Mapped[str] = mapped_column(ForeignKey("memory.id", ondelete="CASCADE"), primary_key=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True, index=True)


# --- faces and people (issue 8; library.people owns the rules, ml.faces / ml.cluster the models) ------------
class Person(Base):
    """A person: the faces assigned to them (asset_face.person_id), a name the user may give, and the centroid
    of their faces' embeddings (unit float32 vector) that incremental assignment compares new faces with."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_owner_name", "owner_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    is_favorite: Mapped[bool] = mapped_column(Boolean, default=False)
    color: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The face whose crop is the person's thumbnail (an asset_face id; no FK: the two tables point at each other).
    # The crop is cached at thumbs/people/<owner>/<person>-<face>.jpeg (library.people.thumbnail_key).
    feature_face_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    face_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AssetFace(Base):
    """One face in an asset's preview: its box (normalised 0..1 to the preview, whose size is kept for Immich's
    imageWidth/imageHeight), the detector's score and the identity embedding.

    The embedding is float32 bytes (LargeBinary): the embedded default searches it exactly in numpy, per owner
    (owner_id is denormalised here for that scan). On PostgreSQL a pgvector `vector(128)` column with an HNSW
    index would replace it for libraries of millions of faces.
    """

    __tablename__ = "asset_face"
    __table_args__ = (Index("ix_asset_face_owner_person", "owner_id", "person_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    x1: Mapped[float] = mapped_column(Float)
    y1: Mapped[float] = mapped_column(Float)
    x2: Mapped[float] = mapped_column(Float)
    y2: Mapped[float] = mapped_column(Float)
    image_width: Mapped[int] = mapped_column(Integer)
    image_height: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=1.0)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # None: added by hand
    model: Mapped[str] = mapped_column(String(50), default="")
    source_type: Mapped[str] = mapped_column(String(20), default="machine-learning")  # | manual | exif
    # The user put this face on its person (reassign, or added it): clustering never moves it.
    assigned_manually: Mapped[bool] = mapped_column(Boolean, default=False)
    # "usable": the embedding identifies the face; "unusable": found, but drawn (cartoon, sketch, emoji), so no
    # embedding is kept and it is never clustered; "none": drawn by the user (library.people.IDENTITY_*).
    identity: Mapped[str] = mapped_column(String(16), default="usable", server_default="usable")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PersonNotSame(Base):
    """The user's answer "not the same person" to a merge suggestion: the two people (person_id < other_id) are
    never suggested again and never merged by a re-cluster (library.people)."""

    __tablename__ = "person_not_same"

    person_id: Mapped[str] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    other_id: Mapped[str] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- sync (issue 13): the mobile app's change feed ------------------------------------------------------------
# Every synced row carries `update_id`, a change marker set by database triggers (migration 0003_sync) on every
# insert and update, however the row is written (ORM flush, bulk UPDATE, raw SQL); rows that "parent" a backfill
# (partner, album_user) also keep `create_id`, the marker of their insert. Deletions land in `sync_audit`, written
# by AFTER DELETE triggers (so bulk deletes and ON DELETE CASCADE are covered too). library/sync.py explains the
# ordering guarantees (SQLite: one writer, a counter; PostgreSQL: transaction ids, read below the snapshot's xmin).
# The columns are added to the tables, not to the mapped classes: the ORM never reads or writes them.


def _sync_columns(table: Any, *, create_id: bool = False) -> None:
    from sqlalchemy import Column

    table.append_column(Column("update_id", BigInteger, nullable=False, server_default="0"))
    if create_id:
        table.append_column(Column("create_id", BigInteger, nullable=False, server_default="0"))


SYNCED_TABLES: dict[str, bool] = {  # table name -> has create_id
    "user": False, "partner": True, "asset": False, "asset_exif": False, "album": False, "album_user": True,
    "album_asset": False, "memory": False, "memory_asset": False, "asset_ocr": False, "asset_metadata": False,
    "person": False, "asset_face": False, "stack": False,
}
for _name, _create in SYNCED_TABLES.items():
    _sync_columns(Base.metadata.tables[_name], create_id=_create)
for _name in SYNCED_TABLES:
    Index(f"ix_{_name}_update_id", Base.metadata.tables[_name].c.update_id)
Index("ix_asset_owner_update_id", Asset.__table__.c.owner_id, Asset.__table__.c.update_id)


class SyncClock(Base):
    """SQLite's change counter (one row, id 1): the triggers bump it and stamp the row with the new value."""

    __tablename__ = "sync_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncAudit(Base):
    """One deleted row, for the *DeleteV1 lines: what it was (entity, entity_id, ref_id) and whom it concerns."""

    __tablename__ = "sync_audit"
    __table_args__ = (Index("ix_sync_audit_entity_update", "entity", "update_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    update_id: Mapped[int] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(30))  # the table: asset, album, album_user, partner, ...
    entity_id: Mapped[str] = mapped_column(String(36))  # its id (or first key column)
    ref_id: Mapped[str | None] = mapped_column(String(200), nullable=True)  # second key column, if any
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # owner / user it concerns
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionSyncCheckpoint(Base):
    """The last ack a session (a phone) sent for one sync entity type."""

    __tablename__ = "session_sync_checkpoint"

    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), primary_key=True)
    type: Mapped[str] = mapped_column(String(50), primary_key=True)
    ack: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- smart search (issue 9): labels, embeddings, near-duplicates ------------------------------------------
class AssetLabel(Base):
    """One ImageNet label of an asset's preview with its probability (ml.labels); the top few per asset."""

    __tablename__ = "asset_label"
    # Covering: smart search reads a label's best assets from the index alone (library.smart_search).
    __table_args__ = (Index("ix_asset_label_label_score", "label", "score", "asset_id"),)

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


class AssetEmbedding(Base):
    """A vector of an asset under one model: CLIP image embedding, the labeller's visual features, the text
    embedding of what is known about the asset (source_text). float32 little-endian bytes, unit length."""

    __tablename__ = "asset_embedding"
    __table_args__ = (Index("ix_asset_embedding_model_updated", "model", "updated_at"),)

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(100), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column()
    source_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AssetDuplicate(Base):
    """An asset's near-duplicate state: its perceptual hash, the group it is in (Immich's duplicateId), and
    whether the user dismissed its group (then it is not grouped again)."""

    __tablename__ = "asset_duplicate"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    dhash: Mapped[bytes | None] = mapped_column(nullable=True)  # 64-bit difference hash of the preview
    duplicate_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# Place names, looked up by smart search ("leuven" -> the assets in Leuven) without scanning every asset_exif row.
Index("ix_asset_exif_city", AssetExif.city)
Index("ix_asset_exif_state", AssetExif.state)
Index("ix_asset_exif_country", AssetExif.country)


# --- operations (issue 12): integrity reports (library/integrity.py) ---------------------------------------
class IntegrityReport(Base):
    """One finding of an integrity scan: a file a row points at that is gone (missing_file), a file under
    library/, thumbs/ or encoded-video/ that no row knows (untracked_file), or an original whose SHA-1 no longer
    matches (checksum_mismatch). path is relative to the data dir."""

    __tablename__ = "integrity_report"
    __table_args__ = (UniqueConstraint("type", "path", name="uq_integrity_report_type_path"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(Text)
    asset_id: Mapped[str | None] = mapped_column(
        ForeignKey("asset.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- external libraries (issue 12; library.libraries owns the rules, library.library_scan the scan) ----------
class Library(Base):
    """Folders indexed in place, read-only, for one owner (Immich's external library)."""

    __tablename__ = "library"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    import_paths: Mapped[list[str]] = mapped_column(default=list)
    exclusion_patterns: Mapped[list[str]] = mapped_column(default=list)
    # The "library" queue: waiting (a scan is queued) | active (a scan runs) | None (idle).
    scan_state: Mapped[str | None] = mapped_column(String(10), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    refreshed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class LibraryFile(Base):
    """A file a scan indexed, as it was then: a rescan skips it unread while size and mtime are unchanged.
    sha1 is the content's SHA-1 (the asset's checksum identifies the path, as Immich's does)."""

    __tablename__ = "library_file"
    __table_args__ = (UniqueConstraint("library_id", "path", name="uq_library_file_path"),)

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    library_id: Mapped[str] = mapped_column(ForeignKey("library.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    sha1: Mapped[bytes] = mapped_column(LargeBinary)
    sidecar_mtime_ns: Mapped[int] = mapped_column(BigInteger, default=0)  # its XMP sidecar's; 0 = none


# --- notifications (compat, migration 0014_compat; library.notifications owns the rules) ---------------------
class Notification(Base):
    """A message for one user (Immich's notifications): sent by an admin or by the server (album invitations,
    failed jobs and backups for admins). Read when read_at is set; deleting removes the row."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_created", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    level: Mapped[str] = mapped_column(String(10), default="info")  # success | error | warning | info
    type: Mapped[str] = mapped_column(String(20), default="Custom")  # JobFailed, AlbumInvite, ...
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)

"""album timeline (issue 4): album_timeline, the members an album shows with their dates

Revision ID: 0012_album_timeline
Revises: 0011_jobs_lease

Hand-written (triggers). The table is in tables.py (AlbumTimeline). A row per album member whose asset is shown
(not trashed, timeline or archive), with the asset's local_date_time, owner_id and updated_at:
- an album_asset insert copies the asset's row when it is shown;
- an update of one of those asset columns, or of deleted_at / visibility (trash, restore, archive, hide, date
  edits, metadata extraction, bulk UPDATEs), re-copies the asset's rows for every album holding it;
- leaving an album (album_asset delete, album delete, asset delete) removes the row by the foreign key's cascade.

SQLite also bumps sync_clock when an asset_exif row is deleted (0003 bumps it on every other write a timeline
month reads), so the counter is an exact change stamp for library.timeline_cache.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from photonest.db.types import UTCDateTime

revision = "0012_album_timeline"
down_revision = "0011_jobs_lease"
branch_labels = None
depends_on = None

COLUMNS = "album_id, local_date_time, asset_id, owner_id, updated_at"
WATCHED = "local_date_time, owner_id, updated_at, deleted_at, visibility"
SHOWN = "{t}.deleted_at IS NULL AND {t}.visibility IN ('timeline', 'archive')"  # library.albums.shown()


def _member_insert(album: str, asset: str) -> str:
    """The row of album `album` for asset id `asset` (SQL expressions), if the asset is shown."""
    return (f"INSERT INTO album_timeline ({COLUMNS}) SELECT {album}, a.local_date_time, a.id, a.owner_id, "
            f"a.updated_at FROM asset a WHERE a.id = {asset} AND {SHOWN.format(t='a')};")


def _asset_refresh(ref: str) -> str:
    """Re-copy asset `ref` (NEW) into every album holding it."""
    return (f"DELETE FROM album_timeline WHERE asset_id = {ref}.id; "
            f"INSERT INTO album_timeline ({COLUMNS}) SELECT aa.album_id, {ref}.local_date_time, {ref}.id, "
            f"{ref}.owner_id, {ref}.updated_at FROM album_asset aa "
            f"WHERE aa.asset_id = {ref}.id AND {SHOWN.format(t=ref)};")


def _sqlite() -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS album_timeline_member_ai AFTER INSERT ON album_asset
            BEGIN {_member_insert("NEW.album_id", "NEW.asset_id")} END""",
        # WHEN: an asset in no album (most updates, e.g. every pipeline stage) costs one index probe.
        f"""CREATE TRIGGER IF NOT EXISTS album_timeline_asset_au AFTER UPDATE OF {WATCHED} ON asset
            WHEN EXISTS (SELECT 1 FROM album_asset WHERE asset_id = NEW.id)
            BEGIN {_asset_refresh("NEW")} END""",
        """CREATE TRIGGER IF NOT EXISTS timeline_cache_exif_ad AFTER DELETE ON asset_exif
            BEGIN UPDATE sync_clock SET value = value + 1 WHERE id = 1; END""",
    ]


def _postgresql() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION photonest_album_timeline_member() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {_member_insert("NEW.album_id", "NEW.asset_id")} RETURN NULL; END $$""",
        f"""CREATE OR REPLACE FUNCTION photonest_album_timeline_asset() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM album_asset WHERE asset_id = NEW.id) THEN {_asset_refresh("NEW")} END IF;
              RETURN NULL;
            END $$""",
        """CREATE TRIGGER album_timeline_member AFTER INSERT ON album_asset
            FOR EACH ROW EXECUTE FUNCTION photonest_album_timeline_member()""",
        f"""CREATE TRIGGER album_timeline_asset AFTER UPDATE OF {WATCHED} ON asset
            FOR EACH ROW EXECUTE FUNCTION photonest_album_timeline_asset()""",
    ]


def upgrade() -> None:
    op.create_table(
        "album_timeline",
        sa.Column("album_id", sa.String(length=36), nullable=False),
        sa.Column("local_date_time", UTCDateTime(), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["album_id", "asset_id"], ["album_asset.album_id", "album_asset.asset_id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("album_id", "local_date_time", "asset_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_album_timeline_asset", "album_timeline", ["asset_id"])
    op.create_index("ix_album_timeline_updated", "album_timeline", ["album_id", "updated_at"])
    for stmt in _sqlite() if op.get_bind().dialect.name == "sqlite" else _postgresql():
        op.execute(stmt)
    op.execute(f"INSERT INTO album_timeline ({COLUMNS}) SELECT aa.album_id, a.local_date_time, a.id, a.owner_id, "
               f"a.updated_at FROM album_asset aa JOIN asset a ON a.id = aa.asset_id WHERE {SHOWN.format(t='a')}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("album_timeline_member_ai", "album_timeline_asset_au", "timeline_cache_exif_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS album_timeline_member ON album_asset")
        op.execute("DROP TRIGGER IF EXISTS album_timeline_asset ON asset")
        for fn in ("photonest_album_timeline_member()", "photonest_album_timeline_asset()"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_index("ix_album_timeline_updated", table_name="album_timeline")
    op.drop_index("ix_album_timeline_asset", table_name="album_timeline")
    op.drop_table("album_timeline")

"""places performance: asset_position, the map's and location history's copy of positioned assets (issue 6)

Revision ID: 0010_places_perf
Revises: 0009_timeline

Hand-written (triggers). The table is in tables.py (AssetPosition). Triggers on asset and asset_exif keep it in
step with every write path (uploads, metadata and places stages, location edits, trash/restore, visibility,
favorites, deletes, GPX apply, bulk UPDATEs): whenever a column it copies changes, the asset's row is deleted and
re-inserted from asset + asset_exif when the asset still qualifies. Deleting an asset removes the row by cascade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from photonest.db.types import UTCDateTime

revision = "0010_places_perf"
down_revision = "0009_timeline"
branch_labels = None
depends_on = None

COLUMNS = ("owner_id, file_created_at, asset_id, local_date_time, visibility, is_favorite, latitude, longitude, "
           "city, state, country, marker, point")
ASSET_COLUMNS = "owner_id, file_created_at, local_date_time, visibility, is_favorite, deleted_at"
EXIF_COLUMNS = "latitude, longitude, city, state, country"
# What the map and the location history show (places._markers_query before this revision, location_history).
QUALIFIES = ("a.deleted_at IS NULL AND a.visibility IN ('timeline', 'archive') "
             "AND e.latitude IS NOT NULL AND e.longitude IS NOT NULL AND NOT (e.latitude = 0 AND e.longitude = 0) "
             "AND e.latitude BETWEEN -90 AND 90 AND e.longitude BETWEEN -180 AND 180")


def select_sql(dialect: str, where: str = "") -> str:
    """The asset_position rows of qualifying assets (and `where`), with their JSON rendered as the API writes it:
    a MapMarkerResponseDto and a location-history point (localDateTime as ISO 8601 with milliseconds and Z)."""
    if dialect == "sqlite":
        obj, when = "json_object", "strftime('%Y-%m-%dT%H:%M:%fZ', a.local_date_time)"
        text = "{}"
    else:
        obj = "json_build_object"
        when = """to_char(timezone('UTC', a.local_date_time), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""
        text = "CAST({} AS TEXT)"
    marker = text.format(f"{obj}('id', a.id, 'lat', e.latitude, 'lon', e.longitude, 'city', e.city, "
                         "'state', e.state, 'country', e.country)")
    point = text.format(f"{obj}('assetId', a.id, 'latitude', e.latitude, 'longitude', e.longitude, "
                        f"'localDateTime', {when}, 'city', e.city, 'country', e.country)")
    return (f"SELECT a.owner_id, a.file_created_at, a.id, a.local_date_time, a.visibility, a.is_favorite, "
            f"e.latitude, e.longitude, e.city, e.state, e.country, {marker}, {point} "
            f"FROM asset a JOIN asset_exif e ON e.asset_id = a.id WHERE {QUALIFIES}{where}")


def _refresh(dialect: str, ref: str) -> str:
    return (f"DELETE FROM asset_position WHERE asset_id = {ref}; "
            f"INSERT INTO asset_position ({COLUMNS}) {select_sql(dialect, f' AND a.id = {ref}')};")


def _sqlite() -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS asset_position_asset_au AFTER UPDATE OF {ASSET_COLUMNS} ON asset
            BEGIN {_refresh("sqlite", "NEW.id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS asset_position_exif_ai AFTER INSERT ON asset_exif
            BEGIN {_refresh("sqlite", "NEW.asset_id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS asset_position_exif_au AFTER UPDATE OF {EXIF_COLUMNS} ON asset_exif
            BEGIN {_refresh("sqlite", "NEW.asset_id")} END""",
        """CREATE TRIGGER IF NOT EXISTS asset_position_exif_ad AFTER DELETE ON asset_exif
            BEGIN DELETE FROM asset_position WHERE asset_id = OLD.asset_id; END""",
    ]


def _postgresql() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION photonest_asset_position_refresh(aid VARCHAR) RETURNS void
            LANGUAGE sql AS $$ {_refresh("postgresql", "aid")} $$""",
        """CREATE OR REPLACE FUNCTION photonest_asset_position_asset() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM photonest_asset_position_refresh(NEW.id); RETURN NULL; END $$""",
        """CREATE OR REPLACE FUNCTION photonest_asset_position_exif() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN DELETE FROM asset_position WHERE asset_id = OLD.asset_id;
              ELSE PERFORM photonest_asset_position_refresh(NEW.asset_id); END IF;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER asset_position_asset AFTER UPDATE OF {ASSET_COLUMNS} ON asset
            FOR EACH ROW EXECUTE FUNCTION photonest_asset_position_asset()""",
        f"""CREATE TRIGGER asset_position_exif AFTER INSERT OR DELETE OR UPDATE OF {EXIF_COLUMNS} ON asset_exif
            FOR EACH ROW EXECUTE FUNCTION photonest_asset_position_exif()""",
    ]


def upgrade() -> None:
    op.create_table(
        "asset_position",
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("file_created_at", UTCDateTime(), nullable=False),
        sa.Column("asset_id", sa.String(length=36), nullable=False),
        sa.Column("local_date_time", UTCDateTime(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("is_favorite", sa.Boolean(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("marker", sa.Text(), nullable=False),
        sa.Column("point", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "file_created_at", "asset_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_asset_position_asset", "asset_position", ["asset_id"], unique=True)
    op.create_index("ix_asset_position_local", "asset_position",
                    ["owner_id", "local_date_time", "asset_id", "latitude", "longitude", "point"])
    dialect = op.get_bind().dialect.name
    for stmt in _sqlite() if dialect == "sqlite" else _postgresql():
        op.execute(stmt)
    op.execute(f"INSERT INTO asset_position ({COLUMNS}) {select_sql(dialect)}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("asset_position_asset_au", "asset_position_exif_ai", "asset_position_exif_au",
                     "asset_position_exif_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS asset_position_asset ON asset")
        op.execute("DROP TRIGGER IF EXISTS asset_position_exif ON asset_exif")
        for fn in ("photonest_asset_position_asset()", "photonest_asset_position_exif()",
                   "photonest_asset_position_refresh(VARCHAR)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_index("ix_asset_position_local", table_name="asset_position")
    op.drop_index("ix_asset_position_asset", table_name="asset_position")
    op.drop_table("asset_position")

"""sync change markers: triggers stamping update_id / create_id and auditing deletions (mobile sync, issue 13)

Revision ID: 0003_sync
Revises: 0002

Hand-written: autogenerate cannot express triggers or functions. The columns and tables themselves are in
tables.py (the "sync" section) and so in 0001. The marker semantics are documented in photonest.library.sync.

- SQLite (one writer at a time): `sync_clock` holds a counter; AFTER INSERT/UPDATE triggers bump it and stamp
  the row, AFTER DELETE triggers bump it and write a `sync_audit` row. Markers are in commit order.
- PostgreSQL: photonest_next_update_id() = (transaction id << 23) + a per-transaction counter; BEFORE
  INSERT/UPDATE triggers stamp NEW, AFTER DELETE triggers audit. A reader only takes markers below
  (xmin of its snapshot << 23), i.e. from transactions that are finished, so none can commit "behind" it.
"""

from __future__ import annotations

from alembic import op

revision = "0003_sync"
down_revision = "0002"
branch_labels = None
depends_on = None

# table -> (has create_id, columns whose update re-syncs the row (None: any), audit spec or None)
# audit spec: (entity_id column, ref_id column or None, user_id column or SQL expression or None)
ASSET_SYNCED = ("owner_id", "checksum", "type", "original_file_name", "file_created_at", "file_modified_at",
                "local_date_time", "visibility", "is_favorite", "duration", "live_photo_video_id", "thumbhash",
                "width", "height", "deleted_at", "is_offline")
TABLES: dict[str, tuple[bool, tuple[str, ...] | None, tuple[str, str | None, str | None] | None]] = {
    "user": (False, None, ("id", None, None)),
    "partner": (True, None, ("shared_by_id", "shared_with_id", None)),
    "asset": (False, ASSET_SYNCED, ("id", None, "owner_id")),
    "asset_exif": (False, None, None),
    "album": (False, None, ("id", None, "owner_id")),
    "album_user": (True, None, ("album_id", "user_id", None)),
    "album_asset": (False, None, ("album_id", "asset_id", None)),
    "memory": (False, None, ("id", None, "owner_id")),
    "memory_asset": (False, None, ("memory_id", "asset_id", None)),
    "asset_ocr": (False, None, ("id", "asset_id", None)),
    "asset_metadata": (False, None, ("asset_id", "key", None)),
    "person": (False, ("owner_id", "name", "birth_date", "is_hidden", "is_favorite", "color", "feature_face_id"),
               ("id", None, "owner_id")),
    "asset_face": (False, ("asset_id", "owner_id", "person_id", "x1", "y1", "x2", "y2", "image_width",
                           "image_height", "source_type"), ("id", "asset_id", "owner_id")),
    "stack": (False, ("owner_id", "primary_asset_id"), ("id", None, "owner_id")),
}


def _q(name: str) -> str:
    return f'"{name}"'


def _sqlite() -> list[str]:
    out = ["INSERT OR IGNORE INTO sync_clock (id, value) VALUES (1, 0)"]
    tick = "UPDATE sync_clock SET value = value + 1 WHERE id = 1;"
    now = "(SELECT value FROM sync_clock WHERE id = 1)"
    for t, (create, cols, audit) in TABLES.items():
        stamp = f"update_id = {now}" + (f", create_id = {now}" if create else "")
        out.append(f"""CREATE TRIGGER IF NOT EXISTS sync_{t}_ai AFTER INSERT ON {_q(t)} BEGIN {tick}
            UPDATE {_q(t)} SET {stamp} WHERE rowid = NEW.rowid; END""")
        of = f" OF {', '.join(cols)}" if cols else ""
        out.append(f"""CREATE TRIGGER IF NOT EXISTS sync_{t}_au AFTER UPDATE{of} ON {_q(t)} BEGIN {tick}
            UPDATE {_q(t)} SET update_id = {now} WHERE rowid = NEW.rowid; END""")
        if audit:
            eid, ref, uid = audit
            out.append(f"""CREATE TRIGGER IF NOT EXISTS sync_{t}_ad AFTER DELETE ON {_q(t)} BEGIN {tick}
                INSERT INTO sync_audit (update_id, entity, entity_id, ref_id, user_id, deleted_at)
                VALUES ({now}, '{t}', OLD.{eid}, {f'OLD.{ref}' if ref else 'NULL'},
                        {f'OLD.{uid}' if uid else 'NULL'}, strftime('%Y-%m-%d %H:%M:%f', 'now')); END""")
    # Sharing an album with someone changes what the album looks like to them: re-send it (as Immich does).
    out.append(f"""CREATE TRIGGER IF NOT EXISTS sync_album_user_touch_album AFTER INSERT ON album_user BEGIN {tick}
        UPDATE album SET update_id = {now} WHERE id = NEW.album_id; END""")
    # An asset's stack is a stack_asset row: joining or leaving a stack re-sends the asset (its stackId).
    for op_, ref in (("INSERT", "NEW"), ("DELETE", "OLD"), ("UPDATE", "NEW")):
        out.append(f"""CREATE TRIGGER IF NOT EXISTS sync_stack_asset_touch_{op_.lower()} AFTER {op_} ON stack_asset
            BEGIN {tick} UPDATE asset SET update_id = {now} WHERE id = {ref}.asset_id; END""")
    for t, (create, cols, _a) in TABLES.items():  # rows written before this revision: fire the update trigger
        touch = cols[0] if cols else "update_id"
        out.append(f"UPDATE {_q(t)} SET {touch} = {touch} WHERE update_id = 0")
        if create:
            out.append(f"UPDATE {_q(t)} SET create_id = update_id WHERE create_id = 0")
    return out


_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION photonest_next_update_id() RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE n bigint;
    BEGIN
        n := coalesce(nullif(current_setting('photonest.sync_seq', true), ''), '0')::bigint + 1;
        PERFORM set_config('photonest.sync_seq', n::text, true);
        RETURN (pg_current_xact_id()::text::bigint << 23) + n;
    END $$""",
    """CREATE OR REPLACE FUNCTION photonest_sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.update_id := photonest_next_update_id();
        IF TG_OP = 'INSERT' AND TG_NARGS > 0 AND TG_ARGV[0] = 'create' THEN
            NEW.create_id := NEW.update_id;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION photonest_sync_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE o jsonb := to_jsonb(OLD);
    BEGIN
        INSERT INTO sync_audit (update_id, entity, entity_id, ref_id, user_id, deleted_at)
        VALUES (photonest_next_update_id(), TG_TABLE_NAME, o ->> TG_ARGV[0], o ->> nullif(TG_ARGV[1], ''),
                o ->> nullif(TG_ARGV[2], ''), now());
        RETURN OLD;
    END $$""",
    """CREATE OR REPLACE FUNCTION photonest_sync_touch_asset() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            UPDATE asset SET update_id = photonest_next_update_id() WHERE id = NEW.asset_id;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            UPDATE asset SET update_id = photonest_next_update_id() WHERE id = OLD.asset_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION photonest_sync_touch_album() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE album SET update_id = photonest_next_update_id() WHERE id = NEW.album_id;
        RETURN NULL;
    END $$""",
]


def _postgres() -> list[str]:
    out = list(_PG_FUNCTIONS)
    for t, (create, cols, audit) in TABLES.items():
        out.append(f"DROP TRIGGER IF EXISTS sync_{t}_stamp_ins ON {_q(t)}")
        out.append(f"""CREATE TRIGGER sync_{t}_stamp_ins BEFORE INSERT ON {_q(t)} FOR EACH ROW
            EXECUTE FUNCTION photonest_sync_stamp({"'create'" if create else ""})""")
        of = f" OF {', '.join(cols)}" if cols else ""
        out.append(f"DROP TRIGGER IF EXISTS sync_{t}_stamp_upd ON {_q(t)}")
        out.append(f"""CREATE TRIGGER sync_{t}_stamp_upd BEFORE UPDATE{of} ON {_q(t)} FOR EACH ROW
            EXECUTE FUNCTION photonest_sync_stamp()""")
        if audit:
            eid, ref, uid = audit
            out.append(f"DROP TRIGGER IF EXISTS sync_{t}_audit ON {_q(t)}")
            out.append(f"""CREATE TRIGGER sync_{t}_audit AFTER DELETE ON {_q(t)} FOR EACH ROW
                EXECUTE FUNCTION photonest_sync_audit('{eid}', '{ref or ''}', '{uid or ''}')""")
    out.append("DROP TRIGGER IF EXISTS sync_album_user_touch_album ON album_user")
    out.append("""CREATE TRIGGER sync_album_user_touch_album AFTER INSERT ON album_user FOR EACH ROW
        EXECUTE FUNCTION photonest_sync_touch_album()""")
    out.append("DROP TRIGGER IF EXISTS sync_stack_asset_touch ON stack_asset")
    out.append("""CREATE TRIGGER sync_stack_asset_touch AFTER INSERT OR UPDATE OR DELETE ON stack_asset FOR EACH ROW
        EXECUTE FUNCTION photonest_sync_touch_asset()""")
    for t, (create, _cols, _a) in TABLES.items():
        stamp = "update_id = photonest_next_update_id()" + (", create_id = photonest_next_update_id()"
                                                            if create else "")
        out.append(f"UPDATE {_q(t)} SET {stamp} WHERE update_id = 0")
    return out


def upgrade() -> None:
    bind = op.get_bind()
    stmts = _sqlite() if bind.dialect.name == "sqlite" else _postgres() if bind.dialect.name == "postgresql" else []
    for s in stmts:
        bind.exec_driver_sql(s)


def downgrade() -> None:
    bind = op.get_bind()
    for t in TABLES:
        if bind.dialect.name == "sqlite":
            for suffix in ("ai", "au", "ad"):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_{t}_{suffix}")
        else:
            for suffix in ("stamp_ins", "stamp_upd", "audit"):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_{t}_{suffix} ON {_q(t)}")
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS sync_album_user_touch_album")
        for op_ in ("insert", "delete", "update"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_stack_asset_touch_{op_}")
    else:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS sync_album_user_touch_album ON album_user")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS sync_stack_asset_touch ON stack_asset")
        for f in ("photonest_sync_touch_asset", "photonest_sync_touch_album", "photonest_sync_audit",
                  "photonest_sync_stamp", "photonest_next_update_id"):
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {f}()")

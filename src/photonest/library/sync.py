"""The mobile app's sync protocol: a change feed per entity type, checkpointed per session.

The Immich app asks POST /sync/stream for the types it keeps locally (assets, exif, albums, partners, ...) and
gets JSON lines ``{"type", "data", "ack"}``; after storing a batch it sends the batch's last ack back
(POST /sync/ack), and the next stream starts after it. Deletions come as ``*DeleteV1`` lines, a forced
re-sync as ``SyncResetV1``, the end as ``SyncCompleteV1``. Everything here is scoped to what the caller may
see: their own rows, the assets of partners who share with them, the albums they own or that are shared with them.

Change markers (``update_id`` columns and ``sync_audit``, stamped by triggers: migration 0003_sync):

- SQLite has one writer at a time, so a counter bumped inside the writing transaction orders rows by commit:
  a reader sees every marker below the counter's value, and any later write gets a larger one.
- PostgreSQL writes concurrently, so a sequence would not do (a transaction that took marker 10 may commit
  after one that took 11 was already sent and acked, and 10 would be lost). Markers are (transaction id << 23)
  + a counter within the transaction, and a stream only reads markers below ``xmin(current snapshot) << 23``:
  every transaction with a smaller id has finished, so nothing can later appear below what was sent.
  (A very long transaction holds the horizon back; the rows wait for it, none are lost.)

Acks are ``Type|marker`` (backfills: ``Type|parent create marker|marker`` or ``...|complete``), as opaque to the
app as Immich's UUIDv7 ones. A row's marker covers the row as a whole, so a phone that re-receives a row just
upserts it again.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, literal, or_, select, text, union_all
from sqlalchemy.orm import Session as Db

from photonest.db.engine import Database
from photonest.db.tables import Base, Session, SessionSyncCheckpoint, SyncAudit
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext

log = logging.getLogger(__name__)

BATCH = 1000
COMPLETE = "complete"
T = Base.metadata.tables
user_t, partner_t, asset_t, exif_t = T["user"], T["partner"], T["asset"], T["asset_exif"]
album_t, album_user_t, album_asset_t = T["album"], T["album_user"], T["album_asset"]
memory_t, memory_asset_t, ocr_t, metadata_t = T["memory"], T["memory_asset"], T["asset_ocr"], T["asset_metadata"]
person_t, face_t, stack_t, stack_asset_t = T["person"], T["asset_face"], T["stack"], T["stack_asset"]
audit_t = SyncAudit.__table__

# The order Immich streams the requested types in (server/src/services/sync.service.ts SYNC_TYPES_ORDER).
TYPES_ORDER = (
    "AuthUsersV1", "UsersV1", "PartnersV1", "AssetsV1", "AssetsV2", "StacksV1", "PartnerAssetsV1",
    "PartnerAssetsV2", "PartnerStacksV1", "AlbumAssetsV1", "AlbumAssetsV2", "AlbumsV1", "AlbumsV2",
    "AlbumUsersV1", "AlbumToAssetsV1", "AssetExifsV1", "AlbumAssetExifsV1", "AssetOcrV1", "PartnerAssetExifsV1",
    "MemoriesV1", "MemoryToAssetsV1", "PeopleV1", "AssetFacesV1", "AssetFacesV2", "UserMetadataV1",
    "AssetMetadataV1", "AssetEditsV1",
)
# Types photonest has no entities for yet (non-destructive edits): requested, they stream nothing.
EMPTY_TYPES = frozenset({"AssetEditsV1"})


# --- acks and checkpoints -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    type: str
    marker: int
    extra: str | None = None  # backfills: the child's marker, or "complete"

    @property
    def extra_marker(self) -> int | None:
        return int(self.extra) if self.extra is not None and self.extra.isdigit() else None


def to_ack(type_: str, marker: int | str, extra: int | str | None = None) -> str:
    return f"{type_}|{marker}" + (f"|{extra}" if extra is not None else "")


def parse_ack(ack: str) -> Ack | None:
    """An ack we issued, or None (unknown format: treated as no checkpoint, i.e. a full send)."""
    parts = ack.split("|", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return Ack(parts[0], int(parts[1]), parts[2] if len(parts) == 3 else None)


def _session_id(ctx: AuthContext) -> str:
    if ctx.session is None:
        raise errors.Forbidden("Sync endpoints cannot be used with API keys")
    return ctx.session.id


def get_acks(db: Db, ctx: AuthContext) -> list[dict[str, str]]:
    sid = _session_id(ctx)
    rows = db.scalars(select(SessionSyncCheckpoint).where(SessionSyncCheckpoint.session_id == sid)
                      .order_by(SessionSyncCheckpoint.type))
    return [{"type": r.type, "ack": r.ack} for r in rows]


def reset_progress(db: Db, session_id: str) -> None:
    """Forget every checkpoint of the session (its next stream is a full one) and clear a pending reset."""
    db.execute(delete(SessionSyncCheckpoint).where(SessionSyncCheckpoint.session_id == session_id))
    s = db.get(Session, session_id)
    if s is not None:
        s.is_pending_sync_reset = False
    db.flush()


def _upsert_checkpoints(db: Db, session_id: str, acks: dict[str, str]) -> None:
    existing = {c.type: c for c in db.scalars(select(SessionSyncCheckpoint).where(
        SessionSyncCheckpoint.session_id == session_id, SessionSyncCheckpoint.type.in_(list(acks))))}
    for type_, ack in acks.items():
        row = existing.get(type_)
        if row is None:
            db.add(SessionSyncCheckpoint(session_id=session_id, type=type_, ack=ack))
        else:
            row.ack = ack
            row.updated_at = utcnow()
    db.flush()


def set_acks(db: Db, ctx: AuthContext, acks: Sequence[str], entity_types: frozenset[str]) -> None:
    """POST /sync/ack: the last ack of each type becomes the session's checkpoint; SyncResetV1 resets."""
    sid = _session_id(ctx)
    latest: dict[str, str] = {}
    for ack in acks:
        type_ = ack.split("|", 1)[0]
        if type_ == "SyncResetV1":
            reset_progress(db, sid)
            return
        if type_ not in entity_types:
            raise errors.BadRequest(f"Invalid ack type: {type_[:60]}")
        latest[type_] = ack
    if latest:
        _upsert_checkpoints(db, sid, latest)


def delete_acks(db: Db, ctx: AuthContext, types: Sequence[str] | None) -> None:
    sid = _session_id(ctx)
    q = delete(SessionSyncCheckpoint).where(SessionSyncCheckpoint.session_id == sid)
    if types is not None:
        q = q.where(SessionSyncCheckpoint.type.in_(list(types)))
    db.execute(q)
    db.flush()


# --- the stream -----------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What one stream sends, decided in the request's transaction (errors are still HTTP errors here)."""

    user_id: str
    session_id: str
    types: list[str]
    reset: bool  # send SyncResetV1 and nothing else
    checkpoints: dict[str, Ack]
    horizon: int  # exclusive upper bound of the markers this stream reads (set when the stream starts)


def horizon(db: Db) -> int:
    """Markers below this are final: no transaction can still commit one (see the module docstring)."""
    if db.get_bind().dialect.name == "postgresql":
        xmin = db.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_one()
        return int(xmin) << 23
    return int(db.execute(text("SELECT value FROM sync_clock WHERE id = 1")).scalar() or 0) + 1


def prepare(db: Db, ctx: AuthContext, types: Sequence[str], *, reset: bool) -> Plan:
    sid = _session_id(ctx)
    if reset:
        reset_progress(db, sid)
    session = db.get(Session, sid)
    pending = bool(session is not None and session.is_pending_sync_reset)
    checkpoints: dict[str, Ack] = {}
    for c in db.scalars(select(SessionSyncCheckpoint).where(SessionSyncCheckpoint.session_id == sid)):
        a = parse_ack(c.ack)
        if a is not None:
            checkpoints[c.type] = a
    wanted = [t for t in TYPES_ORDER if t in set(types)]
    return Plan(ctx.user.id, sid, wanted, pending, checkpoints, 0)


def line(type_: str, data: dict[str, Any], ack: str) -> str:
    return json.dumps({"type": type_, "data": data, "ack": ack}, separators=(",", ":")) + "\n"


def stream(database: Database, plan: Plan) -> Iterator[str]:
    """The JSON lines of one sync stream; reads in batches of BATCH rows, each in its own short transaction."""
    if plan.reset:
        yield line("SyncResetV1", {}, to_ack("SyncResetV1", "reset"))
        return
    with database.session(write=False) as db:  # taken now, after the request's own transaction committed
        plan.horizon = horizon(db)
    s = _Streamer(database, plan)
    for type_ in plan.types:
        if type_ in EMPTY_TYPES:
            continue
        yield from getattr(s, "sync_" + type_)()
    yield line("SyncCompleteV1", {}, to_ack("SyncCompleteV1", plan.horizon - 1))


# --- row mappers ----------------------------------------------------------------------------------------------


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.isoformat() + "Z"
    return dt.isoformat().replace("+00:00", "Z")


def _b64(b: bytes | None) -> str | None:
    return base64.b64encode(bytes(b)).decode() if b is not None else None


def _duration_v1(ms: int | None) -> str | None:
    if ms is None:
        return None
    s, milli = divmod(int(ms), 1000)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}.{milli * 1000:06d}"


def asset_v2(r: Any, *, viewer: str | None = None) -> dict[str, Any]:
    """SyncAssetV2 from an asset row. `viewer`: favourites are the owner's own, others see false."""
    return {
        "id": r.id, "ownerId": r.owner_id, "originalFileName": r.original_file_name,
        "thumbhash": _b64(r.thumbhash), "checksum": _b64(r.checksum),
        "fileCreatedAt": _iso(r.file_created_at), "fileModifiedAt": _iso(r.file_modified_at),
        "localDateTime": _iso(r.local_date_time), "createdAt": _iso(r.created_at), "duration": r.duration,
        "type": r.type, "deletedAt": _iso(r.deleted_at),
        "isFavorite": bool(r.is_favorite) if viewer is None or viewer == r.owner_id else False,
        "visibility": r.visibility, "livePhotoVideoId": r.live_photo_video_id,
        "stackId": getattr(r, "stack_id", None), "libraryId": getattr(r, "library_id", None),
        "width": r.width, "height": r.height, "isEdited": False,
    }


def asset_v1(r: Any, *, viewer: str | None = None) -> dict[str, Any]:
    return {**asset_v2(r, viewer=viewer), "duration": _duration_v1(r.duration)}


def exif_v1(r: Any) -> dict[str, Any]:
    return {
        "assetId": r.asset_id, "description": r.description, "exifImageWidth": r.exif_image_width,
        "exifImageHeight": r.exif_image_height, "fileSizeInByte": r.file_size_in_byte, "orientation": r.orientation,
        "dateTimeOriginal": _iso(r.date_time_original), "modifyDate": _iso(r.modify_date),
        "timeZone": r.time_zone, "latitude": r.latitude, "longitude": r.longitude, "projectionType": r.projection_type,
        "city": r.city, "state": r.state, "country": r.country, "make": r.make, "model": r.model,
        "lensModel": r.lens_model, "fNumber": r.f_number, "focalLength": r.focal_length, "iso": r.iso,
        "exposureTime": r.exposure_time, "profileDescription": None, "rating": r.rating, "fps": r.fps,
    }


def _user(r: Any) -> dict[str, Any]:
    from photonest.library.users import AVATAR_COLORS

    color = r.avatar_color or AVATAR_COLORS[int(r.id.replace("-", "")[:8], 16) % len(AVATAR_COLORS)]
    return {"id": r.id, "name": r.name, "email": r.email, "avatarColor": color, "deletedAt": _iso(r.deleted_at),
            "hasProfileImage": bool(r.profile_image_path), "profileChangedAt": _iso(r.profile_changed_at)}


def _auth_user(r: Any) -> dict[str, Any]:
    return {**_user(r), "isAdmin": bool(r.is_admin), "pinCode": r.pin_code_hash, "oauthId": r.oauth_id or "",
            "storageLabel": r.storage_label, "quotaSizeInBytes": r.quota_size_in_bytes,
            "quotaUsageInBytes": int(r.quota_usage_in_bytes or 0)}


def _album_v2(r: Any) -> dict[str, Any]:
    return {"id": r.id, "name": r.album_name, "description": r.description or "", "createdAt": _iso(r.created_at),
            "updatedAt": _iso(r.updated_at), "thumbnailAssetId": r.album_thumbnail_asset_id,
            "isActivityEnabled": bool(r.is_activity_enabled), "order": r.order}


def _memory(r: Any) -> dict[str, Any]:
    return {"id": r.id, "createdAt": _iso(r.created_at), "updatedAt": _iso(r.updated_at),
            "deletedAt": _iso(r.deleted_at), "ownerId": r.owner_id, "type": r.type, "data": r.data or {},
            "isSaved": bool(r.is_saved), "memoryAt": _iso(r.memory_at), "seenAt": _iso(r.seen_at),
            "showAt": _iso(r.show_at), "hideAt": _iso(r.hide_at)}


def _stack(r: Any) -> dict[str, Any]:
    return {"id": r.id, "createdAt": _iso(r.created_at), "updatedAt": _iso(r.updated_at),
            "primaryAssetId": r.primary_asset_id, "ownerId": r.owner_id}


def _person(r: Any) -> dict[str, Any]:
    birth = r.birth_date
    return {"id": r.id, "createdAt": _iso(r.created_at), "updatedAt": _iso(r.updated_at), "ownerId": r.owner_id,
            "name": r.name or "", "birthDate": f"{birth.isoformat()}T00:00:00.000Z" if birth else None,
            "isHidden": bool(r.is_hidden), "isFavorite": bool(r.is_favorite), "color": r.color,
            "faceAssetId": r.feature_face_id}


def face_v1(r: Any) -> dict[str, Any]:
    """Immich's boxes are pixels of the image the face was found in; ours are fractions of it."""
    w, h = int(r.image_width or 0), int(r.image_height or 0)
    return {"id": r.id, "assetId": r.asset_id, "personId": r.person_id, "imageWidth": w, "imageHeight": h,
            "boundingBoxX1": round(r.x1 * w), "boundingBoxY1": round(r.y1 * h), "boundingBoxX2": round(r.x2 * w),
            "boundingBoxY2": round(r.y2 * h), "sourceType": r.source_type or "machine-learning"}


def face_v2(r: Any) -> dict[str, Any]:
    return {**face_v1(r), "deletedAt": None, "isVisible": True}


def _ocr(r: Any) -> dict[str, Any]:
    return {"id": r.id, "assetId": r.asset_id, "x1": r.x1, "y1": r.y1, "x2": r.x2, "y2": r.y2, "x3": r.x3,
            "y3": r.y3, "x4": r.x4, "y4": r.y4, "boxScore": r.box_score, "textScore": r.text_score,
            "text": r.text, "isVisible": True}


# --- queries ------------------------------------------------------------------------------------------------


def _partner_owners(user_id: str) -> Select[Any]:
    """The users who share their library with user_id."""
    return select(partner_t.c.shared_by_id).where(partner_t.c.shared_with_id == user_id)


def _my_albums(user_id: str) -> Select[Any]:
    """The albums user_id owns or that are shared with them."""
    member = select(album_user_t.c.album_id).where(album_user_t.c.user_id == user_id)
    return select(album_t.c.id).where(or_(album_t.c.owner_id == user_id, album_t.c.id.in_(member)))


Build = Callable[[int | None], Select[Any]]


def _assets(*extra: Any) -> Select[Any]:
    """Asset rows with the id of the stack each is in (a stack_asset change re-stamps the asset: 0003_sync)."""
    return select(asset_t, stack_asset_t.c.stack_id.label("stack_id"), *extra).select_from(
        asset_t.outerjoin(stack_asset_t, stack_asset_t.c.asset_id == asset_t.c.id))


def _bind(children: Callable[[str, int | None, int], Select[Any]], key: str, upto: int) -> Build:
    return lambda after: children(key, after, upto)


class _Streamer:
    def __init__(self, database: Database, plan: Plan) -> None:
        self.db = database
        self.plan = plan
        self.me = plan.user_id
        self.hi = plan.horizon

    # paging: every query selects its marker as "uid", is ordered by it and takes rows after `after`

    def _rows(self, build: Build, after: int | None) -> Iterator[Any]:
        while True:
            with self.db.session(write=False) as s:
                rows = s.execute(build(after).limit(BATCH)).all()
            yield from rows
            if len(rows) < BATCH:
                return
            after = rows[-1].uid

    def _after(self, type_: str) -> int | None:
        a = self.plan.checkpoints.get(type_)
        return a.marker if a is not None else None

    def _upserts(self, type_: str, build: Build, data: Callable[[Any], dict[str, Any]]) -> Iterator[str]:
        for r in self._rows(build, self._after(type_)):
            yield line(type_, data(r), to_ack(type_, r.uid))

    def _deletes(self, type_: str, entities: Sequence[str], scope: Callable[[Select[Any]], Select[Any]],
                 data: Callable[[Any], dict[str, Any]]) -> Iterator[str]:
        def build(after: int | None) -> Select[Any]:
            q = select(audit_t, audit_t.c.update_id.label("uid")).where(
                audit_t.c.entity.in_(list(entities)), audit_t.c.update_id < self.hi)
            if after is not None:
                q = q.where(audit_t.c.update_id > after)
            return scope(q).order_by(audit_t.c.update_id)

        for r in self._rows(build, self._after(type_)):
            yield line(type_, data(r), to_ack(type_, r.uid))

    def _window(self, q: Select[Any], marker: Any, after: int | None, *, upto: int | None = None) -> Select[Any]:
        q = q.where(marker < self.hi)
        if after is not None:
            q = q.where(marker > after)
        if upto is not None:
            q = q.where(marker <= upto)
        return q.order_by(marker)

    def _backfill(self, backfill_type: str, end_type: str, parents: Select[Any],
                  children: Callable[[str, int | None, int], Select[Any]],
                  data: Callable[[Any], dict[str, Any]]) -> Iterator[str]:
        """Rows a phone missed because it gained access to them (a new partner, an album shared with it) after
        its checkpoint for `end_type`: for each such parent, its rows up to that checkpoint (Immich's backfill)."""
        cp = self.plan.checkpoints.get(backfill_type)
        q = parents.where(parents.selected_columns.create_id < self.hi)
        if cp is not None:
            q = q.where(parents.selected_columns.create_id >= cp.marker)
        with self.db.session(write=False) as s:
            found = s.execute(q.order_by(parents.selected_columns.create_id)).all()
        end = self.plan.checkpoints.get(end_type)
        if end is None:
            if found:  # nothing synced yet: the upserts bring everything; start backfills after these parents
                with self.db.session() as s:
                    _upsert_checkpoints(s, self.plan.session_id,
                                        {backfill_type: to_ack(backfill_type, found[-1].create_id, COMPLETE)})
            return
        for p in found:
            same = cp is not None and cp.marker == p.create_id
            if same and cp is not None and cp.extra == COMPLETE:
                continue
            start = cp.extra_marker if same and cp is not None else None
            for r in self._rows(_bind(children, p.key, end.marker), start):
                yield line(backfill_type, data(r), to_ack(backfill_type, p.create_id, r.uid))
            yield line("SyncAckV1", {}, to_ack(backfill_type, p.create_id, COMPLETE))

    # --- users and partners ---------------------------------------------------------------------------------

    def sync_AuthUsersV1(self) -> Iterator[str]:
        return self._upserts("AuthUserV1", lambda after: self._window(
            select(user_t, user_t.c.update_id.label("uid")).where(user_t.c.id == self.me),
            user_t.c.update_id, after), _auth_user)

    def sync_UsersV1(self) -> Iterator[str]:
        yield from self._deletes("UserDeleteV1", ["user"], lambda q: q, lambda r: {"userId": r.entity_id})
        yield from self._upserts("UserV1", lambda after: self._window(
            select(user_t, user_t.c.update_id.label("uid")), user_t.c.update_id, after), _user)

    def _mine(self, q: Select[Any]) -> Select[Any]:
        return q.where(or_(audit_t.c.entity_id == self.me, audit_t.c.ref_id == self.me))

    def sync_PartnersV1(self) -> Iterator[str]:
        yield from self._deletes("PartnerDeleteV1", ["partner"], self._mine,
                                 lambda r: {"sharedById": r.entity_id, "sharedWithId": r.ref_id})
        yield from self._upserts("PartnerV1", lambda after: self._window(
            select(partner_t, partner_t.c.update_id.label("uid")).where(
                or_(partner_t.c.shared_by_id == self.me, partner_t.c.shared_with_id == self.me)),
            partner_t.c.update_id, after),
            lambda r: {"sharedById": r.shared_by_id, "sharedWithId": r.shared_with_id,
                       "inTimeline": bool(r.in_timeline)})

    # --- assets -------------------------------------------------------------------------------------------------

    def _assets(self, upsert: str, mapper: Callable[..., dict[str, Any]]) -> Iterator[str]:
        yield from self._deletes("AssetDeleteV1", ["asset"], lambda q: q.where(audit_t.c.user_id == self.me),
                                 lambda r: {"assetId": r.entity_id})
        yield from self._upserts(upsert, lambda after: self._window(
            _assets(asset_t.c.update_id.label("uid")).where(asset_t.c.owner_id == self.me),
            asset_t.c.update_id, after), mapper)

    def sync_AssetsV2(self) -> Iterator[str]:
        return self._assets("AssetV2", asset_v2)

    def sync_AssetsV1(self) -> Iterator[str]:
        return self._assets("AssetV1", asset_v1)

    def _partner_parents(self) -> Select[Any]:
        return select(partner_t.c.shared_by_id.label("key"), partner_t.c.create_id).where(
            partner_t.c.shared_with_id == self.me)

    def _partner_assets(self, v: str, mapper: Callable[..., dict[str, Any]]) -> Iterator[str]:
        yield from self._deletes("PartnerAssetDeleteV1", ["asset"],
                                 lambda q: q.where(audit_t.c.user_id.in_(_partner_owners(self.me))),
                                 lambda r: {"assetId": r.entity_id})

        def children(owner: str, after: int | None, upto: int) -> Select[Any]:
            return self._window(_assets(asset_t.c.update_id.label("uid")).where(
                asset_t.c.owner_id == owner), asset_t.c.update_id, after, upto=upto)

        def data(r: Any) -> dict[str, Any]:
            return mapper(r, viewer=self.me)

        yield from self._backfill(f"PartnerAssetBackfill{v}", f"PartnerAsset{v}", self._partner_parents(),
                                  children, data)
        yield from self._upserts(f"PartnerAsset{v}", lambda after: self._window(
            _assets(asset_t.c.update_id.label("uid")).where(
                asset_t.c.owner_id.in_(_partner_owners(self.me))), asset_t.c.update_id, after), data)

    def sync_PartnerAssetsV2(self) -> Iterator[str]:
        return self._partner_assets("V2", asset_v2)

    def sync_PartnerAssetsV1(self) -> Iterator[str]:
        return self._partner_assets("V1", asset_v1)

    def _exif(self) -> Select[Any]:
        return select(exif_t, exif_t.c.update_id.label("uid")).join(asset_t, asset_t.c.id == exif_t.c.asset_id)

    def sync_AssetExifsV1(self) -> Iterator[str]:
        return self._upserts("AssetExifV1", lambda after: self._window(
            self._exif().where(asset_t.c.owner_id == self.me), exif_t.c.update_id, after), exif_v1)

    def sync_PartnerAssetExifsV1(self) -> Iterator[str]:
        def children(owner: str, after: int | None, upto: int) -> Select[Any]:
            return self._window(self._exif().where(asset_t.c.owner_id == owner), exif_t.c.update_id, after,
                                upto=upto)

        yield from self._backfill("PartnerAssetExifBackfillV1", "PartnerAssetExifV1", self._partner_parents(),
                                  children, exif_v1)
        yield from self._upserts("PartnerAssetExifV1", lambda after: self._window(
            self._exif().where(asset_t.c.owner_id.in_(_partner_owners(self.me))), exif_t.c.update_id, after),
            exif_v1)

    # --- albums ---------------------------------------------------------------------------------------------------

    def _album_parents(self) -> Select[Any]:
        """Albums shared with the caller, by when they were shared (the owner's own albums need no backfill:
        everything in them was created after the album, so it comes as ordinary changes)."""
        return select(album_user_t.c.album_id.label("key"), album_user_t.c.create_id).where(
            album_user_t.c.user_id == self.me)

    def _albums(self, upsert: str, data: Callable[[Any], dict[str, Any]]) -> Iterator[str]:
        yield from self._deletes(
            "AlbumDeleteV1", ["album", "album_user"],
            lambda q: q.where(or_(and_(audit_t.c.entity == "album", audit_t.c.user_id == self.me),
                                  and_(audit_t.c.entity == "album_user", audit_t.c.ref_id == self.me))),
            lambda r: {"albumId": r.entity_id})
        yield from self._upserts(upsert, lambda after: self._window(
            select(album_t, album_t.c.update_id.label("uid")).where(album_t.c.id.in_(_my_albums(self.me))),
            album_t.c.update_id, after), data)

    def sync_AlbumsV2(self) -> Iterator[str]:
        return self._albums("AlbumV2", _album_v2)

    def sync_AlbumsV1(self) -> Iterator[str]:
        return self._albums("AlbumV1", lambda r: {**_album_v2(r), "ownerId": r.owner_id})

    def _album_users(self, albums: Select[Any], after: int | None, upto: int | None = None) -> Select[Any]:
        """Members of `albums` and their owners (Immich 3 lists the owner as an album user with role owner),
        one stream ordered by marker."""
        members = select(album_user_t.c.album_id, album_user_t.c.user_id, album_user_t.c.role,
                         album_user_t.c.update_id.label("uid")).where(album_user_t.c.album_id.in_(albums))
        owners = select(album_t.c.id.label("album_id"), album_t.c.owner_id.label("user_id"),
                        literal("owner").label("role"), album_t.c.update_id.label("uid")).where(
            album_t.c.id.in_(albums))
        u = union_all(members, owners).subquery()
        return self._window(select(u), u.c.uid, after, upto=upto)

    def sync_AlbumUsersV1(self) -> Iterator[str]:
        def data(r: Any) -> dict[str, Any]:
            return {"albumId": r.album_id, "userId": r.user_id, "role": r.role}

        yield from self._deletes("AlbumUserDeleteV1", ["album_user"],
                                 lambda q: q.where(audit_t.c.entity_id.in_(_my_albums(self.me))),
                                 lambda r: {"albumId": r.entity_id, "userId": r.ref_id})
        yield from self._backfill(
            "AlbumUserBackfillV1", "AlbumUserV1", self._album_parents(),
            lambda album_id, after, upto: self._album_users(select(literal(album_id)), after, upto), data)
        yield from self._upserts("AlbumUserV1", lambda after: self._album_users(_my_albums(self.me), after), data)

    def sync_AlbumToAssetsV1(self) -> Iterator[str]:
        def data(r: Any) -> dict[str, Any]:
            return {"albumId": r.album_id, "assetId": r.asset_id}

        def links(albums: Select[Any], after: int | None, upto: int | None = None) -> Select[Any]:
            return self._window(select(album_asset_t.c.album_id, album_asset_t.c.asset_id,
                                       album_asset_t.c.update_id.label("uid")).where(
                album_asset_t.c.album_id.in_(albums)), album_asset_t.c.update_id, after, upto=upto)

        yield from self._deletes("AlbumToAssetDeleteV1", ["album_asset"],
                                 lambda q: q.where(audit_t.c.entity_id.in_(_my_albums(self.me))),
                                 lambda r: {"albumId": r.entity_id, "assetId": r.ref_id})
        yield from self._backfill("AlbumToAssetBackfillV1", "AlbumToAssetV1", self._album_parents(),
                                  lambda album_id, after, upto: links(select(literal(album_id)), after, upto), data)
        yield from self._upserts("AlbumToAssetV1", lambda after: links(_my_albums(self.me), after), data)

    def _album_content(self, content: Any, marker_of_update: Any, data: Callable[[Any], dict[str, Any]],
                       backfill: str, create: str, update: str) -> Iterator[str]:
        """AlbumAssets / AlbumAssetExifs: backfill of newly shared albums, updates of the rows the phone has,
        then new album members (rows whose album_asset link is newer than the phone's create checkpoint)."""
        def rows(*extra: Any) -> Select[Any]:
            return _assets(*extra) if content is asset_t else select(content, *extra)

        def base() -> Select[Any]:
            return rows(album_asset_t.c.update_id.label("uid")).join(
                album_asset_t, album_asset_t.c.asset_id == content.c[
                    "id" if content is asset_t else "asset_id"])

        def children(album_id: str, after: int | None, upto: int) -> Select[Any]:
            return self._window(base().where(album_asset_t.c.album_id == album_id), album_asset_t.c.update_id,
                                after, upto=upto)

        yield from self._backfill(backfill, create, self._album_parents(), children, data)
        create_cp = self.plan.checkpoints.get(create)
        key = content.c["id" if content is asset_t else "asset_id"]
        if create_cp is not None:
            known = select(album_asset_t.c.asset_id).where(
                album_asset_t.c.album_id.in_(_my_albums(self.me)), album_asset_t.c.update_id <= create_cp.marker)
            yield from self._upserts(update, lambda after: self._window(
                rows(marker_of_update.label("uid")).where(key.in_(known)), marker_of_update, after),
                data)
        first = True
        for r in self._rows(lambda after: self._window(
                base().where(album_asset_t.c.album_id.in_(_my_albums(self.me))), album_asset_t.c.update_id, after),
                create_cp.marker if create_cp is not None else None):
            if first:  # what follows is current: updates before now need not be sent again
                yield line("SyncAckV1", {}, to_ack(update, self.hi - 1))
                first = False
            yield line(create, data(r), to_ack(create, r.uid))

    def _album_assets(self, v: str, mapper: Callable[..., dict[str, Any]]) -> Iterator[str]:
        return self._album_content(asset_t, asset_t.c.update_id, lambda r: mapper(r, viewer=self.me),
                                   f"AlbumAssetBackfill{v}", f"AlbumAssetCreate{v}", f"AlbumAssetUpdate{v}")

    def sync_AlbumAssetsV2(self) -> Iterator[str]:
        return self._album_assets("V2", asset_v2)

    def sync_AlbumAssetsV1(self) -> Iterator[str]:
        return self._album_assets("V1", asset_v1)

    def sync_AlbumAssetExifsV1(self) -> Iterator[str]:
        return self._album_content(exif_t, exif_t.c.update_id, exif_v1, "AlbumAssetExifBackfillV1",
                                   "AlbumAssetExifCreateV1", "AlbumAssetExifUpdateV1")

    # --- memories, OCR, metadata ---------------------------------------------------------------------------------

    def sync_MemoriesV1(self) -> Iterator[str]:
        yield from self._deletes("MemoryDeleteV1", ["memory"], lambda q: q.where(audit_t.c.user_id == self.me),
                                 lambda r: {"memoryId": r.entity_id})
        yield from self._upserts("MemoryV1", lambda after: self._window(
            select(memory_t, memory_t.c.update_id.label("uid")).where(memory_t.c.owner_id == self.me),
            memory_t.c.update_id, after), _memory)

    def sync_MemoryToAssetsV1(self) -> Iterator[str]:
        mine = select(memory_t.c.id).where(memory_t.c.owner_id == self.me)
        yield from self._deletes("MemoryToAssetDeleteV1", ["memory_asset"],
                                 lambda q: q.where(audit_t.c.entity_id.in_(mine)),
                                 lambda r: {"memoryId": r.entity_id, "assetId": r.ref_id})
        yield from self._upserts("MemoryToAssetV1", lambda after: self._window(
            select(memory_asset_t, memory_asset_t.c.update_id.label("uid")).where(
                memory_asset_t.c.memory_id.in_(mine)), memory_asset_t.c.update_id, after),
            lambda r: {"memoryId": r.memory_id, "assetId": r.asset_id})

    def _my_asset_ids(self) -> Select[Any]:
        return select(asset_t.c.id).where(asset_t.c.owner_id == self.me)

    def sync_AssetOcrV1(self) -> Iterator[str]:
        yield from self._deletes("AssetOcrDeleteV1", ["asset_ocr"],
                                 lambda q: q.where(audit_t.c.ref_id.in_(self._my_asset_ids())),
                                 lambda r: {"id": r.entity_id, "assetId": r.ref_id, "deletedAt": _iso(r.deleted_at)})
        yield from self._upserts("AssetOcrV1", lambda after: self._window(
            select(ocr_t, ocr_t.c.update_id.label("uid")).where(ocr_t.c.asset_id.in_(self._my_asset_ids())),
            ocr_t.c.update_id, after), _ocr)

    def sync_AssetMetadataV1(self) -> Iterator[str]:
        yield from self._deletes("AssetMetadataDeleteV1", ["asset_metadata"],
                                 lambda q: q.where(audit_t.c.entity_id.in_(self._my_asset_ids())),
                                 lambda r: {"assetId": r.entity_id, "key": r.ref_id})
        yield from self._upserts("AssetMetadataV1", lambda after: self._window(
            select(metadata_t, metadata_t.c.update_id.label("uid")).where(
                metadata_t.c.asset_id.in_(self._my_asset_ids())), metadata_t.c.update_id, after),
            lambda r: {"assetId": r.asset_id, "key": r.key, "value": r.value or {}})

    # --- stacks -----------------------------------------------------------------------------------------------------

    def _stacks(self) -> Select[Any]:
        return select(stack_t, stack_t.c.update_id.label("uid"))

    def sync_StacksV1(self) -> Iterator[str]:
        yield from self._deletes("StackDeleteV1", ["stack"], lambda q: q.where(audit_t.c.user_id == self.me),
                                 lambda r: {"stackId": r.entity_id})
        yield from self._upserts("StackV1", lambda after: self._window(
            self._stacks().where(stack_t.c.owner_id == self.me), stack_t.c.update_id, after), _stack)

    def sync_PartnerStacksV1(self) -> Iterator[str]:
        yield from self._deletes("PartnerStackDeleteV1", ["stack"],
                                 lambda q: q.where(audit_t.c.user_id.in_(_partner_owners(self.me))),
                                 lambda r: {"stackId": r.entity_id})

        def children(owner: str, after: int | None, upto: int) -> Select[Any]:
            return self._window(self._stacks().where(stack_t.c.owner_id == owner), stack_t.c.update_id, after,
                                upto=upto)

        yield from self._backfill("PartnerStackBackfillV1", "PartnerStackV1", self._partner_parents(), children,
                                  _stack)
        yield from self._upserts("PartnerStackV1", lambda after: self._window(
            self._stacks().where(stack_t.c.owner_id.in_(_partner_owners(self.me))), stack_t.c.update_id, after),
            _stack)

    # --- people and faces ----------------------------------------------------------------------------------------

    def sync_PeopleV1(self) -> Iterator[str]:
        yield from self._deletes("PersonDeleteV1", ["person"], lambda q: q.where(audit_t.c.user_id == self.me),
                                 lambda r: {"personId": r.entity_id})
        yield from self._upserts("PersonV1", lambda after: self._window(
            select(person_t, person_t.c.update_id.label("uid")).where(person_t.c.owner_id == self.me),
            person_t.c.update_id, after), _person)

    def _faces(self, upsert: str, mapper: Callable[[Any], dict[str, Any]]) -> Iterator[str]:
        yield from self._deletes("AssetFaceDeleteV1", ["asset_face"],
                                 lambda q: q.where(audit_t.c.user_id == self.me),
                                 lambda r: {"assetFaceId": r.entity_id})
        yield from self._upserts(upsert, lambda after: self._window(
            select(face_t, face_t.c.update_id.label("uid")).where(face_t.c.owner_id == self.me),
            face_t.c.update_id, after), mapper)

    def sync_AssetFacesV2(self) -> Iterator[str]:
        return self._faces("AssetFaceV2", face_v2)

    def sync_AssetFacesV1(self) -> Iterator[str]:
        return self._faces("AssetFaceV1", face_v1)

    def sync_UserMetadataV1(self) -> Iterator[str]:
        """Immich keeps preferences, license and onboarding as user metadata; photonest on the user row."""
        after = self._after("UserMetadataV1")
        for r in self._rows(lambda a: self._window(
                select(user_t, user_t.c.update_id.label("uid")).where(user_t.c.id == self.me),
                user_t.c.update_id, a), after):
            ack = to_ack("UserMetadataV1", r.uid)
            yield line("UserMetadataV1", {"userId": r.id, "key": "onboarding",
                                          "value": {"isOnboarded": bool(r.onboarding)}}, ack)
            if r.preferences:
                yield line("UserMetadataV1", {"userId": r.id, "key": "preferences", "value": r.preferences}, ack)
            if r.license:
                yield line("UserMetadataV1", {"userId": r.id, "key": "license", "value": r.license}, ack)

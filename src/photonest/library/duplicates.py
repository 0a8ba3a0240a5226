"""Near-duplicates: photos that are the same picture, or shots of one burst, grouped for review.

Exact copies (same SHA-1) cannot exist within one library: an upload of a file the user already has is
answered with the existing asset (Immich does the same). What remains is found by the ``duplicates`` stage,
after ``labels`` (which stored the preview's visual features and 64-bit difference hash), comparing the new
asset with the owner's other photos:

- **same picture** (another format, size or compression of it: Reagan.jpg/.tiff/.jp2/.jxl/.png): visual
  similarity (cosine of the EfficientNet features, or CLIP's when enabled) at least ``duplicate_similarity``
  (0.9), or the difference hashes at most 4 bits apart with a similarity of at least 0.75;
- **burst** (FurnaceCreekInn{,2,3}.jpg, leuvenA/B.jpg): same camera make and model, same pixel size, taken at
  most ``duplicate_burst_seconds`` (30 s) apart, and alike (similarity at least ``duplicate_burst_similarity``).
  Two photos taken in the same second are not a burst: that is two cameras, or a copy edited by a person
  (faces/obama3.jpg and biden.jpg share a camera and a timestamp but are different people).

Blank or single-colour frames get no hash and are never grouped. Groups merge when a photo matches members
of two groups. A group the user dismisses (DELETE /duplicates/{id}) is not formed again for those photos.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import AlbumAsset, Asset, AssetDuplicate, AssetExif
from photonest.db.types import utcnow
from photonest.library import assets as assets_lib
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.ml import vectors

if TYPE_CHECKING:
    from photonest.jobs.registry import Apply, StageRun

STAGE = "duplicates"
SEARCHABLE_VISIBILITY = ("timeline", "archive")
HASH_BITS = 4
HASH_MIN_SIMILARITY = 0.75
CANDIDATES = 30


def _hamming(a: bytes, b: bytes) -> int:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


@dataclass(frozen=True)
class Rules:
    similarity: float = 0.9
    burst_seconds: float = 30.0
    burst_similarity: float = 0.4

    @classmethod
    def from_settings(cls, s: Settings) -> Rules:
        return cls(s.duplicate_similarity, s.duplicate_burst_seconds, s.duplicate_burst_similarity)


def _model(db: Db, settings: Settings, owner_id: str, asset_id: str) -> tuple[vectors.Index, Any] | None:
    """The index whose vectors compare photos (CLIP's when enabled and present, else the labeller's)."""
    from photonest.library.smart_search import VISUAL_MODEL, clip_model_key

    models = ([clip_model_key(settings)] if settings.clip_enabled else []) + [VISUAL_MODEL]
    for model in models:
        idx = vectors.index_for(db, model)
        v = idx.vector_of([owner_id], asset_id)
        if v is not None:
            return idx, v
    return None


def is_match(rules: Rules, sim: float, a: tuple[Asset, AssetExif | None, bytes | None],
             b: tuple[Asset, AssetExif | None, bytes | None]) -> str | None:
    """'same', 'burst' or None for two photos with visual similarity sim."""
    (aa, ae, ah), (ba, be, bh) = a, b
    if ah is None or bh is None:
        return None  # blank frames
    if sim >= rules.similarity or (_hamming(ah, bh) <= HASH_BITS and sim >= HASH_MIN_SIMILARITY):
        return "same"
    if rules.burst_seconds <= 0 or sim < rules.burst_similarity or ae is None or be is None:
        return None
    if not (ae.make and ae.model and ae.make == be.make and ae.model == be.model):
        return None
    if not (aa.width and aa.height and (aa.width, aa.height) == (ba.width, ba.height)):
        return None
    if ae.date_time_original is None or be.date_time_original is None:
        return None  # no capture time: file dates say nothing about a burst
    # Wall-clock times: a shot with GPS gets its time zone, its neighbours without GPS do not (FurnaceCreekInn).
    gap = abs((aa.local_date_time - ba.local_date_time).total_seconds())
    return "burst" if 0 < gap <= rules.burst_seconds else None


def detect(db: Db, settings: Settings, asset: Asset) -> str | None:
    """Compare one asset with its owner's other photos and join (or form, or merge) its group; the group id."""
    me = db.get(AssetDuplicate, asset.id)
    if me is None or me.dismissed or me.dhash is None or asset.deleted_at is not None:
        return None
    found = _model(db, settings, asset.owner_id, asset.id)
    if found is None:
        return None
    idx, v = found
    rules = Rules.from_settings(settings)
    floor = min(rules.similarity, rules.burst_similarity, HASH_MIN_SIMILARITY)
    near = [(i, s) for i, s in idx.search([asset.owner_id], v, CANDIDATES + 1, floor) if i != asset.id]
    if not near:
        return me.duplicate_id
    rows = {a.id: (a, e, d) for a, e, d in db.execute(
        select(Asset, AssetExif, AssetDuplicate).outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
        .join(AssetDuplicate, AssetDuplicate.asset_id == Asset.id)
        .where(Asset.id.in_([i for i, _ in near]), Asset.owner_id == asset.owner_id, Asset.deleted_at.is_(None),
               Asset.visibility.in_(SEARCHABLE_VISIBILITY), AssetDuplicate.dismissed.is_(False))).all()}
    mine = (asset, db.get(AssetExif, asset.id), me.dhash)
    matches: list[AssetDuplicate] = []
    for other_id, sim in near:
        if other_id in rows:
            oa, oe, od = rows[other_id]
            if is_match(rules, sim, mine, (oa, oe, od.dhash)):
                matches.append(od)
    if not matches:
        return me.duplicate_id
    groups = [g for g in dict.fromkeys([me.duplicate_id, *(m.duplicate_id for m in matches)]) if g]
    group = groups[0] if groups else str(uuid.uuid4())
    if len(groups) > 1:
        db.execute(update(AssetDuplicate).where(AssetDuplicate.duplicate_id.in_(groups[1:]))
                   .values(duplicate_id=group, updated_at=utcnow()).execution_options(synchronize_session=False))
    me.duplicate_id = group
    for m in matches:
        m.duplicate_id = group
    db.flush()
    return group


def run_stage(run: StageRun) -> Apply:
    def apply(db: Db, asset: Asset) -> None:
        detect(db, run.settings, asset)

    return apply


# --- review: GET /duplicates, dismiss, resolve ----------------------------------------------------------------


@dataclass
class Group:
    id: str
    assets: list[tuple[Asset, AssetExif | None]]
    suggested_keep: list[str]


def _exif_richness(e: AssetExif | None) -> int:
    if e is None:
        return 0
    return sum(getattr(e, c) is not None for c in ("make", "model", "latitude", "date_time_original", "lens_model",
                                                   "city", "f_number", "iso"))


def groups(db: Db, ctx: AuthContext) -> list[Group]:
    """The caller's duplicate groups with at least two visible (not trashed, timeline or archive) photos."""
    rows = db.execute(
        select(AssetDuplicate.duplicate_id, Asset, AssetExif)
        .join(Asset, Asset.id == AssetDuplicate.asset_id).outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
        .where(Asset.owner_id == ctx.user.id, Asset.deleted_at.is_(None),
               Asset.visibility.in_(SEARCHABLE_VISIBILITY), AssetDuplicate.duplicate_id.is_not(None))
        .order_by(AssetDuplicate.duplicate_id, Asset.local_date_time, Asset.id)).all()
    by_group: dict[str, list[tuple[Asset, AssetExif | None]]] = {}
    for gid, a, e in rows:
        by_group.setdefault(str(gid), []).append((a, e))
    out = []
    for gid, members in by_group.items():
        if len(members) < 2:
            continue
        # As Immich: keep the largest file (the original rather than a smaller copy), then the richest EXIF.
        best = max(members, key=lambda m: (m[0].file_size or 0, _exif_richness(m[1]), m[0].width or 0))
        out.append(Group(gid, members, [best[0].id]))
    out.sort(key=lambda g: max(a.local_date_time for a, _ in g.assets), reverse=True)
    return out


def _members(db: Db, ctx: AuthContext, group_id: str) -> list[AssetDuplicate]:
    return list(db.scalars(select(AssetDuplicate).join(Asset, Asset.id == AssetDuplicate.asset_id)
                           .where(AssetDuplicate.duplicate_id == group_id, Asset.owner_id == ctx.user.id)))


def dismiss(db: Db, ctx: AuthContext, group_ids: Sequence[str]) -> None:
    """Break the groups up without touching the photos; they are not grouped again. Unknown ids: 400."""
    found = []
    for gid in dict.fromkeys(str(g) for g in group_ids):
        members = _members(db, ctx, gid)
        if not members:
            raise errors.BadRequest("Not found or no duplicate.delete access")
        found.append(members)
    for members in found:
        for m in members:
            m.duplicate_id, m.dismissed = None, True
    db.flush()


def _sync_metadata(db: Db, keep: list[Asset], trash: list[Asset]) -> None:
    """What the trashed copies had that the kept ones lack: favourite, rating, description, place, albums."""
    if not keep or not trash:
        return
    if any(a.is_favorite for a in trash):
        for a in keep:
            a.is_favorite = True
    texi = [e for e in (db.get(AssetExif, a.id) for a in trash) if e is not None]
    ratings = [e.rating for e in texi if e.rating and e.rating > 0]
    descriptions = [e.description for e in texi if e.description]
    located = next((e for e in texi if e.latitude is not None and e.longitude is not None), None)
    albums = set(db.scalars(select(AlbumAsset.album_id).where(AlbumAsset.asset_id.in_([a.id for a in trash]))))
    for a in keep:
        e = db.get(AssetExif, a.id)
        if e is None:
            e = AssetExif(asset_id=a.id, file_size_in_byte=a.file_size, locked_fields=[])
            db.add(e)
        if ratings and not (e.rating and e.rating > 0):
            e.rating = max(ratings)
        if descriptions and not e.description:
            e.description = descriptions[0]
        if located is not None and e.latitude is None:
            e.latitude, e.longitude = located.latitude, located.longitude
            e.city, e.state, e.country = located.city, located.state, located.country
        have = set(db.scalars(select(AlbumAsset.album_id).where(AlbumAsset.asset_id == a.id)))
        for album_id in albums - have:
            db.add(AlbumAsset(album_id=album_id, asset_id=a.id, added_by_id=a.owner_id))
        a.updated_at = utcnow()


def resolve(db: Db, ctx: AuthContext, requests: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """POST /duplicates/resolve: per group, keep some photos and trash the rest (their metadata goes to the
    kept ones); the group is then gone. One BulkIdResponseDto per group, in order, and the trashed ids."""
    out: list[dict[str, Any]] = []
    trashed: list[str] = []
    for req in requests:
        gid = str(req["duplicateId"])
        keep_ids = [str(i) for i in req.get("keepAssetIds") or []]
        trash_ids = [str(i) for i in req.get("trashAssetIds") or []]
        members = {m.asset_id: m for m in _members(db, ctx, gid)}
        if not members:
            out.append({"id": gid, "success": False, "error": "not_found"})
            continue
        if set(keep_ids) & set(trash_ids) or not set(keep_ids + trash_ids) <= set(members):
            out.append({"id": gid, "success": False, "error": "validation",
                        "errorMessage": "keepAssetIds and trashAssetIds must be distinct members of the group"})
            continue
        keep = assets_lib.get_many_owned(db, ctx, keep_ids, "duplicate.delete") if keep_ids else []
        trash = assets_lib.get_many_owned(db, ctx, trash_ids, "duplicate.delete") if trash_ids else []
        _sync_metadata(db, keep, trash)
        if trash_ids:
            trashed += assets_lib.trash(db, ctx, trash_ids)
        for m in members.values():
            m.duplicate_id = None
            m.dismissed = m.asset_id in keep_ids or m.dismissed
        db.flush()
        out.append({"id": gid, "success": True})
    return out, trashed

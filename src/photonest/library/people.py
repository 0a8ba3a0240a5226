"""Faces and people: storing detected faces, grouping them into people, and what users may do with both.

Every query is scoped by owner: a person and a face belong to one user (person.owner_id, asset_face.owner_id),
and a stranger's id gets the answer Immich gives for "absent or not yours" (400).

How faces become people:

* the "faces" pipeline stage (after "thumbnails") detects faces on the preview and stores them; each new face
  joins the nearest person whose centroid is within the match distance (``assign_new``); faces that match no
  one wait in the unassigned pool, and when ``min_faces`` of them are within the match distance of each other
  they become a new person. This keeps the library usable as photos arrive, in milliseconds per face;
* ``recluster`` (the full job, nightly or on demand) re-clusters all of an owner's faces with ml.cluster
  (k-NN graph + Chinese whispers). Faces the user placed (``assigned_manually``) and faces of named people are
  anchors: they never move and two named people are never merged. Unnamed people keep their ids where their
  faces mostly stay (largest overlap), so links and thumbnails survive;
* ``merge_suggestions``: pairs of people whose centroids are close but not close enough to merge, with a score,
  for the web UI's "is this the same person?".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import Asset, AssetFace, AssetFile, Person, PersonNotSame
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.ml import cluster as cl
from photonest.ml.faces import DLIB_MATCH_DISTANCE, FaceResult, from_bytes, to_bytes

if TYPE_CHECKING:
    from photonest.jobs.registry import Apply, StageRun

log = logging.getLogger(__name__)

STAGE = "faces"
MANUAL, MACHINE = "manual", "machine-learning"
# asset_face.identity: the embedding identifies the face / a drawn face (no embedding, never clustered) / a
# face the user drew (no embedding; it belongs to the person they chose).
IDENTITY_USABLE, IDENTITY_UNUSABLE, IDENTITY_NONE = "usable", "unusable", "none"
# The most recent unassigned faces a new face is compared with to form a new person (a person tends to appear in
# bursts: one event, one trip). The full re-cluster sees every face.
POOL_LIMIT = 2_000
# As Immich: a person is listed, counted and their photos counted only by faces on assets in the timeline
# (not trashed, archived, hidden or locked).
VISIBLE = ("timeline",)


@dataclass(frozen=True)
class FaceRules:
    match_distance: float
    min_faces: int
    suggest_distance: float

    @classmethod
    def from_settings(cls, settings: Any) -> FaceRules:
        match = float(getattr(settings, "faces_match_distance", 0.0) or 0.0) or DLIB_MATCH_DISTANCE
        return cls(match, int(getattr(settings, "faces_min_faces", 3)),
                   match * float(getattr(settings, "faces_suggest_factor", 1.6)))


# --- access ---------------------------------------------------------------------------------------------------


def get_person(db: Db, ctx: AuthContext, person_id: str, permission: str = "person.read") -> Person:
    p = db.get(Person, str(person_id))
    if p is None or p.owner_id != ctx.user.id:
        raise errors.BadRequest(f"Not found or no {permission} access")
    return p


def get_face(db: Db, ctx: AuthContext, face_id: str, permission: str = "face.read") -> AssetFace:
    f = db.get(AssetFace, str(face_id))
    if f is None or f.owner_id != ctx.user.id:
        raise errors.BadRequest(f"Not found or no {permission} access")
    return f


def _asset(db: Db, ctx: AuthContext, asset_id: str, permission: str) -> Asset:
    a = db.get(Asset, str(asset_id))
    if a is None or a.owner_id != ctx.user.id or (a.visibility == "locked" and not ctx.is_elevated):
        raise errors.BadRequest(f"Not found or no {permission} access")
    return a


# --- people: read ---------------------------------------------------------------------------------------------


def thumbnail_key(p: Person) -> str:
    """Where the person's face crop is cached (data-dir relative); "" while the person has no face."""
    if not p.feature_face_id:
        return ""
    return f"thumbs/people/{p.owner_id}/{p.id}-{p.feature_face_id[:8]}.jpeg"


def _listed() -> Any:
    """Listed and counted (GET /people), as Immich: people with a face on a visible asset, named or not. Checked
    live, so a person leaves the list the moment their last such face is deleted, moved to someone else or its
    asset trashed or archived; the empty ones are deleted by person-cleanup (unnamed ones at once)."""
    return (select(AssetFace.id).join(Asset, Asset.id == AssetFace.asset_id)
            .where(AssetFace.person_id == Person.id, Asset.deleted_at.is_(None), Asset.visibility.in_(VISIBLE))
            .exists())


def list_people(
    db: Db, ctx: AuthContext, *, with_hidden: bool = False, page: int = 1, size: int = 500,
    closest_person_id: str | None = None, closest_asset_id: str | None = None,
) -> tuple[list[Person], int, int, bool]:
    """(people on the page, total, hidden, has next page). Favourites first, then named, then by face count."""
    base = select(Person).where(Person.owner_id == ctx.user.id, _listed())
    total = int(db.scalar(select(func.count()).select_from(base.subquery())) or 0)
    hidden = int(db.scalar(select(func.count()).select_from(base.where(Person.is_hidden.is_(True)).subquery()))
                 or 0)
    q = base if with_hidden else base.where(Person.is_hidden.is_(False))
    probe: np.ndarray[Any, Any] | None = None
    if closest_person_id:
        ref = get_person(db, ctx, closest_person_id)
        probe = from_bytes(ref.centroid) if ref.centroid else None
        q = q.where(Person.id != ref.id)
    elif closest_asset_id:
        _asset(db, ctx, closest_asset_id, "asset.read")
        emb = db.scalar(select(AssetFace.embedding).where(AssetFace.asset_id == str(closest_asset_id),
                                                          AssetFace.embedding.is_not(None)))
        probe = from_bytes(emb) if emb else None
    if probe is not None:
        people = [p for p in db.scalars(q) if p.centroid]
        dist = [1.0 - float(from_bytes(p.centroid) @ probe) for p in people if p.centroid]
        ranked = [p for _, p in sorted(zip(dist, people, strict=True), key=lambda t: t[0])]
        start = (page - 1) * size
        return ranked[start:start + size], total, hidden, start + size < len(ranked)
    q = q.order_by(Person.is_hidden.asc(), Person.is_favorite.desc(), (Person.name == "").asc(),
                   Person.face_count.desc(), Person.created_at.asc(), Person.id.asc())
    rows = list(db.scalars(q.offset((page - 1) * size).limit(size + 1)))
    return rows[:size], total, hidden, len(rows) > size


def search_people(db: Db, ctx: AuthContext, name: str, with_hidden: bool = False, limit: int = 1000) -> list[Person]:
    """People whose name contains `name` (case-insensitive); names starting with it first."""
    needle = name.strip().lower()
    q = select(Person).where(Person.owner_id == ctx.user.id, Person.name != "")
    if needle:
        q = q.where(func.lower(Person.name).contains(needle, autoescape=True))
    if not with_hidden:
        q = q.where(Person.is_hidden.is_(False))
    rows = list(db.scalars(q.limit(limit * 2)))
    rows.sort(key=lambda p: (not p.name.lower().startswith(needle), -p.face_count, p.name.lower()))
    return rows[:limit]


def statistics(db: Db, ctx: AuthContext, person_id: str) -> int:
    p = get_person(db, ctx, person_id, "person.statistics")
    return int(db.scalar(
        select(func.count(func.distinct(AssetFace.asset_id))).join(Asset, Asset.id == AssetFace.asset_id)
        .where(AssetFace.person_id == p.id, Asset.deleted_at.is_(None), Asset.visibility.in_(VISIBLE))) or 0)


def people_for_assets(db: Db, asset_ids: Sequence[str]) -> dict[str, list[Person]]:
    """The (not hidden) people in each asset, for AssetResponseDto.people. The caller has checked access."""
    out: dict[str, list[Person]] = defaultdict(list)
    ids = list(dict.fromkeys(str(a) for a in asset_ids))
    for i in range(0, len(ids), 500):
        rows = db.execute(
            select(AssetFace.asset_id, Person).join(Person, Person.id == AssetFace.person_id)
            .where(AssetFace.asset_id.in_(ids[i:i + 500]), Person.is_hidden.is_(False))
            .order_by(AssetFace.x1)
        ).all()
        for asset_id, person in rows:
            if all(p.id != person.id for p in out[asset_id]):
                out[asset_id].append(person)
    return dict(out)


def people_of_asset(db: Db, asset_id: str) -> list[Person]:
    return people_for_assets(db, [asset_id]).get(str(asset_id), [])


def asset_ids_with_people(db: Db, owner_id: str, person_ids: Sequence[str]) -> Any:
    """A subquery of the owner's asset ids showing every one of person_ids (the personIds search filter).
    Use as ``Asset.id.in_(asset_ids_with_people(...))``."""
    ids = list(dict.fromkeys(str(p) for p in person_ids))
    return (select(AssetFace.asset_id).where(AssetFace.owner_id == owner_id, AssetFace.person_id.in_(ids))
            .group_by(AssetFace.asset_id).having(func.count(func.distinct(AssetFace.person_id)) == len(ids)))


def asset_ids_of_people(db: Db, person_ids: Sequence[str]) -> list[str]:
    """The assets showing any of these people (the caller has checked they are theirs)."""
    return list(db.scalars(select(AssetFace.asset_id).where(AssetFace.person_id.in_(list(person_ids)))
                           .distinct()))


# --- people: write --------------------------------------------------------------------------------------------


def _parse_birth(value: Any) -> date | None:
    if value is None or value == "":
        return None
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    if d > date.today():
        raise errors.BadRequest("Birth date cannot be in the future")
    return d


def _color(value: Any) -> str | None:
    if value is None:
        return None
    v = str(value)
    return v if v.startswith("#") else f"#{v}"


def create_person(db: Db, ctx: AuthContext, fields: dict[str, Any]) -> Person:
    p = Person(owner_id=ctx.user.id, name=str(fields.get("name") or ""),
               birth_date=_parse_birth(fields.get("birthDate")), is_hidden=bool(fields.get("isHidden") or False),
               is_favorite=bool(fields.get("isFavorite") or False), color=_color(fields.get("color")))
    db.add(p)
    db.flush()
    return p


def _apply(db: Db, ctx: AuthContext, p: Person, fields: dict[str, Any]) -> None:
    if fields.get("name") is not None:
        p.name = str(fields["name"])
    if "birthDate" in fields:
        p.birth_date = _parse_birth(fields["birthDate"])
    if fields.get("isHidden") is not None:
        p.is_hidden = bool(fields["isHidden"])
    if fields.get("isFavorite") is not None:
        p.is_favorite = bool(fields["isFavorite"])
    if "color" in fields:
        p.color = _color(fields["color"])
    if fields.get("featureFaceAssetId") is not None:
        asset = _asset(db, ctx, str(fields["featureFaceAssetId"]), "asset.read")
        face = db.scalar(select(AssetFace).where(AssetFace.asset_id == asset.id, AssetFace.person_id == p.id)
                         .order_by(AssetFace.score.desc()))
        if face is None:
            raise errors.BadRequest("That asset has no face of this person")
        p.feature_face_id = face.id
    p.updated_at = utcnow()


def update_person(db: Db, ctx: AuthContext, person_id: str, fields: dict[str, Any]) -> Person:
    p = get_person(db, ctx, person_id, "person.update")
    _apply(db, ctx, p, fields)
    db.flush()
    return p


def update_people(db: Db, ctx: AuthContext, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        pid = str(item.get("id"))
        try:
            with db.begin_nested():
                p = get_person(db, ctx, pid, "person.update")
                _apply(db, ctx, p, {k: v for k, v in item.items() if k != "id"})
                db.flush()
            out.append({"id": pid, "success": True})
        except errors.BadRequest as e:
            reason = "not_found" if "Not found" in str(e) else "validation"
            out.append({"id": pid, "success": False, "error": reason, "errorMessage": str(e)})
    return out


def delete_people(db: Db, ctx: AuthContext, ids: Sequence[str]) -> list[str]:
    """Delete people (their faces stay, unassigned); refuses the whole request if any id is not the caller's.
    Returns the photos that showed a named one of them (their smart-search text loses the name)."""
    people = [get_person(db, ctx, i, "person.delete") for i in dict.fromkeys(str(i) for i in ids)]
    named = [p.id for p in people if p.name]
    shown = asset_ids_of_people(db, named) if named else []
    for p in people:
        db.execute(update(AssetFace).where(AssetFace.person_id == p.id)
                   .values(person_id=None, assigned_manually=False).execution_options(synchronize_session=False))
        db.delete(p)
    db.flush()
    return shown


def merge(db: Db, ctx: AuthContext, person_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Move every face of `ids` to the person and delete them (POST /people/{id}/merge)."""
    target = get_person(db, ctx, person_id, "person.merge")
    out: list[dict[str, Any]] = []
    merged = False
    for raw in ids:
        sid = str(raw)
        if sid == target.id:
            out.append({"id": sid, "success": False, "error": "duplicate"})
            continue
        src = db.get(Person, sid)
        if src is None or src.owner_id != ctx.user.id:
            out.append({"id": sid, "success": False, "error": "not_found"})
            continue
        db.execute(update(AssetFace).where(AssetFace.person_id == src.id).values(person_id=target.id)
                   .execution_options(synchronize_session=False))
        _carry_not_same(db, ctx.user.id, src.id, target.id)
        if not target.name and src.name:
            target.name = src.name
        db.delete(src)
        merged = True
        out.append({"id": sid, "success": True})
    if merged:
        db.flush()
        refresh_people(db, [target.id])
    return out


def reassign(db: Db, ctx: AuthContext, person_id: str, items: Sequence[tuple[str, str]]) -> list[Person]:
    """PUT /people/{id}/reassign: the faces of (asset, person) pairs go to the person; by the user, so sacred."""
    target = get_person(db, ctx, person_id, "person.reassign")
    touched = {target.id}
    result: list[Person] = []
    for asset_id, from_person in items:
        _asset(db, ctx, asset_id, "person.reassign")
        src = get_person(db, ctx, from_person, "person.reassign")
        faces = list(db.scalars(select(AssetFace).where(AssetFace.asset_id == str(asset_id),
                                                        AssetFace.person_id == src.id)))
        for f in faces:
            f.person_id = target.id
            f.assigned_manually = True
        touched.add(src.id)
        result.append(target)
    db.flush()
    refresh_people(db, touched)
    return result


def reassign_face(db: Db, ctx: AuthContext, person_id: str, face_id: str) -> Person:
    """PUT /faces/{id}: Immich's path id is the person, the body's id the face."""
    target = get_person(db, ctx, person_id, "face.update")
    face = get_face(db, ctx, face_id, "face.update")
    old = face.person_id
    face.person_id = target.id
    face.assigned_manually = True
    db.flush()
    refresh_people(db, {target.id, *([old] if old else [])})
    return target


# --- faces ----------------------------------------------------------------------------------------------------


def faces_of_asset(db: Db, ctx: AuthContext, asset_id: str) -> list[tuple[AssetFace, Person | None]]:
    a = _asset(db, ctx, asset_id, "face.read")
    rows = db.execute(select(AssetFace, Person).outerjoin(Person, Person.id == AssetFace.person_id)
                      .where(AssetFace.asset_id == a.id).order_by(AssetFace.x1, AssetFace.id)).all()
    return [(f, p) for f, p in rows]


def create_face(db: Db, ctx: AuthContext, asset_id: str, person_id: str, x: int, y: int, width: int, height: int,
                image_width: int, image_height: int) -> AssetFace:
    """A face drawn by the user (POST /faces): box in pixels of an image of the given size."""
    a = _asset(db, ctx, asset_id, "face.create")
    p = get_person(db, ctx, person_id, "face.create")
    if image_width <= 0 or image_height <= 0 or width <= 0 or height <= 0:
        raise errors.BadRequest("Face box and image size must be positive")

    def clip(v: float) -> float:
        return min(1.0, max(0.0, v))

    f = AssetFace(asset_id=a.id, owner_id=a.owner_id, person_id=p.id, x1=clip(x / image_width),
                  y1=clip(y / image_height), x2=clip((x + width) / image_width), y2=clip((y + height) / image_height),
                  image_width=image_width, image_height=image_height, score=1.0, embedding=None, model="",
                  source_type=MANUAL, assigned_manually=True, identity=IDENTITY_NONE)
    if f.x2 <= f.x1 or f.y2 <= f.y1:
        raise errors.BadRequest("Face box lies outside the image")
    db.add(f)
    db.flush()
    refresh_people(db, [p.id])
    return f


def delete_face(db: Db, ctx: AuthContext, face_id: str) -> None:
    f = get_face(db, ctx, face_id, "face.delete")
    pid = f.person_id
    db.delete(f)
    db.flush()
    if pid:
        refresh_people(db, [pid])


# --- centroids, feature faces ---------------------------------------------------------------------------------


def refresh_people(db: Db, person_ids: Iterable[str], *, drop_empty: bool = True) -> None:
    """Recompute face counts, centroids and feature faces; unnamed people left without faces go."""
    for pid in set(person_ids):
        p = db.get(Person, pid)
        if p is None:
            continue
        faces = list(db.execute(select(AssetFace.id, AssetFace.embedding, AssetFace.score, AssetFace.x1,
                                       AssetFace.y1, AssetFace.x2, AssetFace.y2)
                                .where(AssetFace.person_id == pid)).all())
        p.face_count = len(faces)
        if not faces:
            if drop_empty and not p.name and not p.is_favorite:
                db.delete(p)
            else:
                p.centroid, p.feature_face_id = None, None
            continue
        embs = [from_bytes(e) for _, e, *_ in faces if e]
        p.centroid = to_bytes(cl.normalise(np.mean(np.stack(embs), axis=0, keepdims=True))[0]) if embs else None
        if p.feature_face_id not in {f[0] for f in faces}:
            best = max(faces, key=lambda f: (f[2] or 0.0) + 5.0 * (f[5] - f[3]) * (f[6] - f[4]))
            p.feature_face_id = best[0]
        p.updated_at = utcnow()
    db.flush()


# --- the pipeline stage ---------------------------------------------------------------------------------------


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def replace_faces(db: Db, asset: Asset, result: FaceResult, model: str, rules: FaceRules) -> list[AssetFace]:
    """Store an asset's detected faces, replacing an earlier detection (faces the user drew stay; a face the
    user had assigned keeps its person when it is found again at the same place). Then assign the new faces."""
    old = list(db.scalars(select(AssetFace).where(AssetFace.asset_id == asset.id, AssetFace.source_type == MACHINE)))
    kept = {(f.x1, f.y1, f.x2, f.y2): f for f in old if f.assigned_manually and f.person_id}
    touched = {f.person_id for f in old if f.person_id}
    for f in old:
        db.delete(f)
    db.flush()
    new: list[AssetFace] = []
    for face in result.faces:
        row = AssetFace(asset_id=asset.id, owner_id=asset.owner_id, x1=face.box[0], y1=face.box[1], x2=face.box[2],
                        y2=face.box[3], image_width=result.width, image_height=result.height, score=face.score,
                        embedding=to_bytes(face.embedding) if face.embedding is not None else None, model=model,
                        source_type=MACHINE, identity=IDENTITY_USABLE if face.usable else IDENTITY_UNUSABLE)
        for box, prev in kept.items():
            if _iou(box, face.box) > 0.5:
                row.person_id, row.assigned_manually = prev.person_id, True
        db.add(row)
        new.append(row)
    db.flush()
    touched |= {f.person_id for f in new if f.person_id}  # kept manual assignments
    touched |= assign_new(db, asset.owner_id, [f for f in new if f.person_id is None], rules)
    refresh_people(db, {t for t in touched if t})
    return new


# Per owner: the people's centroids as one matrix, with the stamp of the rows they were read from. A new face
# costs one small aggregate query instead of reading every centroid; any change by anyone (another worker, an
# edit, a rolled-back transaction) changes the stamp and the matrix is read again.
_CENTROIDS: dict[str, tuple[tuple[Any, ...], list[tuple[str, bytes | None]], np.ndarray[Any, Any]]] = {}


def _stamp(db: Db, owner_id: str) -> tuple[Any, ...]:
    return tuple(db.execute(select(func.count(), func.max(Person.updated_at), func.sum(Person.face_count))
                            .where(Person.owner_id == owner_id, Person.centroid.is_not(None))).one())


def _centroids(db: Db, owner_id: str, dim: int) -> tuple[list[tuple[str, bytes | None]], np.ndarray[Any, Any]]:
    stamp = _stamp(db, owner_id)
    hit = _CENTROIDS.get(owner_id)
    if hit is not None and hit[0] == stamp and hit[2].shape[1:] == (dim,):
        return hit[1], hit[2].copy()
    people = [(i, c) for i, c in db.execute(select(Person.id, Person.centroid).where(
        Person.owner_id == owner_id, Person.centroid.is_not(None))).all()]
    cents = from_bytes(b"".join(c or b"" for _, c in people)).reshape(len(people), dim)
    _CENTROIDS[owner_id] = (stamp, people, cents)
    return people, cents.copy()


def _add_to_centroid(db: Db, person_id: str, v: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """One more face on a person: running update of the centroid and count (the full refresh after edits and
    re-clusters recomputes both from all faces). Returns the new centroid."""
    p = db.get(Person, person_id)
    if p is None:
        return v
    c = from_bytes(p.centroid) if p.centroid else np.zeros_like(v)
    new: np.ndarray[Any, Any] = cl.normalise((c * max(1, p.face_count) + v)[None])[0]
    p.centroid = to_bytes(new)
    p.face_count += 1
    p.updated_at = utcnow()
    return new


def assign_new(db: Db, owner_id: str, faces: Sequence[AssetFace], rules: FaceRules) -> set[str]:
    """Incremental assignment: each face joins the nearest person (centroid within the match distance; the
    person's centroid and count are updated in place); faces that match no one form a new person once min_faces
    unassigned faces are that close. Returns the new people (they need refresh_people)."""
    faces = [f for f in faces if f.embedding]
    if not faces:
        return set()
    dim = len(from_bytes(faces[0].embedding))
    people, cents = _centroids(db, owner_id, dim)
    touched: set[str] = set()
    waiting: list[AssetFace] = []
    # Nearest first; one photo shows a person once, so a second face of the same photo goes unassigned.
    found = [(f, *cl.nearest_person(from_bytes(f.embedding), cents, rules.match_distance)) for f in faces]
    taken_in_asset = {(a, p) for a, p in db.execute(
        select(AssetFace.asset_id, AssetFace.person_id).where(AssetFace.asset_id.in_({f.asset_id for f in faces}),
                                                              AssetFace.person_id.is_not(None))).all() if p}
    for f, i, _ in sorted(found, key=lambda t: t[2]):
        if i >= 0 and (f.asset_id, people[i][0]) not in taken_in_asset:
            f.person_id = people[i][0]
            taken_in_asset.add((f.asset_id, people[i][0]))
            cents[i] = _add_to_centroid(db, people[i][0], from_bytes(f.embedding))
        else:
            waiting.append(f)
    if len(waiting) < len(faces):
        db.flush()
        _CENTROIDS[owner_id] = (_stamp(db, owner_id), people, cents)  # what this transaction wrote
    if not waiting:
        db.flush()
        return touched
    db.flush()
    pool = list(db.execute(select(AssetFace.id, AssetFace.embedding).where(
        AssetFace.owner_id == owner_id, AssetFace.person_id.is_(None), AssetFace.embedding.is_not(None))
        .order_by(AssetFace.created_at.desc()).limit(POOL_LIMIT)).all())
    ids = [i for i, _ in pool]
    mat = from_bytes(b"".join(e or b"" for _, e in pool)).reshape(len(pool), dim)
    taken: set[str] = set()
    for f in waiting:
        if f.id in taken or f.person_id:
            continue
        d = 1.0 - mat @ from_bytes(f.embedding or b"")
        close = [ids[j] for j in np.flatnonzero(d <= rules.match_distance) if ids[j] not in taken]
        if f.id not in close:
            close.append(f.id)
        if len(close) < rules.min_faces:
            continue
        p = Person(owner_id=owner_id)
        db.add(p)
        db.flush()
        db.execute(update(AssetFace).where(AssetFace.id.in_(close), AssetFace.person_id.is_(None))
                   .values(person_id=p.id).execution_options(synchronize_session=False))
        for other in waiting:
            if other.id in close:
                other.person_id = p.id
        taken.update(close)
        touched.add(p.id)
    db.flush()
    return touched


def preview_path(db: Db, settings: Settings, asset_id: str) -> Path | None:
    key = db.scalar(select(AssetFile.path).where(AssetFile.asset_id == asset_id, AssetFile.type == "preview"))
    if key is None:
        return None
    from photonest.storage.backends import local_file

    return local_file(settings, key)  # object storage: a cached copy (ValueError for keys leaving the data dir)


def detect(settings: Settings, path: Path) -> FaceResult:
    from photonest.ml.faces import analyzer_for

    return analyzer_for(settings).analyse_file(path)


def run_stage(run: StageRun) -> Apply:
    """The "faces" stage: detect + embed on the preview (no transaction open), then store and assign."""
    with run.db.session(write=False) as db:
        path = preview_path(db, run.settings, run.asset.id)
    result = detect(run.settings, path) if path is not None and path.exists() else FaceResult(0, 0, [])
    rules = FaceRules.from_settings(run.settings)
    model = str(getattr(run.settings, "faces_model", "dlib-resnet-v1"))

    def apply(db: Db, asset: Asset) -> None:
        replace_faces(db, asset, result, model, rules)

    return apply


def register_stage() -> None:
    """Add the "faces" stage (after "thumbnails": it reads the preview) to the jobs registry; idempotent.
    Counted under Immich's faceDetection queue; off with PHOTONEST_FACES_ENABLED=false."""
    from photonest.jobs.registry import MEDIA, STAGES, Stage, register

    if STAGE in STAGES or "thumbnails" not in STAGES:
        return
    register(Stage(STAGE, queue="faceDetection", job_name="AssetDetectFaces", run=run_stage, types=MEDIA,
                   after=("thumbnails",), concurrency=lambda s: s.job_concurrency_face_detection,
                   enabled=lambda s: bool(s.faces_enabled)))


# --- the full re-cluster --------------------------------------------------------------------------------------


def recluster(db: Db, owner_id: str, rules: FaceRules) -> dict[str, int]:
    """Re-cluster every face of one owner. Anchors (manual faces, named people) never move; unnamed people keep
    their id where most of their faces stay; new clusters become new people; emptied unnamed people go."""
    rows = list(db.execute(select(AssetFace.id, AssetFace.embedding, AssetFace.person_id, AssetFace.assigned_manually,
                                  AssetFace.asset_id)
                           .where(AssetFace.owner_id == owner_id, AssetFace.embedding.is_not(None))).all())
    if not rows:
        return {"faces": 0, "people": 0, "created": 0, "moved": 0}
    named = set(db.scalars(select(Person.id).where(Person.owner_id == owner_id, Person.name != "")))
    # A person the user said is not someone else keeps their faces like a named one: the answer holds only as
    # long as both stay apart, and two anchors are never merged (ml.cluster).
    named |= {p for pair in not_same_pairs(db, owner_id) for p in pair}
    anchor_of: dict[str, int] = {}
    anchors = np.full(len(rows), -1, dtype=np.int64)
    for i, (_, _, pid, manual, _) in enumerate(rows):
        if pid and (manual or pid in named):
            anchors[i] = anchor_of.setdefault(pid, len(anchor_of))
    x = np.stack([from_bytes(e) for _, e, _, _, _ in rows])
    photo: dict[str, int] = {}
    groups = np.array([photo.setdefault(a, len(photo)) for *_, a in rows], dtype=np.int64)
    res = cl.cluster(x, match_distance=rules.match_distance, anchors=anchors, min_faces=rules.min_faces,
                     groups=groups)
    anchor_ids = {v: k for k, v in anchor_of.items()}
    # Map each new cluster to the unnamed person holding most of its faces (each person used once).
    overlap: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i, (_, _, pid, _, _) in enumerate(rows):
        lab = int(res.labels[i])
        if lab >= res.anchors and pid and pid not in named and pid not in anchor_of:
            overlap[lab][pid] += 1
    pairs = sorted(((n, lab, pid) for lab, d in overlap.items() for pid, n in d.items()), reverse=True)
    label_person: dict[int, str] = {}
    used: set[str] = set()
    for _, lab, pid in pairs:
        if lab not in label_person and pid not in used:
            label_person[lab] = pid
            used.add(pid)
    created = 0
    for lab in sorted({int(v) for v in res.labels if v >= res.anchors}):
        if lab not in label_person:
            p = Person(owner_id=owner_id)
            db.add(p)
            db.flush()
            label_person[lab] = p.id
            created += 1
    moved = 0
    touched: set[str] = set()
    by_target: dict[str | None, list[str]] = defaultdict(list)
    for i, (fid, _, pid, _, _) in enumerate(rows):
        lab = int(res.labels[i])
        if anchors[i] >= 0:
            continue  # sacred
        target = anchor_ids[lab] if 0 <= lab < res.anchors else label_person.get(lab)
        if target != pid:
            by_target[target].append(fid)
            moved += 1
            touched.update(t for t in (pid, target) if t)
    for target, fids in by_target.items():
        for j in range(0, len(fids), 500):
            db.execute(update(AssetFace).where(AssetFace.id.in_(fids[j:j + 500]))
                       .values(person_id=target).execution_options(synchronize_session=False))
    db.flush()
    refresh_people(db, touched)
    people = int(db.scalar(select(func.count()).select_from(Person).where(Person.owner_id == owner_id)) or 0)
    return {"faces": len(rows), "people": people, "created": created, "moved": moved}


def recluster_all(db: Db, settings: Settings) -> dict[str, dict[str, int]]:
    """The full re-cluster for every owner with faces (nightly, or Immich's facialRecognition "all" job)."""
    rules = FaceRules.from_settings(settings)
    owners = list(db.scalars(select(AssetFace.owner_id).distinct()))
    return {o: recluster(db, o, rules) for o in owners}


# --- suggestions ----------------------------------------------------------------------------------------------


def merge_suggestions(db: Db, ctx: AuthContext, rules: FaceRules, limit: int = 50) -> list[tuple[Person, Person,
                                                                                                    float]]:
    """Pairs of the caller's (visible) people that may be one person, most likely first."""
    people = [p for p in db.scalars(select(Person).where(Person.owner_id == ctx.user.id,
                                                         Person.is_hidden.is_(False),
                                                         Person.centroid.is_not(None)))]
    if len(people) < 2:
        return []
    cents = np.stack([from_bytes(p.centroid or b"") for p in people])
    sizes = np.array([p.face_count for p in people], dtype=np.int64)
    rejected = not_same_pairs(db, ctx.user.id)
    pairs = cl.suggest_merges(cents, sizes, rules.suggest_distance, limit=limit * 2 + len(rejected))
    out = []
    for a, b, score in pairs:
        pa, pb = people[a], people[b]
        if _pair(pa.id, pb.id) in rejected:
            continue  # the user said no
        if pa.name and pb.name and pa.name.strip().lower() != pb.name.strip().lower():
            score = round(score * 0.5, 4)  # two names the user gave: less likely, still worth asking
        out.append((pa, pb, score))
    out.sort(key=lambda t: -t[2])
    return out[:limit]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def not_same_pairs(db: Db, owner_id: str) -> set[tuple[str, str]]:
    """The owner's "not the same person" answers, as (smaller id, larger id) pairs."""
    return {(a, b) for a, b in db.execute(select(PersonNotSame.person_id, PersonNotSame.other_id)
                                          .where(PersonNotSame.owner_id == owner_id)).all()}


def answer_suggestion(db: Db, ctx: AuthContext, person_id: str, other_id: str, same: bool) -> list[dict[str, Any]]:
    """The user's answer to "is this the same person?": yes merges `other` into `person` (as POST
    /people/{id}/merge); no is remembered, so the pair is never suggested again and never merged by a
    re-cluster. Returns the merge result (yes) or [] (no)."""
    person = get_person(db, ctx, person_id, "person.merge" if same else "person.update")
    other = get_person(db, ctx, other_id, "person.merge" if same else "person.update")
    if person.id == other.id:
        raise errors.BadRequest("A person cannot be compared with themselves")
    if same:
        db.execute(delete(PersonNotSame).where(PersonNotSame.person_id.in_([person.id, other.id]),
                                               PersonNotSame.other_id.in_([person.id, other.id])))
        return merge(db, ctx, person.id, [other.id])
    a, b = _pair(person.id, other.id)
    if db.get(PersonNotSame, (a, b)) is None:
        db.add(PersonNotSame(person_id=a, other_id=b, owner_id=ctx.user.id))
        db.flush()
    return []


def forget_answer(db: Db, ctx: AuthContext, person_id: str, other_id: str) -> None:
    """Withdraw a "not the same person" answer (the pair may be suggested again)."""
    person = get_person(db, ctx, person_id, "person.update")
    other = get_person(db, ctx, other_id, "person.update")
    a, b = _pair(person.id, other.id)
    db.execute(delete(PersonNotSame).where(PersonNotSame.person_id == a, PersonNotSame.other_id == b))


def _carry_not_same(db: Db, owner_id: str, src: str, target: str) -> None:
    """Before `src` is merged into `target`: its "not the same" answers become the target's."""
    for a, b in [p for p in not_same_pairs(db, owner_id) if src in p]:
        other = b if a == src else a
        db.execute(delete(PersonNotSame).where(PersonNotSame.person_id == a, PersonNotSame.other_id == b))
        if other != target:
            pa, pb = _pair(target, other)
            if db.get(PersonNotSame, (pa, pb)) is None:
                db.add(PersonNotSame(person_id=pa, other_id=pb, owner_id=owner_id))
    db.flush()


# --- thumbnails -----------------------------------------------------------------------------------------------


THUMB_SIZE = 250


def thumbnail(db: Db, ctx: AuthContext, settings: Settings, person_id: str) -> Path:
    """The person's face crop (JPEG), made from the feature face's preview on first request and cached."""
    p = get_person(db, ctx, person_id, "person.read")
    key = thumbnail_key(p)
    if not key:
        raise errors.NotFound("Person has no thumbnail")
    root = settings.data.resolve()
    path = (root / key).resolve()
    if path.is_file():
        return path
    face = db.get(AssetFace, p.feature_face_id)
    preview = preview_path(db, settings, face.asset_id) if face is not None else None
    if face is None or preview is None or not preview.is_file():
        raise errors.NotFound("Person has no thumbnail")
    make_crop(preview, (face.x1, face.y1, face.x2, face.y2), path)
    return path


def make_crop(preview: Path, box: tuple[float, float, float, float], dest: Path) -> None:
    import os
    import uuid

    from photonest.ml.faces import load_rgb

    im = load_rgb(preview)
    w, h = im.size
    x1, y1, x2, y2 = box[0] * w, box[1] * h, box[2] * w, box[3] * h
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    half = max(x2 - x1, y2 - y1) * 0.8  # some margin around the face, square
    half = min(half, max(w, h) / 2)
    left, top = max(0.0, cx - half), max(0.0, cy - half)
    right, bottom = min(float(w), cx + half), min(float(h), cy + half)
    crop = im.crop((int(left), int(top), max(int(left) + 1, int(right)), max(int(top) + 1, int(bottom))))
    crop.thumbnail((THUMB_SIZE, THUMB_SIZE))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        crop.save(tmp, "JPEG", quality=88)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def delete_all_faces_of(db: Db, asset_id: str) -> None:
    """Used when an asset's faces are reset (tests, tools)."""
    pids = set(db.scalars(select(AssetFace.person_id).where(AssetFace.asset_id == asset_id,
                                                            AssetFace.person_id.is_not(None))))
    db.execute(delete(AssetFace).where(AssetFace.asset_id == asset_id))
    refresh_people(db, {p for p in pids if p})

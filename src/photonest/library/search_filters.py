"""The one filter builder behind every search: Immich's search DTO fields as WHERE conditions on Asset.

Used by metadata search, statistics, random, large assets (library.metadata_search) and smart search (its
metadata filters). The conditions refer to Asset and AssetExif: the query must outer-join AssetExif on
asset_id. Rules, as Immich's search builder has them:

- who: the caller's own assets, plus (``partner_ids``) the timeline and archive of partners who share with
  them, never trashed; a share-link holder searches exactly the link's assets.
- visibility: given, that one (``locked`` only from a session unlocked with the PIN code); absent, the timeline
  and the archive. Partners' hidden and locked assets never match.
- trash: excluded unless ``withDeleted`` (``trashedAfter``/``trashedBefore``/``isOffline`` imply it).
- ``null`` for city, state, country, make, model, lensModel, rating means "unknown" (the column IS NULL);
  ``tagIds: null`` means "no tags".
- albumIds, personIds and tagIds need all of them on the asset (a tag also matches its sub-tags).
- originalFileName, originalPath, description: case-insensitive substrings; ocr: every word of it occurs in
  the text read in the photo (through the OCR search index, library.ocr).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, literal, or_, select, text
from sqlalchemy.orm import Session as Db
from sqlalchemy.orm import aliased

from photonest.db.search_index import OCR_FTS
from photonest.db.tables import (
    AlbumAsset,
    Asset,
    AssetExif,
    AssetFace,
    AssetFile,
    AssetOcrSearch,
    SharedLink,
    StackAsset,
    Tag,
    TagAsset,
)
from photonest.library import errors
from photonest.library import ocr as ocr_lib
from photonest.library.auth import AuthContext

SEARCHABLE_VISIBILITY = ("timeline", "archive")
VISIBILITIES = ("timeline", "archive", "hidden", "locked")
NULLABLE_EXIF: tuple[tuple[str, Any], ...] = (
    ("city", AssetExif.city), ("state", AssetExif.state), ("country", AssetExif.country),
    ("make", AssetExif.make), ("model", AssetExif.model), ("lensModel", AssetExif.lens_model),
    ("rating", AssetExif.rating))
DATES: tuple[tuple[str, Any, bool], ...] = (  # (field, column, is the lower bound)
    ("takenAfter", Asset.file_created_at, True), ("takenBefore", Asset.file_created_at, False),
    ("createdAfter", Asset.created_at, True), ("createdBefore", Asset.created_at, False),
    ("updatedAfter", Asset.updated_at, True), ("updatedBefore", Asset.updated_at, False),
    ("trashedAfter", Asset.deleted_at, True), ("trashedBefore", Asset.deleted_at, False))
FILE_PATHS = (("encodedVideoPath", "encoded_video"), ("previewPath", "preview"), ("thumbnailPath", "thumbnail"))


def _value(v: Any) -> Any:
    return getattr(v, "value", v)  # enums -> their value


def _date(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise errors.BadRequest(f"Invalid date {str(value)[:40]!r}") from None


def _ids(values: Any) -> list[str]:
    return list(dict.fromkeys(str(_value(v)) for v in values or []))


def _has_tag(tag_id: str) -> ColumnElement[bool]:
    """The asset carries the tag or one below it ("Travel" also finds "Travel/Japan"): tag values are paths."""
    parent = aliased(Tag)
    below = select(Tag.id).join(parent, and_(
        parent.id == tag_id, Tag.user_id == parent.user_id,
        or_(Tag.id == parent.id,
            func.substr(Tag.value, 1, func.length(parent.value) + 1) == parent.value + literal("/"))))
    return exists().where(TagAsset.asset_id == Asset.id, TagAsset.tag_id.in_(below))


def ocr_asset_ids(db: Db, query: str) -> Any:
    """A subquery of the asset ids whose OCR text holds every word of query (normalised like the index). On
    SQLite the FTS5 trigram index finds the rows for the words of 3+ characters; on PostgreSQL the pg_trgm
    index serves the LIKEs."""
    words = list(dict.fromkeys(ocr_lib.normalise(query).split()))
    if not words:
        return select(AssetOcrSearch.asset_id).where(false())
    # Words are letters and digits only (normalise), so they need no LIKE escaping.
    conds: list[ColumnElement[bool]] = [AssetOcrSearch.text.like(f"%{w}%") for w in words]
    long_words = [w for w in words if len(w) >= 3]
    if db.get_bind().dialect.name == "sqlite" and long_words:
        match = " AND ".join(f'"{w}"' for w in long_words)
        fts = text(f"SELECT rowid FROM {OCR_FTS} WHERE {OCR_FTS} MATCH :ocr_match").bindparams(ocr_match=match)
        conds = [AssetOcrSearch.id.in_(fts), *[c for w, c in zip(words, conds, strict=True) if len(w) < 3]]
    return select(AssetOcrSearch.asset_id).where(*conds)


def _who(ctx: AuthContext, partner_ids: Sequence[str]) -> list[ColumnElement[bool]]:
    link = ctx.shared_link
    if isinstance(link, SharedLink):
        from photonest.library import access

        return [access.readable(ctx), Asset.deleted_at.is_(None)]
    if not partner_ids:
        return [Asset.owner_id == ctx.user.id]
    # One IN on owner_id (the index's first column) and, for the partners' rows, what partners ever share.
    return [Asset.owner_id.in_([ctx.user.id, *partner_ids]),
            or_(Asset.owner_id == ctx.user.id,
                and_(Asset.visibility.in_(SEARCHABLE_VISIBILITY), Asset.deleted_at.is_(None)))]


def _visibility(ctx: AuthContext, f: dict[str, Any], only_searchable: bool) -> ColumnElement[bool]:
    vis = _value(f.get("visibility"))
    if vis is None:
        return Asset.visibility.in_(SEARCHABLE_VISIBILITY)
    if only_searchable and vis not in SEARCHABLE_VISIBILITY:
        raise errors.BadRequest("Smart search covers the timeline and the archive only")
    if vis not in VISIBILITIES:
        raise errors.BadRequest(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if vis == "locked" and not ctx.is_elevated:
        raise errors.Unauthorized("Elevated permission is required")
    cond: ColumnElement[bool] = Asset.visibility == vis
    return cond


def conditions(db: Db, ctx: AuthContext, f: dict[str, Any], *, partner_ids: Sequence[str] = (),
               only_searchable: bool = False) -> list[ColumnElement[bool]]:
    """The conditions for search DTO fields f (the fields that were given; an explicit null is kept, it means
    "unknown"). only_searchable: smart search, which indexes the timeline and the archive only."""
    conds = [*_who(ctx, partner_ids), _visibility(ctx, f, only_searchable)]
    with_deleted = bool(f.get("withDeleted") or f.get("trashedAfter") or f.get("trashedBefore")
                        or f.get("isOffline"))
    if not with_deleted:
        conds.append(Asset.deleted_at.is_(None))

    for key, col, lower in DATES:
        d = _date(f.get(key))
        if d is not None:
            conds.append(col >= d if lower else col <= d)
    for key, col in NULLABLE_EXIF:
        if key in f:
            conds.append(col.is_(None) if f[key] is None else col == f[key])

    if f.get("type") is not None:
        conds.append(Asset.type == _value(f["type"]))
    for key, col in (("isFavorite", Asset.is_favorite), ("isOffline", Asset.is_offline)):
        if f.get(key) is not None:
            conds.append(col.is_(bool(f[key])))
    if f.get("isMotion") is not None:
        conds.append(Asset.live_photo_video_id.is_not(None) if f["isMotion"] else Asset.live_photo_video_id.is_(None))
    if f.get("isEncoded") is not None:
        enc = exists().where(AssetFile.asset_id == Asset.id, AssetFile.type == "encoded_video")
        conds.append(enc if f["isEncoded"] else ~enc)
    if f.get("withStacked") is False:  # as Immich: false leaves out every asset of a stack
        conds.append(~exists().where(StackAsset.asset_id == Asset.id))

    album_ids = _ids(f.get("albumIds"))
    for album_id in album_ids:
        conds.append(exists().where(AlbumAsset.asset_id == Asset.id, AlbumAsset.album_id == album_id))
    if f.get("isNotInAlbum") and not album_ids:  # Immich ignores isNotInAlbum next to albumIds
        conds.append(~exists().where(AlbumAsset.asset_id == Asset.id))
    for person_id in _ids(f.get("personIds")):
        conds.append(exists().where(AssetFace.asset_id == Asset.id, AssetFace.person_id == person_id))
    if "tagIds" in f and f["tagIds"] is None:
        conds.append(~exists().where(TagAsset.asset_id == Asset.id))
    for tag_id in _ids(f.get("tagIds")):
        conds.append(_has_tag(tag_id))

    if f.get("id") is not None:
        conds.append(Asset.id == str(f["id"]))
    if f.get("checksum"):
        from photonest.library.ingest import parse_checksum

        conds.append(Asset.checksum == parse_checksum(str(f["checksum"])))
    if f.get("libraryId") is not None:
        conds.append(Asset.library_id == str(f["libraryId"]))
    for key, col in (("originalFileName", Asset.original_file_name), ("originalPath", Asset.original_path),
                     ("description", AssetExif.description)):
        if f.get(key):
            conds.append(func.lower(col).contains(str(f[key]).lower(), autoescape=True))
    for key, file_type in FILE_PATHS:
        if f.get(key):
            conds.append(exists().where(AssetFile.asset_id == Asset.id, AssetFile.type == file_type,
                                        AssetFile.path == str(f[key])))
    if f.get("ocr"):
        conds.append(Asset.id.in_(ocr_asset_ids(db, str(f["ocr"]))))
    return conds

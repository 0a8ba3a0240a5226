"""The built-in stages: metadata, thumbnails, video encoding (ML stages register themselves elsewhere).

metadata    probe the original (+ XMP sidecar) -> AssetExif, Asset dimensions/duration/dates; live photo pairing;
            a motion photo's embedded video becomes a hidden linked asset
thumbnails  250 px WebP thumbnail, 1440 px JPEG preview, full-size JPEG when the browser cannot show the
            original, thumbhash -> data/thumbs/<owner>/<xx>/<asset>-<type>.<ext> + AssetFile rows
video       H.264/AAC MP4 for videos a browser cannot play -> data/encoded-video/<owner>/<xx>/<asset>.mp4
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetExif, AssetFile
from photonest.events import ASSET_HIDDEN
from photonest.jobs import notify
from photonest.jobs.registry import IMAGES, MEDIA, STAGES, VIDEOS, Apply, Stage, StageRun, register
from photonest.library import live_photos
from photonest.storage.backends import open_storage

log = logging.getLogger(__name__)

METADATA, THUMBNAILS, VIDEO = "metadata", "thumbnails", "video"
# AssetExif columns a probe may fill (never the key or the user's lock list).
_EXIF_COLUMNS = {c.key for c in AssetExif.__table__.columns} - {"asset_id", "locked_fields"}
# What only the file says: a re-read that no longer finds one of these clears it (a GPS position removed from
# the file leaves the map). Place names follow the position in the places stage; the sync marker is not EXIF.
_FILE_COLUMNS = _EXIF_COLUMNS - {"city", "state", "country", "update_id", "file_size_in_byte"}


def _setting(run: StageRun, name: str, default: Any) -> Any:
    return getattr(run.settings, name, default)


def _sidecar(run: StageRun) -> Path | None:
    if run.asset.library_id is not None:  # an external library's file: its sidecar lies beside it
        from photonest.library.originals import external_sidecar

        with run.db.session(write=False) as s:
            return external_sidecar(s, run.asset)
    with run.db.session(write=False) as s:
        key = s.scalar(select(AssetFile.path).where(AssetFile.asset_id == run.asset.id, AssetFile.type == "sidecar"))
    if key is None:
        return None
    p = run.path(key)
    return p if p.exists() else None


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _upsert_file(db: Db, asset_id: str, typ: str, key: str) -> None:
    row = db.scalar(select(AssetFile).where(AssetFile.asset_id == asset_id, AssetFile.type == typ))
    if row is None:
        db.add(AssetFile(asset_id=asset_id, type=typ, path=key))
    else:
        row.path = key


# --- metadata ---------------------------------------------------------------------------------------------


def run_metadata(run: StageRun) -> Apply:
    from photonest.media.probe import probe

    asset = run.asset
    src = run.original()
    info = probe(src, sidecar=_sidecar(run))

    motion: live_photos.MotionPart | None = None
    if info.motion_photo and asset.type == "IMAGE" and not asset.live_photo_video_id:
        motion = _cut_motion(run, src, *info.motion_photo)
        if motion is not None:
            run.outputs.append(motion.path)  # removed if the still vanishes before its results are saved

    storage = open_storage(run.settings)

    def apply(db: Db, a: Asset) -> None:
        exif = db.get(AssetExif, a.id)
        if exif is None:
            exif = AssetExif(asset_id=a.id)
            db.add(exif)
        locked = set(exif.locked_fields or [])
        values = dict(info.exif)
        if info.live_photo_cid:
            values["live_photo_cid"] = info.live_photo_cid
        values.setdefault("file_size_in_byte", a.file_size)
        for name, value in values.items():
            if name in _EXIF_COLUMNS and name not in locked:
                setattr(exif, name, value)
        for name in _FILE_COLUMNS - values.keys() - locked:
            setattr(exif, name, "" if name == "description" else None)
        if info.width and info.height:
            a.width, a.height = info.width, info.height
        if info.duration_ms is not None:
            a.duration = info.duration_ms
        taken = values.get("date_time_original")
        if isinstance(taken, datetime) and "date_time_original" not in locked:
            # The date the photo was taken wins over the file's dates; without one the file dates stay.
            a.file_created_at = _aware(taken)
            a.local_date_time = info.local_date_time if info.local_date_time is not None else _aware(taken)
        hidden = live_photos.link(db, a, exif.live_photo_cid)
        if motion is not None:
            video, created = live_photos.attach_motion(db, storage, a, motion)
            if created:
                run.rollback_files.append(run.settings.data.resolve() / video.original_path)
                run.post_commit.append(lambda: run.jobs.enqueue_asset(video.id))
        owner = a.owner_id
        for vid in hidden:
            run.post_commit.append(lambda vid=vid: run.events.emit(owner, ASSET_HIDDEN, vid))  # type: ignore[misc]

    return apply


def _cut_motion(run: StageRun, src: Path, offset: int, length: int) -> live_photos.MotionPart | None:
    from photonest.media.errors import MediaError
    from photonest.media.motion import extract_motion_video

    run.settings.upload_dir.mkdir(parents=True, exist_ok=True)
    dest = run.settings.upload_dir / f"motion-{uuid.uuid4().hex}.mp4"
    try:
        extract_motion_video(src, offset, length, dest)
    except MediaError as e:
        # The still is fine; only its embedded video is unusable.
        log.info("motion photo %s: embedded video not usable: %s", run.asset.id, e)
        dest.unlink(missing_ok=True)
        return None
    return live_photos.MotionPart(dest, live_photos.sha1_file(dest), dest.stat().st_size)


# --- thumbnails -------------------------------------------------------------------------------------------


def thumbs_dir(run: StageRun) -> Path:
    a = run.asset
    return run.settings.thumbs_dir / a.owner_id / a.id[:2]


def run_thumbnails(run: StageRun) -> Apply:
    from photonest.media.derivatives import make_image_derivatives, make_video_derivatives

    a = run.asset
    src = run.original()
    final_dir = thumbs_dir(run)
    final_dir.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, Any] = {
        "thumb_size": _setting(run, "thumbnail_size", 250),
        "preview_size": _setting(run, "preview_size", 1440),
        "thumb_quality": _setting(run, "thumbnail_quality", 80),
        "preview_quality": _setting(run, "preview_quality", 80),
        "asset_id": a.id,
    }
    max_pixels = _setting(run, "max_image_pixels", None)
    if max_pixels:
        sizes["max_pixels"] = max_pixels
    # The media tools write each file under a temporary name and rename it into place when all succeeded,
    # so a re-run replaces the old derivatives atomically and a failure leaves the old ones intact.
    if a.type == "VIDEO":
        d = make_video_derivatives(src, final_dir, **sizes)
    else:
        d = make_image_derivatives(src, final_dir, **sizes)
    moved: dict[str, Path] = {"thumbnail": d.thumbnail, "preview": d.preview}
    if d.fullsize is not None:
        moved["fullsize"] = d.fullsize
    run.outputs.extend(moved.values())
    keys = {typ: run.store(dest) for typ, dest in moved.items()}  # object storage: put before the rows commit
    thumbhash = d.thumbhash

    def apply(db: Db, asset: Asset) -> None:
        for typ, key in keys.items():
            _upsert_file(db, asset.id, typ, key)
        if "fullsize" not in moved:
            stale = db.scalar(select(AssetFile).where(AssetFile.asset_id == asset.id, AssetFile.type == "fullsize"))
            if stale is not None:
                db.delete(stale)
        asset.thumbhash = thumbhash

    return apply


def after_thumbnails(run: StageRun, asset: Asset) -> None:
    """Immich tells the owner's clients a new upload is ready once its thumbnails exist."""
    if run.force:
        return
    notify.upload_ready(run.db, run.events, asset.id)


# --- video ------------------------------------------------------------------------------------------------


def run_video(run: StageRun) -> Apply | None:
    from photonest.media.probe import probe
    from photonest.media.video import needs_transcode, transcode

    a = run.asset
    src = run.original()
    info = probe(src)
    if not needs_transcode(info, src):
        return None
    out_dir = run.settings.encoded_video_dir / a.owner_id / a.id[:2]
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{a.id}.mp4"
    tmp = out_dir / f".{a.id}.{uuid.uuid4().hex[:8]}.tmp.mp4"
    try:
        transcode(src, tmp, target_height=_setting(run, "video_target_height", 720))
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    run.outputs.append(final)
    key = run.store(final)

    def apply(db: Db, asset: Asset) -> None:
        _upsert_file(db, asset.id, "encoded_video", key)

    return apply


def register_builtin() -> None:
    if METADATA in STAGES:
        return
    register(Stage(METADATA, queue="metadataExtraction", job_name="AssetExtractMetadata", run=run_metadata,
                   types=MEDIA, concurrency=lambda s: s.job_concurrency_metadata_extraction))
    register(Stage(THUMBNAILS, queue="thumbnailGeneration", job_name="AssetGenerateThumbnails",
                   run=run_thumbnails, types=MEDIA, after=(METADATA,),
                   concurrency=lambda s: s.job_concurrency_thumbnail_generation, after_commit=after_thumbnails))
    register(Stage(VIDEO, queue="videoConversion", job_name="AssetEncodeVideo", run=run_video, types=VIDEOS,
                   after=(METADATA,), concurrency=lambda s: s.job_concurrency_video_conversion))
    # The features' own stages, each switched on and off by its setting (places, OCR, faces, smart search).
    from photonest.library import ocr, people, places, smart_search

    places.register_stage()
    ocr.register_stage()
    people.register_stage()
    smart_search.register_stages()  # after the others: its text embeddings read their results


__all__ = ["IMAGES", "METADATA", "THUMBNAILS", "VIDEO", "register_builtin"]

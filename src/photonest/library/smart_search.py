"""Smart search: find photos by what is in them, with every signal we have, and the stages that make them.

Stages (registered by :func:`register_stages`, after "thumbnails": they read the preview):

- ``labels`` (queue smartSearch): EfficientNet-Lite0 on the preview -> the top ImageNet labels with their
  probabilities (``asset_label``), the 1280-d visual features (``asset_embedding`` model ``efficientnet-lite0``:
  similar photos and near-duplicates without CLIP) and the 64-bit difference hash (``asset_duplicate.dhash``).
- ``clip`` (queue smartSearch; only with ``clip_enabled``): the CLIP image embedding (model ``clip:<name>``).
- ``embeddings`` (queue smartSearch): the MiniLM text embedding of what is known about the asset: its labels
  (with their synonyms), the text read in it (OCR), the names of the people in it, its tags, its place, its
  description and its file name (model ``all-MiniLM-L6-v2``; the text is kept in ``source_text``), and of the
  labels, people, tags and place alone (``all-MiniLM-L6-v2:things``), which a long description cannot drown.
  Edits to any of these queue the stage again (``refresh_text``, called by the API after the commit).

Search (POST /search/smart) fuses ranked lists with reciprocal rank fusion (score = sum of w / (60 + rank)):

==========  =====================================================================================  ======
signal      what ranks                                                                             weight
==========  =====================================================================================  ======
clip        CLIP text embedding of the query against the image embeddings (when enabled)            1.5
text        MiniLM embedding of the query against each asset's two text embeddings (best cosine    1.0
            of "what is in it" and "everything known", at least 0.25)
ocr         every query word in the text read in the photo (library.ocr)                           1.0
labels      a query word is a label or one of its synonyms ("seashore" -> beach), by probability     1.2
people      a query word is in the name of a person in the photo                                   1.2
places      a query word is the city, state or country                                             1.0
file        a file-name-like query (a digit, "_" or ".") is in the file name or the description     0.8
==========  =====================================================================================  ======

With ``queryAssetId`` it ranks by similarity to that asset (CLIP image embedding, else the visual features).
Every list holds only the caller's own assets (partners later), never trashed, hidden or locked ones; the
metadata filters of SmartSearchDto apply to the fused list. ``debug`` explains each hit (which signals found
it, at what rank and score): the API returns it when asked with ``?debug=true`` (beyond Immich).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, Select, delete, func, literal, or_, select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import (
    Asset,
    AssetDuplicate,
    AssetEmbedding,
    AssetExif,
    AssetFace,
    AssetLabel,
    AssetOcrSearch,
    Person,
)
from photonest.library import errors, metadata_search, search_filters
from photonest.library import ocr as ocr_lib
from photonest.library.auth import AuthContext
from photonest.ml import vectors

if TYPE_CHECKING:
    from photonest.jobs.registry import Apply, StageRun

log = logging.getLogger(__name__)

LABELS, CLIP, EMBEDDINGS = "labels", "clip", "embeddings"
VISUAL_MODEL = "efficientnet-lite0"
TEXT_MODEL = "all-MiniLM-L6-v2"
THINGS_MODEL = "all-MiniLM-L6-v2:things"  # the same model over the labels, people and place only
SEARCHABLE_VISIBILITY = ("timeline", "archive")
RRF_K = 60
WEIGHTS = {"clip": 1.5, "text": 1.0, "ocr": 1.0, "labels": 1.2, "people": 1.2, "places": 1.0, "file": 0.8}
TEXT_MIN_SIMILARITY = 0.25
SIMILAR_MIN = 0.3  # queryAssetId: visual similarity from which a photo is "similar"
PER_SIGNAL = 500
# Rows the label and place signals read before they are scoped to the caller's visible assets (scope_lists);
# when scoping leaves fewer than PER_SIGNAL of a full candidate list, that signal is read again through the asset
# table (other users' rows took the places).
LITERAL_CANDIDATES = 2_000
SCOPED = ("labels", "places")
MAX_TEXT = 2000


def clip_model_key(settings: Settings) -> str:
    return f"clip:{settings.clip_model}"


# --- what an asset's text embedding is made of --------------------------------------------------------------


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(ocr_lib.normalise(text).split()))


def file_words(name: str) -> str:
    """'IMG_2024-beach_party.jpg' -> 'IMG 2024 beach party' (split camel case too)."""
    stem = Path(name).stem
    stem = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)
    return " ".join(w for w in re.split(r"[\W_]+", stem) if w)


def people_names(db: Db, asset_id: str) -> list[str]:
    rows = db.scalars(select(Person.name).join(AssetFace, AssetFace.person_id == Person.id)
                      .where(AssetFace.asset_id == asset_id, Person.name != "").distinct())
    return sorted(set(rows))


def tag_words(db: Db, asset_id: str) -> list[str]:
    """The asset's tags as words: "Holidays/2024/Lisbon" -> "Holidays 2024 Lisbon"."""
    from photonest.library.tags import tags_of

    return [t.value.replace("/", " ") for t in tags_of(db, [asset_id]).get(asset_id, [])]


def describe(db: Db, asset: Asset) -> tuple[str, str]:
    """The texts embedded for an asset: (what is in it: labels with synonyms, people, tags, place; everything: that,
    the description, the text read in it and the file name). Two vectors, because a long description or a page
    of text would drown the few words that say what the photo shows."""
    from photonest.ml.labels import imagenet_classes

    by_name = {c.name: c for c in imagenet_classes()}
    parts: list[str] = []
    labels = list(db.scalars(select(AssetLabel.label).where(AssetLabel.asset_id == asset.id)
                             .order_by(AssetLabel.score.desc())))
    for name in labels:
        cls = by_name.get(name)
        syn = [s for s in (cls.synonyms if cls else ()) if s.lower() != name.lower()][:3]
        parts.append(", ".join([name, *syn]))
    names = people_names(db, asset.id)
    if names:
        parts.append("people: " + ", ".join(names))
    tags = tag_words(db, asset.id)
    if tags:
        parts.append("tags: " + ", ".join(tags))
    exif = db.get(AssetExif, asset.id)
    place = ", ".join(p for p in (exif.city, exif.state, exif.country) if p) if exif is not None else ""
    if place:
        parts.append("place: " + place)
    things = ". ".join(parts)
    if exif is not None and exif.description:
        parts.append(exif.description)
    text = db.scalar(select(AssetOcrSearch.text).where(AssetOcrSearch.asset_id == asset.id))
    if text:
        parts.append("text: " + text[:500])
    parts.append(file_words(asset.original_file_name))
    return things[:MAX_TEXT], ". ".join(p for p in parts if p)[:MAX_TEXT]


# --- the stages ---------------------------------------------------------------------------------------------


def _preview(run: StageRun) -> Path | None:
    with run.db.session(write=False) as db:
        path = ocr_lib.preview_path(db, run.settings, run.asset.id)
    return path if path is not None and path.exists() else None


def _is_flat(image: Any) -> bool:
    """A blank or single-colour frame: nothing to compare (its hash would match every other blank frame)."""
    small = np.asarray(image.convert("L").resize((32, 32)), dtype=np.float32)
    return float(small.std()) < 2.0


def replace_labels(db: Db, asset_id: str, labels: Sequence[tuple[str, float]]) -> None:
    db.execute(delete(AssetLabel).where(AssetLabel.asset_id == asset_id).execution_options(synchronize_session=False))
    seen: set[str] = set()
    for name, score in labels:
        if name not in seen:
            seen.add(name)
            db.add(AssetLabel(asset_id=asset_id, label=name[:200], score=float(score)))
    db.flush()


def set_dhash(db: Db, asset_id: str, dhash: bytes | None) -> None:
    row = db.get(AssetDuplicate, asset_id)
    if row is None:
        db.add(AssetDuplicate(asset_id=asset_id, dhash=dhash))
    else:
        row.dhash = dhash


def run_labels(run: StageRun) -> Apply:
    from PIL import Image

    from photonest.ml.labels import labeler_for

    path = _preview(run)
    labels: list[tuple[str, float]] = []
    features: NDArray[np.float32] | None = None
    dhash: bytes | None = None
    if path is not None:
        with Image.open(path) as im:
            im.load()
            result = labeler_for(run.settings).analyse(im, run.settings.labels_max, run.settings.labels_min_score)
            flat = _is_flat(im)
        labels = [(lb.name, lb.score) for lb in result.labels]
        features = result.features
        dhash = None if flat else result.dhash

    def apply(db: Db, asset: Asset) -> None:
        replace_labels(db, asset.id, labels)
        if features is not None:
            vectors.store(db, asset.id, VISUAL_MODEL, features)
        set_dhash(db, asset.id, dhash)

    return apply


def run_clip(run: StageRun) -> Apply | None:
    from photonest.ml.clip import model_for

    path = _preview(run)
    if path is None:
        return None
    vec = model_for(run.settings).encode_file(path)
    key = clip_model_key(run.settings)

    def apply(db: Db, asset: Asset) -> None:
        vectors.store(db, asset.id, key, vec)

    return apply


def run_embeddings(run: StageRun) -> Apply | None:
    from photonest.ml.text_embed import embedder_for

    with run.db.session(write=False) as db:
        a = db.get(Asset, run.asset.id)
        if a is None:
            return None
        things, text = describe(db, a)
    vecs = embedder_for(run.settings).embed_many([things, text])

    def apply(db: Db, asset: Asset) -> None:
        vectors.store(db, asset.id, TEXT_MODEL, vecs[1], source_text=text)
        if things:
            vectors.store(db, asset.id, THINGS_MODEL, vecs[0], source_text=things)
        else:
            db.execute(delete(AssetEmbedding).where(AssetEmbedding.asset_id == asset.id,
                                                    AssetEmbedding.model == THINGS_MODEL))

    return apply


# Edits that change what describe() says about an asset: its text embeddings are made again (a cheap job: two
# MiniLM passes, ~10 ms) after the edit commits.
TEXT_FIELDS = frozenset({"description", "latitude", "longitude"})


def text_changed(changes: dict[str, Any]) -> bool:
    """Whether an asset update (UpdateAssetDto / AssetBulkUpdateDto fields) changes its text embedding."""
    return bool(TEXT_FIELDS & changes.keys())


def refresh_text(jobs: Any, asset_ids: Sequence[str]) -> None:
    """Queue the ``embeddings`` stage again for these assets (jobs.runtime.Jobs; call after the commit: the
    worker reads the edited rows). A lost message is found again by the nightly sweep only if the stage was
    never done, so this is best effort, as every edit-triggered job."""
    for asset_id in dict.fromkeys(asset_ids):
        jobs.enqueue_asset(asset_id, [EMBEDDINGS])


def register_stages(settings: Settings | None = None) -> None:
    """Add the smart-search stages (and duplicates) to the jobs registry; idempotent.

    ``embeddings`` runs after whichever of ocr, places and faces are registered (their results go into the
    text) and enabled in ``settings`` (a stage waits for its dependencies to settle, and a switched-off one
    never does); call this after registering those. ``duplicates`` waits for ``clip`` only when CLIP is on.
    """
    from photonest.jobs.registry import IMAGES, MEDIA, STAGES, Stage, register
    from photonest.library import duplicates

    if "thumbnails" not in STAGES:
        return

    def conc(s: Settings) -> int:
        return s.job_concurrency_smart_search

    if LABELS not in STAGES:
        register(Stage(LABELS, queue="smartSearch", job_name="SmartSearch", run=run_labels, types=MEDIA,
                       after=("thumbnails",), concurrency=conc, enabled=lambda s: bool(s.labels_enabled)))
    if CLIP not in STAGES:
        register(Stage(CLIP, queue="smartSearch", job_name="SmartSearch", run=run_clip, types=MEDIA,
                       after=("thumbnails",), concurrency=conc, enabled=_clip_on))
    def on(name: str) -> bool:
        return name in STAGES and (settings is None or STAGES[name].enabled(settings))

    if EMBEDDINGS not in STAGES:
        after = tuple(s for s in (LABELS, "ocr", "places", "faces") if on(s))
        register(Stage(EMBEDDINGS, queue="smartSearch", job_name="SmartSearch", run=run_embeddings, types=MEDIA,
                       after=after, concurrency=conc, enabled=lambda s: bool(s.text_embedding_enabled)))
    if duplicates.STAGE not in STAGES:
        register(Stage(duplicates.STAGE, queue="duplicateDetection", job_name="AssetDetectDuplicates",
                       run=duplicates.run_stage, types=IMAGES,
                       after=(LABELS, CLIP) if settings is not None and settings.clip_enabled else (LABELS,),
                       enabled=lambda s: bool(s.duplicates_enabled and s.labels_enabled)))


def _clip_on(s: Settings) -> bool:
    from photonest.ml.clip import available

    return available(s)


# --- searching ----------------------------------------------------------------------------------------------


@dataclass
class Hit:
    asset_id: str
    score: float = 0.0
    signals: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class SmartResult:
    assets: list[tuple[Asset, AssetExif | None]]
    total: int
    next_page: str | None
    debug: list[dict[str, Any]]
    signals: dict[str, int]


def _visible(owner_ids: Sequence[str]) -> list[ColumnElement[bool]]:
    return [Asset.owner_id.in_(list(owner_ids)), Asset.deleted_at.is_(None),
            Asset.visibility.in_(SEARCHABLE_VISIBILITY)]


def _like_any(col: Any, words: list[str]) -> ColumnElement[bool]:
    return or_(*[func.lower(col).like(f"%{w}%") for w in words])


@cache
def _label_vocabulary() -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """Per ImageNet class: (label name, its names and synonyms normalised, the words in them)."""
    from photonest.ml.labels import imagenet_classes

    out = []
    for cls in imagenet_classes():
        names = frozenset(ocr_lib.normalise(n) for n in (cls.name, *cls.synonyms))
        out.append((cls.name, names, frozenset(t for n in names for t in n.split())))
    return tuple(out)


def _labels_for_words(words: list[str]) -> dict[str, str]:
    """Label names a query word names (the name or a synonym, whole words) -> the word."""
    out: dict[str, str] = {}
    phrase = " ".join(words)
    for name, names, tokens in _label_vocabulary():
        for w in words:
            if w in tokens or (len(words) > 1 and phrase in names):
                out.setdefault(name, w)
    return out


def _ranked(rows: Sequence[Any]) -> list[tuple[str, float]]:
    seen: dict[str, float] = {}
    for asset_id, score in rows:
        if asset_id not in seen:
            seen[asset_id] = float(score)
    return list(seen.items())


def _label_rows(names: dict[str, str]) -> Select[str, float]:
    return (select(AssetLabel.asset_id, AssetLabel.score).where(AssetLabel.label.in_(list(names)))
            .order_by(AssetLabel.score.desc(), AssetLabel.asset_id))


def _place_rows(words: list[str]) -> Select[str, float]:
    """Place names as stored ("Leuven", "United States of America"): the query's words and phrase in the usual
    cases, matched through the place indexes."""
    phrases = {*words, " ".join(words)}
    variants = sorted({v for p in phrases for v in (p, p.title(), p.upper(), p.capitalize())})
    place = or_(AssetExif.city.in_(variants), AssetExif.state.in_(variants), AssetExif.country.in_(variants))
    return select(AssetExif.asset_id, literal(1.0)).where(place)


def _signal_lists(db: Db, settings: Settings, owner_ids: list[str], query: str,
                  language: str | None) -> dict[str, list[tuple[str, float]]]:
    words = [w for w in _words(query) if len(w) >= 2]
    lists: dict[str, list[tuple[str, float]]] = {}
    vis = _visible(owner_ids)

    if settings.clip_enabled:
        try:
            from photonest.ml.clip import model_for

            key = clip_model_key(settings)
            idx = vectors.index_for(db, key)
            if idx.size():
                lists["clip"] = idx.search(owner_ids, model_for(settings).encode_text(query), PER_SIGNAL)
        except Exception as e:  # a missing model must not break search
            log.warning("CLIP search unavailable: %s", e)

    if settings.text_embedding_enabled:
        try:
            from photonest.ml.text_embed import embedder_for

            indexes = [i for i in (vectors.index_for(db, m) for m in (THINGS_MODEL, TEXT_MODEL)) if i.size()]
            q = embedder_for(settings).embed(query) if indexes else None
            best: dict[str, float] = {}
            for idx in indexes:
                assert q is not None
                for asset_id, score in idx.search(owner_ids, q, PER_SIGNAL, TEXT_MIN_SIMILARITY):
                    best[asset_id] = max(score, best.get(asset_id, -1.0))
            if best:
                lists["text"] = sorted(best.items(), key=lambda kv: -kv[1])[:PER_SIGNAL]
        except Exception as e:
            log.warning("text-embedding search unavailable: %s", e)

    lists["ocr"] = [(h.asset_id, h.score) for h in ocr_lib.search(db, owner_ids, query, PER_SIGNAL)]
    if not words:
        return lists

    names = _labels_for_words(words)
    if names:
        # The label rows alone (index on label), best first; they are scoped to the caller's visible assets with
        # every other signal's candidates in one query of ids (scope_lists).
        lists["labels"] = _ranked(db.execute(_label_rows(names).limit(LITERAL_CANDIDATES)).all())

    counts = db.execute(select(AssetFace.asset_id, func.count()).join(Person, Person.id == AssetFace.person_id)
                      .join(Asset, Asset.id == AssetFace.asset_id)
                      .where(Person.owner_id.in_(owner_ids), Person.name != "", _like_any(Person.name, words), *vis)
                      .group_by(AssetFace.asset_id).order_by(func.count().desc()).limit(PER_SIGNAL)).all()
    lists["people"] = _ranked(counts)

    # Through the place indexes only; newest first is decided among these candidates by scope_lists.
    lists["places"] = _ranked(db.execute(_place_rows(words).limit(LITERAL_CANDIDATES)).all())

    # File names and descriptions hold words the text embedding already covers; an exact substring search (a
    # scan) runs only for file-name-like queries: a digit, "_" or "." in them (IMG_2889, 2019, .heic).
    if re.search(r"[0-9_.]", query):
        tokens = [t.lower() for t in re.split(r"[\s,;]+", query) if len(t) >= 3]
        if tokens:
            rows = db.execute(select(Asset.id, literal(1.0)).outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
                              .where(or_(_like_any(Asset.original_file_name, tokens),
                                         _like_any(AssetExif.description, tokens)), *vis)
                              .order_by(Asset.file_created_at.desc()).limit(PER_SIGNAL)).all()
            lists["file"] = _ranked(rows)
    return lists


def _similar_lists(db: Db, settings: Settings, ctx: AuthContext, owner_ids: list[str],
                   asset_id: str) -> dict[str, list[tuple[str, float]]]:
    from photonest.library import assets as assets_lib

    assets_lib.get_owned(db, ctx, asset_id)
    lists: dict[str, list[tuple[str, float]]] = {}
    for name, model in (("clip", clip_model_key(settings)), ("visual", VISUAL_MODEL)):
        if name == "clip" and not settings.clip_enabled:
            continue
        idx = vectors.index_for(db, model)
        v = idx.vector_of(owner_ids, asset_id)
        if v is not None:
            lists[name] = [h for h in idx.search(owner_ids, v, PER_SIGNAL + 1, SIMILAR_MIN) if h[0] != asset_id]
            break
    return lists


def scope_lists(db: Db, owner_ids: list[str], lists: dict[str, list[tuple[str, float]]],
                query: str = "") -> dict[str, list[tuple[str, float]]]:
    """Keep in every ranked list only the owners' searchable assets (not trashed, timeline or archive; from the
    in-memory snapshot of library.searchable), ranks recomputed among them, at most PER_SIGNAL each; places
    newest first. A label or place list read in full (LITERAL_CANDIDATES rows) that keeps fewer than
    PER_SIGNAL is read again through the asset table (other users' rows took the places)."""
    from photonest.library.searchable import positions

    pos = positions(db, owner_ids)
    words = [w for w in _words(query) if len(w) >= 2]
    out: dict[str, list[tuple[str, float]]] = {}
    for name, ranked in lists.items():
        kept = [h for h in ranked if h[0] in pos]
        if name in SCOPED and len(ranked) >= LITERAL_CANDIDATES and len(kept) < PER_SIGNAL and words:
            kept = _read_through_assets(db, owner_ids, name, words)
        elif name == "places":
            kept.sort(key=lambda h: pos[h[0]])
        out[name] = kept[:PER_SIGNAL]
    return out


def _read_through_assets(db: Db, owner_ids: list[str], name: str, words: list[str]) -> list[tuple[str, float]]:
    """The slow but complete way to read a label or place list: joined with the owners' visible assets."""
    if name == "labels":
        q = _label_rows(_labels_for_words(words)).join(Asset, Asset.id == AssetLabel.asset_id)
    else:
        q = _place_rows(words).join(Asset, Asset.id == AssetExif.asset_id).order_by(Asset.file_created_at.desc())
    return _ranked(db.execute(q.where(*_visible(owner_ids)).limit(PER_SIGNAL)).all())


def page_of(db: Db, conds: list[ColumnElement[bool]], hits: list[Hit], start: int, size: int) -> tuple[list[Hit],
                                                                                                         bool]:
    """The hits of one page that the request's filters allow, and whether more follow. Only as many hits are
    checked as the page needs (batches of ids, driven by the primary key: without statistics SQLite would start
    from the owner index and scan the whole library for every batch, 40 ms at 100k assets)."""
    need = start + size + 1
    kept: list[Hit] = []
    i, batch = 0, max(64, min(900, need * 2))
    while i < len(hits) and len(kept) < need:
        chunk = hits[i:i + batch]
        i += batch
        q = (select(Asset.id).outerjoin(AssetExif, AssetExif.asset_id == Asset.id)
             .with_hint(Asset, "INDEXED BY ix_asset_album_join", "sqlite")
             .where(*conds, Asset.id.in_([h.asset_id for h in chunk])))
        ok = set(db.scalars(q))
        kept.extend(h for h in chunk if h.asset_id in ok)
        batch = 900
    return kept[start:start + size], len(kept) > start + size


def fuse(lists: dict[str, list[tuple[str, float]]]) -> list[Hit]:
    """Reciprocal rank fusion of ranked (asset_id, score) lists; ties keep the order of first appearance."""
    hits: dict[str, Hit] = {}
    for signal, ranked in lists.items():
        w = WEIGHTS.get(signal, 1.0)
        for rank, (asset_id, score) in enumerate(ranked, start=1):
            h = hits.get(asset_id)
            if h is None:
                h = hits[asset_id] = Hit(asset_id)
            h.score += w / (RRF_K + rank)
            h.signals[signal] = {"rank": rank, "score": round(score, 4)}
    return sorted(hits.values(), key=lambda h: -h.score)


def _base(conds: list[ColumnElement[bool]]) -> Select[Asset, AssetExif]:
    return select(Asset, AssetExif).outerjoin(AssetExif, AssetExif.asset_id == Asset.id).where(*conds)


def smart_search(db: Db, settings: Settings, ctx: AuthContext, dto: dict[str, Any], *,
                 debug: bool = False) -> SmartResult:
    """POST /search/smart: dto holds the SmartSearchDto fields that were given (unset ones absent)."""
    # As Immich (getUserIdsToSearch): the caller's library and those of partners shown in their timeline.
    partner_ids = metadata_search.partner_ids(db, ctx)
    owner_ids = [ctx.user.id, *partner_ids]
    query = (dto.get("query") or "").strip()
    query_asset = dto.get("queryAssetId")
    if not query and not query_asset:
        raise errors.BadRequest("Either query or queryAssetId must be set")
    page = int(dto.get("page") or 1)
    size = int(dto.get("size") or 100)
    if query_asset:
        lists = _similar_lists(db, settings, ctx, owner_ids, str(query_asset))
    else:
        lists = _signal_lists(db, settings, owner_ids, query, dto.get("language"))
    conds = search_filters.conditions(db, ctx, dto, partner_ids=partner_ids, only_searchable=True)
    # Ranks count among the photos the caller may get (scope_lists); then the fused order is walked until the
    # page is full of hits the request's filters allow, and only the page's rows are loaded.
    lists = scope_lists(db, owner_ids, lists, "" if query_asset else query)
    hits = fuse({k: v for k, v in lists.items() if v})
    window, more = page_of(db, conds, hits, (page - 1) * size, size)
    rows = {a.id: (a, e) for a, e in db.execute(_base([Asset.id.in_([h.asset_id for h in window])])).all()}
    info = [{"id": h.asset_id, "score": round(h.score, 6), "signals": h.signals} for h in window] if debug else []
    page_rows: list[tuple[Asset, AssetExif | None]] = [rows[h.asset_id] for h in window if h.asset_id in rows]
    # As Immich: total is the number of items on this page.
    return SmartResult(page_rows, len(page_rows), str(page + 1) if more else None, info,
                       {k: len(v) for k, v in lists.items()})

"""The text read in assets: storing OCR results, reading them back per asset, and searching them.

Each asset's lines go to ``asset_ocr`` (what GET /assets/{id}/ocr returns) and, joined and normalised, to one
``asset_ocr_search`` row that the search index covers (SQLite FTS5 trigram / PostgreSQL pg_trgm, see
db/search_index.py). Normalisation makes search case- and accent-insensitive and tolerant of punctuation:
NFKD, combining marks dropped, casefolded, anything that is not a letter or digit turned into a space. The
query is normalised the same way, so "Über", "uber" and "UBER" all find "über", and "e-mail" finds "E-mail".

Search: every word of the query must occur (as a substring) somewhere in the asset's text. Results are ranked
by match quality: whole-word matches above partial ones, the query's words in sequence above scattered ones,
and a shorter text (a sign) above a long one (a page) that merely contains the words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Float, bindparam, case, cast, delete, func, literal, literal_column, select, text
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.search_index import OCR_FTS
from photonest.db.tables import Asset, AssetFile, AssetOcr, AssetOcrSearch
from photonest.library import assets as assets_lib
from photonest.library.auth import AuthContext
from photonest.ml.ocr import OcrLine

if TYPE_CHECKING:
    from photonest.jobs.registry import Apply, StageRun

# What a search may return: not trashed, not hidden (live-photo motion parts), not in the locked folder.
SEARCHABLE_VISIBILITY = ("timeline", "archive")
MAX_MATCHED_TEXT = 300



def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    chars = []
    for c in decomposed:
        if unicodedata.combining(c):
            continue
        chars.append(c if c.isalnum() else " ")
    return " ".join("".join(chars).casefold().split())


# --- writing ----------------------------------------------------------------------------------------------


def replace_ocr(db: Db, asset_id: str, lines: Sequence[OcrLine]) -> None:
    """Store an asset's lines, replacing what an earlier run stored (running twice does no harm)."""
    db.execute(delete(AssetOcr).where(AssetOcr.asset_id == asset_id).execution_options(synchronize_session=False))
    db.execute(delete(AssetOcrSearch).where(AssetOcrSearch.asset_id == asset_id)
               .execution_options(synchronize_session=False))
    if not lines:
        return
    db.add_all(
        AssetOcr(asset_id=asset_id, x1=ln.box[0], y1=ln.box[1], x2=ln.box[2], y2=ln.box[3], x3=ln.box[4],
                 y3=ln.box[5], x4=ln.box[6], y4=ln.box[7], box_score=ln.box_score, text_score=ln.text_score,
                 text=ln.text)
        for ln in lines
    )
    text = normalise(" ".join(ln.text for ln in lines))
    owner_id = db.scalar(select(Asset.owner_id).where(Asset.id == asset_id))
    if text and owner_id is not None:
        db.add(AssetOcrSearch(asset_id=asset_id, owner_id=owner_id, text=text))
    db.flush()


# --- reading ----------------------------------------------------------------------------------------------


def lines_of(db: Db, asset_id: str) -> list[AssetOcr]:
    # Insertion order is reading order (ids are random): order by the top-left corner, as the engine sorted.
    return list(db.scalars(select(AssetOcr).where(AssetOcr.asset_id == asset_id)
                           .order_by(AssetOcr.y1, AssetOcr.x1)))


def get_asset_ocr(db: Db, ctx: AuthContext, asset_id: str) -> list[AssetOcr]:
    """The caller's asset's OCR lines (the same refusal as every asset read when it is not theirs)."""
    assets_lib.get_owned(db, ctx, asset_id, "asset.read")
    return lines_of(db, asset_id)


# --- searching --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcrHit:
    asset_id: str
    score: float
    matched_text: str


def _contains(col: ColumnElement[str], word: str) -> ColumnElement[bool]:
    # Words are letters and digits only (normalise), so they need no LIKE escaping.
    return col.like(f"%{word}%")


def _score(col: ColumnElement[str], words: list[str]) -> ColumnElement[float]:
    padded = literal(" ") + col + literal(" ")
    parts: list[ColumnElement[float]] = [
        case((padded.like(f"% {w} %"), 1.0), else_=0.5) for w in words
    ]
    if len(words) > 1:
        parts.append(case((padded.like(f"% {' '.join(words)} %"), 2.0),
                          (col.like(f"%{' '.join(words)}%"), 1.0), else_=0.0))
    total_len = sum(len(w) for w in words)
    parts.append(literal(float(total_len)) / (cast(func.length(col), Float) + 10.0))
    score = parts[0]
    for p in parts[1:]:
        score = score + p
    return score


def search_ocr(db: Db, owner_ids: Sequence[str], query: str, limit: int = 100) -> list[tuple[str, float, str]]:
    """(asset_id, score, matched_text) of the owners' assets whose text holds every word of query, best first."""
    words = list(dict.fromkeys(normalise(query).split()))
    if not words or not owner_ids or limit <= 0:
        return []
    dialect = db.get_bind().dialect
    long_words = [w for w in words if len(w) >= 3]
    if dialect.name == "sqlite" and long_words:
        rows = _search_sqlite_fts(db, owner_ids, words, long_words, limit)
    else:
        rows = _search_like(db, owner_ids, words, limit)
    matched = _matched_texts(db, [a for a, _ in rows], words)
    return [(a, sc, matched.get(a, "")) for a, sc in rows]


def _search_sqlite_fts(db: Db, owner_ids: Sequence[str], words: list[str], long_words: list[str],
                       limit: int) -> list[tuple[str, float]]:
    """The FTS5 trigram index drives the query (CROSS JOIN keeps SQLite from starting at the owner's rows and
    probing the index once per row: seconds instead of milliseconds on a large library). Candidates are
    ranked on asset_ocr_search alone (it carries the owner); only the best few visit their asset row to
    drop trashed, hidden and locked assets, fetching more when too many of them were dropped."""
    dialect = db.get_bind().dialect
    text_col: ColumnElement[str] = literal_column("s.text")

    def sql(expr: ColumnElement[Any]) -> str:
        # Words are letters and digits only (normalise), so inlining them as literals is safe.
        return str(expr.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    short = "".join(f" AND {sql(_contains(text_col, w))}" for w in words if len(w) < 3)
    stmt = text(
        "SELECT c.asset_id, c.score FROM ("
        f"SELECT s.asset_id, {sql(_score(text_col, words))} AS score "
        f"FROM {OCR_FTS} CROSS JOIN asset_ocr_search AS s ON s.id = {OCR_FTS}.rowid "
        f"WHERE {OCR_FTS} MATCH :match AND s.owner_id IN :owners{short} "
        "ORDER BY score DESC, s.asset_id LIMIT :candidates"
        ") AS c CROSS JOIN asset AS a ON a.id = c.asset_id "
        "WHERE a.deleted_at IS NULL AND a.visibility IN :visibility "
        "ORDER BY c.score DESC, c.asset_id LIMIT :limit"
    ).bindparams(bindparam("owners", expanding=True), bindparam("visibility", expanding=True))
    params: dict[str, Any] = {"match": " AND ".join(f'"{w}"' for w in long_words), "owners": list(owner_ids),
                              "visibility": list(SEARCHABLE_VISIBILITY), "limit": limit}
    candidates = 2 * limit + 20
    while True:
        rows = [(str(a), float(sc)) for a, sc in db.execute(stmt, {**params, "candidates": candidates}).all()]
        if len(rows) >= limit or candidates >= 1_000_000:
            return rows
        # Fewer than asked for: either there are no more matches, or trashed/hidden ones took the places.
        total = db.execute(text(f"SELECT count(*) FROM {OCR_FTS} WHERE {OCR_FTS} MATCH :match"),
                           {"match": params["match"]}).scalar_one()
        if candidates >= int(total):
            return rows
        candidates *= 8


def _search_like(db: Db, owner_ids: Sequence[str], words: list[str], limit: int) -> list[tuple[str, float]]:
    """PostgreSQL (the pg_trgm GIN index serves LIKE '%word%' for words of 3+ characters), or SQLite with no word
    long enough for trigrams (a scan of the owners' texts). As with FTS5: candidates are matched and ranked on
    asset_ocr_search alone (it carries the owner), and only the best few visit their asset row; joining every
    match to its asset first made a common word ("the": 10,000 of the owner's texts) cost 10,000 lookups."""
    col: ColumnElement[str] = AssetOcrSearch.__table__.c.text
    where = [AssetOcrSearch.owner_id.in_(list(owner_ids)), *[_contains(col, w) for w in words]]
    score = _score(col, words).label("score")
    candidates = 2 * limit + 20
    while True:
        best = (select(AssetOcrSearch.asset_id, score).where(*where)
                .order_by(score.desc(), AssetOcrSearch.asset_id).limit(candidates).subquery())
        q = (select(best.c.asset_id, best.c.score).join(Asset, Asset.id == best.c.asset_id)
             .where(Asset.deleted_at.is_(None), Asset.visibility.in_(SEARCHABLE_VISIBILITY))
             .order_by(best.c.score.desc(), best.c.asset_id).limit(limit))
        rows = [(str(a), float(sc)) for a, sc in db.execute(q).all()]
        if len(rows) >= limit:
            return rows
        total = db.execute(select(func.count()).select_from(AssetOcrSearch).where(*where)).scalar_one()
        if candidates >= int(total):
            return rows
        candidates *= 8


def _matched_texts(db: Db, asset_ids: list[str], words: list[str]) -> dict[str, str]:
    """Per asset, its lines that hold any of the words, in reading order (what to show next to a hit)."""
    out: dict[str, list[str]] = {}
    for i in range(0, len(asset_ids), 500):
        rows = db.execute(select(AssetOcr.asset_id, AssetOcr.text)
                          .where(AssetOcr.asset_id.in_(asset_ids[i:i + 500]))
                          .order_by(AssetOcr.asset_id, AssetOcr.y1, AssetOcr.x1))
        for asset_id, line in rows:
            norm = normalise(line)
            if any(w in norm for w in words):
                out.setdefault(asset_id, []).append(line)
    return {a: " ".join(v)[:MAX_MATCHED_TEXT] for a, v in out.items()}


def search(db: Db, owner_ids: Sequence[str], query: str, limit: int = 100) -> list[OcrHit]:
    return [OcrHit(*hit) for hit in search_ocr(db, owner_ids, query, limit)]


# --- the pipeline stage -----------------------------------------------------------------------------------

STAGE = "ocr"


class NoPreview(Exception):
    """The asset has no preview yet (the thumbnails stage failed for good): nothing to read."""


def preview_path(db: Db, settings: Settings, asset_id: str) -> Path | None:
    key = db.scalar(select(AssetFile.path).where(AssetFile.asset_id == asset_id, AssetFile.type == "preview"))
    if key is None:
        return None
    from photonest.storage.backends import local_file

    return local_file(settings, key)  # object storage: a cached copy (ValueError for keys leaving the data dir)


def read_preview(settings: Settings, path: Path) -> list[OcrLine]:
    from photonest.ml.ocr import engine_for

    return engine_for(settings).read_file(path)


def run_ocr_stage(db: Db, settings: Settings, asset_id: str) -> int:
    """OCR one asset's preview and store the lines, outside the job system (tools, tests). Returns the count."""
    path = preview_path(db, settings, asset_id)
    lines = read_preview(settings, path) if path is not None else []
    replace_ocr(db, asset_id, lines)
    return len(lines)


def run_stage(run: StageRun) -> Apply:
    """The "ocr" stage: read the preview (slow, no transaction open), then store the lines with the stage."""
    with run.db.session(write=False) as db:
        path = preview_path(db, run.settings, run.asset.id)
    if path is None or not path.exists():
        # Thumbnails settled without a preview (e.g. it failed for good): there is nothing to read; the
        # stage is done with no text, and a forced re-run after a new preview reads it.
        lines: list[OcrLine] = []
    else:
        lines = read_preview(run.settings, path)

    def apply(db: Db, asset: Asset) -> None:
        replace_ocr(db, asset.id, lines)

    return apply


def register_stage() -> None:
    """Add the "ocr" stage (after "thumbnails": it reads the preview) to the jobs registry; idempotent.

    Counted under Immich's `ocr` queue; switched off with PHOTONEST_OCR_ENABLED=false.
    """
    from photonest.jobs.registry import MEDIA, STAGES, Stage, register

    if STAGE in STAGES or "thumbnails" not in STAGES:
        return
    register(Stage(STAGE, queue="ocr", job_name="Ocr", run=run_stage, types=MEDIA, after=("thumbnails",),
                   concurrency=lambda s: s.job_concurrency_ocr, enabled=lambda s: bool(s.ocr_enabled)))

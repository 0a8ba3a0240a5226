"""Clustering rules on synthetic embeddings: anchors are sacred, named people never merge, the IVF neighbour
search finds what the exact one does, suggestions come from the uncertain zone."""

from __future__ import annotations

import numpy as np

from photonest.ml import cluster as cl

MATCH = 0.06


def blobs(people: int, per: int, spread: float = 0.012, dim: int = 128, seed: int = 1) -> tuple[np.ndarray,
                                                                                                np.ndarray]:
    """Identities as random unit centres with faces scattered around them (same-person cosine ~0.01-0.04)."""
    rng = np.random.default_rng(seed)
    centres = cl.normalise(rng.normal(size=(people, dim)))
    truth = np.repeat(np.arange(people), per)
    x = centres[truth] + rng.normal(scale=spread, size=(people * per, dim))
    return cl.normalise(x), truth


def test_clusters_match_identities() -> None:
    x, truth = blobs(20, 6)
    labels = cl.cluster(x, match_distance=MATCH).labels
    for t in range(20):
        assert len(set(labels[truth == t].tolist())) == 1
    assert len(set(labels.tolist())) == 20


def test_small_groups_stay_unassigned() -> None:
    x, _truth = blobs(3, 2)
    assert (cl.cluster(x, match_distance=MATCH, min_faces=3).labels == -1).all()
    assert (cl.cluster(x, match_distance=MATCH, min_faces=2).labels >= 0).all()


def test_anchors_never_move_and_never_merge() -> None:
    x, _truth = blobs(2, 6)
    anchors = np.full(len(x), -1)
    # The user put one face of identity 0 on person 1 (say it is a twin): it stays there.
    anchors[0] = 1
    # Two named people whose faces are the same identity: they stay two.
    anchors[6], anchors[7] = 0, 2
    res = cl.cluster(x, match_distance=MATCH, anchors=anchors)
    assert res.anchors == 3
    assert res.labels[0] == 1 and res.labels[6] == 0 and res.labels[7] == 2
    # The other faces of identity 1 follow one of the two named people, never a third label.
    assert set(res.labels[8:12].tolist()) <= {0, 2}


def test_faces_of_one_photo_are_not_linked() -> None:
    x, _ = blobs(1, 2)
    assert len(set(cl.cluster(x, match_distance=MATCH, min_faces=1).labels.tolist())) == 1
    split = cl.cluster(x, match_distance=MATCH, min_faces=1, groups=np.array([7, 7])).labels
    assert len(set(split.tolist())) == 2


def test_ivf_neighbours_agree_with_exact() -> None:
    x, _ = blobs(300, 8, seed=3)
    exact, _ = cl.knn_exact(x, 5)
    approx, _ = cl.knn_ivf(x, 5)
    recall = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(exact.tolist(), approx.tolist(), strict=True)])
    assert recall > 0.95


def test_immich_rule_on_the_same_data() -> None:
    x, _truth = blobs(5, 4)
    labels = cl.immich_rule(x, max_distance=MATCH)
    assert len(set(labels.tolist())) == 5


def test_suggestions_come_from_close_but_separate_people() -> None:
    x, truth = blobs(3, 5)
    cents = cl.centroids_of(x, truth, 3)
    # A fourth person: a near-double of person 0, past the match distance but inside the suggestion zone.
    rng = np.random.default_rng(5)
    noise = rng.normal(size=128)
    noise -= (noise @ cents[0]) * cents[0]
    noise /= np.linalg.norm(noise)
    angle = np.arccos(1 - 1.3 * MATCH)  # cosine distance 1.3 x the match distance
    near = np.cos(angle) * cents[0] + np.sin(angle) * noise
    all_cents = cl.normalise(np.vstack([cents, near[None]]))
    pairs = cl.suggest_merges(all_cents, np.array([5, 5, 5, 5]), suggest_distance=1.6 * MATCH)
    assert [(a, b) for a, b, _ in pairs] == [(0, 3)]
    assert 0 < pairs[0][2] < 1


def test_nearest_person() -> None:
    x, truth = blobs(4, 5)
    cents = cl.centroids_of(x, truth, 4)
    i, d = cl.nearest_person(x[7], cents, MATCH)
    assert i == truth[7] and d < MATCH
    far = cl.normalise(np.random.default_rng(9).normal(size=(1, 128)))[0]
    assert cl.nearest_person(far, cents, MATCH)[0] == -1

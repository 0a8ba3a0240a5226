"""The offline models on real photos: every face of a group photo, none on animals, one identity per person."""

from __future__ import annotations

import numpy as np
import pytest

from photonest.ml import cluster as cl
from photonest.ml.faces import DLIB_MATCH_DISTANCE, FaceResult
from tests.faces.conftest import ANIMALS, GROUPS, IDENTITY


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_group_photo_yields_every_face(analysed: dict[str, FaceResult], name: str) -> None:
    r = analysed[name]
    assert len(r.faces) == GROUPS[name]
    for f in r.faces:
        x1, y1, x2, y2 = f.box
        assert 0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1
        assert f.embedding.shape == (128,) and f.embedding.dtype == np.float32
        assert abs(float(np.linalg.norm(f.embedding)) - 1) < 1e-4
    # Distinct people in one photo are far apart.
    e = np.stack([f.embedding for f in r.faces])
    d = 1 - e @ e.T
    assert d[~np.eye(len(e), dtype=bool)].min() > DLIB_MATCH_DISTANCE


@pytest.mark.parametrize("name", ANIMALS)
def test_animals_yield_no_face(analysed: dict[str, FaceResult], name: str) -> None:
    assert analysed[name].faces == []


def test_single_portraits_yield_one_face(analysed: dict[str, FaceResult]) -> None:
    for name in IDENTITY:
        assert len(analysed[name].faces) == 1, name
        assert analysed[name].width <= 1440 and analysed[name].height <= 1440


def _labelled(analysed: dict[str, FaceResult]) -> tuple[np.ndarray, list[str]]:
    names = sorted(IDENTITY)
    return np.stack([analysed[n].faces[0].embedding for n in names]), [IDENTITY[n] for n in names]


def test_same_person_one_cluster_others_apart(analysed: dict[str, FaceResult]) -> None:
    x, truth = _labelled(analysed)
    labels = cl.cluster(x, match_distance=DLIB_MATCH_DISTANCE, min_faces=1).labels
    by_identity: dict[str, set[int]] = {}
    for lab, who in zip(labels.tolist(), truth, strict=True):
        by_identity.setdefault(who, set()).add(lab)
    assert all(len(v) == 1 for v in by_identity.values()), by_identity  # nobody split
    owners = [next(iter(v)) for v in by_identity.values()]
    assert len(set(owners)) == len(owners), by_identity  # nobody merged
    # With Immich's minimum of 3 faces, only Obama (5 photos) is a person; the rest wait unassigned.
    labels3 = cl.cluster(x, match_distance=DLIB_MATCH_DISTANCE, min_faces=3).labels
    obama = {int(lab) for lab, who in zip(labels3, truth, strict=True) if who == "obama"}
    assert len(obama) == 1 and obama != {-1}
    assert all(lab == -1 for lab, who in zip(labels3, truth, strict=True) if who != "obama")


def test_face_swap_follows_the_face(analysed: dict[str, FaceResult]) -> None:
    swap = analysed["face_swapped.jpg"].faces[0].embedding
    face_owner = analysed["230501201_1.jpg"].faces[0].embedding
    body_owner = analysed["227943776_1.jpg"].faces[0].embedding
    assert 1 - swap @ face_owner < DLIB_MATCH_DISTANCE < 1 - swap @ body_owner

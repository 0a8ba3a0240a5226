"""Answers to "is this the same person?": a no is stored, never suggested again and never undone by a
re-cluster; a yes merges. Drawn faces are stored without an identity and never join a person."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlalchemy import select

from photonest.db.tables import AssetFace, Person, PersonNotSame
from photonest.library import people as people_lib
from photonest.ml.faces import FaceResult, load_rgb
from tests.conftest import Account
from tests.faces.conftest import FACES_DIR, _analyzer
from tests.library.factory import insert_asset

RULES = people_lib.FaceRules(match_distance=0.06, min_faces=3, suggest_distance=0.096)


def _unit(v: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    out: np.ndarray[Any, Any] = (v / np.linalg.norm(v)).astype(np.float32)
    return out


def _two_close_people(client: TestClient, owner: str) -> tuple[str, str]:
    """Two unnamed people, three photos each, whose faces are 0.02 apart (cosine): a re-cluster joins them."""
    rng = np.random.default_rng(3)
    u = _unit(rng.standard_normal(128))
    w = _unit(rng.standard_normal(128))
    w = _unit(w - (w @ u) * u)
    v = _unit(u + 0.2 * w)  # cos(u, v) = 1 / sqrt(1.04): distance 0.0194
    ids = []
    assets = [insert_asset(client, owner, f"2024-01-0{k + 1}T10:00:00") for k in range(6)]
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        for n, centre in enumerate((u, v)):
            p = Person(owner_id=owner)
            s.add(p)
            s.flush()
            ids.append(p.id)
            for aid in assets[3 * n:3 * n + 3]:
                e = _unit(centre + 0.001 * rng.standard_normal(128))
                s.add(AssetFace(asset_id=aid, owner_id=owner, person_id=p.id, x1=0.1, y1=0.1, x2=0.3, y2=0.3,
                                image_width=100, image_height=100, embedding=e.astype("<f4").tobytes()))
        s.flush()
        people_lib.refresh_people(s, ids)
    return ids[0], ids[1]


def _people(client: TestClient, owner: str) -> dict[str, int]:
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        return {p.id: p.face_count for p in s.scalars(select(Person).where(Person.owner_id == owner))}


def _recluster(client: TestClient, owner: str) -> dict[str, int]:
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        return people_lib.recluster(s, owner, RULES)


def _suggested(client: TestClient, who: Account) -> set[frozenset[str]]:
    r = client.get("/api/people/suggestions", headers=who.headers)
    assert r.status_code == 200, r.text
    return {frozenset((i["person"]["id"], i["other"]["id"])) for i in r.json()}


def test_not_the_same_person_holds(client: TestClient, alice: Account, bob: Account) -> None:
    # Control: Bob's two near-identical people are suggested, and a re-cluster joins them.
    b1, b2 = _two_close_people(client, bob.id)
    assert frozenset((b1, b2)) in _suggested(client, bob)
    _recluster(client, bob.id)
    assert len(_people(client, bob.id)) == 1

    a1, a2 = _two_close_people(client, alice.id)
    assert frozenset((a1, a2)) in _suggested(client, alice)
    r = client.post("/api/people/suggestions/answers", headers=alice.headers,
                    json={"personId": a2, "otherId": a1, "samePerson": False})
    assert r.status_code == 201 or r.status_code == 200, r.text
    assert r.json() == []
    assert frozenset((a1, a2)) not in _suggested(client, alice)
    _recluster(client, alice.id)
    assert _people(client, alice.id) == {a1: 3, a2: 3}
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        (row,) = s.scalars(select(PersonNotSame)).all()
        assert (row.person_id, row.other_id) == tuple(sorted((a1, a2))) and row.owner_id == alice.id

    # Withdrawn: suggested again. Then "yes": merged, and the answer is gone with the person.
    r = client.delete("/api/people/suggestions/answers", headers=alice.headers,
                      params={"personId": a1, "otherId": a2})
    assert r.status_code == 204, r.text
    assert frozenset((a1, a2)) in _suggested(client, alice)
    r = client.post("/api/people/suggestions/answers", headers=alice.headers,
                    json={"personId": a1, "otherId": a2, "samePerson": True})
    assert r.status_code in (200, 201) and r.json() == [{"id": a2, "success": True}], r.text
    assert _people(client, alice.id) == {a1: 6}


def test_answer_survives_a_merge_of_one_side(client: TestClient, alice: Account) -> None:
    a1, a2 = _two_close_people(client, alice.id)
    c1, c2 = _two_close_people(client, alice.id)
    client.post("/api/people/suggestions/answers", headers=alice.headers,
                json={"personId": a1, "otherId": a2, "samePerson": False})
    # a2 is merged into c1: the "not a1" answer now belongs to c1.
    r = client.post(f"/api/people/{c1}/merge", headers=alice.headers, json={"ids": [a2]})
    assert r.status_code == 200 and r.json()[0]["success"], r.text
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        pairs = people_lib.not_same_pairs(s, alice.id)
    assert pairs == {tuple(sorted((a1, c1)))}
    assert c2 in _people(client, alice.id)


def test_answers_are_checked(client: TestClient, alice: Account, bob: Account) -> None:
    a1, a2 = _two_close_people(client, alice.id)
    b1, _ = _two_close_people(client, bob.id)
    url = "/api/people/suggestions/answers"
    for body in ({"personId": a1, "otherId": a1, "samePerson": False},  # oneself
                 {"personId": a1, "otherId": b1, "samePerson": False},  # someone else's
                 {"personId": a1, "otherId": "not-a-uuid", "samePerson": False},
                 {"personId": a1, "otherId": a2}):  # no answer
        r = client.post(url, headers=alice.headers, json=body)
        assert r.status_code == 400, (body, r.text)
        assert {"message", "error", "statusCode"} <= set(r.json())
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        assert s.scalars(select(PersonNotSame)).all() == []


def _drawn_face(size: int = 300) -> Image.Image:
    """A cartoon face as a child or a comic draws it: flat colours, black outlines."""
    im = Image.new("RGB", (600, 600), "white")
    d = ImageDraw.Draw(im)
    c, r = 300, size // 2
    d.ellipse((c - r, c - r * 1.25, c + r, c + r * 1.25), outline="black", width=6, fill=(240, 200, 160))
    d.ellipse((c - r * 0.5, c - r * 0.4, c - r * 0.2, c - r * 0.15), fill="black")
    d.ellipse((c + r * 0.2, c - r * 0.4, c + r * 0.5, c - r * 0.15), fill="black")
    d.line((c, c - r * 0.1, c - r * 0.08, c + r * 0.25, c + r * 0.05, c + r * 0.25), fill="black", width=5)
    d.arc((c - r * 0.45, c + r * 0.1, c + r * 0.45, c + r * 0.7), 20, 160, fill="black", width=6)
    return im


def _jpeg(im: Image.Image) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    out = Image.open(io.BytesIO(buf.getvalue()))
    out.load()
    return out


def test_drawn_faces_get_no_identity(client: TestClient, alice: Account) -> None:
    # A real photo with a drawing pinned next to it: the drawing is found (HOG sees a face) but marked unusable.
    photo = load_rgb(FACES_DIR / "obama.jpg")
    photo.thumbnail((600, 600))
    sheet = Image.new("RGB", (photo.width + 600, max(600, photo.height)), "white")
    sheet.paste(photo, (0, 0))
    sheet.paste(_drawn_face(), (photo.width, 0))
    result = _analyzer.analyse(_jpeg(sheet))
    assert len(result.faces) == 2
    drawn = [f for f in result.faces if not f.usable]
    real = [f for f in result.faces if f.usable]
    assert len(drawn) == 1 and len(real) == 1 and drawn[0].box[0] > real[0].box[2]

    # Stored with its state, unassigned, and a re-cluster with many look-alike drawings leaves them alone.
    assets = [insert_asset(client, alice.id, f"2024-02-0{k + 1}T10:00:00") for k in range(4)]
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        for aid in assets:
            people_lib.replace_faces(s, s.get(people_lib.Asset, aid),
                                             FaceResult(result.width, result.height, result.faces), "dlib", RULES)
    _recluster(client, alice.id)
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        faces = s.scalars(select(AssetFace).where(AssetFace.owner_id == alice.id)).all()
        unusable = [f for f in faces if f.identity == people_lib.IDENTITY_UNUSABLE]
        usable = [f for f in faces if f.identity == people_lib.IDENTITY_USABLE]
        assert len(unusable) == 4 and len(usable) == 4
        assert all(f.embedding is None and f.person_id is None for f in unusable)
        # The four copies of the real face became a person; the drawings joined no one.
        assert len({f.person_id for f in usable}) == 1 and usable[0].person_id is not None

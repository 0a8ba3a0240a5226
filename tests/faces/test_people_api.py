"""Faces and people end to end: upload real photos, run the pipeline (thumbnails -> faces), then the People and
Faces APIs as Immich's clients use them. Detection results are cached per preview for the whole session."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from photonest.config import Settings
from photonest.library import people as people_lib
from tests.conftest import Account
from tests.faces.conftest import FACES_DIR
from tests.jobs.conftest import process, rows
from tests.uploading import upload

OBAMA = ("obama.jpg", "obama2.jpg", "obama3.jpg", "obama_partial_face.jpg", "obama_partial_face2.jpg")
OTHERS = ("biden.jpg", "dogs.jpg", "2008_002506.jpg")


def upload_all(client: TestClient, who: Account, names: tuple[str, ...]) -> dict[str, str]:
    ids = {}
    for n in names:
        r = upload(client, who, FACES_DIR / n)
        assert r.status_code == 201, r.text
        ids[n] = r.json()["id"]
    process(client)
    return ids


def get(client: TestClient, who: Account, path: str, **params: Any) -> Any:
    r = client.get(path, headers=who.headers, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


def faces(client: TestClient, who: Account, asset_id: str) -> list[dict[str, Any]]:
    return get(client, who, "/api/faces", id=asset_id)  # type: ignore[no-any-return]


@pytest.mark.postgres
def test_faces_become_people(faces_stage: None, client: TestClient, settings: Settings, alice: Account,
                             bob: Account) -> None:
    ids = upload_all(client, alice, OBAMA + OTHERS)
    assert "faces" in rows(client, ids["obama.jpg"])["asset"].stages_done

    # Five photos of one man: one person. Biden (one photo) and the three men (one photo each) wait unassigned.
    listing = get(client, alice, "/api/people")
    assert listing["total"] == 1 and listing["hidden"] == 0 and listing["hasNextPage"] is False
    person = listing["people"][0]
    pid = person["id"]
    assert person["name"] == "" and person["isHidden"] is False and person["thumbnailPath"]
    assert get(client, alice, f"/api/people/{pid}/statistics") == {"assets": 5}
    for n in OBAMA:
        (face,) = faces(client, alice, ids[n])
        assert face["person"]["id"] == pid and face["sourceType"] == "machine-learning"
        assert 0 <= face["boundingBoxX1"] < face["boundingBoxX2"] <= face["imageWidth"]
        assert 0 <= face["boundingBoxY1"] < face["boundingBoxY2"] <= face["imageHeight"]
        assert min(face["imageWidth"], face["imageHeight"]) <= 1440  # the preview's size
    (biden,) = faces(client, alice, ids["biden.jpg"])
    assert biden["person"] is None
    assert faces(client, alice, ids["dogs.jpg"]) == []
    group = faces(client, alice, ids["2008_002506.jpg"])
    assert len(group) == 3 and all(f["person"] is None for f in group)
    # The asset says who is in it.
    assert [p["id"] for p in get(client, alice, f"/api/assets/{ids['obama.jpg']}")["people"]] == [pid]

    # The thumbnail is a JPEG crop of the face.
    r = client.get(f"/api/people/{pid}/thumbnail", headers=alice.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(r.content)) as im:
        assert im.format == "JPEG" and max(im.size) <= 250

    # Name them; search finds them by a part of the name.
    r = client.put(f"/api/people/{pid}", headers=alice.headers,
                   json={"name": "Barack Obama", "birthDate": "1961-08-04", "isFavorite": True, "color": "ff0000",
                         "featureFaceAssetId": ids["obama2.jpg"]})
    assert r.status_code == 200, r.text
    named = r.json()
    assert named["name"] == "Barack Obama" and named["birthDate"] == "1961-08-04" and named["isFavorite"] is True
    assert named["color"] == "#ff0000" and named["thumbnailPath"] != person["thumbnailPath"]
    assert [p["id"] for p in get(client, alice, "/api/search/person", name="obam")] == [pid]
    assert get(client, alice, "/api/search/person", name="nobody") == []
    assert client.put(f"/api/people/{pid}", headers=alice.headers,
                      json={"featureFaceAssetId": ids["biden.jpg"]}).status_code == 400

    # Put Biden's face on a new person by hand (PUT /faces/{personId} with the face's id).
    r = client.post("/api/people", headers=alice.headers, json={"name": "Joe"})
    assert r.status_code == 201, r.text
    joe = r.json()["id"]
    r = client.put(f"/api/faces/{joe}", headers=alice.headers, json={"id": biden["id"]})
    assert r.status_code == 200 and r.json()["id"] == joe
    assert faces(client, alice, ids["biden.jpg"])[0]["person"]["id"] == joe

    # The full re-cluster moves neither the manual assignment nor the named person's faces.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        people_lib.recluster(s, alice.id, people_lib.FaceRules.from_settings(settings))
    assert faces(client, alice, ids["biden.jpg"])[0]["person"]["id"] == joe
    assert get(client, alice, f"/api/people/{pid}/statistics") == {"assets": 5}

    # Reassign one photo's face to another person, then merge that person back.
    other = client.post("/api/people", headers=alice.headers, json={}).json()["id"]
    r = client.put(f"/api/people/{other}/reassign", headers=alice.headers,
                   json={"data": [{"assetId": ids["obama3.jpg"], "personId": pid}]})
    assert r.status_code == 200 and [p["id"] for p in r.json()] == [other]
    assert get(client, alice, f"/api/people/{pid}/statistics") == {"assets": 4}
    r = client.post(f"/api/people/{pid}/merge", headers=alice.headers, json={"ids": [other, pid]})
    assert r.status_code == 200
    assert r.json() == [{"id": other, "success": True}, {"id": pid, "success": False, "error": "duplicate"}]
    assert get(client, alice, f"/api/people/{pid}/statistics") == {"assets": 5}
    assert client.get(f"/api/people/{other}", headers=alice.headers).status_code == 400

    # A face drawn by hand, then deleted.
    r = client.post("/api/faces", headers=alice.headers,
                    json={"assetId": ids["dogs.jpg"], "personId": joe, "x": 100, "y": 50, "width": 200, "height": 200,
                          "imageWidth": 900, "imageHeight": 916})
    assert r.status_code == 201, r.text
    (manual,) = faces(client, alice, ids["dogs.jpg"])
    assert manual["sourceType"] == "manual" and manual["person"]["id"] == joe
    assert (manual["boundingBoxX1"], manual["boundingBoxY1"], manual["imageWidth"]) == (100, 50, 900)
    assert client.request("DELETE", f"/api/faces/{manual['id']}", headers=alice.headers,
                          json={"force": True}).status_code == 204
    assert faces(client, alice, ids["dogs.jpg"]) == []

    # Hidden people leave the list unless asked for; bulk update answers per id.
    r = client.put("/api/people", headers=alice.headers,
                   json={"people": [{"id": joe, "isHidden": True}, {"id": bob.id, "name": "x"}]})
    assert r.status_code == 200
    assert r.json()[0] == {"id": joe, "success": True} and r.json()[1]["success"] is False
    listing = get(client, alice, "/api/people")
    assert listing["total"] == 2 and listing["hidden"] == 1 and [p["id"] for p in listing["people"]] == [pid]
    assert {p["id"] for p in get(client, alice, "/api/people", withHidden="true")["people"]} == {pid, joe}
    paged = get(client, alice, "/api/people", withHidden="true", size=1)
    assert len(paged["people"]) == 1 and paged["hasNextPage"] is True

    assert isinstance(get(client, alice, "/api/people/suggestions"), list)

    # Deleting a person leaves their faces, unassigned.
    assert client.delete(f"/api/people/{joe}", headers=alice.headers).status_code == 204
    assert faces(client, alice, ids["biden.jpg"])[0]["person"] is None

    # Bob sees none of it, and cannot touch it through request bodies either.
    assert get(client, bob, "/api/people") == {"people": [], "total": 0, "hidden": 0, "hasNextPage": False}
    assert get(client, bob, "/api/search/person", name="obama") == []
    assert client.get("/api/faces", headers=bob.headers, params={"id": ids["obama.jpg"]}).status_code == 400
    mine = client.post("/api/people", headers=bob.headers, json={"name": "Bob's"}).json()["id"]
    r = client.post(f"/api/people/{mine}/merge", headers=bob.headers, json={"ids": [pid]})
    assert r.json() == [{"id": pid, "success": False, "error": "not_found"}]
    face_id = faces(client, alice, ids["obama.jpg"])[0]["id"]
    assert client.put(f"/api/faces/{mine}", headers=bob.headers, json={"id": face_id}).status_code == 400
    r = client.put(f"/api/people/{mine}/reassign", headers=bob.headers,
                   json={"data": [{"assetId": ids["obama.jpg"], "personId": pid}]})
    assert r.status_code == 400
    r = client.put("/api/people", headers=bob.headers, json={"people": [{"id": pid, "name": "pwned"}]})
    assert r.json()[0]["success"] is False
    assert client.post("/api/faces", headers=bob.headers,
                       json={"assetId": ids["dogs.jpg"], "personId": mine, "x": 1, "y": 1, "width": 9, "height": 9,
                             "imageWidth": 90, "imageHeight": 90}).status_code == 400
    assert get(client, alice, f"/api/people/{pid}")["name"] == "Barack Obama"
    assert get(client, alice, f"/api/people/{pid}/statistics") == {"assets": 5}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_new_people_form_as_photos_arrive(faces_stage: None, client: TestClient, alice: Account) -> None:
    """Incremental: two photos of one man are not a person yet (minimum 3 faces); the third makes one; later
    photos join them; a re-detection (refresh-faces) keeps the person."""
    ids = upload_all(client, alice, OBAMA[:2])
    assert get(client, alice, "/api/people")["total"] == 0
    ids |= upload_all(client, alice, OBAMA[2:3])
    (person,) = get(client, alice, "/api/people")["people"]
    ids |= upload_all(client, alice, OBAMA[3:])
    assert get(client, alice, "/api/people")["total"] == 1
    assert get(client, alice, f"/api/people/{person['id']}/statistics") == {"assets": 5}

    r = client.post("/api/assets/jobs", headers=alice.headers,
                    json={"assetIds": [ids["obama.jpg"]], "name": "refresh-faces"})
    assert r.status_code == 204
    process(client)
    assert faces(client, alice, ids["obama.jpg"])[0]["person"]["id"] == person["id"]

"""GET /api/people lists and counts only people with a face on a visible asset, at once (as Immich's
getAllForUser and getNumberOfPeople, which join faces to timeline assets that are not trashed): a person whose
last face is deleted or moved, or whose photos are trashed or archived, leaves the list without waiting for a
clean-up; person-cleanup later deletes the named ones left without faces. Faces are drawn through the API on
inserted assets (no detection), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.jobs.conftest import process
from tests.library.factory import insert_asset

pytestmark = pytest.mark.postgres


def listing(client: TestClient, who: Account) -> tuple[dict[str, str], int, int]:
    r = client.get("/api/people", headers=who.headers, params={"withHidden": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    return {p["id"]: p["name"] for p in body["people"]}, body["total"], body["hidden"]


def person(client: TestClient, who: Account, **fields: Any) -> str:
    r = client.post("/api/people", headers=who.headers, json=fields)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def draw(client: TestClient, who: Account, asset_id: str, person_id: str) -> str:
    r = client.post("/api/faces", headers=who.headers, json={
        "assetId": asset_id, "personId": person_id, "x": 10, "y": 10, "width": 100, "height": 100,
        "imageWidth": 4000, "imageHeight": 3000})
    assert r.status_code == 201, r.text
    faces = client.get("/api/faces", headers=who.headers, params={"id": asset_id}).json()
    return str(next(f["id"] for f in faces if f["person"]["id"] == person_id))


def test_people_without_visible_faces_leave_the_list_at_once(client: TestClient, admin: Account,
                                                              alice: Account) -> None:
    a1 = insert_asset(client, alice.id, "2024-05-01T10:00:00")
    a2 = insert_asset(client, alice.id, "2024-05-02T10:00:00")
    ann = person(client, alice, name="Ann")
    assert listing(client, alice) == ({}, 0, 0)  # named, but no face yet
    ann_face = draw(client, alice, a1, ann)
    anon = person(client, alice)
    anon_face = draw(client, alice, a2, anon)
    assert listing(client, alice) == ({ann: "Ann", anon: ""}, 2, 0)

    # Ann's face moves to Bo: Ann (named) has none left and leaves the list, though she still exists.
    bo = person(client, alice, name="Bo", isHidden=True)
    assert client.put(f"/api/faces/{bo}", headers=alice.headers, json={"id": ann_face}).status_code == 200
    assert listing(client, alice) == ({bo: "Bo", anon: ""}, 2, 1)
    assert client.get(f"/api/people/{ann}", headers=alice.headers).status_code == 200
    # The unnamed person's only face is deleted: gone from the list (and deleted).
    assert client.request("DELETE", f"/api/faces/{anon_face}", headers=alice.headers,
                          json={"force": True}).status_code == 204
    assert listing(client, alice) == ({bo: "Bo"}, 1, 1)

    # Bo's only photo trashed, then archived: off the list and its counts; back when restored.
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a1]}).status_code == 204
    assert listing(client, alice) == ({}, 0, 0)
    assert client.post("/api/trash/restore/assets", headers=alice.headers, json={"ids": [a1]}).status_code == 200
    assert listing(client, alice) == ({bo: "Bo"}, 1, 1)
    assert client.put("/api/assets", headers=alice.headers,
                      json={"ids": [a1], "visibility": "archive"}).status_code == 204
    assert listing(client, alice) == ({}, 0, 0)
    assert client.get(f"/api/people/{bo}/statistics", headers=alice.headers).json() == {"assets": 0}
    assert client.put("/api/assets", headers=alice.headers,
                      json={"ids": [a1], "visibility": "timeline"}).status_code == 204
    assert client.get(f"/api/people/{bo}/statistics", headers=alice.headers).json() == {"assets": 1}

    # The admin's person-cleanup deletes the named person left without faces; Bo keeps his face.
    assert client.post("/api/jobs", headers=admin.headers, json={"name": "person-cleanup"}).status_code == 204
    process(client)
    assert client.get(f"/api/people/{ann}", headers=alice.headers).status_code == 400
    assert listing(client, alice) == ({bo: "Bo"}, 1, 1)

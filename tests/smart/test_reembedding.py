"""Edits that change what is known about a photo (its description, its place, the names of the people in it,
its tags) make its text embedding again, so smart search finds it by the new words."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from photonest.config import Settings
from photonest.db.tables import AssetEmbedding
from photonest.library.smart_search import TEXT_MODEL, THINGS_MODEL
from tests.conftest import MEDIA, Account
from tests.smart.conftest import share_models
from tests.uploading import upload


def _texts(client: TestClient, asset_id: str) -> dict[str, tuple[str, bytes]]:
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        rows = s.scalars(select(AssetEmbedding).where(AssetEmbedding.asset_id == asset_id)).all()
        return {r.model: (r.source_text or "", r.vector) for r in rows}


def _drain(client: TestClient) -> None:
    client.app.state.jobs.drain()  # type: ignore[attr-defined]


def _top(client: TestClient, who: Account, query: str) -> list[str]:
    r = client.post("/api/search/smart", json={"query": query, "size": 5}, headers=who.headers)
    assert r.status_code == 200, r.text
    return [a["id"] for a in r.json()["assets"]["items"]]


def test_edits_refresh_the_text_embedding(smart_stages: None, model_cache: Path, settings: Settings,
                                          client: TestClient, alice: Account) -> None:
    share_models(model_cache, settings)
    ids = []
    for path in (MEDIA / "png" / "chelsea.png", MEDIA / "camera_jpeg" / "board.jpg"):
        r = upload(client, alice, path)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    _drain(client)
    cat = ids[0]
    before = _texts(client, cat)
    assert "ninetieth" not in before[TEXT_MODEL][0]

    # The description: the "everything" text changes, and search finds the photo by it.
    r = client.put(f"/api/assets/{cat}", json={"description": "Grandma's ninetieth birthday"}, headers=alice.headers)
    assert r.status_code == 200, r.text
    _drain(client)
    after = _texts(client, cat)
    assert "Grandma's ninetieth birthday" in after[TEXT_MODEL][0]
    assert after[TEXT_MODEL][1] != before[TEXT_MODEL][1]
    assert _top(client, alice, "ninetieth birthday")[0] == cat

    # A person's name: on a face drawn by hand, then renamed; both texts say the new name.
    person = client.post("/api/people", json={"name": "Rosa"}, headers=alice.headers).json()["id"]
    r = client.post("/api/faces", headers=alice.headers, json={
        "assetId": cat, "personId": person, "x": 10, "y": 10, "width": 50, "height": 50,
        "imageWidth": 400, "imageHeight": 300})
    assert r.status_code == 201, r.text
    r = client.put(f"/api/people/{person}", json={"name": "Rosalind"}, headers=alice.headers)
    assert r.status_code == 200, r.text
    _drain(client)
    things, _ = _texts(client, cat)[THINGS_MODEL]
    assert "people: Rosalind" in things
    r = client.put("/api/people", json={"people": [{"id": person, "name": "Roz"}]}, headers=alice.headers)
    assert r.status_code == 200 and r.json()[0]["success"], r.text
    _drain(client)
    assert "people: Roz" in _texts(client, cat)[THINGS_MODEL][0]
    # The face removed: the name leaves the photo's text.
    face = client.get("/api/faces", params={"id": cat}, headers=alice.headers).json()[0]["id"]
    r = client.request("DELETE", f"/api/faces/{face}", json={"force": True}, headers=alice.headers)
    assert r.status_code == 204, r.text
    _drain(client)
    assert "people:" not in _texts(client, cat)[THINGS_MODEL][0]

    # A bulk edit of the place (coordinates) queues the photos too; other fields do not.
    untouched = _texts(client, ids[1])
    r = client.put("/api/assets", json={"ids": [ids[1]], "isFavorite": True}, headers=alice.headers)
    assert r.status_code == 204, r.text
    _drain(client)
    assert _texts(client, ids[1]) == untouched
    r = client.put("/api/assets", json={"ids": [ids[1]], "description": "the notice board at the station"},
                   headers=alice.headers)
    assert r.status_code == 204, r.text
    _drain(client)
    assert "notice board at the station" in _texts(client, ids[1])[TEXT_MODEL][0]

    # Tags: tagging and untagging one photo, and the bulk endpoint.
    tag = client.post("/api/tags", json={"name": "Holidays"}, headers=alice.headers).json()["id"]
    r = client.put(f"/api/tags/{tag}/assets", json={"ids": [cat]}, headers=alice.headers)
    assert r.status_code == 200 and r.json()[0]["success"], r.text
    _drain(client)
    assert "tags: Holidays" in _texts(client, cat)[THINGS_MODEL][0]
    r = client.request("DELETE", f"/api/tags/{tag}/assets", json={"ids": [cat]}, headers=alice.headers)
    assert r.status_code == 200 and r.json()[0]["success"], r.text
    _drain(client)
    assert "tags:" not in _texts(client, cat)[THINGS_MODEL][0]
    r = client.put("/api/tags/assets", json={"tagIds": [tag], "assetIds": [ids[1]]}, headers=alice.headers)
    assert r.status_code == 200 and r.json() == {"count": 1}, r.text
    _drain(client)
    assert "tags: Holidays" in _texts(client, ids[1])[THINGS_MODEL][0]


def test_tag_rename_and_delete_and_person_delete_refresh_the_text(
        smart_stages: None, model_cache: Path, settings: Settings, client: TestClient, alice: Account) -> None:
    """Renaming a tag (its subtree too) or deleting it, and deleting a named person, change the words in the
    photos' text: the embeddings are made again, and the old words no longer find them."""
    share_models(model_cache, settings)
    r = upload(client, alice, MEDIA / "png" / "chelsea.png")
    assert r.status_code == 201, r.text
    cat = r.json()["id"]
    _drain(client)
    h = alice.headers
    parent = client.post("/api/tags", json={"name": "Travel"}, headers=h).json()["id"]
    child = client.post("/api/tags", json={"name": "Lisbon", "parentId": parent}, headers=h).json()["id"]
    assert client.put(f"/api/tags/{child}/assets", json={"ids": [cat]}, headers=h).json()[0]["success"]
    _drain(client)
    assert "tags: Travel Lisbon" in _texts(client, cat)[THINGS_MODEL][0]

    # The parent renamed: the photo, tagged below it, says the new path.
    r = client.put(f"/api/tags/{parent}", json={"name": "Voyages"}, headers=h)
    assert r.status_code == 200 and r.json()["value"] == "Voyages", r.text
    _drain(client)
    assert "tags: Voyages Lisbon" in _texts(client, cat)[THINGS_MODEL][0]
    # The parent deleted (its child and the tagging go with it): no tags left in the text.
    assert client.delete(f"/api/tags/{parent}", headers=h).status_code == 204
    _drain(client)
    assert "tags:" not in _texts(client, cat)[THINGS_MODEL][0]

    # A named person deleted: their name leaves the photo (the face stays, unassigned).
    person = client.post("/api/people", json={"name": "Rosalind"}, headers=h).json()["id"]
    r = client.post("/api/faces", headers=h, json={"assetId": cat, "personId": person, "x": 10, "y": 10,
                                                   "width": 50, "height": 50, "imageWidth": 400, "imageHeight": 300})
    assert r.status_code == 201, r.text
    _drain(client)
    assert "people: Rosalind" in _texts(client, cat)[THINGS_MODEL][0]
    assert client.delete(f"/api/people/{person}", headers=h).status_code == 204
    _drain(client)
    assert "people:" not in _texts(client, cat)[THINGS_MODEL][0]

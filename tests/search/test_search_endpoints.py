"""POST /api/search/random, /api/search/large-assets and GET /api/search/explore over a real library, on SQLite
and PostgreSQL; they share metadata search's filters (library.search_filters)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from photonest.api.dto.immich import AssetResponseDto
from photonest.library.smart_search import replace_labels
from tests.conftest import MEDIA
from tests.search.conftest import ALICE_FILES, Library
from tests.uploading import upload

pytestmark = pytest.mark.postgres

ALICE = set(ALICE_FILES) | {"video"}
AssetList = TypeAdapter(list[AssetResponseDto])


def names(lib: Library, items: list[dict[str, Any]]) -> list[str]:
    return [lib.names[i["id"]] for i in items]


def test_random_and_large_assets(library: Library) -> None:
    lib, client, h = library, library.client, library.alice.headers

    def rand(**body: Any) -> list[str]:
        r = client.post("/api/search/random", headers=h, json=body)
        assert r.status_code == 200, r.text
        return names(lib, r.json())

    three = rand(size=3)
    assert len(three) == len(set(three)) == 3 and set(three) <= ALICE
    assert set(rand()) == ALICE  # default size 250
    assert set(rand(make="Canon")) == {"furnace1", "furnace2", "sign"}
    assert rand(country="Brazil") == []  # Bob's
    orders = {tuple(rand(size=7)) for _ in range(12)}
    assert len(orders) > 1  # random: twelve draws of seven are not all in the same order
    with_exif = client.post("/api/search/random", headers=h, json={"city": "Heverlee", "withExif": True}).json()
    AssetList.validate_python(with_exif)  # the shape Immich's clients parse
    assert {i["exifInfo"]["model"] for i in with_exif} == {"iPhone 6"}

    def large(**params: Any) -> list[str]:
        r = client.post("/api/search/large-assets", headers=h, params=params)
        assert r.status_code == 200, r.text
        return names(lib, r.json())

    # sizes: sample.mp4 404567, leuvenA 324949, leuvenB 312454, then the small ones
    assert large(minFileSize=300000) == ["video", "leuvenA", "leuvenB"]
    AssetList.validate_python(client.post("/api/search/large-assets", headers=h, params={"withExif": True}).json())
    assert large(minFileSize=300000, size=1) == ["video"]
    assert large(minFileSize=300000, type="IMAGE") == ["leuvenA", "leuvenB"]
    assert large(make="Canon") == ["sign", "furnace2", "furnace1"]
    assert large(minFileSize=10**9) == []
    assert len(large()) == len(ALICE)
    r = client.post("/api/search/large-assets", headers=h, params={"minFileSize": -1})
    assert r.status_code == 400 and r.json()["statusCode"] == 400
    r = client.post("/api/search/large-assets", headers=h, params={"size": 0})
    assert r.status_code == 400
    r = client.post("/api/search/large-assets", headers=h, params={"visibility": "locked"})
    assert r.status_code == 401  # the locked folder needs an unlocked session


def test_explore_places_and_things(library: Library) -> None:
    """Immich's explore: cities with at least 5 photos, each with one of them; and (ours) the things the labeller
    saw in at least 5 photos."""
    lib, client, h = library, library.client, library.alice.headers
    r = client.get("/api/search/explore", headers=h)
    assert r.status_code == 200, r.text
    assert r.json() == [{"fieldName": "exifInfo.city", "items": []}, {"fieldName": "smartInfo.objects", "items": []}]

    # Three more photos from Leuven (the same file, a byte apart: other checksums) make five in Heverlee.
    data = (MEDIA / "camera_jpeg" / "leuvenA.jpg").read_bytes()
    for i in range(3):
        r = upload(client, lib.alice, data=data + b"\0" * (i + 1), part_name=f"leuven-copy{i}.jpg")
        assert r.status_code == 201, r.text
        lib.names[r.json()["id"]] = f"copy{i}"
    client.app.state.jobs.drain()  # type: ignore[attr-defined]
    # what the labels stage writes (its model is exercised in tests/smart): "beer bottle" in five photos
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        for n in ("leuvenA", "leuvenB", "furnace1", "furnace2", "stonehenge"):
            replace_labels(s, lib.ids[n], [("beer bottle", 0.9 if n == "stonehenge" else 0.5)])
        replace_labels(s, lib.ids["sign"], [("street sign", 0.9)])
        s.commit()

    body = client.get("/api/search/explore", headers=h).json()
    assert [f["fieldName"] for f in body] == ["exifInfo.city", "smartInfo.objects"]
    cities, things = body[0]["items"], body[1]["items"]
    assert [c["value"] for c in cities] == ["Heverlee"]
    assert cities[0]["data"]["exifInfo"]["city"] == "Heverlee"
    assert [t["value"] for t in things] == ["beer bottle"]
    assert lib.names[things[0]["data"]["id"]] == "stonehenge"  # the clearest one
    # Bob sees none of it
    assert client.get("/api/search/explore", headers=lib.bob.headers).json()[0]["items"] == []
    # trashed photos do not count: four left in Heverlee
    r = client.request("DELETE", "/api/assets", headers=h, json={"ids": [lib.ids["leuvenA"]]})
    assert r.status_code == 204
    assert client.get("/api/search/explore", headers=h).json()[0]["items"] == []


def _smart_names(lib: Library, h: dict[str, str], body: dict[str, Any]) -> set[str]:
    r = lib.client.post("/api/search/smart", headers=h, json=body)
    assert r.status_code == 200, r.text
    return set(names(lib, r.json()["assets"]["items"]))


def test_smart_search_uses_the_same_filters(library: Library) -> None:
    """Smart search's metadata filters come from the same builder: a file-name query narrowed by camera and
    place (the labels and embeddings stages are off in this folder; the file-name signal still ranks)."""
    lib, client, h = library, library.client, library.alice.headers

    def smart(**body: Any) -> set[str]:
        return _smart_names(lib, h, body)

    jpegs = {"leuvenA", "leuvenB", "furnace1", "furnace2", "sign"}
    assert smart(query="photo .jpg") == jpegs  # the file-name signal: every JPEG (not the HEIC, not the MP4)
    assert smart(query="photo .jpg", city=None) == {"furnace2", "sign"}
    assert smart(query="photo .jpg", make="Apple") == {"leuvenA", "leuvenB"}
    assert smart(query="photo .jpg", takenBefore="2005-01-01T00:00:00Z") == {"sign"}
    r = client.post("/api/search/smart", headers=h, json={"query": "x.jpg", "visibility": "locked"})
    assert r.status_code == 400


def test_smart_search_includes_partners_shown_in_the_timeline(library: Library) -> None:
    """As Immich (searchSmart searches getUserIdsToSearch): the libraries of partners the caller shows in their
    timeline join smart search, their trash never; nothing of theirs before or after."""
    lib, client, h = library, library.client, library.alice.headers

    def smart(**body: Any) -> set[str]:
        return _smart_names(lib, h, body)

    jpegs = {"leuvenA", "leuvenB", "furnace1", "furnace2", "sign"}
    assert client.post("/api/partners", headers=lib.bob.headers, json={"sharedWithId": lib.alice.id}).status_code == 201
    assert smart(query="photo .jpg") == jpegs  # shared, but not shown in Alice's timeline yet
    r = client.put(f"/api/partners/{lib.bob.id}", headers=h, json={"inTimeline": True})
    assert r.status_code == 200, r.text
    assert smart(query="photo .jpg") == jpegs | {"bob_brazil", "bob_furnace"}
    assert smart(query="photo .jpg", make="motorola") == {"bob_brazil"}
    assert client.request("DELETE", "/api/assets", headers=lib.bob.headers,
                          json={"ids": [lib.ids["bob_brazil"]]}).status_code == 204
    assert smart(query="photo .jpg") == jpegs | {"bob_furnace"}
    # Bob sees nothing of Alice's (she shares nothing with him); the share ended, Alice sees only hers again.
    r = client.post("/api/search/smart", headers=lib.bob.headers, json={"query": "photo .jpg"})
    assert set(names(lib, r.json()["assets"]["items"])) == {"bob_furnace"}
    assert client.delete(f"/api/partners/{lib.alice.id}", headers=lib.bob.headers).status_code == 204
    assert smart(query="photo .jpg") == jpegs

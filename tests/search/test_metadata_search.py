"""POST /api/search/metadata and /api/search/statistics over a real library (tests/search/conftest.py): every
filter of MetadataSearchDto, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.api.dto.immich import SearchResponseDto
from tests.conftest import MEDIA, Account
from tests.search.conftest import ALICE_FILES, Library, put

pytestmark = pytest.mark.postgres

ALICE = set(ALICE_FILES) | {"video"}


def bulk_update(lib: Library, names: list[str], **changes: Any) -> None:
    r = lib.client.put("/api/assets", headers=lib.alice.headers, json={"ids": [lib.ids[n] for n in names], **changes})
    assert r.status_code == 204, r.text


def test_camera_place_and_null_means_unknown(library: Library) -> None:
    lib = library
    assert lib.find() == ALICE
    assert lib.find(make="Canon") == {"furnace1", "furnace2", "sign"}
    assert lib.find(model="iPhone 6") == {"leuvenA", "leuvenB"}
    assert lib.find(lensModel="6.0-72.0mm") == {"furnace1", "furnace2"}
    assert lib.find(make="canon") == set()  # exact, as Immich (the suggestions give the stored spelling)
    assert lib.find(make=None) == {"video"}
    assert lib.find(lensModel=None) == {"sign", "video"}
    assert lib.find(city="Heverlee") == {"leuvenA", "leuvenB"}
    assert lib.find(state="England") == {"stonehenge"}
    assert lib.find(country="United States of America") == {"furnace1"}  # not Bob's copy
    assert lib.find(city=None) == {"furnace2", "sign", "video"}
    assert lib.find(make="Canon", city=None) == {"furnace2", "sign"}
    assert lib.find(country="Belgium", model="NIKON D5300") == set()
    # statistics counts what the search finds, with the same filters
    assert lib.count() == len(ALICE)
    assert lib.count(make="Canon") == 3
    assert lib.count(city=None, make="Canon") == 2


def test_dates_names_text_and_identity(library: Library) -> None:
    lib = library
    assert lib.find(takenAfter="2015-01-01T00:00:00Z") == {"leuvenA", "leuvenB", "stonehenge", "video"}
    assert lib.find(takenBefore="2008-12-31T00:00:00Z") == {"furnace1", "furnace2", "sign"}
    assert lib.find(takenAfter="2016-01-01T00:00:00Z", takenBefore="2016-12-31T23:59:59Z") == {"video"}
    assert lib.find(takenAfter="2019-04-14T11:46:00Z") == {"leuvenA"}  # 14 s after leuvenB
    between = lib.between_uploads.isoformat()
    assert lib.find(createdAfter=between) == {"video"}
    assert lib.find(createdBefore=between) == set(ALICE_FILES)
    assert lib.find(updatedAfter="2999-01-01T00:00:00Z") == set()
    assert lib.count(updatedBefore="2999-01-01T00:00:00Z") == len(ALICE)

    # file name and path: case-insensitive substrings; LIKE wildcards are plain characters
    assert lib.find(originalFileName="furnacecreek") == {"furnace1", "furnace2"}
    assert lib.find(originalFileName="INN2") == {"furnace2"}
    assert lib.find(originalFileName="%") == set()
    assert lib.find(originalFileName="_") == set()
    assert lib.find(originalPath=".HEIC") == {"stonehenge"}
    # description (Stonehenge.heic carries "Classic View"), and one set through the API
    assert lib.find(description="classic") == {"stonehenge"}
    bulk_update(lib, ["furnace2"], description="Breakfast at the inn, 100% sunny")
    assert lib.find(description="100%") == {"furnace2"}
    assert lib.find(description="BREAKFAST") == {"furnace2"}
    # text read in the photo (the OCR stage ran on the sign), every word, any case, through the index
    assert lib.find(ocr="double parking") == {"sign"}
    assert lib.find(ocr="PROHIB") == {"sign"}
    assert lib.find(ocr="parking elephant") == set()
    assert lib.find(ocr="at") == {"sign"}  # a short word: no trigram, still found
    # type, id, checksum (hex or base64; Bob has the same file: only Alice's is found), library
    assert lib.find(type="VIDEO") == {"video"}
    assert lib.find(type="IMAGE") == set(ALICE_FILES)
    assert lib.find(id=lib.ids["sign"]) == {"sign"}
    assert lib.find(id=lib.ids["bob_furnace"]) == set()
    sha = hashlib.sha1((MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg").read_bytes()).digest()
    assert lib.find(checksum=sha.hex()) == {"furnace1"}
    assert lib.find(checksum=base64.b64encode(sha).decode()) == {"furnace1"}
    assert lib.find(libraryId="6f1c3a4e-0c2b-4d6a-9a1e-2b3c4d5e6f70") == set()  # uploads belong to no library
    # rating: 1-5, or null for unrated (Stonehenge.heic says 0: rated "no stars", not unrated)
    bulk_update(lib, ["leuvenA"], rating=4)
    assert lib.find(rating=4) == {"leuvenA"}
    assert lib.find(rating=None) == ALICE - {"leuvenA", "stonehenge"}


def test_favourites_visibility_trash_and_motion(library: Library) -> None:
    lib, client = library, library.client
    bulk_update(lib, ["leuvenA"], isFavorite=True)
    assert lib.find(isFavorite=True) == {"leuvenA"}
    assert lib.find(isFavorite=False) == ALICE - {"leuvenA"}

    # archive: found by default (timeline and archive) and by visibility
    bulk_update(lib, ["furnace2"], visibility="archive")
    assert lib.find(visibility="archive") == {"furnace2"}
    assert "furnace2" not in lib.find(visibility="timeline")
    assert "furnace2" in lib.find()

    # trash: only with withDeleted or a trashed date filter
    r = client.request("DELETE", "/api/assets", headers=lib.alice.headers, json={"ids": [lib.ids["sign"]]})
    assert r.status_code == 204, r.text
    assert "sign" not in lib.find()
    assert "sign" in lib.find(withDeleted=True)
    assert lib.find(trashedAfter=lib.between_uploads.isoformat()) == {"sign"}
    assert lib.find(trashedBefore=lib.between_uploads.isoformat()) == set()
    assert lib.find(isOffline=False) == ALICE - {"sign"}
    assert lib.find(isOffline=True) == set()
    assert lib.find(isEncoded=True) == set()  # sample.mp4 is H.264: browsers play it as it is
    assert lib.find(isEncoded=False) == ALICE - {"sign"}

    # the locked folder: only from a session unlocked with the PIN code
    h = lib.alice.headers
    assert client.post("/api/auth/pin-code", headers=h, json={"pinCode": "123456"}).status_code == 204
    assert client.post("/api/auth/session/unlock", headers=h, json={"pinCode": "123456"}).status_code == 204
    bulk_update(lib, ["stonehenge"], visibility="locked")
    assert "stonehenge" not in lib.find()
    assert lib.find(visibility="locked") == {"stonehenge"}
    assert client.post("/api/auth/session/lock", headers=h).status_code == 204
    err = lib.search(visibility="locked", status=401)
    assert err["statusCode"] == 401 and err["message"]

    # a live photo: the still is "motion", its video part becomes hidden (found only when asked for)
    still = put(client, lib.alice, MEDIA / "camera_jpeg" / "FurnaceCreekInn3.jpg", livePhotoVideoId=lib.ids["video"])
    lib.names[still] = "still"
    assert lib.find(isMotion=True) == {"still"}
    assert "video" not in lib.find()
    assert lib.find(visibility="hidden") == {"video"}
    assert "still" not in lib.find(isMotion=False)


def test_albums_tags_people_and_stacks(library: Library) -> None:
    lib, client, h = library, library.client, library.alice.headers
    ids = lib.ids

    def album(name: str, *names: str) -> str:
        r = client.post("/api/albums", headers=h, json={"albumName": name, "assetIds": [ids[n] for n in names]})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    belgium, best = album("Belgium", "leuvenA", "leuvenB"), album("Best", "leuvenA", "furnace1")
    assert lib.find(albumIds=[belgium]) == {"leuvenA", "leuvenB"}
    assert lib.find(albumIds=[belgium, best]) == {"leuvenA"}  # in all of them
    assert lib.find(isNotInAlbum=True) == ALICE - {"leuvenA", "leuvenB", "furnace1"}
    assert lib.find(isNotInAlbum=True, albumIds=[best]) == {"leuvenA", "furnace1"}  # as Immich: albumIds win

    r = client.put("/api/tags", headers=h, json={"tags": ["Travel/Belgium", "Travel/USA", "Keep"]})
    assert r.status_code == 200, r.text
    tag = {t["value"]: t["id"] for t in client.get("/api/tags", headers=h).json()}
    for value, names in (("Travel/Belgium", ["leuvenA"]), ("Travel/USA", ["furnace1"]), ("Keep", ["leuvenA"])):
        r = client.put(f"/api/tags/{tag[value]}/assets", headers=h, json={"ids": [ids[n] for n in names]})
        assert r.status_code == 200, r.text
    assert lib.find(tagIds=[tag["Travel"]]) == {"leuvenA", "furnace1"}  # a tag finds its sub-tags' assets
    assert lib.find(tagIds=[tag["Travel/USA"]]) == {"furnace1"}
    assert lib.find(tagIds=[tag["Travel"], tag["Keep"]]) == {"leuvenA"}  # all of them
    assert lib.find(tagIds=None) == ALICE - {"leuvenA", "furnace1"}  # null: no tags at all

    def person(name: str, *names: str) -> str:
        r = client.post("/api/people", headers=h, json={"name": name})
        assert r.status_code == 201, r.text
        for n in names:
            face = {"assetId": ids[n], "personId": r.json()["id"], "imageWidth": 400, "imageHeight": 300,
                    "x": 10, "y": 10, "width": 50, "height": 50}
            assert client.post("/api/faces", headers=h, json=face).status_code == 201
        return str(r.json()["id"])

    ann, bea = person("Ann", "leuvenA", "furnace1"), person("Bea", "leuvenA")
    assert lib.find(personIds=[ann]) == {"leuvenA", "furnace1"}
    assert lib.find(personIds=[ann, bea]) == {"leuvenA"}
    items = lib.search(personIds=[ann], withPeople=True)["assets"]["items"]
    people = {lib.names[i["id"]]: sorted(p["name"] for p in i["people"]) for i in items}
    assert people == {"leuvenA": ["Ann", "Bea"], "furnace1": ["Ann"]}
    assert all(i["people"] == [] for i in lib.search(personIds=[ann])["assets"]["items"])

    r = client.post("/api/stacks", headers=h, json={"assetIds": [ids["furnace1"], ids["furnace2"]]})
    assert r.status_code == 201, r.text
    assert lib.find(withStacked=False) == ALICE - {"furnace1", "furnace2"}
    assert {"furnace1", "furnace2"} <= lib.find(withStacked=True)


def test_pages_order_and_shape(library: Library) -> None:
    lib = library
    first = lib.search(size=3)
    SearchResponseDto.model_validate(first)  # the shape Immich's clients parse
    SearchResponseDto.model_validate(lib.search(withExif=True, withPeople=True))
    a = first["assets"]
    assert (a["count"], a["total"], a["nextPage"], len(a["items"])) == (3, 3, "2", 3)
    assert first["albums"] == {"items": [], "total": 0, "count": 0, "facets": []}
    seen = [i["id"] for i in a["items"]]
    page = 2
    while True:
        a = lib.search(size=3, page=page)["assets"]
        seen += [i["id"] for i in a["items"]]
        if a["nextPage"] is None:
            break
        assert a["nextPage"] == str(page + 1)
        page += 1
    assert page == 3 and len(seen) == len(set(seen)) == len(ALICE)
    taken = [i["fileCreatedAt"] for i in lib.search()["assets"]["items"]]
    assert taken == sorted(taken, reverse=True)  # newest first
    asc = lib.search(order="asc")["assets"]["items"]
    assert [lib.names[i["id"]] for i in asc][:2] == ["sign", "furnace2"]  # 2004, then 2008 (09:54 UTC)
    assert lib.search(page=9)["assets"] == {"items": [], "count": 0, "total": 0, "nextPage": None, "facets": []}

    with_exif = lib.search(city="Heverlee", withExif=True)["assets"]["items"]
    assert {i["exifInfo"]["make"] for i in with_exif} == {"Apple"}
    assert {i["exifInfo"]["city"] for i in with_exif} == {"Heverlee"}
    without = lib.search(city="Heverlee")["assets"]["items"]
    assert all("make" not in i["exifInfo"] for i in without)
    assert {i["exifInfo"]["fileSizeInByte"] for i in without} == {324949, 312454}


def test_partners_in_the_timeline_are_searched(library: Library) -> None:
    """As Immich: a partner's timeline and archive join the search once the receiver shows them in their
    timeline; never their trash, hidden or locked assets."""
    lib, client = library, library.client
    r = client.post("/api/partners", headers=lib.bob.headers, json={"sharedWithId": lib.alice.id})
    assert r.status_code == 201, r.text
    assert lib.find(country="Brazil") == set()  # shared, but not in Alice's timeline
    r = client.put(f"/api/partners/{lib.bob.id}", headers=lib.alice.headers, json={"inTimeline": True})
    assert r.status_code == 200, r.text
    assert lib.find(country="Brazil") == {"bob_brazil"}
    assert lib.find(country="United States of America") == {"furnace1", "bob_furnace"}
    assert lib.count(make="motorola") == 1
    bob_h = lib.bob.headers
    assert client.put("/api/assets", headers=bob_h,
                      json={"ids": [lib.ids["bob_brazil"]], "visibility": "archive"}).status_code == 204
    assert lib.find(country="Brazil") == {"bob_brazil"}
    assert client.request("DELETE", "/api/assets", headers=bob_h,
                          json={"ids": [lib.ids["bob_brazil"]]}).status_code == 204
    assert lib.find(country="Brazil", withDeleted=True) == set()
    assert lib.find(make="motorola", visibility="archive", withDeleted=True) == set()
    # Bob himself does not see Alice's (she shares nothing with him)
    assert lib.find(lib.bob, country="Belgium") == set()


def test_bad_input_is_a_400(client: TestClient, alice: Account) -> None:
    for body in ({"size": 0}, {"size": 1001}, {"page": 0}, {"takenAfter": "yesterday"},
                 {"takenAfter": "2024-01-01T00:00:00"},  # no time zone: Immich demands one
                 {"checksum": "not a checksum"}, {"visibility": "everything"}, {"type": "PHOTO"},
                 {"personIds": ["nobody"]}, {"albumIds": "x"}, {"rating": 6}, {"order": "sideways"},
                 {"isFavorite": "maybe"}):
        r = client.post("/api/search/metadata", headers=alice.headers, json=body)
        err = r.json()
        assert r.status_code == 400 and err["statusCode"] == 400 and err["error"] == "Bad Request", (body, err)
        assert err["message"]
        if not {"size", "page", "order", "checksum"} & set(body):  # the fields StatisticsSearchDto has too
            r = client.post("/api/search/statistics", headers=alice.headers, json=body)
            assert r.status_code == 400, (body, r.text)
    assert client.post("/api/search/metadata", headers=alice.headers, content=b"{").status_code == 400

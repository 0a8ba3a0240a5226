"""Near-duplicates on the real library: bursts and cross-format copies are grouped, distinct photos are not;
review (GET), dismiss (DELETE one / bulk) and resolve (keep some, trash the rest) as Immich's API."""

from __future__ import annotations

from typing import Any

from photonest.library.duplicates import Rules, is_match
from tests.smart.conftest import Library

REAGAN = {"reagan_jpg", "reagan_tiff", "reagan_png", "reagan_jp2", "reagan_jxl"}
FURNACE = {"furnace1", "furnace2", "furnace3"}
LEUVEN = {"leuvenA", "leuvenB"}


def groups(lib: Library, who: Any) -> list[dict[str, Any]]:
    r = lib.client.get("/api/duplicates", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def named(lib: Library, who: Any) -> list[set[str]]:
    return [{lib.name_of(a["id"]) for a in g["assets"]} for g in groups(lib, who)]


def test_bursts_and_copies_are_grouped_distinct_photos_are_not(library: Library) -> None:
    found = named(library, library.alice)
    assert REAGAN in found, found
    assert FURNACE in found, found
    assert LEUVEN in found, found
    grouped = set().union(*found)
    # Everything else is a distinct photo, including obama3/biden (same camera, same second, different people).
    assert grouped == REAGAN | FURNACE | LEUVEN, found
    for g in groups(library, library.alice):
        assert len(g["suggestedKeepAssetIds"]) == 1 and g["suggestedKeepAssetIds"][0] in {a["id"] for a in g["assets"]}
        assert all(a["duplicateId"] == g["duplicateId"] for a in g["assets"])
    # The largest file is the one to keep: Reagan.tiff.
    reagan = next(g for g in groups(library, library.alice)
                  if {library.name_of(a["id"]) for a in g["assets"]} == REAGAN)
    assert library.name_of(reagan["suggestedKeepAssetIds"][0]) == "reagan_tiff"


def test_bob_sees_only_his_groups(library: Library) -> None:
    assert named(library, library.bob) == [{"bob_furnace1", "bob_furnace2"}]


def test_dismiss_and_resolve(library: Library) -> None:
    c, alice, bob = library.client, library.alice, library.bob
    by_names = {frozenset(library.name_of(a["id"]) for a in g["assets"]): g for g in groups(library, alice)}
    leuven = by_names[frozenset(LEUVEN)]
    furnace = by_names[frozenset(FURNACE)]

    # Not Bob's to dismiss or resolve.
    r = c.delete(f"/api/duplicates/{leuven['duplicateId']}", headers=bob.headers)
    assert r.status_code == 400
    r = c.post("/api/duplicates/resolve", headers=bob.headers, json={"groups": [
        {"duplicateId": furnace["duplicateId"], "keepAssetIds": [], "trashAssetIds": [library.ids["furnace2"]]}]})
    assert r.status_code == 200 and r.json()[0]["success"] is False
    assert len(groups(library, alice)) == 3

    # Dismiss: the group is gone, the photos stay.
    assert c.delete(f"/api/duplicates/{leuven['duplicateId']}", headers=alice.headers).status_code == 204
    assert frozenset(LEUVEN) not in {frozenset(s) for s in named(library, alice)}
    assert c.get(f"/api/assets/{library.ids['leuvenA']}", headers=alice.headers).json()["isTrashed"] is False

    # Resolve: keep the first shot, trash the others; the first becomes a favourite if any was.
    f1, f2, f3 = (library.ids[n] for n in ("furnace1", "furnace2", "furnace3"))
    c.put(f"/api/assets/{f2}", json={"isFavorite": True}, headers=alice.headers)
    r = c.post("/api/duplicates/resolve", headers=alice.headers, json={"groups": [
        {"duplicateId": furnace["duplicateId"], "keepAssetIds": [f1], "trashAssetIds": [f2, f3]}]})
    assert r.status_code == 200, r.text
    assert r.json() == [{"id": furnace["duplicateId"], "success": True}]
    try:
        assert c.get(f"/api/assets/{f2}", headers=alice.headers).json()["isTrashed"] is True
        kept = c.get(f"/api/assets/{f1}", headers=alice.headers).json()
        assert kept["isTrashed"] is False and kept["isFavorite"] is True
        assert named(library, alice) == [REAGAN]

        # Bulk dismiss; an unknown group is refused and nothing changes.
        reagan_id = groups(library, alice)[0]["duplicateId"]
        r = c.request("DELETE", "/api/duplicates", headers=alice.headers,
                      json={"ids": [reagan_id, "6f1b7e44-8a4f-4c1e-9d8b-0c5d2f1e9a01"]})
        assert r.status_code == 400
        assert len(groups(library, alice)) == 1
        r = c.request("DELETE", "/api/duplicates", headers=alice.headers, json={"ids": [reagan_id]})
        assert r.status_code == 204
        assert groups(library, alice) == []
    finally:
        c.post("/api/trash/restore/assets", json={"ids": [f2, f3]}, headers=alice.headers)


def test_rules_on_metadata() -> None:
    from datetime import UTC, datetime, timedelta

    from photonest.db.tables import Asset, AssetExif

    t = datetime(2020, 1, 1, tzinfo=UTC)

    def photo(seconds: float, make: str = "Canon", w: int = 400) -> Any:
        when = t + timedelta(seconds=seconds)
        return (Asset(width=w, height=300, local_date_time=when),
                AssetExif(make=make, model="S5", date_time_original=when), b"\x00" * 8)

    rules = Rules()
    assert is_match(rules, 0.5, photo(0), photo(10)) == "burst"
    assert is_match(rules, 0.5, photo(0), photo(0)) is None  # same second: not a burst
    assert is_match(rules, 0.5, photo(0), photo(60)) is None
    assert is_match(rules, 0.5, photo(0), photo(10, make="Nikon")) is None
    assert is_match(rules, 0.5, photo(0), photo(10, w=300)) is None
    assert is_match(rules, 0.95, photo(0), photo(1000, make="Nikon")) == "same"
    a, e, _ = photo(0)
    assert is_match(rules, 0.99, (a, e, None), photo(0)) is None  # a blank frame has no hash

"""/api/map and the place parts of /api/search over real uploads processed by the pipeline (SQLite and
PostgreSQL): markers and suggestions show only the caller's own assets, with Immich's visibility rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from photonest.db.tables import Asset, AssetExif
from photonest.db.types import utcnow
from photonest.jobs.registry import STAGES
from photonest.library import places
from tests.conftest import MEDIA, Account
from tests.uploading import upload

pytestmark = pytest.mark.postgres

LEUVEN = MEDIA / "camera_jpeg" / "leuvenA.jpg"
DEATH_VALLEY = MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg"
NO_GPS = MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"
STONEHENGE = MEDIA / "heic" / "Stonehenge.heic"
NULL_ISLAND = MEDIA / "camera_jpeg" / "4_barcodes.jpg"
BRAZIL = MEDIA / "camera_jpeg" / "ela_original.jpg"


@pytest.fixture
def with_places(client: TestClient) -> Iterator[None]:
    """The "places" stage in the pipeline for this test (taken out again only if this fixture put it in: it is
    one of the built-in stages, and later suites rely on it)."""
    added = "places" not in STAGES
    places.register_stage()
    assert "places" in STAGES
    try:
        yield
    finally:
        if added:
            STAGES.pop("places", None)


def process(client: TestClient) -> None:
    client.app.state.jobs.drain()  # type: ignore[attr-defined]


def put(client: TestClient, who: Account, path: Any, **fields: Any) -> str:
    r = upload(client, who, path, **fields)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def markers(client: TestClient, who: Account, **params: Any) -> dict[str, dict[str, Any]]:
    r = client.get("/api/map/markers", headers=who.headers, params=params)
    assert r.status_code == 200, r.text
    return {m["id"]: m for m in r.json()}


def set_rows(client: TestClient, table: Any, asset_id: str, **values: Any) -> None:
    """A raw write, as the app's own writes do it: the asset row's updated_at moves with any change."""
    key = Asset.id if table is Asset else AssetExif.asset_id
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(table).where(key == asset_id).values(**values))
        s.execute(update(Asset).where(Asset.id == asset_id).values(updated_at=utcnow()))
        s.commit()


@pytest.fixture
def library(client: TestClient, alice: Account, bob: Account, with_places: None) -> dict[str, str]:
    ids = {
        "leuven": put(client, alice, LEUVEN),
        "death_valley": put(client, alice, DEATH_VALLEY),
        "stonehenge": put(client, alice, STONEHENGE),
        "null_island": put(client, alice, NULL_ISLAND),
        "no_gps": put(client, alice, NO_GPS),
        "brazil": put(client, bob, BRAZIL),
    }
    process(client)
    return ids


def test_pipeline_names_the_places_and_markers_are_the_callers(
        client: TestClient, alice: Account, bob: Account, library: dict[str, str]) -> None:
    mine = markers(client, alice)
    assert set(mine) == {library["leuven"], library["death_valley"], library["stonehenge"]}
    leuven = mine[library["leuven"]]
    assert (leuven["city"], leuven["state"], leuven["country"]) == ("Heverlee", "Flanders", "Belgium")
    assert abs(leuven["lat"] - 50.8715277) < 1e-5 and abs(leuven["lon"] - 4.6969833) < 1e-5
    assert mine[library["death_valley"]]["country"] == "United States of America"
    assert mine[library["stonehenge"]]["country"] == "United Kingdom"
    assert set(mine[library["leuven"]]) == {"id", "lat", "lon", "city", "state", "country"}
    # Newest first (fileCreatedAt): Leuven 2019, Stonehenge 2015, Death Valley 2008 (the upload form's dates
    # are replaced by the photos' own once metadata is read).
    order = [m["id"] for m in client.get("/api/map/markers", headers=alice.headers).json()]
    assert order == [library["leuven"], library["stonehenge"], library["death_valley"]]
    # Bob sees his own only; partners and shared albums do not exist yet, so the flags change nothing.
    theirs = markers(client, bob, withPartners="true", withSharedAlbums="true")
    assert set(theirs) == {library["brazil"]}
    assert theirs[library["brazil"]]["state"] == "São Paulo"
    # The asset's own info carries the place too.
    info = client.get(f"/api/assets/{library['leuven']}", headers=alice.headers).json()
    assert (info["exifInfo"]["city"], info["exifInfo"]["country"]) == ("Heverlee", "Belgium")
    null = client.get(f"/api/assets/{library['null_island']}", headers=alice.headers).json()["exifInfo"]
    assert null.get("city") is None and null.get("country") is None


def test_marker_filters_and_visibility(client: TestClient, alice: Account, library: dict[str, str]) -> None:
    leuven, dv, stone = library["leuven"], library["death_valley"], library["stonehenge"]
    assert client.put(f"/api/assets/{leuven}", headers=alice.headers, json={"isFavorite": True}).status_code == 200
    assert set(markers(client, alice, isFavorite="true")) == {leuven}
    assert set(markers(client, alice, isFavorite="false")) == {dv, stone}
    assert set(markers(client, alice, fileCreatedAfter="2010-01-01T00:00:00.000Z")) == {leuven, stone}
    assert set(markers(client, alice, fileCreatedBefore="2016-01-01T00:00:00Z",
                       fileCreatedAfter="2009-01-01T00:00:00Z")) == {stone}
    # Archived: only with isArchived=true. Trashed, hidden and locked: never.
    assert client.put(f"/api/assets/{dv}", headers=alice.headers, json={"visibility": "archive"}).status_code == 200
    assert set(markers(client, alice)) == {leuven, stone}
    assert set(markers(client, alice, isArchived="true")) == {leuven, stone, dv}
    assert set(markers(client, alice, isArchived="false")) == {leuven, stone}
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [stone]}).status_code == 204
    assert set(markers(client, alice, isArchived="true")) == {leuven, dv}
    set_rows(client, Asset, leuven, visibility="locked")
    assert set(markers(client, alice, isArchived="true")) == {dv}
    set_rows(client, Asset, leuven, visibility="hidden")
    assert set(markers(client, alice, isArchived="true")) == {dv}
    # Bad filters are a 400, not a crash.
    r = client.get("/api/map/markers", headers=alice.headers, params={"fileCreatedAfter": "yesterday"})
    assert r.status_code == 400


def test_stored_nonsense_positions_make_no_markers(client: TestClient, alice: Account,
                                                   library: dict[str, str]) -> None:
    nog = library["no_gps"]
    for lat, lon in ((0.0, 0.0), (4294967295.0, 1.0), (12.0, 200.0)):
        set_rows(client, AssetExif, nog, latitude=lat, longitude=lon)
        assert nog not in markers(client, alice)
        with client.app.state.db.session() as s:  # type: ignore[attr-defined]
            e = places.geocode_asset(s, nog)
            assert e is not None and (e.city, e.state, e.country) == (None, None, None)


def test_relocating_renames_and_removing_clears(client: TestClient, alice: Account,
                                                library: dict[str, str]) -> None:
    aid = library["no_gps"]
    # The user gives the photo a position (PUT /assets/{id}); the hook names its place in the same transaction.
    r = client.put(f"/api/assets/{aid}", headers=alice.headers, json={"latitude": 50.8467, "longitude": 4.3525})
    assert r.status_code == 200, r.text
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        places.relocate(s, aid)
        s.commit()
    m = markers(client, alice)[aid]
    assert (m["city"], m["country"]) == ("Brussels", "Belgium")
    # The stage, run again (forced), keeps the same answer; a removed position clears the names.
    set_rows(client, AssetExif, aid, latitude=None, longitude=None)
    client.app.state.jobs.enqueue_asset(aid, ["places"])  # type: ignore[attr-defined]
    process(client)
    info = client.get(f"/api/assets/{aid}", headers=alice.headers).json()["exifInfo"]
    assert info.get("city") is None and info.get("state") is None and info.get("country") is None
    assert aid not in markers(client, alice)


def test_relocating_with_reverse_geocoding_off_names_no_place(client: TestClient, admin: Account, alice: Account,
                                                                library: dict[str, str]) -> None:
    """As Immich (metadata extraction with reverseGeocoding.enabled false leaves city/state/country null): with
    the switch off, a new position (PUT /assets/{id}, PUT /assets) is stored but names no place, and the old
    place's names go."""
    leuven, dv, stone = library["leuven"], library["death_valley"], library["stonehenge"]
    cfg = client.get("/api/system-config", headers=admin.headers).json()
    cfg["reverseGeocoding"]["enabled"] = False
    assert client.put("/api/system-config", headers=admin.headers, json=cfg).status_code == 200
    r = client.put(f"/api/assets/{leuven}", headers=alice.headers, json={"latitude": 50.8467, "longitude": 4.3525})
    assert r.status_code == 200, r.text
    info = r.json()["exifInfo"]
    assert (info["latitude"], info["longitude"]) == (50.8467, 4.3525)
    assert (info["city"], info["state"], info["country"]) == (None, None, None)
    r = client.put("/api/assets", headers=alice.headers, json={"ids": [dv], "latitude": 48.85, "longitude": 2.35})
    assert r.status_code == 204, r.text
    info = client.get(f"/api/assets/{dv}", headers=alice.headers).json()["exifInfo"]
    assert info["latitude"] == 48.85 and (info["city"], info["country"]) == (None, None)
    assert sugg_countries(client, alice) == ["United Kingdom"]
    # Switched on again, an edit names the place in the same request.
    cfg["reverseGeocoding"]["enabled"] = True
    assert client.put("/api/system-config", headers=admin.headers, json=cfg).status_code == 200
    r = client.put(f"/api/assets/{stone}", headers=alice.headers, json={"latitude": 50.8467, "longitude": 4.3525})
    assert (r.json()["exifInfo"]["city"], r.json()["exifInfo"]["country"]) == ("Brussels", "Belgium")


def sugg_countries(client: TestClient, who: Account) -> Any:
    return client.get("/api/search/suggestions", headers=who.headers, params={"type": "country"}).json()


def test_reverse_geocode(client: TestClient, alice: Account) -> None:
    def rg(lat: Any, lon: Any) -> Any:
        return client.get("/api/map/reverse-geocode", headers=alice.headers, params={"lat": lat, "lon": lon})

    r = rg(50.8467, 4.3525)
    assert r.status_code == 200 and r.json() == [{"city": "Brussels", "state": "Brussels Capital",
                                                  "country": "Belgium"}]
    assert rg(20.0, 12.0).json() == [{"city": None, "state": None, "country": "Niger"}]
    for sea in ((0, 0), (30, -40)):
        assert rg(*sea).json() == [{"city": None, "state": None, "country": None}]
    for bad in ((91, 0), (0, 181), ("nan", 0), ("x", 1)):
        assert rg(*bad).status_code == 400, bad
    assert client.get("/api/map/reverse-geocode", headers=alice.headers, params={"lat": 1}).status_code == 400
    client.cookies.clear()  # the logins left a session cookie in the test client
    assert client.get("/api/map/reverse-geocode", params={"lat": 1, "lon": 1}).status_code == 401
    assert client.get("/api/map/markers").status_code == 401


def test_suggestions_and_cities_are_the_callers(client: TestClient, alice: Account, bob: Account,
                                                library: dict[str, str]) -> None:
    def sugg(who: Account, **params: Any) -> Any:
        r = client.get("/api/search/suggestions", headers=who.headers, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    assert sugg(alice, type="country") == ["Belgium", "United Kingdom", "United States of America"]
    assert sugg(alice, type="state", country="Belgium") == ["Flanders"]
    assert sugg(alice, type="city", country="United Kingdom", state="England") == ["Lark Hill"]
    assert sugg(alice, type="country", includeNull="true")[-1] is None
    assert sugg(bob, type="country") == ["Brazil"]
    assert sugg(bob, type="city") == ["Sorocaba"]
    makes = sugg(alice, type="camera-make")
    assert "Apple" in makes and "Canon" in makes and "motorola" not in makes  # Bob's phone
    assert sugg(alice, type="camera-model", make="Apple") == ["iPhone 6"]
    assert sugg(alice, type="camera-lens-model", make="Nobody") == []
    assert client.get("/api/search/suggestions", headers=alice.headers,
                      params={"type": "planet"}).status_code == 400
    cities = client.get("/api/search/cities", headers=alice.headers)
    assert cities.status_code == 200
    by_city = {a["exifInfo"]["city"]: a["id"] for a in cities.json()}
    assert by_city == {"Death Valley": library["death_valley"], "Heverlee": library["leuven"],
                       "Lark Hill": library["stonehenge"]}
    assert [a["id"] for a in client.get("/api/search/cities", headers=bob.headers).json()] == [library["brazil"]]


def test_suggestions_and_cities_include_partners_shown_in_the_timeline(
        client: TestClient, alice: Account, bob: Account, library: dict[str, str]) -> None:
    """As Immich (getUserIdsToSearch): the partners whose library the caller shows in their timeline join the
    suggestions and /search/cities; only their timeline assets; and nothing once the share ends."""
    def sugg(**params: Any) -> Any:
        r = client.get("/api/search/suggestions", headers=bob.headers, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    def cities() -> dict[str, str]:
        r = client.get("/api/search/cities", headers=bob.headers)
        assert r.status_code == 200, r.text
        return {a["exifInfo"]["city"]: a["id"] for a in r.json()}

    assert client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id}).status_code == 201
    assert sugg(type="country") == ["Brazil"]  # shared, but not shown in Bob's timeline yet
    assert cities() == {"Sorocaba": library["brazil"]}
    assert client.put(f"/api/partners/{alice.id}", headers=bob.headers, json={"inTimeline": True}).status_code == 200
    assert sugg(type="country") == ["Belgium", "Brazil", "United Kingdom", "United States of America"]
    assert sugg(type="city", country="Belgium") == ["Heverlee"]
    assert {"Apple", "motorola"} <= set(sugg(type="camera-make"))
    assert cities() == {"Death Valley": library["death_valley"], "Heverlee": library["leuven"],
                        "Lark Hill": library["stonehenge"], "Sorocaba": library["brazil"]}
    # Her archived asset leaves both (Immich suggests from timeline assets only); her view is unchanged.
    set_rows(client, Asset, library["stonehenge"], visibility="archive")
    assert "United Kingdom" not in sugg(type="country") and "Lark Hill" not in cities()
    assert client.get("/api/search/suggestions", headers=alice.headers,
                      params={"type": "country"}).json() == ["Belgium", "United States of America"]
    assert client.delete(f"/api/partners/{bob.id}", headers=alice.headers).status_code == 204
    assert sugg(type="country") == ["Brazil"]
    assert cities() == {"Sorocaba": library["brazil"]}


def test_partners_and_shared_albums_join_the_markers_only_when_asked(
        client: TestClient, alice: Account, bob: Account, library: dict[str, str]) -> None:
    brazil, leuven, stone = library["brazil"], library["leuven"], library["stonehenge"]
    # Alice shares her library with Bob; it joins his map once he shows it in his timeline, and only with
    # withPartners=true.
    assert client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id}).status_code == 201
    assert set(markers(client, bob, withPartners="true")) == {brazil}
    assert client.put(f"/api/partners/{alice.id}", headers=bob.headers, json={"inTimeline": True}).status_code == 200
    assert set(markers(client, bob)) == {brazil}
    assert set(markers(client, bob, withPartners="true")) == {brazil, leuven, stone, library["death_valley"]}
    # Alice's archived assets stay off Bob's map unless he asks for archived ones; her hidden ones never show.
    set_rows(client, Asset, stone, visibility="archive")
    assert stone not in markers(client, bob, withPartners="true")
    # An album Alice shares with Bob brings its assets with withSharedAlbums=true (and nothing else of hers).
    client.delete(f"/api/partners/{bob.id}", headers=alice.headers)
    r = client.post("/api/albums", headers=alice.headers, json={
        "albumName": "Belgium", "assetIds": [leuven], "albumUsers": [{"userId": bob.id, "role": "viewer"}]})
    assert r.status_code == 201, r.text
    assert set(markers(client, bob)) == {brazil}
    assert set(markers(client, bob, withSharedAlbums="true")) == {brazil, leuven}
    # Alice's own map does not change with the flags (her album holds her own asset).
    assert set(markers(client, alice, withSharedAlbums="true", withPartners="true")) == set(markers(client, alice))


def test_search_places(client: TestClient, alice: Account) -> None:
    r = client.get("/api/search/places", headers=alice.headers, params={"name": "leuven"})
    assert r.status_code == 200, r.text
    first = r.json()[0]
    assert first["name"] == "Leuven" and first["admin1name"] == "Flanders"
    assert abs(first["latitude"] - 50.88) < 0.05 and abs(first["longitude"] - 4.70) < 0.05
    assert client.get("/api/search/places", headers=alice.headers).status_code == 400
    assert client.get("/api/search/places", headers=alice.headers, params={"name": "x" * 500}).status_code == 400

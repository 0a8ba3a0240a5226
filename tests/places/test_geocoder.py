"""The offline reverse geocoder on known coordinates: capitals, borders, the sea, null island, nonsense."""

from __future__ import annotations

import math
import threading

import pytest

from photonest.geo.countries import COUNTRY_NAMES
from photonest.geo.geocoder import InvalidCoordinates, ReverseGeocoder, check_coordinates, geocoder


@pytest.fixture(scope="module")
def g() -> ReverseGeocoder:
    return geocoder()


@pytest.mark.parametrize(("lat", "lon", "city", "state", "country"), [
    (50.8467, 4.3525, "Brussels", "Brussels Capital", "Belgium"),
    (48.8566, 2.3522, "Paris", "Île-de-France", "France"),
    (51.5074, -0.1278, None, "England", "United Kingdom"),  # a London borough; the city name varies
    (-35.2809, 149.1300, "Canberra City", "Australian Capital Territory", "Australia"),
    (-15.7939, -47.8828, "Brasília", "Federal District", "Brazil"),
    (35.0116, 135.7681, "Kyoto", "Kyoto", "Japan"),
    (64.1466, -21.9426, "Reykjavík", "Capital Region", "Iceland"),
    (-41.2865, 174.7762, "Wellington", "Wellington Region", "New Zealand"),
])
def test_capitals(g: ReverseGeocoder, lat: float, lon: float, city: str | None, state: str, country: str) -> None:
    p = g.lookup(lat, lon)
    assert p is not None
    if city is not None:
        assert p.city == city
    else:
        assert p.city
    assert (p.state, p.country) == (state, country)
    assert p.distance_km is not None and p.distance_km < 10


@pytest.mark.parametrize(("lat", "lon", "country"), [
    (48.5839, 7.7455, "France"),  # Strasbourg, on the Rhine
    (48.5790, 7.8156, "Germany"),  # Kehl, across the bridge
    (51.4416, 5.4697, "Netherlands"),  # Eindhoven
    (50.7753, 6.0839, "Germany"),  # Aachen
    (50.7703, 6.0181, "Netherlands"),  # Vaals, 5 km west of Aachen
    (32.5149, -117.0382, "Mexico"),  # Tijuana
    (32.7157, -117.1611, "United States of America"),  # San Diego
])
def test_near_borders_the_nearest_place_decides(g: ReverseGeocoder, lat: float, lon: float, country: str) -> None:
    p = g.lookup(lat, lon)
    assert p is not None and p.country == country


def test_far_from_towns_only_the_country() -> None:
    g = geocoder()
    # Deep in the Sahara (Niger) and on the Greenland ice sheet: no town of 1000 people within 25 km.
    for lat, lon, country in ((20.0, 12.0, "Niger"), (72.0, -40.0, "Greenland"), (-80.0, 30.0, "Antarctica")):
        p = g.lookup(lat, lon)
        assert p is not None, (lat, lon)
        assert (p.city, p.state, p.country) == (None, None, country)
        assert p.distance_km is None


@pytest.mark.parametrize(("lat", "lon"), [
    (0.0, 0.0),  # null island: what an empty GPS block reads as
    (0.5, 0.5),  # Gulf of Guinea, 200 km from São Tomé
    (30.0, -40.0),  # mid-Atlantic
    (-45.0, -120.0),  # South Pacific
    (10.0, 179.99),  # the Pacific by the antimeridian
])
def test_sea_and_null_island_have_no_place(g: ReverseGeocoder, lat: float, lon: float) -> None:
    assert g.lookup(lat, lon) is None


def test_the_antimeridian_wraps() -> None:
    from photonest.geo.geocoder import _Places

    places = _Places([{"latitude": -16.8, "longitude": 179.99, "city": "East", "country_code": "FJ"},
                      {"latitude": -16.8, "longitude": -179.99, "city": "West", "country_code": "FJ"},
                      {"latitude": 89.95, "longitude": 10.0, "city": "Pole", "country_code": "NO"}])
    east = places.nearest(-16.8, 179.995, 25)
    west = places.nearest(-16.8, -179.999, 25)
    assert east is not None and places.name(east[0]) == "East"
    assert west is not None and places.name(west[0]) == "West"
    across = places.nearest(-16.8, -179.95, 25)  # 4 km east of West, 6 km from East across the line
    assert across is not None and places.name(across[0]) == "West" and across[1] < 5
    # Near a pole every longitude is close: a place at 10°E is found from 170°W.
    pole = places.nearest(89.9, -170.0, 25)
    assert pole is not None and places.name(pole[0]) == "Pole"
    assert places.nearest(-16.8, 179.0, 25) is None  # 100 km away


@pytest.mark.parametrize(("lat", "lon"), [
    (90.0001, 0), (-91, 0), (0, 180.5), (0, -181), (4294967295, 0), (math.nan, 0), (0, math.inf),
    ("north", 0), (None, 1.0),
])
def test_impossible_coordinates_are_rejected(g: ReverseGeocoder, lat: object, lon: object) -> None:
    with pytest.raises(InvalidCoordinates):
        g.lookup(lat, lon)
    with pytest.raises(InvalidCoordinates):
        check_coordinates(lat, lon)


def test_poles_and_edges_do_not_crash(g: ReverseGeocoder) -> None:
    for lat, lon in ((90, 0), (-90, 0), (90, 180), (-90, -180), (0, 180), (0, -180), (89.99, 45)):
        g.lookup(lat, lon)


def test_country_names_are_immichs() -> None:
    assert COUNTRY_NAMES["US"] == "United States of America"
    assert COUNTRY_NAMES["GB"] == "United Kingdom"
    assert COUNTRY_NAMES["KR"] == "South Korea"
    assert len(COUNTRY_NAMES) >= 249


def test_lazy_and_thread_safe_first_load() -> None:
    fresh = ReverseGeocoder()
    assert not fresh.loaded  # constructing it loads nothing
    results: list[object] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(fresh.lookup(50.8467, 4.3525))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert fresh.loaded and fresh.load_seconds is not None
    assert len({repr(r) for r in results}) == 1


def test_server_start_does_not_load_the_table(tmp_path: object) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from photonest.app import create_app\n"
        "from photonest.config import Settings\n"
        "import photonest.geo.geocoder as g\n"
        f"s = Settings(data={str(tmp_path)!r}, workers=False, _env_file=None)\n"
        "with TestClient(create_app(s)) as c:\n"
        "    assert c.get('/api/server/ping').status_code == 200\n"
        "print(g._default is None or not g._default.loaded, 'reverse_geocode' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[-2:] == ["True", "False"]  # started and served without loading the tables


def test_the_place_file_reader_splits_only_between_objects() -> None:
    import json

    from photonest.geo.geocoder import _iter_json_objects

    data = [{"i": i, "city": 'a},{"b' if i % 3 == 0 else "n"} for i in range(20)]
    text = json.dumps(data, separators=(",", ":"))
    for chunk in range(len(text) + 2):
        assert list(_iter_json_objects(text, chunk=chunk)) == data, chunk
    assert list(_iter_json_objects("[]")) == []


def test_place_search_ignores_accents_and_ranks_exact_then_big() -> None:
    g = geocoder()
    liege = g.search("liege", 5)
    assert liege[0].name == "Liège" and liege[0].admin1 == "Wallonia" and liege[0].country == "Belgium"
    paris = g.search("PARIS", 3)
    assert [p.name for p in paris] == ["Paris"] * 3 and paris[0].country == "France"
    assert paris[0].population > paris[1].population
    assert abs(paris[0].latitude - 48.85) < 0.1 and abs(paris[0].longitude - 2.35) < 0.1
    assert g.search("sao paulo", 1)[0].name == "São Paulo"
    assert g.search("   ") == [] and g.search("qqqzzzxxx") == []
    assert len(g.search("a", 20)) == 20

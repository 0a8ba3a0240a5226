"""/api/location-history: days, trips and home, from real GPS photos run through the pipeline plus synthetic
assets for a multi-day trip (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import MEDIA, Account
from tests.library.factory import insert_asset
from tests.places.test_map_api import process, put, with_places  # noqa: F401 (a fixture)

pytestmark = pytest.mark.postgres

KYOTO = {"latitude": 35.0116, "longitude": 135.7681, "city": "Kyoto", "country": "Japan"}
OSAKA = {"latitude": 34.6937, "longitude": 135.5023, "city": "Osaka", "country": "Japan"}
HEVERLEE = {"latitude": 50.8716, "longitude": 4.6970, "city": "Heverlee", "country": "Belgium"}
PARIS = {"latitude": 48.8566, "longitude": 2.3522, "city": "Paris", "country": "France"}
TOKYO = {"latitude": 35.6762, "longitude": 139.6503, "city": "Tokyo", "country": "Japan"}
ROME = {"latitude": 41.9028, "longitude": 12.4964, "city": "Rome", "country": "Italy"}
SYDNEY = {"latitude": -33.8688, "longitude": 151.2093, "city": "Sydney", "country": "Australia"}


def get(client: TestClient, who: Account, path: str, **params: Any) -> Any:
    r = client.get(f"/api/location-history{path}", headers=who.headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def history(client: TestClient, alice: Account, bob: Account, with_places: None) -> dict[str, str]:  # noqa: F811
    ids = {
        # Real photos: Leuven (2019, home), Stonehenge twice (2015, one day away), Death Valley (2008).
        "leuvenA": put(client, alice, MEDIA / "camera_jpeg" / "leuvenA.jpg"),
        "leuvenB": put(client, alice, MEDIA / "camera_jpeg" / "leuvenB.jpg"),
        "stonehenge_heic": put(client, alice, MEDIA / "heic" / "Stonehenge.heic"),
        "stonehenge_webp": put(client, alice, MEDIA / "webp" / "exiv2-bug1199.webp"),
        "death_valley": put(client, alice, MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg"),
    }
    process(client)
    a = alice.id
    for day in ("2024-04-28", "2024-04-29"):  # days at home
        for hour in (9, 12):
            insert_asset(client, a, f"{day}T{hour:02d}:00:00", 2, exif=HEVERLEE)
    ids["kyoto1"] = insert_asset(client, a, "2024-05-01T09:00:00", 9, exif=KYOTO)
    ids["kyoto2"] = insert_asset(client, a, "2024-05-01T18:00:00", 9, exif=KYOTO)
    # 2024-05-02: no geotagged photo (bridged); Osaka on the 3rd, one archived, one a favourite.
    ids["osaka"] = insert_asset(client, a, "2024-05-03T10:00:00", 9, exif=OSAKA, is_favorite=True)
    ids["osaka_archived"] = insert_asset(client, a, "2024-05-03T11:00:00", 9, exif=OSAKA, visibility="archive")
    ids["home_again"] = insert_asset(client, a, "2024-05-04T10:00:00", 2, exif=HEVERLEE)
    ids["paris"] = insert_asset(client, a, "2024-05-06T15:00:00", 2, exif=PARIS)
    # Never counted: trashed, locked, hidden, Bob's (each would change the trips if it were).
    insert_asset(client, a, "2024-05-05T10:00:00", 9, exif=TOKYO, deleted_at=datetime.now(UTC))
    insert_asset(client, a, "2024-05-07T10:00:00", 2, exif=ROME, visibility="locked")
    insert_asset(client, a, "2024-05-08T10:00:00", 2, exif=ROME, visibility="hidden")
    insert_asset(client, bob.id, "2024-05-02T10:00:00", 10, exif=SYDNEY)
    insert_asset(client, bob.id, "2024-05-04T10:00:00", 10, exif=SYDNEY)
    return ids


def test_trips_from_real_and_synthetic_photos(client: TestClient, alice: Account,
                                              history: dict[str, str]) -> None:
    home = get(client, alice, "/home")
    assert home["inferred"] is True and home["city"] == "Heverlee" and home["country"] == "Belgium"
    assert home["radiusKm"] == 50
    assert abs(home["latitude"] - 50.8716) < 0.01 and abs(home["longitude"] - 4.697) < 0.01

    trips = get(client, alice, "/trips")
    assert [t["id"] for t in trips] == ["2024-05-06_2024-05-06", "2024-05-01_2024-05-03",
                                        "2015-07-16_2015-07-16", "2008-05-08_2008-05-08"]
    japan = trips[1]
    assert (japan["startDate"], japan["endDate"], japan["days"]) == ("2024-05-01", "2024-05-03", 3)
    assert japan["countries"] == ["Japan"] and japan["cities"] == ["Kyoto", "Osaka"]
    assert japan["assetCount"] == 4  # the archived photo counts, Bob's Sydney day does not
    assert japan["coverAssetId"] == history["osaka"]  # the favourite
    assert japan["distanceKm"] == pytest.approx(42.9, abs=0.3)  # Kyoto -> Osaka
    assert japan["bounds"] == {"north": 35.0116, "south": 34.6937, "east": 135.7681, "west": 135.5023}
    # Real files, named by the pipeline: Stonehenge (two photos, one day), Death Valley.
    assert trips[2]["countries"] == ["United Kingdom"] and trips[2]["assetCount"] == 2
    assert trips[3]["countries"] == ["United States of America"]
    assert trips[3]["coverAssetId"] == history["death_valley"]

    detail = get(client, alice, "/trips/2024-05-01_2024-05-03")
    assert {k: v for k, v in detail.items() if k != "points"} == japan
    assert [p["assetId"] for p in detail["points"]] == [
        history["kyoto1"], history["kyoto2"], history["osaka"], history["osaka_archived"]]
    first = detail["points"][0]
    assert first == {"assetId": history["kyoto1"], "latitude": 35.0116, "longitude": 135.7681,
                     "localDateTime": "2024-05-01T09:00:00.000Z", "city": "Kyoto", "country": "Japan"}

    # Not a trip: a part of one, a made-up span, a malformed id.
    assert client.get("/api/location-history/trips/2024-05-01_2024-05-02",
                      headers=alice.headers).status_code == 404
    assert client.get("/api/location-history/trips/2024-04-28_2024-04-29",
                      headers=alice.headers).status_code == 404
    bad = client.get("/api/location-history/trips/2024-13-01_x", headers=alice.headers)
    assert bad.status_code == 400 and bad.json()["statusCode"] == 400


def test_days(client: TestClient, alice: Account, history: dict[str, str]) -> None:
    # Default: the 365 days up to the newest day with data (Paris, 2024-05-06; locked/hidden later days hidden).
    days = get(client, alice, "/days")
    assert [d["date"] for d in days] == ["2024-04-28", "2024-04-29", "2024-05-01", "2024-05-03",
                                         "2024-05-04", "2024-05-06"]
    kyoto = days[2]
    assert [p["assetId"] for p in kyoto["points"]] == [history["kyoto1"], history["kyoto2"]]
    assert kyoto["distanceKm"] == 0.0
    assert days[3]["distanceKm"] == 0.0 and len(days[3]["points"]) == 2

    stonehenge = get(client, alice, "/days", **{"from": "2015-07-16", "to": "2015-07-16"})
    assert len(stonehenge) == 1 and len(stonehenge[0]["points"]) == 2
    assert {p["assetId"] for p in stonehenge[0]["points"]} == {history["stonehenge_heic"],
                                                               history["stonehenge_webp"]}
    times = [p["localDateTime"] for p in stonehenge[0]["points"]]
    assert times == sorted(times) and times[0].startswith("2015-07-16T")
    assert stonehenge[0]["points"][0]["country"] == "United Kingdom"

    # Only from: up to the newest day after it; a range with nothing in it.
    assert [d["date"] for d in get(client, alice, "/days", **{"from": "2024-05-04"})] == ["2024-05-04",
                                                                                          "2024-05-06"]
    assert get(client, alice, "/days", **{"from": "2020-01-01", "to": "2020-12-31"}) == []
    for params in ({"from": "yesterday"}, {"to": "2024-02-30"}, {"from": "2024-05-02", "to": "2024-05-01"}):
        r = client.get("/api/location-history/days", headers=alice.headers, params=params)
        assert r.status_code == 400 and r.json()["error"] == "Bad Request", params


def test_home_set_and_back_to_inferred(client: TestClient, alice: Account, history: dict[str, str]) -> None:
    r = client.put("/api/location-history/home", headers=alice.headers,
                   json={"latitude": 35.0116, "longitude": 135.7681, "radiusKm": 30})
    assert r.status_code == 200, r.text
    assert r.json() == {"latitude": 35.0116, "longitude": 135.7681, "city": "Kyoto", "country": "Japan",
                        "inferred": False, "radiusKm": 30}
    assert get(client, alice, "/home")["inferred"] is False
    # Living in Kyoto, Osaka (43 km) is away and Belgium is a trip; Kyoto itself is home.
    ids = [t["id"] for t in get(client, alice, "/trips")]
    assert ids[:2] == ["2024-05-03_2024-05-06", "2024-04-28_2024-04-29"]
    assert "2024-05-01_2024-05-03" not in ids

    for body in ({"latitude": 91, "longitude": 0}, {"latitude": 0, "longitude": 181},
                 {"latitude": 10, "longitude": 10, "radiusKm": 0}, {"latitude": "x", "longitude": 1},
                 {"longitude": 1}):
        bad = client.put("/api/location-history/home", headers=alice.headers, json=body)
        assert bad.status_code == 400, body
    assert get(client, alice, "/home")["city"] == "Kyoto"  # unchanged by the bad requests

    assert client.delete("/api/location-history/home", headers=alice.headers).status_code == 204
    home = get(client, alice, "/home")
    assert home["inferred"] is True and home["city"] == "Heverlee"
    assert get(client, alice, "/trips")[1]["id"] == "2024-05-01_2024-05-03"


def test_empty_history(client: TestClient, bob: Account) -> None:
    assert get(client, bob, "/days") == []
    assert get(client, bob, "/trips") == []
    r = client.get("/api/location-history/home", headers=bob.headers)
    assert r.status_code == 404 and r.json()["statusCode"] == 404
    client.cookies.clear()  # the login's cookie would authenticate
    assert client.get("/api/location-history/days").status_code == 401


def test_home_inferred_from_unnamed_positions(client: TestClient, bob: Account) -> None:
    """Positions not geocoded (yet): the densest 0.1-degree cell is home, named by the geocoder."""
    for minute in range(3):
        insert_asset(client, bob.id, f"2024-01-01T10:0{minute}:00", 1,
                     exif={"latitude": 50.8715 + minute / 10000, "longitude": 4.6970})
    insert_asset(client, bob.id, "2024-01-05T10:00:00", 1, exif={"latitude": 48.8566, "longitude": 2.3522})
    home = get(client, bob, "/home")
    assert home["inferred"] is True and home["country"] == "Belgium" and home["city"] == "Heverlee"
    assert home["latitude"] == pytest.approx(50.8716, abs=1e-4)
    assert [t["id"] for t in get(client, bob, "/trips")] == ["2024-01-05_2024-01-05"]

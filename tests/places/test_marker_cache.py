"""The marker cache keeps each year of a user's markers until an asset of that year changes (SQLite and
PostgreSQL): an edit rebuilds one year, a date moved across years both, and far-off dates still work."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from photonest.db.tables import Asset
from photonest.library import places
from tests.conftest import Account
from tests.library.factory import insert_asset

pytestmark = pytest.mark.postgres


def here(lat: float) -> dict[str, Any]:
    return {"latitude": lat, "longitude": 4.0, "city": "Somewhere", "country": "Belgium"}


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The years whose markers were built by the database, in order."""
    seen: list[int | None] = []
    real = places._build_markers_json

    def spy(db: Any, scope: Any, f: Any, year: int | None = None) -> str:
        seen.append(year)
        return real(db, scope, f, year)

    monkeypatch.setattr(places, "_build_markers_json", spy)
    places.marker_cache.clear()
    return seen


def ids(client: TestClient, who: Account) -> list[str]:
    r = client.get("/api/map/markers", headers=who.headers)
    assert r.status_code == 200
    return [m["id"] for m in r.json()]


def test_only_changed_years_are_rebuilt(client: TestClient, alice: Account, builds: list[int | None]) -> None:
    a19 = insert_asset(client, alice.id, "2019-06-01T10:00:00", 0, exif=here(50.1))
    a20 = insert_asset(client, alice.id, "2020-06-01T10:00:00", 0, exif=here(50.2))
    b20 = insert_asset(client, alice.id, "2020-07-01T10:00:00", 0, exif=here(50.3))
    assert ids(client, alice) == [b20, a20, a19]
    assert sorted(builds, key=str) == [2019, 2020]
    builds.clear()
    assert ids(client, alice) == [b20, a20, a19] and builds == []  # all cached

    r = client.put(f"/api/assets/{a20}", headers=alice.headers, json={"latitude": 51.0, "longitude": 5.0})
    assert r.status_code == 200
    markers = {m["id"]: m for m in client.get("/api/map/markers", headers=alice.headers).json()}
    assert (markers[a20]["lat"], markers[a20]["lon"]) == (51.0, 5.0)
    assert builds == [2020]
    builds.clear()

    # A date moved from 2019 to 2021: both years change.
    r = client.put(f"/api/assets/{a19}", headers=alice.headers, json={"dateTimeOriginal": "2021-01-05T10:00:00Z"})
    assert r.status_code == 200
    assert ids(client, alice) == [a19, b20, a20]
    assert sorted(builds, key=str) == [2021]  # 2019 has no assets left, 2020 is unchanged
    builds.clear()

    # A row deleted outright (no updated_at to move): the year's count changes.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(delete(Asset).where(Asset.id == b20))
        s.commit()
    assert ids(client, alice) == [a19, a20] and builds == [2020]


def test_far_off_dates(client: TestClient, alice: Account, builds: list[int | None]) -> None:
    old = insert_asset(client, alice.id, "1700-03-01T10:00:00", 0, exif=here(50.1))
    new = insert_asset(client, alice.id, "2024-03-01T10:00:00", 0, exif=here(50.2))
    assert ids(client, alice) == [new, old]
    assert sorted(builds, key=str) == [1700, 2024]
    builds.clear()
    assert ids(client, alice) == [new, old] and builds == []

"""asset_position (migration 0010_places_perf): the triggers keep it equal to what asset + asset_exif say, through
the app's write paths: upload and pipeline, location and date edits, favourites, archive, hidden, trash and
restore, permanent deletion, bulk updates (SQLite and PostgreSQL). GPX apply is checked in test_gpx."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from photonest.db.tables import Asset, AssetExif, AssetPosition
from tests.conftest import Account
from tests.places.test_map_api import DEATH_VALLEY, LEUVEN, NO_GPS, NULL_ISLAND, process, put, with_places  # noqa: F401

pytestmark = pytest.mark.postgres

_spec = importlib.util.spec_from_file_location("places_perf", Path(__file__).parents[2] / "src" / "photonest" / "db"
                                               / "migrations" / "versions" / "0010_places_perf.py")
assert _spec is not None and _spec.loader is not None
MIGRATION: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(MIGRATION)


def positions(client: TestClient) -> dict[str, dict[str, Any]]:
    """asset_position by asset id, after checking it equals a fresh copy from asset + asset_exif."""
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        dialect = s.get_bind().dialect.name
        cols = MIGRATION.COLUMNS
        stored = s.execute(text(f"SELECT {cols} FROM asset_position")).all()
        fresh = s.execute(text(f"SELECT * FROM ({MIGRATION.select_sql(dialect)}) AS f")).all()
    assert sorted(map(tuple, stored)) == sorted(map(tuple, fresh))
    names = cols.split(", ")
    return {r[2]: dict(zip(names, r, strict=True)) for r in stored}


def asset_put(client: TestClient, who: Account, asset_id: str, **body: Any) -> None:
    r = client.put(f"/api/assets/{asset_id}", headers=who.headers, json=body)
    assert r.status_code == 200, r.text


def bulk_put(client: TestClient, who: Account, ids: list[str], **body: Any) -> None:
    r = client.put("/api/assets", headers=who.headers, json={"ids": ids, **body})
    assert r.status_code == 204, r.text


def test_position_rows_follow_every_write(client: TestClient, alice: Account, bob: Account,
                                         with_places: None) -> None:  # noqa: F811
    ids = {"leuven": put(client, alice, LEUVEN), "death_valley": put(client, alice, DEATH_VALLEY),
           "no_gps": put(client, alice, NO_GPS), "null_island": put(client, alice, NULL_ISLAND)}
    process(client)
    pos = positions(client)
    assert set(pos) == {ids["leuven"], ids["death_valley"]}  # no position, null island: no row
    leuven = pos[ids["leuven"]]
    assert leuven["owner_id"] == alice.id and leuven["city"] and leuven["visibility"] == "timeline"
    # The stored JSON is what the endpoints write.
    assert json.loads(leuven["marker"]) == {"id": ids["leuven"], "lat": leuven["latitude"],
                                            "lon": leuven["longitude"], "city": leuven["city"],
                                            "state": leuven["state"], "country": leuven["country"]}
    markers = client.get("/api/map/markers", headers=alice.headers).json()
    assert json.loads(leuven["marker"]) in markers

    # A location edit adds the photo without GPS (named by the places code), a move to null island drops it.
    asset_put(client, alice, ids["no_gps"], latitude=48.8566, longitude=2.3522)
    pos = positions(client)
    assert pos[ids["no_gps"]]["latitude"] == pytest.approx(48.8566) and pos[ids["no_gps"]]["country"] == "France"
    asset_put(client, alice, ids["no_gps"], latitude=0, longitude=0)
    assert ids["no_gps"] not in positions(client)
    asset_put(client, alice, ids["no_gps"], latitude=-33.8688, longitude=151.2093)

    # A date edit moves the row (file_created_at is part of its key), a favourite flag is copied.
    asset_put(client, alice, ids["death_valley"], dateTimeOriginal="2001-02-03T04:05:06.000Z", isFavorite=True)
    row = positions(client)[ids["death_valley"]]
    assert str(row["file_created_at"]).startswith("2001-02-03")
    assert bool(row["is_favorite"]) is True
    assert '"localDateTime":' in row["point"].replace(" ", "") and "2001-02-03T" in row["point"]

    # Archive keeps the row (the map shows it with isArchived=true), hidden and locked drop it, timeline restores.
    bulk_put(client, alice, [ids["leuven"]], visibility="archive")
    assert positions(client)[ids["leuven"]]["visibility"] == "archive"
    assert ids["leuven"] not in {m["id"] for m in client.get("/api/map/markers", headers=alice.headers).json()}
    assert ids["leuven"] in {m["id"] for m in client.get("/api/map/markers", headers=alice.headers,
                                                         params={"isArchived": "true"}).json()}
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(Asset).where(Asset.id == ids["leuven"]).values(visibility="hidden"))
    assert ids["leuven"] not in positions(client)
    bulk_put(client, alice, [ids["leuven"]], visibility="timeline")
    assert positions(client)[ids["leuven"]]["visibility"] == "timeline"

    # Trash and restore.
    r = client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [ids["leuven"]]})
    assert r.status_code == 204, r.text
    assert ids["leuven"] not in positions(client)
    r = client.post("/api/trash/restore/assets", headers=alice.headers, json={"ids": [ids["leuven"]]})
    assert r.status_code == 200, r.text
    assert ids["leuven"] in positions(client)

    # Raw writes the triggers also see: an EXIF row removed, then a bulk UPDATE of positions.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(AssetExif).where(AssetExif.asset_id == ids["no_gps"]).values(latitude=None))
    assert ids["no_gps"] not in positions(client)
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(AssetExif).where(AssetExif.asset_id.in_(list(ids.values())))
                  .values(latitude=10.5, longitude=20.5, city="Nowhere"))
    pos = positions(client)
    assert set(pos) == set(ids.values())
    assert {p["city"] for p in pos.values()} == {"Nowhere"}

    # Permanent deletion (the row goes with the asset by cascade).
    r = client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [ids["leuven"]], "force": True})
    assert r.status_code == 204, r.text
    process(client)
    assert ids["leuven"] not in positions(client)
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        assert s.query(AssetPosition).filter(AssetPosition.owner_id == bob.id).count() == 0


def test_gc_pause_is_counted_and_restores_the_callers_setting() -> None:
    import gc

    from photonest.library.location_history import _gc_paused

    assert gc.isenabled()
    with _gc_paused():
        assert not gc.isenabled()
        with _gc_paused():  # an overlapping request
            assert not gc.isenabled()
        assert not gc.isenabled()  # still paused for the first
    assert gc.isenabled()
    gc.disable()  # disabled by someone else: left disabled
    try:
        with _gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()

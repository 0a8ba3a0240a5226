"""library.timeline_cache: a month reopened unchanged comes from memory, and every change a month shows - in the
asset, its EXIF row, its album, its stack, the caller's partners - is seen on the next request."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from photonest.db.tables import AssetExif
from photonest.library import timeline, timeline_cache
from tests.conftest import Account
from tests.library.factory import insert_asset


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The months built from the database (not served from memory), in order."""
    timeline_cache.clear()
    seen: list[str] = []
    real = timeline.bucket

    def counting(db: Any, ctx: Any, time_bucket: str, q: Any) -> Any:
        seen.append(time_bucket)
        return real(db, ctx, time_bucket, q)

    monkeypatch.setattr(timeline, "bucket", counting)
    return seen


def _month(client: TestClient, who: Account, month: str = "2024-06-01", **params: Any) -> dict[str, Any]:
    r = client.get("/api/timeline/bucket", headers=who.headers, params={"timeBucket": month, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_unchanged_month_is_served_from_memory_and_changes_are_seen(
        client: TestClient, alice: Account, bob: Account, builds: list[str], db_url: str) -> None:
    sqlite = db_url.startswith("sqlite")
    a = insert_asset(client, alice.id, "2024-06-10T10:00:00", 2, exif={"city": "Lisbon", "country": "Portugal"})
    b = insert_asset(client, alice.id, "2024-06-11T10:00:00", 2)
    first = _month(client, alice)
    assert first["id"] == [b, a] and first["city"] == [None, "Lisbon"]
    assert _month(client, alice) == first
    # SQLite: the second open is a lookup; PostgreSQL has no change counter and always builds.
    assert builds == ["2024-06-01"] * (1 if sqlite else 2)
    # Other filters and other callers are other entries.
    assert _month(client, alice, visibility="timeline")["id"] == [b, a]
    assert _month(client, bob)["id"] == []

    def after(change: Any) -> dict[str, Any]:
        n = len(builds)
        change()
        out = _month(client, alice)
        assert len(builds) == n + 1, "a change must rebuild the month"
        return out

    def sql(stmt: Any) -> Any:
        def run() -> None:
            with client.app.state.db.session() as s:  # type: ignore[attr-defined]
                s.execute(stmt)
        return run

    assert after(lambda: client.put(f"/api/assets/{a}", headers=alice.headers,
                                    json={"isFavorite": True}))["isFavorite"] == [False, True]
    assert after(sql(update(AssetExif).where(AssetExif.asset_id == a).values(city="Porto")))["city"] == [None, "Porto"]
    assert after(sql(delete(AssetExif).where(AssetExif.asset_id == a)))["city"] == [None, None]
    assert after(lambda: client.put(f"/api/assets/{b}", headers=alice.headers,
                                    json={"dateTimeOriginal": "2024-07-01T10:00:00+00:00"}))["id"] == [a]
    assert after(lambda: client.request("DELETE", "/api/assets", headers=alice.headers,
                                        json={"ids": [a]}))["id"] == []
    assert after(lambda: client.post("/api/trash/restore/assets", headers=alice.headers,
                                     json={"ids": [a]}))["id"] == [a]
    c = insert_asset(client, alice.id, "2024-06-12T10:00:00", 2)
    assert _month(client, alice)["id"] == [c, a]
    # Stacks: the month with withStacked shows the primary only, and follows a new stack.
    assert _month(client, alice, withStacked="true")["id"] == [c, a]
    assert client.post("/api/stacks", headers=alice.headers, json={"assetIds": [c, a]}).status_code == 201
    assert _month(client, alice, withStacked="true")["id"] == [c]


def test_album_month_follows_membership(client: TestClient, alice: Account, builds: list[str]) -> None:
    a = insert_asset(client, alice.id, "2024-06-10T10:00:00", 0)
    b = insert_asset(client, alice.id, "2024-06-11T10:00:00", 0)
    album = client.post("/api/albums", headers=alice.headers, json={"albumName": "A", "assetIds": [a]}).json()["id"]
    assert _month(client, alice, albumId=album)["id"] == [a]
    assert _month(client, alice, albumId=album)["id"] == [a]
    client.put(f"/api/albums/{album}/assets", headers=alice.headers, json={"ids": [b]})
    assert _month(client, alice, albumId=album)["id"] == [b, a]
    client.request("DELETE", f"/api/albums/{album}/assets", headers=alice.headers, json={"ids": [a]})
    assert _month(client, alice, albumId=album)["id"] == [b]
    assert client.delete(f"/api/albums/{album}", headers=alice.headers).status_code == 204
    assert client.get("/api/timeline/bucket", headers=alice.headers,
                      params={"albumId": album, "timeBucket": "2024-06-01"}).status_code == 400


def test_bad_month_is_refused_even_when_cached(client: TestClient, alice: Account, builds: list[str]) -> None:
    _month(client, alice)
    r = client.get("/api/timeline/bucket", headers=alice.headers, params={"timeBucket": "2024-13-01"})
    assert r.status_code == 400 and r.json()["statusCode"] == 400

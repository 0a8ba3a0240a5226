"""Location history and GPX import are per user: Bob cannot see Alice's days, trips or home, change her home,
or apply her GPX preview to her photos (nor she his); a partner sees nothing of the other's history."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.db.tables import AssetExif
from tests.conftest import Account
from tests.library.factory import insert_asset

pytestmark = pytest.mark.postgres

GPX = (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
       b'<trkpt lat="48.0" lon="2.0"><time>2023-06-01T10:00:00Z</time></trkpt>'
       b'<trkpt lat="48.1" lon="2.1"><time>2023-06-01T10:10:00Z</time></trkpt>'
       b"</trkseg></trk></gpx>")


def history(client: TestClient, who: Account) -> dict[str, Any]:
    out = {}
    for path in ("/days", "/trips", "/home"):
        r = client.get(f"/api/location-history{path}", headers=who.headers)
        out[path] = r.json() if r.status_code == 200 else r.status_code
    return out


def position(client: TestClient, asset_id: str) -> tuple[float | None, float | None]:
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        e = s.get(AssetExif, asset_id)
        return (e.latitude, e.longitude) if e else (None, None)


def preview(client: TestClient, who: Account) -> Any:
    r = client.post("/api/location-history/gpx/preview", headers=who.headers,
                    files={"file": ("t.gpx", GPX, "application/gpx+xml")})
    assert r.status_code == 200, r.text
    return r.json()


def test_bob_cannot_see_or_change_alices_history(client: TestClient, alice: Account, bob: Account) -> None:
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        insert_asset(client, alice.id, f"{day}T10:00:00", 1,
                     exif={"latitude": 50.85, "longitude": 4.35, "city": "Brussels", "country": "Belgium"})
    insert_asset(client, alice.id, "2024-02-01T10:00:00", 9,
                 exif={"latitude": 35.0, "longitude": 135.7, "city": "Kyoto", "country": "Japan"})
    # Partners see each other's photos, never each other's history.
    assert client.post(f"/api/partners/{bob.id}", headers=alice.headers).status_code in (200, 201)
    alices = history(client, alice)
    assert alices["/trips"][0]["id"] == "2024-02-01_2024-02-01"

    assert history(client, bob) == {"/days": [], "/trips": [], "/home": 404}
    r = client.get("/api/location-history/trips/2024-02-01_2024-02-01", headers=bob.headers)
    assert r.status_code == 404
    # Bob's home is his own.
    assert client.put("/api/location-history/home", headers=bob.headers,
                      json={"latitude": 35.0, "longitude": 135.7, "radiusKm": 10}).status_code == 200
    assert client.delete("/api/location-history/home", headers=bob.headers).status_code == 204
    assert client.put("/api/location-history/home", headers=bob.headers,
                      json={"latitude": 1.0, "longitude": 1.0}).status_code == 200
    assert history(client, alice) == alices


def test_gpx_previews_are_the_owners(client: TestClient, alice: Account, bob: Account) -> None:
    hers = insert_asset(client, alice.id, "2023-06-01T10:05:00", 0)
    his = insert_asset(client, bob.id, "2023-06-01T10:05:00", 0)
    # Bob's track matches his own photo only, though Alice's was taken at the same moment.
    bobs = preview(client, bob)
    assert [m["assetId"] for m in bobs["matches"]] == [his]
    alices = preview(client, alice)
    assert [m["assetId"] for m in alices["matches"]] == [hers]

    # Neither can apply the other's preview; nothing changes and the owner's preview stays usable.
    r = client.post("/api/location-history/gpx/apply", headers=bob.headers, json={"previewId": alices["previewId"]})
    assert r.status_code == 400 and r.json()["statusCode"] == 400
    r = client.post("/api/location-history/gpx/apply", headers=alice.headers, json={"previewId": bobs["previewId"]})
    assert r.status_code == 400
    assert position(client, hers) == (None, None) and position(client, his) == (None, None)
    r = client.post("/api/location-history/gpx/apply", headers=alice.headers, json={"previewId": alices["previewId"]})
    assert r.json() == {"updated": 1}
    assert position(client, hers) == (pytest.approx(48.05), pytest.approx(2.05))
    assert position(client, his) == (None, None)


def test_api_key_permissions(client: TestClient, alice: Account) -> None:
    insert_asset(client, alice.id, "2023-06-01T10:05:00", 0)
    key = client.post("/api/api-keys", headers=alice.headers,
                      json={"name": "read only", "permissions": ["asset.read"]}).json()["secret"]
    h = {"x-api-key": key}
    client.cookies.clear()
    assert client.get("/api/location-history/days", headers=h).status_code == 403
    r = client.post("/api/location-history/gpx/preview", headers=h,
                    files={"file": ("t.gpx", GPX, "application/gpx+xml")})
    assert r.status_code == 403
    assert client.put("/api/location-history/home", headers=h, json={"latitude": 1, "longitude": 1}).status_code == 403

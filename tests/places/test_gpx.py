"""GPX import (POST /api/location-history/gpx/preview and /apply): real photos and synthetic ones matched to
tracks the tests write, camera clock offsets, gaps, and hostile files (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from photonest.db.tables import AssetExif, GpxPreview
from photonest.library import gpx
from tests.conftest import MEDIA, Account
from tests.library.factory import insert_asset
from tests.places.test_asset_position import positions
from tests.places.test_map_api import process, put, with_places  # noqa: F401 (a fixture)

pytestmark = pytest.mark.postgres

GPX11 = "http://www.topografix.com/GPX/1/1"
GPX10 = "http://www.topografix.com/GPX/1/0"


def track(points: list[tuple[str, float, float]], ns: str = GPX11, kind: str = "trk") -> bytes:
    """A GPX document: kind "trk" (one segment), "rte" or "wpt"; points are (UTC time, lat, lon)."""
    tag = {"trk": "trkpt", "rte": "rtept", "wpt": "wpt"}[kind]
    pts = "".join(f'<{tag} lat="{la}" lon="{lo}"><ele>100</ele><time>{t}</time></{tag}>' for t, la, lo in points)
    body = {"trk": f"<trk><name>walk</name><trkseg>{pts}</trkseg></trk>", "rte": f"<rte>{pts}</rte>",
            "wpt": pts}[kind]
    return (f'<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="pytest" xmlns="{ns}">'
            f"<metadata><name>test</name></metadata>{body}</gpx>").encode()


def death_valley_walk() -> bytes:
    """2008-05-08 16:50-17:00 UTC, one point a minute, 0.01 degree north a minute."""
    start = datetime(2008, 5, 8, 16, 50, tzinfo=UTC)
    return track([((start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"), round(36.40 + i / 100, 4),
                   -116.85) for i in range(11)])


def preview(client: TestClient, who: Account, data: bytes, *, path: str = "preview", name: str = "walk.gpx",
            **fields: Any) -> Any:
    form = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}
    return client.post(f"/api/location-history/gpx/{path}", headers=who.headers, data=form,
                       files={"file": (name, data, "application/gpx+xml")})


def exif(client: TestClient, asset_id: str) -> AssetExif:
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        row = s.get(AssetExif, asset_id)
        assert row is not None
        s.expunge(row)
        return row


def set_zone(client: TestClient, asset_id: str, zone: str | None) -> None:
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(AssetExif).where(AssetExif.asset_id == asset_id).values(time_zone=zone))
        s.commit()


def previews(client: TestClient) -> int:
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        return int(s.scalar(select(func.count()).select_from(GpxPreview)) or 0)


@pytest.fixture
def photos(client: TestClient, alice: Account, bob: Account, with_places: None) -> dict[str, str]:  # noqa: F811
    ids = {
        # Real files: the same burst, one with GPS (its zone follows from its position), one without (naive).
        "with_gps": put(client, alice, MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg"),
        "no_gps": put(client, alice, MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"),
    }
    process(client)
    a = alice.id
    # A photo whose zone is known (UTC+2): its UTC instant 16:58:00 is matched without the camera offset.
    ids["zoned"] = insert_asset(client, a, "2008-05-08T18:58:00", 2)
    set_zone(client, ids["zoned"], "UTC+02:00")
    ids["late"] = insert_asset(client, a, "2008-05-08T12:00:00", 0)  # naive: 19:00 UTC with +420, no track
    insert_asset(client, a, "2008-05-08T09:55:00", 0, deleted_at=datetime.now(UTC))
    insert_asset(client, a, "2008-05-08T09:56:00", 0, visibility="locked")
    ids["bobs"] = insert_asset(client, bob.id, "2008-05-08T09:55:00", 0)
    return ids


def test_preview_and_apply_with_a_camera_clock_offset(client: TestClient, alice: Account,
                                                      photos: dict[str, str]) -> None:
    assert exif(client, photos["no_gps"]).time_zone is None  # a naive camera time, as the file says
    # The camera showed Pacific daylight time without a zone: camera time + 420 minutes = UTC.
    r = preview(client, alice, death_valley_walk(), offsetMinutes=420)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["trackPoints"] == 11
    assert (body["trackStart"], body["trackEnd"]) == ("2008-05-08T16:50:00.000Z", "2008-05-08T17:00:00.000Z")
    got = {m["assetId"]: m for m in body["matches"]}
    assert set(got) == {photos["no_gps"], photos["zoned"]}  # not the one with GPS, trashed, locked, Bob's
    burst = got[photos["no_gps"]]
    # 09:54:34 camera time = 16:54:34 UTC: 34 s past the 16:54 point, linear between 36.44 and 36.45.
    assert burst["latitude"] == pytest.approx(36.44 + 34 / 6000, abs=1e-6)
    assert burst["longitude"] == pytest.approx(-116.85)
    assert burst["gapSeconds"] == 26 and burst["hadLocation"] is False
    assert burst["originalFileName"] == "FurnaceCreekInn2.jpg"
    assert burst["localDateTime"] == "2008-05-08T09:54:34.000Z"
    zoned = got[photos["zoned"]]
    assert (zoned["latitude"], zoned["gapSeconds"]) == (pytest.approx(36.48), 0)
    assert body["unmatched"] == 1  # "late"

    # Nothing is written by a preview.
    assert exif(client, photos["no_gps"]).latitude is None
    r = client.post("/api/location-history/gpx/apply", headers=alice.headers, json={"previewId": body["previewId"]})
    assert r.status_code == 200, r.text
    assert r.json() == {"updated": 2}
    info = client.get(f"/api/assets/{photos['no_gps']}", headers=alice.headers).json()["exifInfo"]
    assert info["latitude"] == pytest.approx(36.44 + 34 / 6000, abs=1e-6)
    assert info["country"] == "United States of America" and info["city"]  # named again, as PUT /assets does
    markers = {m["id"] for m in client.get("/api/map/markers", headers=alice.headers).json()}
    assert {photos["no_gps"], photos["zoned"]} <= markers
    assert positions(client)[photos["no_gps"]]["country"] == "United States of America"  # asset_position in step
    assert "latitude" in exif(client, photos["no_gps"]).locked_fields  # kept by a metadata refresh
    # A preview is used once.
    again = client.post("/api/location-history/gpx/apply", headers=alice.headers,
                        json={"previewId": body["previewId"]})
    assert again.status_code == 400 and "expired" in again.json()["message"]


def test_offsets_overwrite_and_gaps(client: TestClient, alice: Account, photos: dict[str, str]) -> None:
    # Without the offset the naive photo is seven hours off the track.
    body = preview(client, alice, death_valley_walk()).json()
    assert {m["assetId"] for m in body["matches"]} == {photos["zoned"]}
    # overwrite: photos with a position too, flagged.
    body = preview(client, alice, death_valley_walk(), offsetMinutes=420, overwrite=True).json()
    had = {m["assetId"]: m["hadLocation"] for m in body["matches"]}
    assert had == {photos["no_gps"]: False, photos["zoned"]: False, photos["with_gps"]: True}

    # A hole in the track (GPS off from 10:01 to 10:40): within maxGap of an end the nearest point, inside
    # a short enough hole the interpolation, else unmatched.
    a = alice.id
    near = insert_asset(client, a, "2020-03-01T10:05:00", 0)
    middle = insert_asset(client, a, "2020-03-01T10:20:00", 0)
    for aid in (near, middle):
        set_zone(client, aid, None)
    holed = track([("2020-03-01T10:00:00Z", 10.0, 20.0), ("2020-03-01T10:01:00Z", 10.1, 20.0),
                   ("2020-03-01T10:40:00Z", 10.5, 20.4), ("2020-03-01T10:41:00Z", 10.6, 20.4)])
    body = preview(client, alice, holed).json()
    got = {m["assetId"]: m for m in body["matches"]}
    assert set(got) == {near} and (got[near]["latitude"], got[near]["gapSeconds"]) == (10.1, 240)
    assert body["unmatched"] == 1
    got = {m["assetId"]: m for m in preview(client, alice, holed, maxGapMinutes=60).json()["matches"]}
    assert got[middle]["latitude"] == pytest.approx(10.1 + 0.4 * 19 / 39, abs=1e-6)
    assert got[middle]["longitude"] == pytest.approx(20.0 + 0.4 * 19 / 39, abs=1e-6)
    assert got[middle]["gapSeconds"] == 19 * 60


def test_gpx_10_routes_waypoints_and_direct_apply(client: TestClient, alice: Account,
                                                  photos: dict[str, str]) -> None:
    aid = insert_asset(client, alice.id, "2021-07-01T12:00:30", 0)
    points = [("2021-07-01T12:00:00Z", 51.0, 4.0), ("2021-07-01T12:01:00Z", 51.0, 4.1)]
    for data in (track(points, GPX10, "rte"), track(points, GPX10, "wpt"), track(points, GPX11, "wpt")):
        body = preview(client, alice, data).json()
        assert [(m["assetId"], m["longitude"]) for m in body["matches"]] == [(aid, pytest.approx(4.05))]
    # The same multipart sent to /apply matches and applies at once.
    r = preview(client, alice, track(points), path="apply")
    assert r.status_code == 200 and r.json() == {"updated": 1}
    info = client.get(f"/api/assets/{aid}", headers=alice.headers).json()["exifInfo"]
    assert (info["latitude"], info["longitude"]) == (51.0, pytest.approx(4.05))
    assert info["country"] == "Belgium"


def test_apply_names_no_place_with_reverse_geocoding_off(client: TestClient, admin: Account, alice: Account,
                                                          photos: dict[str, str]) -> None:
    cfg = client.get("/api/system-config", headers=admin.headers).json()
    cfg["reverseGeocoding"]["enabled"] = False
    assert client.put("/api/system-config", headers=admin.headers, json=cfg).status_code == 200
    aid = insert_asset(client, alice.id, "2021-07-01T12:00:30", 0)
    points = [("2021-07-01T12:00:00Z", 51.0, 4.0), ("2021-07-01T12:01:00Z", 51.0, 4.1)]
    r = preview(client, alice, track(points), path="apply")
    assert r.status_code == 200 and r.json() == {"updated": 1}
    e = exif(client, aid)
    assert e.latitude == 51.0 and (e.city, e.state, e.country) == (None, None, None)


def test_expired_preview(client: TestClient, alice: Account, photos: dict[str, str]) -> None:
    pid = preview(client, alice, death_valley_walk(), offsetMinutes=420).json()["previewId"]
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(GpxPreview).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        s.commit()
    r = client.post("/api/location-history/gpx/apply", headers=alice.headers, json={"previewId": pid})
    assert r.status_code == 400
    assert exif(client, photos["no_gps"]).latitude is None
    # A new preview sweeps the expired ones away; a user keeps at most a few.
    for _ in range(gpx.PREVIEWS_PER_USER + 2):
        assert preview(client, alice, death_valley_walk()).status_code == 200
    assert previews(client) == gpx.PREVIEWS_PER_USER


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="1" lon="1"><name>&d;</name></wpt></gpx>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="1" lon="1"><name>&x;</name></wpt></gpx>"""


@pytest.mark.parametrize("data, fields, status, words", [
    (BOMB, {}, 400, "DTD"),
    (XXE, {}, 400, "DTD"),
    ((MEDIA / "camera_jpeg" / "leuvenA.jpg").read_bytes(), {}, 400, "Not a GPX file"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>', {}, 400, "root element"),
    (b'<gpx xmlns="http://www.topografix.com/GPX/1/1">' + b"<a>" * 100 + b"</a>" * 100 + b"</gpx>", {}, 400,
     "nested"),
    (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="x" lon="1"><time>2020-01-01T00:00:00Z</time>'
     b"</wpt></gpx>", {}, 400, "lat/lon"),
    (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="95" lon="1"><time>2020-01-01T00:00:00Z</time>'
     b"</wpt></gpx>", {}, 400, "outside the globe"),
    (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="5" lon="1"/></gpx>', {}, 400, "no points"),
    (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>', {}, 400, "Not a GPX file"),
    (b"", {}, 400, "Not a GPX file"),
    (b"<gpx/>", {"offsetMinutes": "soon"}, 400, "offsetMinutes"),
    (b"<gpx/>", {"maxGapMinutes": "-1"}, 400, "maxGapMinutes"),
    (b"<gpx/>", {"overwrite": "maybe"}, 400, "overwrite"),
])
def test_hostile_and_bad_input(client: TestClient, alice: Account, photos: dict[str, str], data: bytes,
                               fields: dict[str, str], status: int, words: str) -> None:
    r = preview(client, alice, data, **fields)
    assert r.status_code == status, r.text
    assert words in r.json()["message"] and r.json()["statusCode"] == status
    assert previews(client) == 0  # nothing kept
    assert exif(client, photos["no_gps"]).latitude is None


def test_oversize_and_malformed_requests(client: TestClient, alice: Account, photos: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gpx, "MAX_BYTES", 1000)
    r = preview(client, alice, death_valley_walk())  # ~1.7 kB: over the limit once read
    assert r.status_code == 413 and r.json()["error"] == "Payload Too Large"
    r = preview(client, alice, b" " * 80_000)  # refused by its Content-Length before reading
    assert r.status_code == 413
    r = client.post("/api/location-history/gpx/preview", headers=alice.headers, json={"file": "x"})
    assert r.status_code == 400 and "multipart" in r.json()["message"]
    r = client.post("/api/location-history/gpx/preview", headers=alice.headers, data={"offsetMinutes": "1"},
                    files={"other": ("a.txt", b"x")})
    assert r.status_code == 400 and "file is required" in r.json()["message"]
    for body in ({}, {"previewId": 5}, {"previewId": "nope"}):
        r = client.post("/api/location-history/gpx/apply", headers=alice.headers, json=body)
        assert r.status_code == 400, body
    r = client.post("/api/location-history/gpx/apply", headers={**alice.headers, "content-type": "application/json"},
                    content=b"{not json")
    assert r.status_code == 400
    assert previews(client) == 0

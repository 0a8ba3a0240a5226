"""The calendar heatmap (Immich's /users/me/calendar-heatmap and the admin's per-user view): per-day counts by
upload day or by the day taken, the period's defaults and bounds, what is counted (trash, hidden, locked), and
that an admin sees any user's while a user sees only their own. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import JPEG, JPEG2, VIDEO, upload

URL = "/api/users/me/calendar-heatmap"


def _taken_day(client: TestClient, who: Account, aid: str) -> str:
    return str(client.get(f"/api/assets/{aid}", headers=who.headers).json()["localDateTime"])[:10]


def test_counts_by_upload_and_taken_day(client: TestClient, alice: Account, bob: Account) -> None:
    today = datetime.now(UTC).date()
    a = upload(client, alice, JPEG).json()["id"]
    b = upload(client, alice, JPEG2, fileCreatedAt="2019-07-04T12:00:00.000Z").json()["id"]
    upload(client, bob, VIDEO)  # Bob's: never in Alice's counts

    r = client.get(URL, headers=alice.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat(),
                    "totalCount": 2, "series": [{"date": today.isoformat(), "count": 2}]}

    days = sorted([_taken_day(client, alice, a), _taken_day(client, alice, b)])
    lo, hi = days[0], days[-1]
    r = client.get(URL, headers=alice.headers, params={"from": lo, "to": hi, "type": "Taken"})
    assert r.status_code == 200, r.text
    expected: dict[str, int] = {}
    for d in days:
        expected[d] = expected.get(d, 0) + 1
    assert r.json()["series"] == [{"date": d, "count": n} for d, n in sorted(expected.items())]
    assert r.json()["totalCount"] == 2 and r.json()["from"] == lo and r.json()["to"] == hi
    # `to` is inclusive, `from` too: a one-day period on the later day holds just that day's assets.
    one = client.get(URL, headers=alice.headers, params={"from": hi, "to": hi, "type": "Taken"}).json()
    assert one["totalCount"] == expected[hi]

    # Trash and archive: the trash is not counted, the archive is.
    client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a]})
    client.put(f"/api/assets/{b}", headers=alice.headers, json={"visibility": "archive"})
    assert client.get(URL, headers=alice.headers).json()["totalCount"] == 1


def test_locked_folder_counts_only_when_unlocked(client: TestClient, admin: Account, alice: Account) -> None:
    aid = upload(client, alice, JPEG).json()["id"]
    for path in ("/api/auth/pin-code", "/api/auth/session/unlock"):
        assert client.post(path, headers=alice.headers, json={"pinCode": "123456"}).status_code == 204
    assert client.put(f"/api/assets/{aid}", headers=alice.headers, json={"visibility": "locked"}).status_code == 200
    assert client.get(URL, headers=alice.headers).json()["totalCount"] == 1  # unlocked session
    assert client.post("/api/auth/session/lock", headers=alice.headers).status_code == 204
    assert client.get(URL, headers=alice.headers).json()["totalCount"] == 0
    r = client.get(f"/api/admin/users/{alice.id}/calendar-heatmap", headers=admin.headers)
    assert r.status_code == 200 and r.json()["totalCount"] == 0


def test_admin_view_and_bad_input(client: TestClient, admin: Account, alice: Account, bob: Account) -> None:
    upload(client, alice, JPEG)
    r = client.get(f"/api/admin/users/{alice.id}/calendar-heatmap", headers=admin.headers)
    assert r.status_code == 200 and r.json()["totalCount"] == 1
    assert client.get(f"/api/admin/users/{bob.id}/calendar-heatmap", headers=admin.headers).json()["series"] == []
    # Only an admin may look at someone else's.
    r = client.get(f"/api/admin/users/{alice.id}/calendar-heatmap", headers=bob.headers)
    assert r.status_code == 403
    r = client.get("/api/admin/users/00000000-0000-4000-8000-000000000000/calendar-heatmap", headers=admin.headers)
    assert 400 <= r.status_code < 500
    for params in ({"from": "2024-02-30"}, {"to": "yesterday"}, {"type": "Deleted"},
                   {"from": "2024-05-02", "to": "2024-05-01"}):
        r = client.get(URL, headers=alice.headers, params=params)
        assert r.status_code == 400, (params, r.text)
        assert r.json()["statusCode"] == 400 and r.json()["message"]
    client.cookies.clear()
    assert client.get(URL).status_code == 401

"""Calendar heatmap: counts are only ever the caller's own assets (a partner's or a shared album's do not
count), and another user's heatmap is admin-only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.uploading import JPEG, JPEG2, upload


def test_heatmap_counts_only_own_assets(client: TestClient, admin: Account, alice: Account, bob: Account) -> None:
    a1 = upload(client, alice, JPEG).json()["id"]
    upload(client, alice, JPEG2)
    # Bob sees Alice's assets as her partner and through a shared album; none of them are his uploads.
    assert client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id}).status_code == 201
    r = client.post("/api/albums", headers=alice.headers,
                    json={"albumName": "shared", "assetIds": [a1], "albumUsers": [{"userId": bob.id,
                                                                                   "role": "viewer"}]})
    assert r.status_code == 201, r.text
    for kind in ("Upload", "Taken"):
        r = client.get("/api/users/me/calendar-heatmap", headers=bob.headers,
                       params={"type": kind, "from": "1900-01-01"})
        assert r.status_code == 200 and r.json()["totalCount"] == 0 and r.json()["series"] == [], r.text
    # The per-user view is admin-only, for Bob and for an API key of Bob's with every permission.
    assert client.get(f"/api/admin/users/{alice.id}/calendar-heatmap", headers=bob.headers).status_code == 403
    key = client.post("/api/api-keys", headers=bob.headers, json={"name": "k", "permissions": ["all"]}).json()
    client.cookies.clear()
    r = client.get(f"/api/admin/users/{alice.id}/calendar-heatmap", headers={"x-api-key": key["secret"]})
    assert r.status_code == 403 and "2" not in str(r.json().get("totalCount", ""))
    r = client.get(f"/api/admin/users/{alice.id}/calendar-heatmap", headers=admin.headers,
                   params={"from": "1900-01-01", "type": "Taken"})
    assert r.json()["totalCount"] == 2

"""The timeline with what others share: partners (withPartners, userId), share links, tags and stacks."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_downloads import PHOTOS, _upload
from tests.conftest import Account


def _ids(client: TestClient, who: Account, **params: object) -> list[str]:
    out: list[str] = []
    for b in client.get("/api/timeline/buckets", headers=who.headers, params=params).json():
        out += client.get("/api/timeline/bucket", headers=who.headers,
                          params={**params, "timeBucket": b["timeBucket"]}).json()["id"]
    return out


def test_partner_photos_in_my_timeline(client: TestClient, alice: Account, bob: Account) -> None:
    a = _upload(client, alice, PHOTOS[0].read_bytes(), PHOTOS[0].name)
    archived = _upload(client, alice, PHOTOS[1].read_bytes(), PHOTOS[1].name)
    client.put(f"/api/assets/{archived}", headers=alice.headers, json={"visibility": "archive"})
    b = _upload(client, bob, PHOTOS[2].read_bytes(), PHOTOS[2].name)
    tl = {"visibility": "timeline", "withPartners": True}
    assert set(_ids(client, bob, **tl)) == {b}
    # Not a partner yet: Alice's library is closed to Bob.
    assert client.get("/api/timeline/buckets", headers=bob.headers, params={"userId": alice.id}).status_code == 400
    assert client.get(f"/api/assets/{a}", headers=bob.headers).status_code == 400
    client.post("/api/partners", headers=alice.headers, json={"sharedWithId": bob.id})
    assert set(_ids(client, bob, **tl)) == {b}  # shared, but not in Bob's timeline until he says so
    assert set(_ids(client, bob, userId=alice.id)) == {a, archived}  # her library, read-only
    assert client.get(f"/api/assets/{a}", headers=bob.headers).status_code == 200
    client.put(f"/api/partners/{alice.id}", headers=bob.headers, json={"inTimeline": True})
    assert set(_ids(client, bob, **tl)) == {a, b}
    # Read-only: Bob cannot change or delete Alice's photo.
    assert client.put(f"/api/assets/{a}", headers=bob.headers, json={"isFavorite": True}).status_code == 400
    assert client.request("DELETE", "/api/assets", headers=bob.headers, json={"ids": [a]}).status_code == 400
    # Her trash and locked folder stay hers.
    assert client.get("/api/timeline/buckets", headers=bob.headers,
                      params={"userId": alice.id, "isTrashed": True}).status_code == 400
    client.delete(f"/api/partners/{bob.id}", headers=alice.headers)
    assert set(_ids(client, bob, **tl)) == {b}
    assert client.get(f"/api/assets/{a}", headers=bob.headers).status_code == 400


def test_share_link_timeline_is_the_link(client: TestClient, alice: Account) -> None:
    a, b, c = (_upload(client, alice, p.read_bytes(), p.name) for p in PHOTOS)
    album = client.post("/api/albums", headers=alice.headers, json={"albumName": "L", "assetIds": [a, b]}).json()
    link = client.post("/api/shared-links", headers=alice.headers,
                       json={"type": "ALBUM", "albumId": album["id"]}).json()
    client.cookies.clear()
    key = {"key": link["key"]}
    buckets = client.get("/api/timeline/buckets", params={**key, "albumId": album["id"]}).json()
    ids = []
    for bk in buckets:
        ids += client.get("/api/timeline/bucket", params={**key, "albumId": album["id"],
                                                          "timeBucket": bk["timeBucket"]}).json()["id"]
    assert set(ids) == {a, b}
    # Without albumId the link still shows only its album, never the owner's library.
    assert sum(x["count"] for x in client.get("/api/timeline/buckets", params=key).json()) == 2
    assert client.get("/api/timeline/buckets", params={**key, "isTrashed": True}).status_code == 400
    assert client.get(f"/api/assets/{a}", params=key).status_code == 200
    assert client.get(f"/api/assets/{c}", params=key).status_code == 400


def test_tag_and_stack_filters(client: TestClient, alice: Account, bob: Account) -> None:
    a, b, c = (_upload(client, alice, p.read_bytes(), p.name) for p in PHOTOS)
    japan, kyoto = client.put("/api/tags", headers=alice.headers, json={"tags": ["Japan", "Japan/Kyoto"]}).json()
    client.put(f"/api/tags/{kyoto['id']}/assets", headers=alice.headers, json={"ids": [a]})
    client.put(f"/api/tags/{japan['id']}/assets", headers=alice.headers, json={"ids": [b]})
    assert set(_ids(client, alice, tagId=kyoto["id"])) == {a}
    assert set(_ids(client, alice, tagId=japan["id"])) == {a, b}  # a tag includes its sub-tags
    assert client.get("/api/timeline/buckets", headers=bob.headers, params={"tagId": japan["id"]}).status_code == 400
    stack = client.post("/api/stacks", headers=alice.headers, json={"assetIds": [c, b]}).json()
    assert set(_ids(client, alice, withStacked=True)) == {a, c}  # the stack shows as its primary
    assert set(_ids(client, alice)) == {a, b, c}
    bucket = next(iter(client.get("/api/timeline/buckets", headers=alice.headers,
                                  params={"withStacked": True}).json()))
    cols = client.get("/api/timeline/bucket", headers=alice.headers,
                      params={"withStacked": True, "timeBucket": bucket["timeBucket"]}).json()
    for i, stack_col in zip(cols["id"], cols["stack"], strict=True):
        assert stack_col == ([stack["id"], "2"] if i == c else None)

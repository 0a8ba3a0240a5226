"""Tags (hierarchy, upsert, colour, rename, tag/untag, bulk) and stacks (create, primary, remove, delete)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_downloads import PHOTOS, _upload
from tests.conftest import Account


def _ids(client: TestClient, who: Account) -> list[str]:
    return [_upload(client, who, p.read_bytes(), p.name) for p in PHOTOS]


def test_hierarchical_tags(client: TestClient, alice: Account, bob: Account) -> None:
    r = client.put("/api/tags", headers=alice.headers, json={"tags": ["Travel/Japan/Kyoto", "Travel/Japan"]})
    assert r.status_code == 200
    kyoto, japan = r.json()
    assert kyoto["value"] == "Travel/Japan/Kyoto" and kyoto["name"] == "Kyoto" and kyoto["parentId"] == japan["id"]
    values = [t["value"] for t in client.get("/api/tags", headers=alice.headers).json()]
    assert values == ["Travel", "Travel/Japan", "Travel/Japan/Kyoto"]
    assert client.get("/api/tags", headers=bob.headers).json() == []

    osaka = {"name": "Osaka", "parentId": japan["id"]}
    r = client.post("/api/tags", headers=alice.headers, json={**osaka, "color": "#ff0000"})
    assert r.status_code == 201 and r.json()["value"] == "Travel/Japan/Osaka" and r.json()["color"] == "#ff0000"
    assert client.post("/api/tags", headers=alice.headers, json=osaka).status_code == 400
    assert client.post("/api/tags", headers=alice.headers, json={"name": "a//b"}).status_code == 400

    # Renaming a level renames everything below it.
    r = client.put(f"/api/tags/{japan['id']}", headers=alice.headers, json={"name": "Nippon", "color": "#00ff00"})
    assert r.status_code == 200 and r.json()["value"] == "Travel/Nippon"
    values = [t["value"] for t in client.get("/api/tags", headers=alice.headers).json()]
    assert values == ["Travel", "Travel/Nippon", "Travel/Nippon/Kyoto", "Travel/Nippon/Osaka"]

    # Bob can't read, recolour, rename or delete Alice's tag.
    for method, body in (("GET", None), ("PUT", {"color": "#000000"}), ("DELETE", None)):
        assert client.request(method, f"/api/tags/{japan['id']}", headers=bob.headers, json=body).status_code == 400
    assert client.delete(f"/api/tags/{japan['id']}", headers=alice.headers).status_code == 204
    assert [t["value"] for t in client.get("/api/tags", headers=alice.headers).json()] == ["Travel"]


def test_tagging_assets(client: TestClient, alice: Account, bob: Account) -> None:
    a, b, c = _ids(client, alice)
    bobs = _upload(client, bob, PHOTOS[0].read_bytes(), PHOTOS[0].name)
    tag = client.put("/api/tags", headers=alice.headers, json={"tags": ["Family"]}).json()[0]
    res = client.put(f"/api/tags/{tag['id']}/assets", headers=alice.headers, json={"ids": [a, a, bobs]}).json()
    # One result per requested id, a repeat answered as a duplicate (Immich's addAssets rule).
    assert [(x["id"], x["success"], x.get("error")) for x in res] == [
        (a, True, None), (a, False, "duplicate"), (bobs, False, "no_permission")]
    again = client.put(f"/api/tags/{tag['id']}/assets", headers=alice.headers, json={"ids": [a]}).json()
    assert again[0]["error"] == "duplicate"
    other = client.put("/api/tags", headers=alice.headers, json={"tags": ["Trip"]}).json()[0]
    r = client.put("/api/tags/assets", headers=alice.headers,
                   json={"tagIds": [tag["id"], other["id"]], "assetIds": [a, b, c]})
    assert r.json() == {"count": 5}  # a already had Family
    assert client.put("/api/tags/assets", headers=alice.headers,
                      json={"tagIds": [tag["id"]], "assetIds": [bobs]}).status_code == 400
    res = client.request("DELETE", f"/api/tags/{tag['id']}/assets", headers=alice.headers,
                         json={"ids": [a, bobs]}).json()
    assert [(x["id"], x["success"]) for x in res] == [(a, True), (bobs, False)]
    # Bob cannot tag with Alice's tag.
    assert client.put(f"/api/tags/{tag['id']}/assets", headers=bob.headers, json={"ids": [bobs]}).status_code == 400


def test_stacks(client: TestClient, alice: Account, bob: Account) -> None:
    a, b, c = _ids(client, alice)
    r = client.post("/api/stacks", headers=alice.headers, json={"assetIds": [b, a]})
    assert r.status_code == 201
    stack = r.json()
    assert stack["primaryAssetId"] == b and {x["id"] for x in stack["assets"]} == {a, b}
    assert stack["assets"][0]["id"] == b
    # Stacking c with a merges a's stack into the new one.
    merged = client.post("/api/stacks", headers=alice.headers, json={"assetIds": [c, a]}).json()
    assert {x["id"] for x in merged["assets"]} == {a, b, c} and merged["primaryAssetId"] == c
    assert client.get(f"/api/stacks/{stack['id']}", headers=alice.headers).status_code == 400
    r = client.put(f"/api/stacks/{merged['id']}", headers=alice.headers, json={"primaryAssetId": a})
    assert r.json()["primaryAssetId"] == a
    assert [s["id"] for s in client.get("/api/stacks", headers=alice.headers, params={"primaryAssetId": a}).json()] == [
        merged["id"]]
    # Bob can't see or change it.
    assert client.get(f"/api/stacks/{merged['id']}", headers=bob.headers).status_code == 400
    assert client.put(f"/api/stacks/{merged['id']}", headers=bob.headers, json={"primaryAssetId": b}).status_code == 400
    assert client.request("DELETE", "/api/stacks", headers=bob.headers, json={"ids": [merged["id"]]}).status_code == 400
    # Removing assets down to one dissolves the stack; the assets stay.
    assert client.delete(f"/api/stacks/{merged['id']}/assets/{a}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/stacks/{merged['id']}", headers=alice.headers).json()["primaryAssetId"] in (b, c)
    assert client.delete(f"/api/stacks/{merged['id']}/assets/{b}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/stacks/{merged['id']}", headers=alice.headers).status_code == 400
    assert client.get(f"/api/assets/{a}", headers=alice.headers).status_code == 200
    assert client.post("/api/stacks", headers=bob.headers, json={"assetIds": [a, b]}).status_code == 400

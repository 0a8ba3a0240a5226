"""album_timeline (migration 0012_album_timeline): the copy of each album's shown members that an album's figures
(GET /albums/{id}) and timeline (/timeline/buckets|bucket?albumId=) read. Every write path that changes what an
album shows must keep it exact: date edits, archive/hide, trash/restore, purge, leaving the album, deleting the
album, bulk UPDATEs that bypass the ORM. After each change the copy is compared with the truth computed from
album_asset + asset, and the API's figures with what they must be."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from photonest.db.tables import Album, AlbumAsset, AlbumTimeline, Asset
from photonest.library.albums import shown
from tests.conftest import Account
from tests.library.factory import insert_asset


def _copy_is_exact(client: TestClient) -> set[tuple[str, str]]:
    """album_timeline == the shown members of every album (with the asset's current columns)."""
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        copy = set(s.execute(select(AlbumTimeline.album_id, AlbumTimeline.asset_id, AlbumTimeline.local_date_time,
                                    AlbumTimeline.owner_id, AlbumTimeline.updated_at)).all())
        truth = set(s.execute(select(AlbumAsset.album_id, Asset.id, Asset.local_date_time, Asset.owner_id,
                                     Asset.updated_at).join(Asset, Asset.id == AlbumAsset.asset_id)
                              .where(shown())).all())
    assert copy == truth
    return {(a, b) for a, b, *_ in copy}


def _album(client: TestClient, who: Account, album_id: str) -> dict[str, Any]:
    r = client.get(f"/api/albums/{album_id}", headers=who.headers, params={"withoutAssets": "true"})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _buckets(client: TestClient, who: Account, album_id: str) -> list[tuple[str, int]]:
    r = client.get("/api/timeline/buckets", headers=who.headers, params={"albumId": album_id})
    assert r.status_code == 200, r.text
    return [(b["timeBucket"], b["count"]) for b in r.json()]


def _month(client: TestClient, who: Account, album_id: str, month: str) -> list[str]:
    r = client.get("/api/timeline/bucket", headers=who.headers, params={"albumId": album_id, "timeBucket": month})
    assert r.status_code == 200, r.text
    return r.json()["id"]  # type: ignore[no-any-return]


def test_album_figures_follow_every_change(client: TestClient, alice: Account) -> None:
    a = insert_asset(client, alice.id, "2024-01-10T10:00:00", 0)
    b = insert_asset(client, alice.id, "2024-01-20T10:00:00", 0)
    c = insert_asset(client, alice.id, "2024-03-05T08:00:00", 0)
    hidden = insert_asset(client, alice.id, "2024-02-01T08:00:00", 0, visibility="hidden")
    album = client.post("/api/albums", headers=alice.headers,
                        json={"albumName": "Trip", "assetIds": [a, b, c, hidden]}).json()["id"]
    other = client.post("/api/albums", headers=alice.headers, json={"albumName": "Best", "assetIds": [b]}).json()["id"]
    assert _copy_is_exact(client) == {(album, a), (album, b), (album, c), (other, b)}
    info = _album(client, alice, album)
    assert (info["assetCount"], info["startDate"], info["endDate"]) == (
        3, "2024-01-10T10:00:00Z", "2024-03-05T08:00:00Z")
    assert _buckets(client, alice, album) == [("2024-03-01", 1), ("2024-01-01", 2)]

    # A date edit moves the asset to another month, in both albums holding it.
    r = client.put(f"/api/assets/{b}", headers=alice.headers,
                   json={"dateTimeOriginal": "2024-05-02T09:00:00+00:00"})
    assert r.status_code == 200, r.text
    _copy_is_exact(client)
    assert _buckets(client, alice, album) == [("2024-05-01", 1), ("2024-03-01", 1), ("2024-01-01", 1)]
    assert _buckets(client, alice, other) == [("2024-05-01", 1)]
    assert _month(client, alice, album, "2024-05-01") == [b] and _month(client, alice, album, "2024-01-01") == [a]
    assert _album(client, alice, album)["endDate"] == "2024-05-02T09:00:00Z"
    # lastModifiedAssetTimestamp follows the asset's updatedAt.
    assert _album(client, alice, other)["lastModifiedAssetTimestamp"] == client.get(
        f"/api/assets/{b}", headers=alice.headers).json()["updatedAt"]

    # Archived assets stay in an album; hidden ones leave it (and come back).
    assert client.put("/api/assets", headers=alice.headers,
                      json={"ids": [c], "visibility": "archive"}).status_code == 204
    assert _album(client, alice, album)["assetCount"] == 3
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(Asset).where(Asset.id == c).values(visibility="hidden"))  # a bulk UPDATE, no ORM
    _copy_is_exact(client)
    assert _album(client, alice, album)["assetCount"] == 2
    assert _buckets(client, alice, album) == [("2024-05-01", 1), ("2024-01-01", 1)]
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(Asset).where(Asset.id.in_([c, hidden])).values(visibility="timeline"))
    _copy_is_exact(client)
    assert _buckets(client, alice, album) == [("2024-05-01", 1), ("2024-03-01", 1), ("2024-02-01", 1),
                                              ("2024-01-01", 1)]

    # Trash and restore.
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a]}).status_code == 204
    _copy_is_exact(client)
    assert _month(client, alice, album, "2024-01-01") == []
    assert _album(client, alice, album)["startDate"] == "2024-02-01T08:00:00Z"
    assert client.post("/api/trash/restore/assets", headers=alice.headers, json={"ids": [a]}).status_code == 200
    _copy_is_exact(client)
    assert _month(client, alice, album, "2024-01-01") == [a]

    # Leaving the album, purging the asset, deleting the album: the rows go with them.
    r = client.request("DELETE", f"/api/albums/{album}/assets", headers=alice.headers, json={"ids": [hidden]})
    assert r.status_code == 200 and r.json()[0]["success"]
    assert (album, hidden) not in _copy_is_exact(client)
    assert client.request("DELETE", "/api/assets", headers=alice.headers,
                          json={"ids": [b], "force": True}).status_code == 204
    assert _copy_is_exact(client) == {(album, a), (album, c)}
    info = _album(client, alice, other)
    assert info["assetCount"] == 0 and "startDate" not in info
    assert _buckets(client, alice, other) == []
    assert client.delete(f"/api/albums/{album}", headers=alice.headers).status_code == 204
    assert _copy_is_exact(client) == set()


def test_album_lists_and_contributors_from_the_copy(client: TestClient, alice: Account, bob: Account) -> None:
    a1 = insert_asset(client, alice.id, "2023-07-01T12:00:00", 2)
    a2 = insert_asset(client, alice.id, "2023-07-02T12:00:00", 2)
    b1 = insert_asset(client, bob.id, "2023-08-01T12:00:00", 2)
    album = client.post("/api/albums", headers=alice.headers, json={
        "albumName": "Shared", "assetIds": [a1, a2], "albumUsers": [{"userId": bob.id, "role": "editor"}]}).json()
    empty = client.post("/api/albums", headers=alice.headers, json={"albumName": "Empty"}).json()
    assert client.put(f"/api/albums/{album['id']}/assets", headers=bob.headers, json={"ids": [b1]}).status_code == 200
    _copy_is_exact(client)
    info = _album(client, bob, album["id"])
    assert sorted((c["userId"], c["assetCount"]) for c in info["contributorCounts"]) == sorted(
        [(alice.id, 2), (bob.id, 1)])
    assert _buckets(client, bob, album["id"]) == [("2023-08-01", 1), ("2023-07-01", 2)]
    listed = {x["id"]: x for x in client.get("/api/albums", headers=alice.headers).json()}
    assert listed[album["id"]]["assetCount"] == 3
    assert listed[album["id"]]["endDate"] == "2023-08-01T12:00:00Z"
    assert listed[empty["id"]]["assetCount"] == 0 and "startDate" not in listed[empty["id"]]
    # Bob's asset trashed by a bulk UPDATE (as trash emptying and library scans do): out of Alice's view too.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(update(Asset).where(Asset.owner_id == bob.id).values(deleted_at=Asset.created_at))
    _copy_is_exact(client)
    assert _buckets(client, alice, album["id"]) == [("2023-07-01", 2)]
    assert [(c["userId"], c["assetCount"]) for c in _album(client, alice, album["id"])["contributorCounts"]] == [
        (alice.id, 2)]
    # An album deleted by a plain DELETE (no ORM cascade) takes its rows along through the foreign keys.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.execute(delete(Album).where(Album.id == album["id"]))
    assert _copy_is_exact(client) == set()


def test_album_filters_beyond_the_copy_still_apply(client: TestClient, alice: Account) -> None:
    """Trash, favourites and a single visibility are asked of the asset rows, not of album_timeline."""
    a = insert_asset(client, alice.id, "2022-03-01T12:00:00", 0, is_favorite=True)
    b = insert_asset(client, alice.id, "2022-03-02T12:00:00", 0, visibility="archive")
    c = insert_asset(client, alice.id, "2022-03-03T12:00:00", 0)
    album = client.post("/api/albums", headers=alice.headers,
                        json={"albumName": "F", "assetIds": [a, b, c]}).json()["id"]
    assert client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [c]}).status_code == 204

    def ids(**params: Any) -> list[str]:
        r = client.get("/api/timeline/bucket", headers=alice.headers,
                       params={"albumId": album, "timeBucket": "2022-03-01", **params})
        assert r.status_code == 200, r.text
        return r.json()["id"]  # type: ignore[no-any-return]

    assert ids() == [b, a]
    assert ids(isTrashed="true") == [c]
    assert ids(isFavorite="true") == [a]
    assert ids(visibility="archive") == [b]
    assert ids(order="asc") == [a, b]
    r = client.get("/api/timeline/buckets", headers=alice.headers, params={"albumId": album, "isTrashed": "true"})
    assert r.json() == [{"timeBucket": "2022-03-01", "count": 1}]


def test_album_spanning_centuries(client: TestClient, alice: Account) -> None:
    """Beyond MAX_RANGE_MONTHS of span the album's months are grouped instead of counted month by month."""
    old = insert_asset(client, alice.id, "1890-05-01T12:00:00", 0)
    new = insert_asset(client, alice.id, "2024-06-01T12:00:00", 0)
    album = client.post("/api/albums", headers=alice.headers,
                        json={"albumName": "Family", "assetIds": [old, new]}).json()["id"]
    assert _buckets(client, alice, album) == [("2024-06-01", 1), ("1890-05-01", 1)]
    r = client.get("/api/timeline/buckets", headers=alice.headers, params={"albumId": album, "order": "asc"})
    assert [b["timeBucket"] for b in r.json()] == ["1890-05-01", "2024-06-01"]
    assert _month(client, alice, album, "1890-05-01") == [old]

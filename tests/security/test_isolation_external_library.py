"""External libraries (issue 12): the library is admin-only, its assets are the owner's alone.

Bob (another user) can neither read nor change Alice's library or the assets it indexed; the files behind them
are reachable only through Alice's (or her shares') access, and never change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.library.test_external_libraries import PHOTO, by_name, create, scan, snapshot


def test_stranger_cannot_reach_external_library_or_assets(client: TestClient, admin: Account, alice: Account,
                                                          bob: Account, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO, share / "private.jpg")
    lib = create(client, admin, alice, [str(share)])
    scan(client, admin, lib["id"])
    asset = by_name(client, lib["id"])["private.jpg"]
    files = snapshot(share)
    client.cookies.clear()
    before = client.get(f"/api/assets/{asset.id}", headers=alice.headers).json()

    attacks: list[tuple[str, str, object]] = [
        ("GET", "/api/libraries", None),
        ("GET", f"/api/libraries/{lib['id']}", None),
        ("GET", f"/api/libraries/{lib['id']}/statistics", None),
        ("PUT", f"/api/libraries/{lib['id']}", {"importPaths": ["/"], "name": "bob's"}),
        ("POST", f"/api/libraries/{lib['id']}/scan", None),
        ("POST", f"/api/libraries/{lib['id']}/validate", {"importPaths": ["/etc"]}),
        ("DELETE", f"/api/libraries/{lib['id']}", None),
        ("POST", "/api/libraries", {"ownerId": bob.id, "importPaths": [str(share)]}),
        ("GET", f"/api/assets/{asset.id}", None),
        ("GET", f"/api/assets/{asset.id}/original", None),
        ("GET", f"/api/assets/{asset.id}/thumbnail", None),
        ("PUT", f"/api/assets/{asset.id}", {"isFavorite": True}),
        ("DELETE", "/api/assets", {"ids": [asset.id], "force": True}),
        ("POST", "/api/download/archive", {"assetIds": [asset.id]}),
    ]
    for method, path, body in attacks:
        r = client.request(method, path, headers=bob.headers, json=body)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
    # Nothing of Alice's shows in Bob's views, even when he asks for the library by id.
    hits = client.post("/api/search/metadata", headers=bob.headers, json={"libraryId": lib["id"]}).json()
    assert hits["assets"]["total"] == 0
    assert sum(b["count"] for b in client.get("/api/timeline/buckets", headers=bob.headers).json()) == 0

    client.cookies.clear()
    assert client.get(f"/api/assets/{asset.id}", headers=alice.headers).json() == before
    got = client.get(f"/api/libraries/{lib['id']}", headers=admin.headers).json()
    assert got["name"] == lib["name"] and got["importPaths"] == [str(share)] and got["ownerId"] == alice.id
    assert snapshot(share) == files

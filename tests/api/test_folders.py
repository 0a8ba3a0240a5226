"""The folder view (Immich's /view/folder): folders are the directories of originalPath, so an external library's
real folders and the storage folders of uploads; one folder lists only its direct children, by file name; LIKE
wildcards in a path are literal; trash, archive and the locked folder are not listed. Both databases."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.library.test_external_libraries import PHOTO, PHOTO2, create, scan
from tests.uploading import JPEG, JPEG2, upload


def _names(client: TestClient, who: Account, path: str) -> list[str]:
    r = client.get("/api/view/folder", headers=who.headers, params={"path": path})
    assert r.status_code == 200, r.text
    return [a["originalFileName"] for a in r.json()]


def test_external_library_folders(client: TestClient, admin: Account, alice: Account, tmp_path: Path) -> None:
    root = tmp_path / "nas"
    (root / "2019" / "summer").mkdir(parents=True)
    (root / "a_b").mkdir()
    (root / "axb").mkdir()
    shutil.copy(PHOTO, root / "2019" / "summer" / "b.jpg")
    shutil.copy(PHOTO2, root / "2019" / "summer" / "a.jpg")
    shutil.copy(PHOTO2, root / "2019" / "top.jpg")
    shutil.copy(PHOTO, root / "a_b" / "under.jpg")
    shutil.copy(PHOTO2, root / "axb" / "x.jpg")
    lib = create(client, admin, alice, [str(root)])
    scan(client, admin, lib["id"])

    paths = client.get("/api/view/folder/unique-paths", headers=alice.headers).json()
    assert {f"{root}/2019", f"{root}/2019/summer", f"{root}/a_b", f"{root}/axb"} <= set(paths)
    assert paths == sorted(set(paths))
    # Direct children only, ordered by file name; a trailing slash is the same folder.
    assert _names(client, alice, f"{root}/2019/summer") == ["a.jpg", "b.jpg"]
    assert _names(client, alice, f"{root}/2019/summer/") == ["a.jpg", "b.jpg"]
    assert _names(client, alice, f"{root}/2019") == ["top.jpg"]
    # "_" is a LIKE wildcard: a_b must not also list axb.
    assert _names(client, alice, f"{root}/a_b") == ["under.jpg"]
    assert _names(client, alice, f"{root}/a%") == []
    assert _names(client, alice, str(root)) == []
    body = client.get("/api/view/folder", headers=alice.headers, params={"path": f"{root}/axb"}).json()
    assert body[0]["originalPath"] == f"{root}/axb/x.jpg" and body[0]["exifInfo"] is not None


def test_uploads_trash_archive(client: TestClient, alice: Account, bob: Account) -> None:
    a = upload(client, alice, JPEG).json()["id"]
    b = upload(client, alice, JPEG2).json()["id"]
    info = client.get(f"/api/assets/{a}", headers=alice.headers).json()
    folder = info["originalPath"].rsplit("/", 1)[0]
    assert folder.startswith("library/")
    assert folder in client.get("/api/view/folder/unique-paths", headers=alice.headers).json()
    listed = client.get("/api/view/folder", headers=alice.headers, params={"path": folder}).json()
    assert a in {x["id"] for x in listed}
    # Archived and trashed assets leave the view (as Immich: timeline only); an emptied folder disappears.
    client.put(f"/api/assets/{b}", headers=alice.headers, json={"visibility": "archive"})
    client.request("DELETE", "/api/assets", headers=alice.headers, json={"ids": [a]})
    ids = {x["id"] for x in client.get("/api/view/folder", headers=alice.headers, params={"path": folder}).json()}
    assert a not in ids and b not in ids
    folder_b = client.get(f"/api/assets/{b}", headers=alice.headers).json()["originalPath"].rsplit("/", 1)[0]
    left = client.get("/api/view/folder/unique-paths", headers=alice.headers).json()
    assert folder not in left and folder_b not in left
    assert client.get("/api/view/folder/unique-paths", headers=bob.headers).json() == []
    assert client.get("/api/view/folder", headers=alice.headers).status_code == 400  # path is required

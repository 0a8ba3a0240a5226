"""External libraries (issue 12): folders indexed in place, read-only, on SQLite and PostgreSQL.

Each test builds a folder of real media (copied from the shared corpus), points a library at it, scans through
the API and the job queue, and checks what the owner sees and that the folder was never written to.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from photonest.db.tables import Asset, AssetFile, Library, LibraryFile
from photonest.library import library_scan
from tests.conftest import MEDIA, Account, make_user

PHOTO = MEDIA / "camera_jpeg" / "Canon1DmkIII.jpg"
PHOTO2 = MEDIA / "faces" / "hopper.jpg"
PNG = MEDIA / "png" / "tiff_16bit_RGB_target.png"
GPS = MEDIA / "camera_jpeg" / "GPS.jpg"


def drain(client: TestClient) -> int:
    return int(client.app.state.jobs.drain())  # type: ignore[attr-defined]


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under root: (SHA-1, size, mtime_ns) - to prove nothing was written."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            digest = hashlib.sha1(Path(p).read_bytes()).hexdigest() if not os.path.islink(p) else os.readlink(p)
            out[p] = (digest, st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A NAS-like share: photos in sub-folders, Synology/macOS litter, a text file, hostile names, symlinks."""
    root = tmp_path / "nas" / "photos"
    (root / "2019" / "summer").mkdir(parents=True)
    (root / "@eaDir" / "thumbs").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(PHOTO, root / "2019" / "summer" / "canon.jpg")
    shutil.copy(PNG, root / "2019" / "target.png")
    shutil.copy(GPS, root / "gps.jpg")
    shutil.copy(PHOTO2, root / "café 😀 déjà vu.jpg")
    shutil.copy(PHOTO2, root / "with  spaces .jpg")
    shutil.copy(PHOTO, root / "line\nbreak.jpg")
    shutil.copy(PHOTO, root / "@eaDir" / "thumbs" / "SYNOPHOTO_THUMB.jpg")
    shutil.copy(PHOTO, root / "._canon.jpg")
    shutil.copy(PHOTO, root / ".hidden" / "secret.jpg")
    (root / "notes.txt").write_text("not media")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(PHOTO2, outside / "private.jpg")
    os.symlink(outside / "private.jpg", root / "escape.jpg")  # leads outside: skipped
    os.symlink(outside, root / "escape-dir")  # symlinked folder: not followed
    os.symlink(root / "gps.jpg", root / "2019" / "alias.jpg")  # inside the import path: indexed
    return root


def create(client: TestClient, admin: Account, owner: Account, paths: list[str], **extra: Any) -> dict[str, Any]:
    r = client.post("/api/libraries", headers=admin.headers,
                    json={"ownerId": owner.id, "importPaths": paths, **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def scan(client: TestClient, admin: Account, lib_id: str) -> None:
    r = client.post(f"/api/libraries/{lib_id}/scan", headers=admin.headers)
    assert r.status_code == 204, r.text
    drain(client)


def by_name(client: TestClient, lib_id: str) -> dict[str, Asset]:
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        return {a.original_file_name: a for a in s.scalars(select(Asset).where(Asset.library_id == lib_id))}


PATTERNS = ["**/@eaDir/**", "**/._*", "**/.*/**"]


def test_scan_indexes_in_place_read_only(client: TestClient, admin: Account, alice: Account, folder: Path,
                                         settings: Any) -> None:
    before = snapshot(folder.parent.parent / "nas"), snapshot(folder.parent.parent / "elsewhere")
    lib = create(client, admin, alice, [str(folder)], name="NAS", exclusionPatterns=PATTERNS)
    assert lib["ownerId"] == alice.id and lib["importPaths"] == [str(folder)] and lib["assetCount"] == 0
    assert lib["refreshedAt"] is None
    scan(client, admin, lib["id"])

    assets = by_name(client, lib["id"])
    assert set(assets) == {"canon.jpg", "target.png", "gps.jpg", "café 😀 déjà vu.jpg", "with  spaces .jpg",
                           "line\nbreak.jpg", "alias.jpg"}
    canon = assets["canon.jpg"]
    assert canon.owner_id == alice.id and canon.original_path == str(folder / "2019" / "summer" / "canon.jpg")
    assert canon.stages_done and "thumbnails" in canon.stages_done and "metadata" in canon.stages_done

    # The owner sees them like uploads: asset info, thumbnails, the original's bytes, the timeline.
    info = client.get(f"/api/assets/{canon.id}", headers=alice.headers).json()
    assert info["libraryId"] == lib["id"] and info["isOffline"] is False and info["originalPath"] == canon.original_path
    assert info["exifInfo"]["make"] == "Canon"
    r = client.get(f"/api/assets/{canon.id}/original", headers=alice.headers)
    assert r.status_code == 200 and r.content == PHOTO.read_bytes()
    r = client.get(f"/api/assets/{canon.id}/thumbnail", headers=alice.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
    nl = assets["line\nbreak.jpg"]
    r = client.get(f"/api/assets/{nl.id}/original", headers=alice.headers)
    assert r.status_code == 200 and r.content == PHOTO.read_bytes() and "\n" not in r.headers["content-disposition"]
    uni = assets["café 😀 déjà vu.jpg"]
    assert client.get(f"/api/assets/{uni.id}/original", headers=alice.headers).content == PHOTO2.read_bytes()
    buckets = client.get("/api/timeline/buckets", headers=alice.headers).json()
    assert sum(b["count"] for b in buckets) == 7
    hits = client.post("/api/search/metadata", headers=alice.headers, json={"libraryId": lib["id"]}).json()
    assert hits["assets"]["total"] == 7
    zipped = client.post("/api/download/archive", headers=alice.headers, json={"assetIds": [canon.id]})
    assert zipped.status_code == 200 and len(zipped.content) > PHOTO.stat().st_size

    stats = client.get(f"/api/libraries/{lib['id']}/statistics", headers=admin.headers).json()
    assert stats == {"photos": 7, "videos": 0, "total": 7,
                     "usage": sum(a.file_size for a in assets.values())}
    got = client.get(f"/api/libraries/{lib['id']}", headers=admin.headers).json()
    assert got["assetCount"] == 7 and got["refreshedAt"] is not None

    # No copy in library/, no quota charged, and not one byte or mtime changed in the share.
    data_library = Path(settings.data) / "library"
    assert not data_library.exists() or not any(p.is_file() for p in data_library.rglob("*"))
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert me["quotaUsageInBytes"] == 0
    assert (snapshot(folder.parent.parent / "nas"), snapshot(folder.parent.parent / "elsewhere")) == before


def test_incremental_rescan(client: TestClient, admin: Account, alice: Account, folder: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    lib = create(client, admin, alice, [str(folder)], exclusionPatterns=PATTERNS)
    scan(client, admin, lib["id"])
    first = by_name(client, lib["id"])

    hashed: list[str] = []
    real_hash = library_scan.hash_file
    monkeypatch.setattr(library_scan, "hash_file", lambda p: hashed.append(p) or real_hash(p))
    scan(client, admin, lib["id"])
    assert hashed == []  # unchanged files are not even opened
    assert {k: v.id for k, v in by_name(client, lib["id"]).items()} == {k: v.id for k, v in first.items()}

    # Same bytes, new mtime: hashed once, nothing reprocessed.
    png = folder / "2019" / "target.png"
    os.utime(png, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    # New content (another photo under the old name): processed again.
    canon = folder / "2019" / "summer" / "canon.jpg"
    shutil.copy(PHOTO2, canon)
    # A new file.
    shutil.copy(PHOTO2, folder / "2019" / "new.jpg")
    hashed.clear()
    scan(client, admin, lib["id"])
    assert sorted(hashed) == sorted([str(png), str(canon), str(folder / "2019" / "new.jpg")])
    now = by_name(client, lib["id"])
    assert "new.jpg" in now and len(now) == len(first) + 1
    assert now["canon.jpg"].id == first["canon.jpg"].id
    assert now["canon.jpg"].file_size == PHOTO2.stat().st_size
    assert "thumbnails" in now["canon.jpg"].stages_done  # processed again to the end
    info = client.get(f"/api/assets/{now['canon.jpg'].id}", headers=alice.headers).json()
    assert info["exifInfo"].get("make") != "Canon"  # the metadata of the new content
    assert now["target.png"].updated_at == first["target.png"].updated_at


def test_vanished_file_goes_offline_and_comes_back(client: TestClient, admin: Account, alice: Account,
                                                   folder: Path) -> None:
    lib = create(client, admin, alice, [str(folder)], exclusionPatterns=PATTERNS)
    scan(client, admin, lib["id"])
    gps = by_name(client, lib["id"])["gps.jpg"]
    moved = folder.parent / "gps.jpg.away"
    os.rename(folder / "gps.jpg", moved)
    scan(client, admin, lib["id"])
    info = client.get(f"/api/assets/{gps.id}", headers=alice.headers).json()
    assert info["isOffline"] is True and info["isTrashed"] is True  # as Immich: offline assets go to the trash
    alias = by_name(client, lib["id"])["alias.jpg"]  # its symlink now dangles: offline too
    assert alias.is_offline
    assert client.get(f"/api/assets/{gps.id}/original", headers=alice.headers).status_code == 404

    os.rename(moved, folder / "gps.jpg")
    scan(client, admin, lib["id"])
    info = client.get(f"/api/assets/{gps.id}", headers=alice.headers).json()
    assert info["isOffline"] is False and info["isTrashed"] is False
    assert client.get(f"/api/assets/{gps.id}/original", headers=alice.headers).content == GPS.read_bytes()


def test_user_trash_survives_rescan_and_delete_keeps_the_file(client: TestClient, admin: Account, alice: Account,
                                                             folder: Path) -> None:
    lib = create(client, admin, alice, [str(folder)], exclusionPatterns=PATTERNS)
    scan(client, admin, lib["id"])
    assets = by_name(client, lib["id"])
    png, gps = assets["target.png"], assets["gps.jpg"]
    before = snapshot(folder)
    assert client.request("DELETE", "/api/assets", headers=alice.headers,
                          json={"ids": [png.id]}).status_code == 204
    scan(client, admin, lib["id"])
    assert client.get(f"/api/assets/{png.id}", headers=alice.headers).json()["isTrashed"] is True  # stays trashed
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        thumbs = [f.path for f in s.scalars(select(AssetFile).where(AssetFile.asset_id == gps.id))]
    assert thumbs
    assert client.request("DELETE", "/api/assets", headers=alice.headers,
                          json={"ids": [gps.id], "force": True}).status_code == 204
    assert client.get(f"/api/assets/{gps.id}", headers=alice.headers).status_code in (400, 404)
    assert snapshot(folder) == before  # the original is never deleted
    data = Path(client.app.state.settings.data)  # type: ignore[attr-defined]
    assert not any((data / t).exists() for t in thumbs)  # its derivatives are


def test_exclusions_apply_and_changes_take_effect(client: TestClient, admin: Account, alice: Account,
                                                  folder: Path) -> None:
    lib = create(client, admin, alice, [str(folder)])  # Immich's default patterns
    assert lib["exclusionPatterns"] == ["**/@eaDir/**", "**/._*", "**/#recycle/**", "**/#snapshot/**"]
    scan(client, admin, lib["id"])
    names = set(by_name(client, lib["id"]))
    assert "secret.jpg" in names and "SYNOPHOTO_THUMB.jpg" not in names and "._canon.jpg" not in names
    r = client.put(f"/api/libraries/{lib['id']}", headers=admin.headers,
                   json={"exclusionPatterns": ["**/.*/**", "**/2019/**"], "name": "Renamed"})
    assert r.status_code == 200 and r.json()["name"] == "Renamed"
    scan(client, admin, lib["id"])
    now = by_name(client, lib["id"])
    assert now["secret.jpg"].is_offline and now["canon.jpg"].is_offline and now["target.png"].is_offline
    assert not now["gps.jpg"].is_offline
    assert "SYNOPHOTO_THUMB.jpg" in now  # no longer excluded


def test_duplicate_of_an_upload_is_still_indexed(client: TestClient, admin: Account, alice: Account,
                                                 tmp_path: Path) -> None:
    from tests.uploading import upload

    assert upload(client, alice, PHOTO).status_code == 201
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO, share / "same.jpg")
    shutil.copy(PHOTO, share / "same-again.jpg")
    lib = create(client, admin, alice, [str(share)])
    scan(client, admin, lib["id"])
    assert set(by_name(client, lib["id"])) == {"same.jpg", "same-again.jpg"}
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        sums = {bytes(x) for x in s.scalars(select(LibraryFile.sha1))}
    assert sums == {hashlib.sha1(PHOTO.read_bytes()).digest()}


def test_original_outside_the_import_paths_is_refused(client: TestClient, admin: Account, alice: Account,
                                                      folder: Path, tmp_path: Path) -> None:
    lib = create(client, admin, alice, [str(folder)], exclusionPatterns=PATTERNS)
    scan(client, admin, lib["id"])
    gps = by_name(client, lib["id"])["gps.jpg"]
    other = tmp_path / "other"
    other.mkdir()
    assert client.put(f"/api/libraries/{lib['id']}", headers=admin.headers,
                      json={"importPaths": [str(other)]}).status_code == 200
    r = client.get(f"/api/assets/{gps.id}/original", headers=alice.headers)
    assert r.status_code == 403 and r.json()["message"] == "The original is outside its library's import paths"
    # A row whose path was tampered with never reaches a file outside the library either.
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        s.get(Asset, gps.id).original_path = "/etc/passwd"
    assert client.put(f"/api/libraries/{lib['id']}", headers=admin.headers,
                      json={"importPaths": [str(folder)]}).status_code == 200
    assert client.get(f"/api/assets/{gps.id}/original", headers=alice.headers).status_code == 403


def test_delete_library_removes_assets_not_files(client: TestClient, admin: Account, alice: Account,
                                                 folder: Path) -> None:
    lib = create(client, admin, alice, [str(folder)], exclusionPatterns=PATTERNS)
    scan(client, admin, lib["id"])
    before = snapshot(folder)
    ids = [a.id for a in by_name(client, lib["id"]).values()]
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        thumbs = [f.path for f in s.scalars(select(AssetFile).where(AssetFile.asset_id.in_(ids)))]
    assert thumbs
    assert client.delete(f"/api/libraries/{lib['id']}", headers=admin.headers).status_code == 204
    assert client.get(f"/api/libraries/{lib['id']}", headers=admin.headers).status_code == 400
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        assert s.scalars(select(Asset).where(Asset.id.in_(ids))).first() is None
        assert s.scalars(select(LibraryFile)).first() is None and s.scalars(select(Library)).first() is None
    data = Path(client.app.state.settings.data)  # type: ignore[attr-defined]
    assert not any((data / t).exists() for t in thumbs)
    assert snapshot(folder) == before


def test_validate_and_bad_paths(client: TestClient, admin: Account, alice: Account, folder: Path,
                                settings: Any) -> None:
    lib = create(client, admin, alice, [])
    a_file = folder / "gps.jpg"
    r = client.post(f"/api/libraries/{lib['id']}/validate", headers=admin.headers,
                    json={"importPaths": [str(folder), "relative/path", "/no/such/folder", str(a_file),
                                          str(Path(settings.data) / "library")]})
    assert r.status_code == 200
    got = [(v["isValid"], v.get("message")) for v in r.json()["importPaths"]]
    assert got == [(True, None),
                   (False, f"Import path must be absolute, try {os.path.abspath('relative/path')}"),
                   (False, "Path does not exist (ENOENT)"),
                   (False, "Not a directory"),
                   (False, "Cannot use media upload folder for external libraries")]
    r = client.post("/api/libraries", headers=admin.headers, json={"ownerId": alice.id, "importPaths": ["/no/such"]})
    assert r.status_code == 400
    body = r.json()
    assert {k: body[k] for k in ("message", "error", "statusCode")} == {
        "message": "Invalid import path: Path does not exist (ENOENT)", "error": "Bad Request", "statusCode": 400}
    r = client.put(f"/api/libraries/{lib['id']}", headers=admin.headers, json={"importPaths": ["x"]})
    assert r.status_code == 400 and r.json()["message"].startswith("Invalid import path: Import path must be absolute")
    r = client.put(f"/api/libraries/{lib['id']}", headers=admin.headers,
                   json={"importPaths": [str(folder), str(folder)]})
    assert r.status_code == 400 and r.json()["message"] == "Import paths must be unique"
    r = client.post("/api/libraries", headers=admin.headers,
                    json={"ownerId": "00000000-0000-4000-8000-000000000000", "importPaths": []})
    assert r.status_code == 400 and r.json()["message"] == "Owner not found"
    assert client.get(f"/api/libraries/{lib['id']}", headers=admin.headers).json()["importPaths"] == []
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        assert len(list(s.scalars(select(Library)))) == 1  # nothing half-created


def test_non_admin_gets_403(client: TestClient, admin: Account, alice: Account, folder: Path) -> None:
    lib = create(client, admin, alice, [str(folder)])
    lid = lib["id"]
    calls = [("GET", "/api/libraries", None), ("POST", "/api/libraries", {"ownerId": alice.id}),
             ("GET", f"/api/libraries/{lid}", None), ("PUT", f"/api/libraries/{lid}", {"name": "mine"}),
             ("DELETE", f"/api/libraries/{lid}", None), ("POST", f"/api/libraries/{lid}/scan", None),
             ("GET", f"/api/libraries/{lid}/statistics", None),
             ("POST", f"/api/libraries/{lid}/validate", {"importPaths": ["/"]})]
    for method, path, body in calls:
        r = client.request(method, path, headers=alice.headers, json=body)
        assert r.status_code == 403, (method, path, r.text)
    client.cookies.clear()  # the logins left a session cookie
    assert client.request("GET", "/api/libraries").status_code == 401
    assert client.get(f"/api/libraries/{lid}", headers=admin.headers).json()["name"] == lib["name"]


def test_scan_shows_in_library_queue(client: TestClient, admin: Account, alice: Account, folder: Path) -> None:
    lib = create(client, admin, alice, [str(folder)])
    assert client.post(f"/api/libraries/{lib['id']}/scan", headers=admin.headers).status_code == 204
    assert client.post(f"/api/libraries/{lib['id']}/scan", headers=admin.headers).status_code == 204  # coalesced
    q = client.get("/api/queues/library", headers=admin.headers).json()
    assert q["statistics"]["waiting"] == 1
    drain(client)
    q = client.get("/api/queues/library", headers=admin.headers).json()
    assert q["statistics"]["waiting"] == 0 and q["statistics"]["active"] == 0
    assert len(by_name(client, lib["id"])) > 0
    # "start" on the library queue rescans every library (what the nightly job does).
    r = client.put("/api/jobs/library", headers=admin.headers, json={"command": "start"})
    assert r.status_code == 200
    assert client.get("/api/queues/library", headers=admin.headers).json()["statistics"]["waiting"] == 1


def test_unreadable_file_is_skipped(client: TestClient, admin: Account, alice: Account, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    share = tmp_path / "share"
    (share / "locked").mkdir(parents=True)
    shutil.copy(PHOTO, share / "ok.jpg")
    shutil.copy(PHOTO, share / "noread.jpg")
    shutil.copy(PHOTO, share / "locked" / "inside.jpg")
    os.symlink(share / "gone.jpg", share / "dangling.jpg")
    os.mkfifo(share / "pipe.jpg")  # never opened: not a regular file
    fd = os.open(os.fsencode(share) + b"/latin1-\xe9t\xe9.jpg", os.O_WRONLY | os.O_CREAT)  # not UTF-8
    os.write(fd, PHOTO.read_bytes())
    os.close(fd)
    os.chmod(share / "noread.jpg", 0)
    os.chmod(share / "locked", 0)
    if os.geteuid() == 0:  # root reads everything: make the kernel's answer what a NAS user would get
        real_hash, real_walk = library_scan.hash_file, os.walk

        def deny(p: str) -> bytes:
            if p.endswith("noread.jpg"):
                raise PermissionError(13, "Permission denied", p)
            return real_hash(p)

        def walk(top: str, **kw: Any) -> Any:
            for folder_, dirs, files in real_walk(top, **kw):
                if folder_.endswith("locked"):
                    kw["onerror"](PermissionError(13, "Permission denied", folder_))
                    continue
                yield folder_, dirs, files

        monkeypatch.setattr(library_scan, "hash_file", deny)
        monkeypatch.setattr(library_scan.os, "walk", walk)
    try:
        lib = create(client, admin, alice, [str(share)])
        scan(client, admin, lib["id"])
        assert set(by_name(client, lib["id"])) == {"ok.jpg"}
    finally:
        os.chmod(share / "locked", 0o755)
        os.chmod(share / "noread.jpg", 0o644)


def test_owner_is_any_user_and_others_unaffected(client: TestClient, admin: Account, alice: Account,
                                                 folder: Path) -> None:
    bob = make_user(client, admin, "bob2@example.com", "Bob")
    lib = create(client, admin, alice, [str(folder)], exclusionPatterns=PATTERNS)
    scan(client, admin, lib["id"])
    assert sum(b["count"] for b in client.get("/api/timeline/buckets", headers=bob.headers).json()) == 0


def test_nightly_rescans_every_library(client: TestClient, admin: Account, alice: Account, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO, share / "a.jpg")
    lib = create(client, admin, alice, [str(share)])
    scan(client, admin, lib["id"])
    shutil.copy(PHOTO2, share / "b.jpg")
    out = client.app.state.jobs.nightly()  # type: ignore[attr-defined]
    assert out["libraries_queued"] == 1
    drain(client)
    assert set(by_name(client, lib["id"])) == {"a.jpg", "b.jpg"}


def test_waiting_scan_survives_a_restart(settings: Any, tmp_path: Path) -> None:
    from photonest.app import create_app
    from tests.conftest import PASSWORD, login

    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO, share / "a.jpg")
    with TestClient(create_app(settings)) as client:
        client.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD, "name": "A"})
        admin = login(client, "a@example.com")
        lib = create(client, admin, admin, [str(share)])
        assert client.post(f"/api/libraries/{lib['id']}/scan", headers=admin.headers).status_code == 204
        with client.app.state.db.session() as s:  # type: ignore[attr-defined]
            s.get(Library, lib["id"]).scan_state = "active"  # as if the process died while scanning
    with TestClient(create_app(settings)) as client:  # start-up flushes the queue, then re-sends the scan
        drain(client)
        assert set(by_name(client, lib["id"])) == {"a.jpg"}
        with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
            assert s.get(Library, lib["id"]).scan_state is None


def test_xmp_sidecar_beside_the_file_is_read(client: TestClient, admin: Account, alice: Account,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO2, share / "rated.jpg")
    shutil.copy(MEDIA / "xmp_sidecar" / "test1.xmp", share / "rated.jpg.xmp")  # Canon EOS 20D, rating 3
    shutil.copy(PHOTO2, share / "also.jpg")
    shutil.copy(MEDIA / "xmp_sidecar" / "XMP.xmp", share / "also.xmp")  # <name>.xmp: Canon IXUS 40, rating 1
    shutil.copy(PHOTO2, share / "plain.jpg")
    before = snapshot(share)
    lib = create(client, admin, alice, [str(share)])
    scan(client, admin, lib["id"])
    assets = by_name(client, lib["id"])
    assert set(assets) == {"rated.jpg", "also.jpg", "plain.jpg"}  # a sidecar is not an asset
    exif = {n: client.get(f"/api/assets/{a.id}", headers=alice.headers).json()["exifInfo"] for n, a in assets.items()}
    assert (exif["rated.jpg"]["model"], exif["rated.jpg"]["rating"]) == ("Canon EOS 20D", 3)
    assert (exif["also.jpg"]["model"], exif["also.jpg"]["rating"]) == ("Canon DIGITAL IXUS 40", 1)
    assert exif["plain.jpg"].get("model") is None
    assert snapshot(share) == before

    # Sidecars change on their own (a photo manager rewrites them): the next scan reads the metadata again.
    later = 1_700_000_000_000_000_000
    shutil.copy(MEDIA / "xmp_sidecar" / "XMP.xmp", share / "rated.jpg.xmp")
    os.utime(share / "rated.jpg.xmp", ns=(later, later))
    (share / "also.xmp").unlink()
    shutil.copy(MEDIA / "xmp_sidecar" / "test1.xmp", share / "plain.xmp")
    hashed: list[str] = []
    real_hash = library_scan.hash_file
    monkeypatch.setattr(library_scan, "hash_file", lambda p: hashed.append(p) or real_hash(p))
    scan(client, admin, lib["id"])
    assert hashed == []  # the photos themselves did not change
    exif = {n: client.get(f"/api/assets/{a.id}", headers=alice.headers).json()["exifInfo"] for n, a in assets.items()}
    assert (exif["rated.jpg"]["model"], exif["rated.jpg"]["rating"]) == ("Canon DIGITAL IXUS 40", 1)
    assert exif["also.jpg"].get("model") is None and exif["also.jpg"].get("rating") is None
    assert exif["plain.jpg"]["model"] == "Canon EOS 20D"


def test_paused_library_queue_holds_scans(client: TestClient, admin: Account, alice: Account, tmp_path: Path) -> None:
    from photonest.jobs import library_scans

    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO, share / "a.jpg")
    lib = create(client, admin, alice, [str(share)])
    assert client.put("/api/queues/library", headers=admin.headers, json={"isPaused": True}).status_code == 200
    assert client.post(f"/api/libraries/{lib['id']}/scan", headers=admin.headers).status_code == 204
    q = client.get("/api/queues/library", headers=admin.headers).json()
    assert q["isPaused"] is True and q["statistics"]["paused"] == 1 and q["statistics"]["waiting"] == 0
    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    jobs._paused = (0.0, frozenset())  # forget the worker's one-second cache of the pause flags
    assert library_scans.run(jobs, lib["id"]) is None
    assert by_name(client, lib["id"]) == {}
    assert client.put("/api/queues/library", headers=admin.headers, json={"isPaused": False}).status_code == 200
    drain(client)  # the scan's retry comes round
    assert set(by_name(client, lib["id"])) == {"a.jpg"}

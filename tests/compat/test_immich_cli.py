"""The real Immich CLI (@immich/cli 3.2.2) against a real photonest server.

`immich login` with an API key, then `immich upload --recursive --album` over a folder of real photos and videos:
every file must arrive with its SHA-1, a byte-identical copy must become the same asset, and a second run must
find everything already there and upload nothing. The CLI calls (see docs/uploading.md):
GET /.well-known/immich, GET /api/users/me, GET /api/api-keys/me, GET /api/server/media-types,
POST /api/assets/bulk-upload-check, POST /api/assets, and for --album GET /api/albums, POST /api/albums,
PUT /api/albums/{id}/assets; `immich server-info` adds GET /api/server/version and GET /api/assets/statistics.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.client.live import SHARED_MEDIA, LiveServer, User, b64_to_hex, live_server, sha1_hex
from tests.compat.conftest import ImmichCli

# folder (relative to the upload root) -> files copied in from the shared real-media corpus
LAYOUT: dict[str, list[tuple[str, str]]] = {
    "Holiday": [
        ("camera_jpeg/FurnaceCreekInn.jpg", "FurnaceCreekInn.jpg"),
        ("camera_jpeg/FurnaceCreekInn.jpg", "FurnaceCreekInn copy.jpg"),  # same bytes: one asset
        ("camera_jpeg/leuvenA.jpg", "leuvenA.jpg"),
        ("heic/Stonehenge.heic", "Stonehenge.heic"),
        ("xmp_sidecar/exiv2-bug1108.xmp", "Stonehenge.xmp"),  # its sidecar (sent as sidecarData)
        ("webp/flower.webp", "flower.webp"),
        ("png/coffee.png", "coffee.png"),
        ("gif/hopper.gif", "hopper.gif"),
        ("video/sample.mp4", "sample.mp4"),
    ],
    "Holiday/Day 2": [
        ("camera_jpeg/hopper_orientation_6.jpg", "hopper_orientation_6.jpg"),
        ("camera_jpeg/resized_IMG_2889.jpg", "IMG_2889.JPG"),
        ("camera_jpeg/DSC_3079.jpg", "DSC_3079.jpg"),
        ("avif/example.avif", "example.avif"),
        ("camera_jpeg/Reagan.jpg", "notes.txt"),  # not a media extension: the CLI must not send it
    ],
}
MEDIA_SUFFIXES = {".jpg", ".heic", ".webp", ".png", ".gif", ".mp4", ".avif"}


@dataclass
class Run:
    returncode: int
    output: str


@dataclass
class Session:
    server: LiveServer
    user: User
    root: Path
    files: list[Path]  # the media files the CLI should upload
    first: Run
    second: Run
    home: Path


def build_folder(root: Path) -> list[Path]:
    media: list[Path] = []
    for folder, entries in LAYOUT.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for src, name in entries:
            dest = root / folder / name
            shutil.copyfile(SHARED_MEDIA / src, dest)
            if dest.suffix.lower() in MEDIA_SUFFIXES:
                media.append(dest)
    return media


def immich(cli: ImmichCli, home: Path, *args: str) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMMICH_")}
    env.update(HOME=str(home), IMMICH_CONFIG_DIR=str(home / ".config" / "immich"), NO_COLOR="1")
    r = subprocess.run(cli.command(*args), env=env, capture_output=True, text=True, timeout=300, cwd=home)
    return Run(r.returncode, r.stdout + r.stderr)


@pytest.fixture(scope="module")
def session(immich_cli: ImmichCli, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    tmp = tmp_path_factory.mktemp("immich-cli")
    home = tmp / "home"
    home.mkdir()
    root = tmp / "photos"
    files = build_folder(root)
    with live_server(tmp) as server:
        user = server.new_user()
        login = immich(immich_cli, home, "login", server.url, user.api_key)  # the bare URL: .well-known discovery
        assert login.returncode == 0, login.output + server.log_tail()
        assert f"Logged in as {user.email}" in login.output
        assert (home / ".config" / "immich" / "auth.yml").is_file()
        args = ("upload", "--recursive", "--album", "--concurrency", "4", str(root / "Holiday"))
        first = immich(immich_cli, home, *args)
        second = immich(immich_cli, home, *args)
        yield Session(server, user, root, files, first, second, home)


def test_first_run_uploads_every_file_with_its_checksum(session: Session) -> None:
    s = session
    out = s.first.output
    unique = {sha1_hex(f) for f in s.files}
    assert len(unique) == len(s.files) - 1  # the copy
    assert f"Found {len(s.files)} new files and 0 duplicates" in out, out + s.server.log_tail()
    # The two identical files race: the server must create one asset and answer "duplicate" (200) for the other.
    assert f"Successfully uploaded {len(unique)} new assets" in out, out + s.server.log_tail()
    assert "Skipped 1 duplicate asset" in out, out
    assert "Failed to upload" not in out, out
    assert s.first.returncode == 0, out
    ids = s.server.assets_by_checksum(s.user, unique)
    assert all(ids.values()), f"not on the server: {[k for k, v in ids.items() if not v]}"
    assert len(set(ids.values())) == len(unique)
    by_name = {f.name: f for f in s.files}
    assert ids[sha1_hex(by_name["FurnaceCreekInn.jpg"])] == ids[sha1_hex(by_name["FurnaceCreekInn copy.jpg"])]
    # GET /assets/{id} agrees: same bytes, the file's own name.
    for f in s.files:
        asset = s.server.asset(s.user, str(ids[sha1_hex(f)]))
        assert b64_to_hex(asset["checksum"]) == sha1_hex(f)
        assert asset["originalFileName"] in (f.name, "FurnaceCreekInn.jpg", "FurnaceCreekInn copy.jpg")
    # And the stored originals are the very bytes that were sent.
    with s.server.client(s.user) as c:
        for f in s.files:
            r = c.get(f"/assets/{ids[sha1_hex(f)]}/original")
            assert r.status_code == 200 and hashlib.sha1(r.content).hexdigest() == sha1_hex(f), f


def test_text_file_is_not_sent(session: Session) -> None:
    notes = session.root / "Holiday" / "Day 2" / "notes.txt"
    assert session.server.assets_by_checksum(session.user, [sha1_hex(notes)]) == {sha1_hex(notes): None}


def test_second_run_finds_only_duplicates(session: Session) -> None:
    s = session
    out = s.second.output
    assert f"Found 0 new files and {len(s.files)} duplicates" in out, out + s.server.log_tail()
    assert "All assets were already uploaded, nothing to do." in out, out
    assert "Successfully uploaded" not in out, out
    assert s.second.returncode == 0, out


def test_other_users_do_not_see_the_uploads(session: Session) -> None:
    stranger = session.server.new_user()
    checks = session.server.assets_by_checksum(stranger, {sha1_hex(f) for f in session.files})
    assert not any(checks.values())


def test_album_per_folder(session: Session) -> None:
    s = session
    ids = s.server.assets_by_checksum(s.user, {sha1_hex(f) for f in s.files})
    with s.server.client(s.user) as c:
        albums = c.get("/albums").json()
        names = sorted(a["albumName"] for a in albums)
        assert names == ["Day 2", "Holiday"], names  # one per folder, and the second run made no new ones
        for album in albums:
            folder = s.root / "Holiday" / ("Day 2" if album["albumName"] == "Day 2" else "")
            assert album["assetCount"] == len({sha1_hex(f) for f in s.files if f.parent == folder}), album
        for f in s.files:  # each asset is in the album named after its folder, and only there
            r = c.get("/albums", params={"assetId": ids[sha1_hex(f)]})
            assert [a["albumName"] for a in r.json()] == [f.parent.name], f


def test_server_info(immich_cli: ImmichCli, session: Session) -> None:
    r = immich(immich_cli, session.home, "server-info")
    assert r.returncode == 0, r.output
    videos = len({sha1_hex(f) for f in session.files if f.suffix == ".mp4"})
    images = len({sha1_hex(f) for f in session.files}) - videos
    assert f"Server Info (via {session.user.email})" in r.output
    assert f"Images: {images}" in r.output and f"Videos: {videos}" in r.output, r.output
    assert "heic" in r.output and "mp4" in r.output  # the formats, from /api/server/media-types


def test_cli_reports_bad_key(immich_cli: ImmichCli, session: Session, tmp_path: Path) -> None:
    r = immich(immich_cli, tmp_path, "login", session.server.url, "not-a-key")
    assert r.returncode != 0
    assert "401" in r.output, r.output
    assert httpx.get(f"{session.server.api}/server/ping").status_code == 200

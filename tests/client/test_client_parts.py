"""The uploader's parts that need no server: scanning, hashing cache, progress, sizes, saved login, discovery."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import httpx
import pytest

from photonest.cli import _size
from photonest.client import config
from photonest.client.api import ApiError, ServerClient, discover_api_url, iso
from photonest.client.files import HashCache, LocalFile, find_sidecar, scan, sha1_file
from photonest.client.progress import ProgressBar
from photonest.client.tus import encode_metadata
from tests.client.live import SHARED_MEDIA, sha1_hex

EXT = {".jpg", ".heic", ".mp4"}


def copy(src: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHARED_MEDIA / src, dest)
    return dest


def test_scan_finds_supported_files_and_sidecars(tmp_path: Path) -> None:
    a = copy("camera_jpeg/FurnaceCreekInn.jpg", tmp_path / "a.JPG")
    b = copy("heic/Stonehenge.heic", tmp_path / "sub" / "b.heic")
    sidecar = copy("xmp_sidecar/exiv2-bug1108.xmp", tmp_path / "sub" / "b.xmp")
    copy("camera_jpeg/GPS.jpg", tmp_path / ".cache" / "c.jpg")
    copy("camera_jpeg/GPS.jpg", tmp_path / ".d.jpg")
    copy("png/coffee.png", tmp_path / "e.png")  # not in EXT
    skipped: list[tuple[Path, str]] = []

    flat = scan([tmp_path], EXT)
    assert [f.path for f in flat] == [a]
    deep = scan([tmp_path], EXT, recursive=True)
    assert [f.path for f in deep] == [a, b]
    assert deep[1].sidecar == sidecar and deep[0].sidecar is None
    hidden = scan([tmp_path], EXT, recursive=True, include_hidden=True)
    assert len(hidden) == 4
    # explicit files: taken when supported, reported when not; a path given twice counts once
    explicit = scan([a, a, tmp_path / "e.png", tmp_path / "nope.jpg"], EXT,
                    on_skip=lambda p, why: skipped.append((p, why)))
    assert [f.path for f in explicit] == [a]
    assert [why for _, why in skipped] == ["unsupported file type", "no such file or directory"]


def test_sidecar_names(tmp_path: Path) -> None:
    photo = copy("camera_jpeg/GPS.jpg", tmp_path / "IMG_1.jpg")
    assert find_sidecar(photo) is None
    (tmp_path / "IMG_1.jpg.xmp").write_text("<x/>")
    assert find_sidecar(photo) == tmp_path / "IMG_1.jpg.xmp"
    (tmp_path / "IMG_1.xmp").write_text("<x/>")
    assert find_sidecar(photo) == tmp_path / "IMG_1.xmp"


def test_hash_cache_reuses_and_notices_changes(tmp_path: Path) -> None:
    photo = copy("camera_jpeg/leuvenA.jpg", tmp_path / "p.jpg")
    cache = HashCache(tmp_path / "cache" / "hashes.sqlite")
    f = LocalFile.of(photo)
    seen: list[int] = []
    assert cache.hash(f, seen.append) == sha1_hex(photo) == sha1_file(photo)
    assert sum(seen) == f.size
    cache.close()

    cache = HashCache(tmp_path / "cache" / "hashes.sqlite")  # persists across runs
    assert cache.get(f) == sha1_hex(photo)
    photo.write_bytes(photo.read_bytes()[:-10])
    changed = LocalFile.of(photo)
    assert cache.get(changed) is None
    assert cache.hash(changed) == sha1_hex(photo)
    cache.close()
    assert HashCache(None).get(f) is None  # no cache: always hash


def test_unusable_cache_is_no_cache(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the cache folder should be")
    cache = HashCache(tmp_path / "blocker" / "hashes.sqlite")
    photo = copy("camera_jpeg/GPS.jpg", tmp_path / "g.jpg")
    assert cache.hash(LocalFile.of(photo)) == sha1_hex(photo)


def test_progress_bar() -> None:
    out = io.StringIO()
    bar = ProgressBar("Uploading", 2_000_000, 2, stream=out, enabled=True, interval=0)
    bar.advance(1_000_000)
    bar.file_done()
    assert "50%" in out.getvalue() and "1/2 files" in out.getvalue() and "1.0 MB/2.0 MB" in out.getvalue()
    bar.advance(-500_000)  # a retried request gives its bytes back
    assert bar.done == 500_000
    bar.close()
    assert out.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar("x", 10, stream=quiet).advance(5)  # not a terminal: nothing drawn
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("64M", 64 * 1024**2), ("1.5G", int(1.5 * 1024**3)), ("500000", 500_000), ("100k", 102_400),
    ("2GiB", 2 * 1024**3), ("off", None),
])
def test_sizes(text: str, expected: int | None) -> None:
    assert _size(text) == expected


def test_bad_size() -> None:
    import click

    with pytest.raises(click.BadParameter):
        _size("lots")


def test_saved_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTONEST_CONFIG_DIR", str(tmp_path / "cfg"))
    assert config.resolve(None, None) is None
    path = config.save(config.Credentials("http://nas:2283/api", "secret"))
    assert path.stat().st_mode & 0o777 == 0o600
    assert config.resolve(None, None) == config.Credentials("http://nas:2283/api", "secret")
    assert config.resolve("http://other", None) == config.Credentials("http://other", "secret")
    assert config.remove() and not config.remove()


def test_discovery() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/photos/.well-known/immich":
            return httpx.Response(200, json={"api": {"endpoint": "/photos/api"}})
        return httpx.Response(404)

    t = httpx.MockTransport(handler)
    assert discover_api_url("http://nas:2283/api/", transport=t) == "http://nas:2283/api"
    assert discover_api_url("nas.local/photos", transport=t) == "http://nas.local/photos/api"
    assert discover_api_url("http://nas:2283", transport=t) == "http://nas:2283/api"  # no answer: /api


def test_api_errors_carry_the_servers_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"message": ["checksum must be a string"], "statusCode": 400})

    with (ServerClient("http://x/api", "k", transport=httpx.MockTransport(handler), discover=False) as c,
          pytest.raises(ApiError, match="400: checksum must be a string")):
        c.bulk_upload_check([("1", "zz")])


def test_iso_and_metadata() -> None:
    assert iso(0) == "1970-01-01T00:00:00.000Z"
    assert encode_metadata({"filename": "ä.jpg"}) == "filename w6QuanBn"

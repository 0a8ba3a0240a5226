"""photonest serve with PHOTONEST_STORAGE=s3 against moto's real S3 endpoint, end to end over HTTP: uploads land
in the bucket (nothing under library/), the pipeline's thumbnails and transcodes too, originals and videos are
served byte-identical with ranges, ZIP downloads stream objects, deleting empties the bucket, and a store that
refuses or is down gives a clear 503 with nothing kept."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import MEDIA, PASSWORD
from tests.helpers import running_server
from tests.storage.conftest import S3, client_for, start_moto
from tests.uploading import DATES, JPEG, multipart

pytestmark = pytest.mark.timeout(240)
AVI = MEDIA / "video" / "BlueSquare.avi"  # XviD: transcoded to an H.264 MP4 by the video stage


def _login(url: str, email: str = "a@example.com", admin: bool = True) -> dict[str, str]:
    if admin:
        r = httpx.post(f"{url}/api/auth/admin-sign-up", json={"email": email, "password": PASSWORD, "name": "A"})
        assert r.status_code == 201, r.text
    r = httpx.post(f"{url}/api/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}


def _upload(url: str, h: dict[str, str], path: Path, **extra: str) -> httpx.Response:
    body = path.read_bytes()
    ctype, content = multipart({**DATES, "deviceAssetId": path.name, "deviceId": "pytest"},
                               {"assetData": (path.name, body)})
    return httpx.post(f"{url}/api/assets", headers={**h, "content-type": ctype, **extra}, content=content,
                      timeout=60)


def _wait(check: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _local_files(data: Path, *subs: str) -> list[Path]:
    return [p for s in subs if (data / s).exists() for p in (data / s).rglob("*") if p.is_file()]


@pytest.fixture
def server(tmp_path: Path, db_url: str, s3: S3) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "data"
    with running_server(data, {"PHOTONEST_DATABASE_URL": db_url, **s3.env()}, timeout=60) as (url, _):
        yield url, data


def test_s3_end_to_end(server: tuple[str, Path], s3: S3) -> None:
    url, data = server
    h = _login(url)
    jpeg, avi = JPEG.read_bytes(), AVI.read_bytes()
    r = _upload(url, h, JPEG)
    assert r.status_code == 201, r.text
    photo = r.json()["id"]
    r = _upload(url, h, AVI)
    assert r.status_code == 201, r.text
    video = r.json()["id"]

    # The originals are objects under the same keys the folder backend uses; nothing is under library/.
    originals = s3.objects("library/")
    assert sorted(originals.values(), key=len) == sorted([jpeg, avi], key=len)
    assert _local_files(data, "library") == [] and _local_files(data, "upload") == []

    # Duplicates are still found (by checksum, before and after the body).
    r = _upload(url, h, JPEG)
    assert r.status_code == 200 and r.json() == {"id": photo, "status": "duplicate"}
    sha = hashlib.sha1(jpeg).hexdigest()
    r = _upload(url, h, JPEG, **{"x-immich-checksum": sha})
    assert r.status_code == 200 and r.json()["status"] == "duplicate"

    # The pipeline (in-process worker) reads the objects through the cache and puts its outputs as objects.
    def info(i: str) -> dict[str, Any]:
        return httpx.get(f"{url}/api/assets/{i}", headers=h).json()  # type: ignore[no-any-return]

    _wait(lambda: bool(info(photo)["thumbhash"]) and bool(info(video)["thumbhash"]), "thumbnails")
    _wait(lambda: any(k.startswith("encoded-video/") for k in s3.objects("encoded-video/")), "transcode")
    thumbs = s3.objects("thumbs/")
    assert {k.rsplit("-", 1)[-1] for k in thumbs} >= {"thumbnail.webp", "preview.jpeg"}
    assert _local_files(data, "thumbs", "encoded-video") == []  # put, then kept only in the cache

    r = httpx.get(f"{url}/api/assets/{photo}/thumbnail", headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
    assert r.content in thumbs.values() and r.content[:4] == b"RIFF"
    r = httpx.get(f"{url}/api/assets/{photo}/thumbnail?size=preview", headers=h)
    assert r.status_code == 200 and r.content in thumbs.values() and r.content[:2] == b"\xff\xd8"

    # The original: byte-identical, with its name; ranges are exact slices.
    r = httpx.get(f"{url}/api/assets/{photo}/original", headers=h)
    assert r.status_code == 200 and r.content == jpeg
    assert r.headers["content-type"] == "image/jpeg" and "FurnaceCreekInn.jpg" in r.headers["content-disposition"]
    assert r.headers["accept-ranges"] == "bytes" and r.headers["content-length"] == str(len(jpeg))
    r = httpx.get(f"{url}/api/assets/{photo}/original", headers={**h, "Range": "bytes=1000-1999"})
    assert r.status_code == 206 and r.content == jpeg[1000:2000]
    assert r.headers["content-range"] == f"bytes 1000-1999/{len(jpeg)}"
    r = httpx.get(f"{url}/api/assets/{photo}/original", headers={**h, "Range": "bytes=-100"})
    assert r.status_code == 206 and r.content == jpeg[-100:]
    r = httpx.get(f"{url}/api/assets/{photo}/original", headers={**h, "Range": f"bytes={len(jpeg)}-"})
    assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{len(jpeg)}"
    etag = httpx.get(f"{url}/api/assets/{photo}/original", headers=h).headers["etag"]
    assert httpx.get(f"{url}/api/assets/{photo}/original", headers={**h, "If-None-Match": etag}).status_code == 304

    # Video playback streams the transcode with ranges (a player seeking).
    encoded = next(v for k, v in s3.objects("encoded-video/").items())
    r = httpx.get(f"{url}/api/assets/{video}/video/playback", headers={**h, "Range": "bytes=0-"})
    assert r.status_code == 206 and r.content == encoded and r.headers["content-type"] == "video/mp4"
    r = httpx.get(f"{url}/api/assets/{video}/video/playback", headers={**h, "Range": "bytes=500-1499"})
    assert r.status_code == 206 and r.content == encoded[500:1500]

    # A ZIP download streams both originals from the bucket.
    r = httpx.post(f"{url}/api/download/archive", headers=h, json={"assetIds": [photo, video]}, timeout=60)
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert {z.read(n) for n in z.namelist()} == {jpeg, avi}

    # Another user cannot read these objects: the checks are the server's, before the store is touched.
    r = httpx.post(f"{url}/api/admin/users", headers=h, json={"email": "b@example.com", "password": PASSWORD,
                                                              "name": "B"})
    assert r.status_code == 201, r.text
    hb = _login(url, "b@example.com", admin=False)
    for path in (f"/api/assets/{photo}/original", f"/api/assets/{photo}/thumbnail",
                 f"/api/assets/{video}/video/playback"):
        r = httpx.get(url + path, headers=hb)
        assert r.status_code in (400, 403, 404) and jpeg not in r.content

    # Trash, then empty the trash: every object of both assets goes.
    assert httpx.request("DELETE", f"{url}/api/assets", headers=h, json={"ids": [photo, video]}).status_code == 204
    assert s3.objects("library/")  # only trashed so far
    assert httpx.post(f"{url}/api/trash/empty", headers=h).status_code == 200
    _wait(lambda: s3.objects() == {}, "objects deleted", timeout=30)
    assert httpx.get(f"{url}/api/assets/statistics", headers=h).json()["total"] == 0


def test_missing_bucket_answers_503_and_keeps_nothing(server: tuple[str, Path], s3: S3) -> None:
    url, data = server
    h = _login(url)
    s3.client.delete_bucket(Bucket=s3.bucket)  # e.g. deleted or mistyped after start-up
    r = _upload(url, h, JPEG)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["statusCode"] == 503 and body["error"] == "Service Unavailable" and "file store" in body["message"]
    assert httpx.get(f"{url}/api/assets/statistics", headers=h).json()["total"] == 0
    assert _local_files(data, "upload", "library") == []
    me = httpx.get(f"{url}/api/users/me", headers=h).json()
    assert me["quotaUsageInBytes"] == 0  # the charge was rolled back with the row
    # Once the bucket is back, the same upload goes through.
    s3.client.create_bucket(Bucket=s3.bucket)
    assert s3.objects() == {}
    r = _upload(url, h, JPEG)
    assert r.status_code == 201, r.text
    assert list(s3.objects("library/").values()) == [JPEG.read_bytes()]


def test_store_down_answers_503_and_server_stays_up(tmp_path: Path) -> None:
    moto, endpoint = start_moto()
    client = client_for(endpoint)
    client.create_bucket(Bucket="photonest-down")
    s3 = S3(endpoint, "photonest-down", client)
    try:
        with running_server(tmp_path / "data", s3.env(), timeout=60) as (url, _):
            h = _login(url)
            r = _upload(url, h, JPEG)
            assert r.status_code == 201
            asset = r.json()["id"]
            moto.stop()
            for path in (f"/api/assets/{asset}/original", "/api/assets"):
                r = (httpx.get(url + path, headers=h) if path.endswith("original") else _upload(url, h, JPEG2))
                assert r.status_code == 503, r.text
                assert r.json()["statusCode"] == 503
            assert httpx.get(f"{url}/api/server/ping").status_code == 200
            assert _local_files(tmp_path / "data", "upload", "library") == []
            assert httpx.get(f"{url}/api/assets/statistics", headers=h).json()["total"] == 1
    finally:
        moto.stop()


def test_start_up_refuses_a_bucket_that_does_not_exist(tmp_path: Path, s3: S3) -> None:
    with pytest.raises(RuntimeError, match="reach the bucket"), \
            running_server(tmp_path / "data", s3.env(PHOTONEST_S3_BUCKET="no-such-bucket"), timeout=30):
        pass


JPEG2 = JPEG.with_name("FurnaceCreekInn2.jpg")

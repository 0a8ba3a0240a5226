"""The S3 backend against moto's real HTTP server: puts (single and multipart), ranged reads, the read-through
cache and its bound, deletes, listings, and clean failures when the bucket is gone."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from photonest.api.object_media import parse_range
from photonest.storage.cache import ReadCache
from photonest.storage.local import StorageUnavailable
from photonest.storage.s3 import S3Storage
from tests.storage.conftest import KEY_ID, REGION, S3, SECRET
from tests.uploading import JPEG

WHEN = datetime(2024, 3, 5, tzinfo=UTC)


def store_for(s3: S3, data: Path, **kw: int) -> S3Storage:
    return S3Storage(data, bucket=s3.bucket, endpoint_url=s3.endpoint, region=REGION, access_key_id=KEY_ID,
                     secret_access_key=SECRET, **kw)


def staged(store: S3Storage, body: bytes) -> Path:
    sink = store.new_upload()
    sink.write(body)
    sink.close()
    return Path(sink.path)


def test_commit_puts_the_object_and_reads_come_back_identical(s3: S3, tmp_path: Path) -> None:
    store = store_for(s3, tmp_path / "data")
    body = JPEG.read_bytes()
    up = staged(store, body)
    key = store.commit(up, "alice", WHEN, ".jpg")
    assert key.startswith("library/alice/2024/03/") and key.endswith(".jpg")
    assert s3.objects() == {key: body}
    assert not up.exists() and not (tmp_path / "data" / key).exists()  # nothing under library/
    # The staged file became the cache entry: a local reader needs no download.
    local = store.path(key)
    assert local.read_bytes() == body and local.is_relative_to(tmp_path / "data" / "cache")
    assert b"".join(store.open_range(key, 10, 19)) == body[10:20]
    assert store.open(key).read() == body
    assert store.exists(key) and not store.exists("library/alice/nope.jpg")
    assert list(store.keys(["library", "thumbs"])) == [key]


def test_prefix_keeps_keys_unchanged(s3: S3, tmp_path: Path) -> None:
    store = S3Storage(tmp_path / "data", bucket=s3.bucket, prefix="/tenants/one/", endpoint_url=s3.endpoint,
                      region=REGION, access_key_id=KEY_ID, secret_access_key=SECRET)
    key = store.commit(staged(store, b"abc"), "u", WHEN, ".jpg")
    assert list(s3.objects()) == [f"tenants/one/{key}"]
    assert list(store.keys(["library"])) == [key]
    store.delete(key)
    assert s3.objects() == {}


def test_large_files_go_as_multipart_uploads(s3: S3, tmp_path: Path) -> None:
    store = store_for(s3, tmp_path / "data", multipart_bytes=5 << 20)
    body = os.urandom(12 << 20)
    key = store.commit(staged(store, body), "u", WHEN, ".mp4")
    etag = s3.client.head_object(Bucket=s3.bucket, Key=key)["ETag"]
    assert etag.strip('"').endswith("-3")  # three parts of 5 MiB
    assert s3.objects()[key] == body
    # A cold cache (another machine) downloads it again, in ranged parts, to the same bytes.
    other = store_for(s3, tmp_path / "worker", multipart_bytes=5 << 20)
    assert other.path(key).read_bytes() == body


def test_missing_object_gives_a_path_that_does_not_exist(s3: S3, tmp_path: Path) -> None:
    store = store_for(s3, tmp_path / "data")
    assert not store.path("thumbs/u/ab/x-thumbnail.webp").exists()
    with pytest.raises(ValueError):
        store.path("../outside")
    with pytest.raises(ValueError):
        store.path("library/../../etc/passwd")


def test_regenerated_object_is_not_served_stale_from_the_cache(s3: S3, tmp_path: Path) -> None:
    store = store_for(s3, tmp_path / "data")
    thumb = tmp_path / "data" / "thumbs" / "u" / "ab" / "a-preview.jpeg"
    thumb.parent.mkdir(parents=True)
    thumb.write_bytes(b"first")
    store.put_file(thumb, "thumbs/u/ab/a-preview.jpeg")
    assert not thumb.exists() and store.path("thumbs/u/ab/a-preview.jpeg").read_bytes() == b"first"
    # Another machine re-made it: the cache entry is keyed by ETag, so the new bytes are fetched.
    s3.client.put_object(Bucket=s3.bucket, Key="thumbs/u/ab/a-preview.jpeg", Body=b"second")
    assert store.path("thumbs/u/ab/a-preview.jpeg").read_bytes() == b"second"


def test_delete_removes_object_and_cached_copies(s3: S3, tmp_path: Path) -> None:
    store = store_for(s3, tmp_path / "data")
    key = store.commit(staged(store, b"bytes"), "u", WHEN, ".jpg")
    cached = store.path(key)
    store.delete(key)
    assert s3.objects() == {} and not cached.exists()
    store.delete(key)  # twice: no error


def test_put_into_a_missing_bucket_fails_cleanly(s3: S3, tmp_path: Path) -> None:
    store = store_for(s3, tmp_path / "data")
    s3.client.delete_bucket(Bucket=s3.bucket)
    up = staged(store, b"x" * 1000)
    with pytest.raises(StorageUnavailable):
        store.commit(up, "u", WHEN, ".jpg")
    with pytest.raises(StorageUnavailable):
        store.check()
    assert up.exists()  # the caller (ingest) removes its upload; nothing went to the cache
    assert not any(p.is_file() for p in (tmp_path / "data" / "cache").rglob("*"))


def test_unreachable_endpoint_is_storage_unavailable(tmp_path: Path) -> None:
    from tests.helpers import free_port

    store = S3Storage(tmp_path / "data", bucket="photonest", endpoint_url=f"http://127.0.0.1:{free_port()}",
                      region=REGION, access_key_id=KEY_ID, secret_access_key=SECRET)
    with pytest.raises(StorageUnavailable):
        store.path("library/u/2024/01/a.jpg")


def test_cache_evicts_least_recently_used_beyond_its_bound(tmp_path: Path) -> None:
    cache = ReadCache(tmp_path / "cache", max_bytes=2500)
    for i, tag in enumerate(("a", "b", "c")):
        cache.fill(f"thumbs/{i}.webp", tag, lambda p: p.write_bytes(b"x" * 1000))
        os.utime(cache.entry(f"thumbs/{i}.webp", tag), (time.time() - 100 + i, time.time() - 100 + i))
    # 3000 bytes > 2500: the oldest went (down to 90% of the bound).
    assert cache.lookup("thumbs/0.webp", "a") is None
    assert cache.lookup("thumbs/1.webp", "b") is not None and cache.lookup("thumbs/2.webp", "c") is not None
    # A hit makes an entry the newest: the next fill evicts the other one.
    cache.fill("thumbs/3.webp", "d", lambda p: p.write_bytes(b"x" * 1000))
    assert cache.lookup("thumbs/1.webp", "b") is None or cache.lookup("thumbs/2.webp", "c") is None
    total = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert total <= 2500
    # A file larger than the whole cache is still handed to its reader (and goes at the next eviction).
    big = cache.fill("library/big.mp4", "e", lambda p: p.write_bytes(b"x" * 5000))
    assert big.is_file() and big.stat().st_size == 5000


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("bytes=0-99", (0, 99)), ("bytes=100-", (100, 999)), ("bytes=-10", (990, 999)),
    ("bytes=990-5000", (990, 999)), ("bytes=0-1,5-6", None), ("items=0-1", None), ("bytes=-2000", (0, 999)),
])
def test_parse_range(header: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-2", "bytes=-0"])
def test_unsatisfiable_range(header: str) -> None:
    with pytest.raises(ValueError):
        parse_range(header, 1000)

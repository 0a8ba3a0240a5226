"""Originals and derivatives in an S3-compatible object store (AWS S3, MinIO, Garage, Ceph RGW, moto...).

Same keys as the folder backend ("library/<label>/<yyyy>/<mm>/<uuid>.jpg", "thumbs/...", "encoded-video/..."),
stored as ``<prefix><key>`` in one bucket, so a library can move between backends by copying objects.

- Uploads still stream to the local upload/ folder (hashed, fsynced, size checked) exactly as with the folder
  backend; ``commit`` then puts the object (boto3's managed transfer: multipart above ``multipart_bytes``, and a
  failed multipart upload is aborted, so nothing partial stays) before the asset row is committed.
- Files the pipeline writes (thumbnails, previews, transcodes) are put under their keys the same way.
- Readers that need a local file get one from the read-through cache under $DATA/cache/objects (cache.py);
  the HTTP API streams objects with ranged GETs instead (open_range), never whole downloads.
- Every store error becomes StorageUnavailable (an OSError): the API answers 503, a stage is retried.

boto3 is imported on first use only: the folder backend's start-up does not pay for it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import re
import threading
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, cast

from photonest.storage.cache import ReadCache
from photonest.storage.local import LocalStorage, StorageUnavailable

log = logging.getLogger(__name__)
_BAD_SEGMENT = {"", ".", ".."}
CHUNK = 1 << 20


class ObjectHead(NamedTuple):
    size: int
    etag: str  # as S3 returns it, with quotes
    last_modified: datetime | None


def check_key(key: str) -> str:
    """Keys are data-dir relative POSIX paths; refuse anything that could name another place."""
    if not key or key.startswith("/") or "\\" in key or any(s in _BAD_SEGMENT for s in key.split("/")):
        raise ValueError(f"bad storage key {key!r}")
    return key


class S3Storage(LocalStorage):
    is_remote = True

    def __init__(self, data: Path, *, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None, access_key_id: str | None = None,
                 secret_access_key: str | None = None, cache_bytes: int = 5 << 30,
                 multipart_bytes: int = 64 << 20) -> None:
        super().__init__(data)
        if not bucket:
            raise ValueError("PHOTONEST_S3_BUCKET is required when PHOTONEST_STORAGE=s3")
        if importlib.util.find_spec("boto3") is None:  # found without importing it (start-up time)
            raise RuntimeError("PHOTONEST_STORAGE=s3 needs boto3: pip install 'photonest[s3]'")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url or None
        self.region = region or None
        self._credentials = (access_key_id or None, secret_access_key or None)
        self.multipart_bytes = multipart_bytes
        self.cache = ReadCache(self.root / "cache" / "objects", cache_bytes)
        self._lock = threading.Lock()
        self._s3: Any = None
        self._transfer: Any = None

    # plumbing ------------------------------------------------------------------------------------
    def client(self) -> Any:
        if self._s3 is None:
            with self._lock:
                if self._s3 is None:
                    import boto3
                    from boto3.s3.transfer import TransferConfig
                    from botocore.config import Config

                    cfg = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5,
                                 read_timeout=60, max_pool_connections=32,
                                 # custom endpoints (MinIO, moto, Garage) rarely have per-bucket host names
                                 s3={"addressing_style": "path" if self.endpoint_url else "auto"})
                    key_id, secret = self._credentials
                    self._transfer = TransferConfig(multipart_threshold=self.multipart_bytes,
                                                    multipart_chunksize=self.multipart_bytes, max_concurrency=4)
                    self._s3 = boto3.session.Session().client(
                        "s3", endpoint_url=self.endpoint_url, region_name=self.region, aws_access_key_id=key_id,
                        aws_secret_access_key=secret, config=cfg)
        return self._s3

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    @contextlib.contextmanager
    def _errors(self, what: str, key: str = "") -> Iterator[None]:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError, Boto3Error) as e:
            log.warning("object store: %s %s failed: %s", what, key, e)
            raise StorageUnavailable(f"The object store failed to {what}: {type(e).__name__}") from e

    @staticmethod
    def _is_404(e: BaseException) -> bool:
        code = str(getattr(e, "response", {}).get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def check(self) -> None:
        """Fail early (start-up) when the bucket cannot be reached with these credentials."""
        with self._errors("reach the bucket", self.bucket):
            self.client().head_bucket(Bucket=self.bucket)

    # writing -------------------------------------------------------------------------------------
    def commit(self, upload: Path, owner_label: str, when: datetime, ext: str) -> str:
        """Put a complete, fsynced upload as a new object; returns its key. The local file moves to the cache."""
        if "/" in owner_label or owner_label in ("", ".", ".."):
            raise ValueError("bad owner folder")
        if not re.fullmatch(r"(\.[a-z0-9]{1,8})?", ext):
            raise ValueError(f"bad extension {ext!r}")
        key = f"library/{owner_label}/{when.year:04d}/{when.month:02d}/{uuid.uuid4()}{ext}"
        self.put_file(upload, key)
        return key

    def commit_beside(self, upload: Path, key: str, ext: str) -> str:
        final = check_key(key) + ext
        self.put_file(upload, final)
        return final

    def upload_copy(self, local: Path, key: str) -> None:
        """Put a local file as key; the file stays where it is."""
        name = self._name(key)
        client = self.client()
        with self._errors("store the file", key):
            client.upload_file(str(local), self.bucket, name, Config=self._transfer)

    def put_file(self, local: Path, key: str) -> None:
        self.upload_copy(local, key)
        # Keep the bytes as the cache entry (the pipeline reads a new original and preview next).
        etag = ""
        with contextlib.suppress(StorageUnavailable):
            head = self.head(key)
            etag = head.etag if head else ""
        if etag:
            try:
                self.cache.adopt(key, etag, local)
                return
            except OSError as e:
                log.debug("could not cache %s: %s", key, e)
        local.unlink(missing_ok=True)

    def delete(self, key: str) -> None:
        self.delete_object(key)
        super().delete(key)  # a derivative still waiting to be put, if any

    def delete_object(self, key: str) -> None:
        """Delete the object and its cached copies (not a file of the same key in the data folder)."""
        try:
            name = self._name(key)
        except ValueError:
            return
        with self._errors("delete the file", key):
            self.client().delete_object(Bucket=self.bucket, Key=name)
        self.cache.forget(key)

    # reading -------------------------------------------------------------------------------------
    def head(self, key: str) -> ObjectHead | None:
        from botocore.exceptions import ClientError

        name = self._name(key)
        with self._errors("read the file", key):
            try:
                r = self.client().head_object(Bucket=self.bucket, Key=name)
            except ClientError as e:
                if not self._is_404(e):
                    raise
                # HEAD has no error body: a missing bucket looks like a missing object. Tell them apart, so a
                # deleted or mistyped bucket is an outage (retried), not a lost file.
                self.client().head_bucket(Bucket=self.bucket)
                return None
        return ObjectHead(int(r["ContentLength"]), str(r.get("ETag", "")), r.get("LastModified"))

    def exists(self, key: str) -> bool:
        try:
            return self.head(key) is not None
        except ValueError:
            return False

    def path(self, key: str) -> Path:
        """A local copy of the object (from the cache, downloaded on a miss). When there is no such object the
        path returned does not exist, as the folder backend's path of a missing file."""
        head = self.head(key)
        if head is None:
            return self.cache.root / ".missing" / check_key(key)
        hit = self.cache.lookup(key, head.etag)
        if hit is not None:
            return hit
        client = self.client()

        def download(tmp: Path) -> None:
            with self._errors("read the file", key):
                client.download_file(self.bucket, self._name(key), str(tmp), Config=self._transfer)

        return self.cache.fill(key, head.etag, download)

    def open(self, key: str) -> BinaryIO:
        with self._errors("read the file", key):
            body = self.client().get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        return cast(BinaryIO, body)

    def open_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes start..end (inclusive) of the object, fetched with one ranged GET and streamed in chunks."""
        with self._errors("read the file", key):
            body = self.client().get_object(Bucket=self.bucket, Key=self._name(key),
                                            Range=f"bytes={start}-{end}")["Body"]
        try:
            with self._errors("read the file", key):
                yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def keys(self, folders: Iterable[str]) -> Iterator[str]:
        pages = self.client().get_paginator("list_objects_v2")
        for sub in folders:
            with self._errors("list files", sub):
                for page in pages.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}{sub.strip('/')}/"):
                    for obj in page.get("Contents", []):
                        yield str(obj["Key"])[len(self.prefix):]


class ObjectFile:
    """A stored object for the ZIP writer (storage/zipstream.py): opened and read like a file."""

    def __init__(self, store: S3Storage, key: str) -> None:
        self.store, self.key = store, key

    def open(self, mode: str = "rb") -> BinaryIO:
        try:
            return self.store.open(self.key)
        except StorageUnavailable as e:
            raise OSError(str(e)) from e

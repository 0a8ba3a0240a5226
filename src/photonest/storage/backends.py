"""Which storage backend the settings ask for: the data folder (default) or an S3-compatible bucket.

One backend object per configuration and process: the S3 client and its connection pool are shared by the
API's threads and the workers.
"""

from __future__ import annotations

import threading
from pathlib import Path

from photonest.config import Settings
from photonest.storage.local import LocalStorage, Storage

_lock = threading.Lock()
_open: dict[tuple[object, ...], LocalStorage] = {}


def open_storage(settings: Settings) -> LocalStorage:
    """The backend for these settings (both implement the Storage protocol; S3Storage extends LocalStorage's
    upload staging, so code that only stages uploads may keep using the LocalStorage type)."""
    data = Path(settings.data).resolve()
    if settings.storage != "s3":
        return LocalStorage(data)  # cheap: no state beyond the paths
    ident = (data, settings.s3_endpoint_url, settings.s3_bucket, settings.s3_prefix, settings.s3_region,
             settings.s3_access_key_id, settings.s3_secret_access_key, settings.s3_cache_bytes,
             settings.s3_multipart_bytes)
    with _lock:
        store = _open.get(ident)
        if store is None:
            from photonest.storage.s3 import S3Storage

            store = S3Storage(data, bucket=settings.s3_bucket, prefix=settings.s3_prefix,
                              endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
                              access_key_id=settings.s3_access_key_id,
                              secret_access_key=settings.s3_secret_access_key,
                              cache_bytes=settings.s3_cache_bytes, multipart_bytes=settings.s3_multipart_bytes)
            _open[ident] = store
        return store


def local_file(settings: Settings, key: str) -> Path:
    """A local file holding a stored key's bytes (the file itself, or a cached copy of the object); the path
    does not exist when the key is not stored. Raises ValueError for keys that leave the data directory."""
    return open_storage(settings).path(key)


__all__ = ["Storage", "local_file", "open_storage"]

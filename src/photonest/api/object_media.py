"""Serving a stored object over HTTP when originals live in an object store: what FileResponse does for a local
file (Content-Length, ETag, Last-Modified, single byte ranges with 206/416, If-None-Match -> 304), with the
bytes streamed from the bucket by one ranged GET, so seeking in a 4 GB video fetches only what is played.

A request for several ranges at once is answered with the whole object (RFC 9110 lets a server ignore Range);
browsers and Immich's apps ask for one.
"""

from __future__ import annotations

import re
from datetime import UTC
from email.utils import format_datetime
from urllib.parse import quote

from starlette.responses import Response, StreamingResponse

from photonest.library import errors
from photonest.storage.s3 import S3Storage

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single satisfiable byte range; None = send everything; raises ValueError
    when the range cannot be satisfied (416)."""
    if not header:
        return None
    m = _RANGE.match(header)
    if m is None or (not m[1] and not m[2]):
        return None  # malformed or several ranges: ignore the header
    if not m[1]:  # suffix: the last n bytes
        n = int(m[2])
        if n == 0:
            raise ValueError("empty suffix range")
        return max(0, size - n), size - 1
    start = int(m[1])
    end = min(int(m[2]), size - 1) if m[2] else size - 1
    if start >= size or (m[2] and int(m[2]) < start):
        raise ValueError("range not satisfiable")
    return start, end


def content_disposition(filename: str) -> str:
    quoted = quote(filename)
    if quoted != filename:
        return f"inline; filename*=utf-8''{quoted}"
    return f'inline; filename="{filename}"'


def object_response(store: S3Storage, key: str, media_type: str, *, filename: str | None, range_header: str | None,
                    if_none_match: str | None, cache_control: str) -> Response:
    head = store.head(key)
    if head is None:
        raise errors.NotFound("Asset media not found")
    headers = {"accept-ranges": "bytes", "cache-control": cache_control}
    if head.etag:
        headers["etag"] = head.etag
    if head.last_modified is not None:
        headers["last-modified"] = format_datetime(head.last_modified.astimezone(UTC), usegmt=True)
    if filename is not None:
        headers["content-disposition"] = content_disposition(filename)
    if if_none_match and head.etag and head.etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    try:
        span = parse_range(range_header, head.size)
    except ValueError:
        return Response(status_code=416, headers={**headers, "content-range": f"bytes */{head.size}"})
    if head.size == 0:
        return Response(b"", media_type=media_type, headers=headers)
    start, end = span if span is not None else (0, head.size - 1)
    headers["content-length"] = str(end - start + 1)
    status = 200
    if span is not None:
        status = 206
        headers["content-range"] = f"bytes {start}-{end}/{head.size}"
    # The first chunk is fetched before the response starts, so a store failure is still a clean 503.
    body = store.open_range(key, start, end)
    first = next(body, b"")

    def stream() -> object:
        yield first
        yield from body

    return StreamingResponse(stream(), status_code=status, media_type=media_type,  # type: ignore[arg-type]
                             headers=headers)

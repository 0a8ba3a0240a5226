"""Request bodies streamed to disk: a pipelined writer and a streaming multipart/form-data reader.

The event loop receives and parses; hashing and writing run in a worker thread on ~1 MiB batches (hashlib
and file writes release the GIL), one batch in flight while the next is received. Nothing holds a whole
file in memory and nothing is spooled twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from python_multipart.multipart import parse_options_header

from photonest.library import errors
from photonest.storage.local import UploadSink

BATCH = 1 << 20
MAX_FIELD_BYTES = 1 << 20
MAX_FIELDS = 64


class BodyWriter:
    """Feeds bytes to an UploadSink from async code, writing in a thread with one batch in flight.

    A batch is a list of the received pieces (bytes, or memoryviews into them): nothing is joined or copied
    on the event loop; the thread hashes and writes each piece.
    """

    def __init__(self, sink: UploadSink, limit: int | None = None,
                 on_limit: Callable[[int], Exception] | None = None) -> None:
        self.sink = sink
        self.received = 0
        self.limit = limit
        self.on_limit = on_limit
        self._parts: list[bytes | memoryview] = []
        self._buffered = 0
        self._pending: asyncio.Future[None] | None = None

    def feed(self, data: bytes | memoryview) -> None:
        n = len(data)
        if not n:
            return
        self.received += n
        if self.limit is not None and self.received > self.limit:
            raise (self.on_limit(self.received) if self.on_limit else errors.PayloadTooLarge("Upload too large"))
        self._parts.append(data)
        self._buffered += n

    async def pump(self) -> None:
        if self._buffered >= BATCH:
            await self._dispatch()

    async def _dispatch(self) -> None:
        parts, self._parts, self._buffered = self._parts, [], 0
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending
        if parts:
            self._pending = asyncio.get_running_loop().run_in_executor(None, self.sink.write_many, parts)

    async def finish(self) -> None:
        """Write what is buffered and wait for the writes (errors such as disk full surface here)."""
        await self._dispatch()
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending

    async def drain_quietly(self) -> None:
        """After a failure: let an in-flight write finish before the file is removed."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            with contextlib.suppress(Exception):
                await pending


@dataclass
class FilePart:
    field: str
    filename: str
    writer: BodyWriter


@dataclass
class FormResult:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, FilePart] = field(default_factory=dict)


class MultipartStream:
    """A streaming multipart/form-data splitter that finds delimiters with bytes.find (C speed).

    python-multipart's parser walks every CR in the data in Python, which for photo and video bytes (one CR in
    ~256) costs more than SHA-1 and the disk write together; this one touches the bytes only in C. feed()
    returns events in order: ("part", headers), ("data", memoryview), ("end_part", None), ("end", None).
    """

    MAX_HEADER_BYTES = 16 << 10

    def __init__(self, boundary: bytes) -> None:
        if not boundary or len(boundary) > 200:
            raise errors.BadRequest("Invalid multipart boundary")
        self.delim = b"\r\n--" + boundary
        self.state = "preamble"
        self.buf = b"\r\n"  # so that a delimiter at the very start is found like any other
        self.done = False

    def feed(self, chunk: bytes) -> list[tuple[str, Any]]:
        events: list[tuple[str, Any]] = []
        buf = self.buf + chunk if self.buf else chunk
        keep = len(self.delim) - 1
        while True:
            if self.state == "preamble":
                i = buf.find(self.delim)
                if i < 0:
                    buf = buf[-keep:]
                    break
                buf = buf[i + len(self.delim):]
                self.state = "after_delim"
            elif self.state == "after_delim":
                if len(buf) < 2:
                    break
                if buf[:2] == b"--":
                    self.state, self.done = "epilogue", True
                    events.append(("end", None))
                    buf = b""
                    break
                eol = buf.find(b"\r\n")
                if eol < 0:
                    if len(buf) > 256:
                        raise errors.BadRequest("Malformed multipart body: bad delimiter line")
                    break
                if buf[:eol].strip(b" \t"):
                    raise errors.BadRequest("Malformed multipart body: bad delimiter line")
                buf = buf[eol + 2:]
                self.state = "headers"
            elif self.state == "headers":
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    if len(buf) > self.MAX_HEADER_BYTES:
                        raise errors.BadRequest("Multipart part headers are too large")
                    break
                headers: dict[bytes, bytes] = {}
                for line in buf[:end].split(b"\r\n"):
                    name, sep, value = line.partition(b":")
                    if not sep:
                        raise errors.BadRequest("Malformed multipart part header")
                    headers[name.strip().lower()] = value.strip()
                events.append(("part", headers))
                buf = buf[end + 4:]
                self.state = "body"
            elif self.state == "body":
                i = buf.find(self.delim)
                if i >= 0:
                    if i:
                        events.append(("data", memoryview(buf)[:i]))
                    events.append(("end_part", None))
                    buf = buf[i + len(self.delim):]
                    self.state = "after_delim"
                    continue
                # Everything but a tail that could be the start of a delimiter is part data.
                cut = len(buf) - keep
                if cut > 0:
                    events.append(("data", memoryview(buf)[:cut]))
                    buf = buf[cut:]
                break
            else:  # epilogue: ignored
                buf = b""
                break
        self.buf = bytes(buf)
        return events


async def read_multipart(content_type: str, chunks: AsyncIterator[bytes],
                         open_file: Callable[[str, str], BodyWriter]) -> FormResult:
    """Parse a multipart body as it arrives. File parts go to the writer open_file(field, filename) returns;
    other parts are small text fields. On any error the caller removes the files it opened (form.files)."""
    ctype, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise errors.BadRequest("Expected a multipart/form-data body with a boundary")
    stream = MultipartStream(boundary)
    form = FormResult()
    field_buf = bytearray()
    current: FilePart | str | None = None

    def begin(headers: dict[bytes, bytes]) -> FilePart | str:
        disp, opts = parse_options_header(headers.get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        if disp != b"form-data" or not name:
            raise errors.BadRequest("Each multipart part needs Content-Disposition: form-data with a name")
        if b"filename" in opts:
            if name in form.files:
                raise errors.BadRequest(f"{name} was sent more than once")
            filename = opts[b"filename"].decode("utf-8", "replace")
            part = FilePart(name, filename, open_file(name, filename))
            form.files[name] = part
            return part
        if len(form.fields) >= MAX_FIELDS:
            raise errors.BadRequest("Too many form fields")
        field_buf.clear()
        return name

    async for chunk in chunks:
        if not chunk or stream.done:
            continue
        for kind, value in stream.feed(chunk):
            if kind == "data":
                if isinstance(current, FilePart):
                    current.writer.feed(value)
                elif current is not None:
                    if len(field_buf) + len(value) > MAX_FIELD_BYTES:
                        raise errors.PayloadTooLarge(f"Form field {current} is larger than {MAX_FIELD_BYTES} bytes")
                    field_buf.extend(value)
            elif kind == "part":
                current = begin(value)
            elif kind == "end_part":
                if isinstance(current, str):
                    form.fields[current] = field_buf.decode("utf-8", "replace")
                current = None
        for part in form.files.values():
            await part.writer.pump()
    if not stream.done:
        raise errors.BadRequest("Malformed multipart body: it ends before the closing boundary")
    for part in form.files.values():
        await part.writer.finish()
    return form

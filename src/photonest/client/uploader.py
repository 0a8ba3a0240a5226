"""Upload a set of local files: hash, ask the server which it already has, send the rest, file them in an album.

    scan -> SHA-1 (concurrent, cached) -> POST /assets/bulk-upload-check (batches) -> upload the accepted ones
    (multipart POST /assets, or tus above a size threshold; N at a time) -> album (PUT /albums/{id}/assets)
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from photonest.client.api import ApiError, ServerClient
from photonest.client.files import HashCache, LocalFile, scan
from photonest.client.progress import ProgressBar, human_bytes
from photonest.client.tus import DEFAULT_CHUNK_SIZE, DEFAULT_TUS_PATH, ResumeStore, TusClient, TusUnavailable

CHECK_BATCH = 1000
ALBUM_BATCH = 1000
DEFAULT_TUS_THRESHOLD = 64 * 1024 * 1024
MIME_FALLBACK = "application/octet-stream"


class AlbumsUnsupported(ApiError):
    """The server has no albums API (it answered 404): --album cannot work against it."""

    def __str__(self) -> str:
        return self.message


@dataclass
class UploadOptions:
    recursive: bool = False
    album: str | None = None
    concurrency: int = 4
    tus_threshold: int | None = DEFAULT_TUS_THRESHOLD  # files of at least this size go over tus; None: never
    tus_chunk_size: int = DEFAULT_CHUNK_SIZE
    tus_path: str = DEFAULT_TUS_PATH
    include_hidden: bool = False
    dry_run: bool = False
    progress: bool | None = None  # None: when stderr is a terminal


@dataclass
class FileResult:
    file: LocalFile
    status: str  # created | duplicate | failed
    asset_id: str | None = None
    checksum: str | None = None
    error: str | None = None
    via: str = ""  # check | multipart | tus
    transient: bool = False  # failed for the network's or the server's sake, not the file's: worth retrying


@dataclass
class UploadReport:
    results: list[FileResult] = field(default_factory=list)
    album_id: str | None = None
    album_created: bool = False
    album_added: int = 0

    def _with(self, status: str) -> list[FileResult]:
        return [r for r in self.results if r.status == status]

    @property
    def created(self) -> list[FileResult]:
        return self._with("created")

    @property
    def duplicates(self) -> list[FileResult]:
        return self._with("duplicate")

    @property
    def failed(self) -> list[FileResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed


class Uploader:
    def __init__(self, client: ServerClient, options: UploadOptions | None = None, *,
                 echo: Callable[[str], None] = print, hash_cache: HashCache | None = None,
                 resume_store: ResumeStore | None = None) -> None:
        self.client = client
        self.options = options or UploadOptions()
        self.echo = echo
        self.hashes = hash_cache or HashCache(None)
        self.tus = TusClient(client, path=self.options.tus_path, chunk_size=self.options.tus_chunk_size,
                             store=resume_store)
        self._media_types: dict[str, list[str]] | None = None
        self._album_id: str | None = None
        self._tus_available = True

    # -- what the server takes ---------------------------------------------------------------------------
    @property
    def media_types(self) -> dict[str, list[str]]:
        if self._media_types is None:
            self._media_types = self.client.media_types()
        return self._media_types

    @property
    def extensions(self) -> set[str]:
        return {e.lower() for e in [*self.media_types.get("image", []), *self.media_types.get("video", [])]}

    def scan(self, paths: Iterable[Path]) -> list[LocalFile]:
        return scan(paths, self.extensions, recursive=self.options.recursive,
                    include_hidden=self.options.include_hidden,
                    on_skip=lambda p, why: self.echo(f"skipping {p}: {why}"))

    # -- albums ------------------------------------------------------------------------------------------
    def find_album(self) -> str | None:
        """The id of the album named by --album, if it exists; raises AlbumsUnsupported when the server has none."""
        name = self.options.album
        if not name:
            return None
        if self._album_id:
            return self._album_id
        try:
            albums = self.client.list_albums()
        except ApiError as e:
            if e.status == 404:
                raise AlbumsUnsupported(
                    404, f"the server at {self.client.api_url} does not support albums (GET {self.client.api_url}"
                    f"/albums answered 404: {e.message}); nothing was uploaded: run again without --album, or "
                    "update the server", "GET", "/albums") from e
            raise
        me = self.client.my_user()["id"]
        matches = [a for a in albums if a.get("albumName") == name]
        matches.sort(key=lambda a: a.get("ownerId") != me)  # prefer my own album of that name
        self._album_id = str(matches[0]["id"]) if matches else None
        return self._album_id

    def _add_to_album(self, report: UploadReport, asset_ids: list[str]) -> None:
        name = self.options.album
        if not name or not asset_ids:
            return
        album_id = self.find_album()
        if album_id is None:
            album = self.client.create_album(name)
            album_id = self._album_id = str(album["id"])
            report.album_created = True
            self.echo(f"created album {name!r}")
        report.album_id = album_id
        added = 0
        for i in range(0, len(asset_ids), ALBUM_BATCH):
            for res in self.client.add_assets_to_album(album_id, asset_ids[i:i + ALBUM_BATCH]):
                if res.get("success"):
                    added += 1
                elif res.get("error") not in (None, "duplicate"):
                    self.echo(f"could not add asset {res.get('id')} to album {name!r}: {res.get('error')}")
        report.album_added += added

    # -- the run -----------------------------------------------------------------------------------------
    def run(self, paths: Iterable[Path]) -> UploadReport:
        if self.options.album:
            self.find_album()  # fail before uploading anything when the server has no albums
        files = self.scan(paths)
        return self.upload_files(files)

    def upload_files(self, files: Sequence[LocalFile]) -> UploadReport:
        report = UploadReport()
        if not files:
            self.echo("no files to upload")
            return report
        if self.options.album:
            self.find_album()
        total = sum(f.size for f in files)
        self.echo(f"found {len(files)} file{_s(len(files))} ({human_bytes(total)}), hashing...")
        hashed = self._hash_all(files, report)
        new, duplicates = self._check(hashed, report)
        self.echo(f"{len(new)} new, {len(duplicates)} already on the server")
        if self.options.dry_run:
            self.echo(f"would upload {len(new)} file{_s(len(new))} ({human_bytes(sum(f.size for f, _ in new))})")
            return report
        self._upload_all(new, report)
        ids = [r.asset_id for r in report.results if r.status in ("created", "duplicate") and r.asset_id]
        if self.options.album and ids:
            self._add_to_album(report, list(dict.fromkeys(ids)))
        self._summary(report)
        return report

    def _bar(self, label: str, total: int, files: int) -> ProgressBar:
        return ProgressBar(label, total, files, enabled=self.options.progress)

    def _hash_all(self, files: Sequence[LocalFile], report: UploadReport) -> list[tuple[LocalFile, str]]:
        out: list[tuple[LocalFile, str]] = []
        with self._bar("Hashing  ", sum(f.size for f in files), len(files)) as bar, \
                ThreadPoolExecutor(max(1, self.options.concurrency)) as pool:
            futures = {pool.submit(self.hashes.hash, f, bar.advance): f for f in files}
            for fut in as_completed(futures):
                f = futures[fut]
                try:
                    out.append((f, fut.result()))
                except OSError as e:
                    report.results.append(FileResult(f, "failed", error=f"cannot read: {e}"))
                bar.file_done()
        out.sort(key=lambda t: str(t[0].path))
        return out

    def _check(self, hashed: list[tuple[LocalFile, str]],
               report: UploadReport) -> tuple[list[tuple[LocalFile, str]], list[FileResult]]:
        new: list[tuple[LocalFile, str]] = []
        dups: list[FileResult] = []
        for start in range(0, len(hashed), CHECK_BATCH):
            batch = hashed[start:start + CHECK_BATCH]
            results = self.client.bulk_upload_check((str(i), c) for i, (_, c) in enumerate(batch))
            by_id = {str(r["id"]): r for r in results}
            for i, (f, checksum) in enumerate(batch):
                r = by_id.get(str(i), {"action": "accept"})
                if r.get("action") == "accept":
                    new.append((f, checksum))
                elif r.get("reason") == "duplicate" or r.get("assetId"):
                    note = " (in the server's trash)" if r.get("isTrashed") else None
                    res = FileResult(f, "duplicate", str(r.get("assetId") or "") or None, checksum, note, "check")
                    dups.append(res)
                    report.results.append(res)
                else:
                    report.results.append(FileResult(f, "failed", checksum=checksum, via="check",
                                                     error=f"rejected by the server: {r.get('reason')}"))
        return new, dups

    def _use_tus(self, f: LocalFile) -> bool:
        threshold = self.options.tus_threshold
        # tus carries one file: a photo with an XMP sidecar goes in one multipart request, sidecar and all.
        return self._tus_available and threshold is not None and f.size >= threshold and f.sidecar is None

    def _upload_one(self, f: LocalFile, checksum: str, bar: ProgressBar) -> FileResult:
        use_tus = self._use_tus(f)
        try:
            current = LocalFile.of(f.path)
            if (current.size, current.mtime_ns) != (f.size, f.mtime_ns):
                return FileResult(f, "failed", checksum=checksum, error="changed while uploading; try again")
            body: dict[str, Any] | None = None
            if use_tus:
                try:
                    body = self.tus.upload(f.path, checksum, mime=self._mime(f.path), progress=bar.advance)
                except TusUnavailable:
                    # Immich, or a photonest without resumable uploads: everything goes the classic way.
                    self._tus_available, use_tus = False, False
            if body is None:
                body = self.client.upload_asset(f.path, checksum=checksum, sidecar=f.sidecar, progress=bar.advance)
        except ApiError as e:
            return FileResult(f, "failed", checksum=checksum, error=str(e), via="tus" if use_tus else "multipart",
                              transient=e.status == 0 or e.status >= 500)
        except OSError as e:
            return FileResult(f, "failed", checksum=checksum, error=f"cannot read: {e}")
        status = "duplicate" if body.get("status") == "duplicate" else "created"
        return FileResult(f, status, str(body["id"]), checksum, via="tus" if use_tus else "multipart")

    def _mime(self, path: Path) -> str:
        return mimetypes.guess_type(path.name)[0] or MIME_FALLBACK

    def _upload_all(self, new: list[tuple[LocalFile, str]], report: UploadReport) -> None:
        if not new:
            return
        lock = threading.Lock()
        with self._bar("Uploading", sum(f.size for f, _ in new), len(new)) as bar, \
                ThreadPoolExecutor(max(1, self.options.concurrency)) as pool:
            futures = [pool.submit(self._upload_one, f, c, bar) for f, c in new]
            for fut in as_completed(futures):
                res = fut.result()
                with lock:
                    report.results.append(res)
                bar.file_done()
                if res.status == "failed" and not bar.enabled:
                    self.echo(f"failed: {res.file.path}: {res.error}")
        report.results.sort(key=lambda r: str(r.file.path))

    def _summary(self, report: UploadReport) -> None:
        created, dups, failed = report.created, report.duplicates, report.failed
        self.echo(f"uploaded {len(created)} new asset{_s(len(created))} "
                  f"({human_bytes(sum(r.file.size for r in created))}), "
                  f"{len(dups)} duplicate{_s(len(dups))} skipped")
        if self.options.album and report.album_id:
            self.echo(f"album {self.options.album!r}: {report.album_added} asset{_s(report.album_added)} added")
        if failed:
            self.echo(f"{len(failed)} file{_s(len(failed))} failed:")
            for r in failed:
                self.echo(f"  {r.file.path}: {r.error}")


def _s(n: int) -> str:
    return "" if n == 1 else "s"

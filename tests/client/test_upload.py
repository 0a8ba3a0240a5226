"""`photonest upload` against a real server: real files from the shared media corpus, over real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from photonest.client import ServerClient, Uploader, UploadOptions
from photonest.client.files import LocalFile
from photonest.client.tus import ResumeStore, TusClient
from photonest.client.uploader import AlbumsUnsupported, UploadReport
from photonest.client.watch import Watcher
from tests.client.conftest import Cli
from tests.client.live import SHARED_MEDIA, LiveServer, User, b64_to_hex, sha1_hex

TOP = ["camera_jpeg/FurnaceCreekInn.jpg", "heic/Stonehenge.heic", "png/coffee.png", "video/sample.mp4"]
SUB = ["webp/flower.webp", "avif/example.avif", "camera_jpeg/leuvenA.jpg"]


def put(dest: Path, src: str, name: str | None = None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / (name or Path(src).name)
    shutil.copyfile(SHARED_MEDIA / src, out)
    return out


def folder(root: Path) -> dict[str, list[Path]]:
    """A small real library: top level, a sub-folder, a sidecar, a byte-identical copy, things to leave alone."""
    top = [put(root, s) for s in TOP]
    top.append(put(root, "camera_jpeg/FurnaceCreekInn.jpg", "FurnaceCreekInn (copy).jpg"))
    put(root, "xmp_sidecar/exiv2-bug1108.xmp", "Stonehenge.heic.xmp")
    sub = [put(root / "2024" / "Summer trip", s) for s in SUB]
    ignored = [put(root, "camera_jpeg/Reagan.jpg", "notes.txt"),
               put(root / ".thumbnails", "camera_jpeg/flower.jpg"),
               put(root, "camera_jpeg/GPS.jpg", ".hidden.jpg")]
    return {"top": top, "sub": sub, "ignored": ignored}


def on_server(server: LiveServer, user: User, files: list[Path]) -> dict[str, str | None]:
    return server.assets_by_checksum(user, [sha1_hex(f) for f in files])


def asset_total(server: LiveServer, user: User) -> int:
    with server.client(user) as c:
        r = c.get("/assets/statistics")
        assert r.status_code == 200, r.text
        return int(r.json()["total"])


def test_recursive_upload_then_rerun_uploads_nothing(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    files = folder(tmp_path / "photos")
    wanted = files["top"] + files["sub"]
    unique = {sha1_hex(f) for f in wanted}

    r = cli("upload", "--recursive", "--concurrency", "3", str(tmp_path / "photos"))
    assert r.returncode == 0, r.stderr + server.log_tail()
    assert f"found {len(wanted)} files" in r.stderr
    assert f"uploaded {len(unique)} new assets" in r.stderr, r.stderr
    ids = on_server(server, user, wanted)
    assert all(ids.values()), r.stderr
    assert ids[sha1_hex(files["top"][0])] == ids[sha1_hex(files["top"][-1])]  # the copy is the same asset
    assert not any(on_server(server, user, files["ignored"]).values())  # .txt, hidden folder, hidden file
    assert asset_total(server, user) == len(unique)
    for f in wanted:
        asset = server.asset(user, str(ids[sha1_hex(f)]))
        assert b64_to_hex(asset["checksum"]) == sha1_hex(f)

    again = cli("upload", "--recursive", str(tmp_path / "photos"))
    assert again.returncode == 0, again.stderr
    assert f"0 new, {len(wanted)} already on the server" in again.stderr
    assert "uploaded 0 new assets" in again.stderr
    assert asset_total(server, user) == len(unique)


def test_without_recursive_only_the_top_level(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    files = folder(tmp_path / "photos")
    r = cli("upload", str(tmp_path / "photos"))
    assert r.returncode == 0, r.stderr
    assert all(on_server(server, user, files["top"]).values())
    assert not any(on_server(server, user, files["sub"]).values())


def test_single_files_and_a_broken_one(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    good = put(tmp_path, "camera_jpeg/leuvenB.jpg")
    empty = put(tmp_path, "broken_edge/notjpeg.jpg")  # zero bytes, named .jpg: the server refuses it
    txt = put(tmp_path, "camera_jpeg/Reagan.jpg", "readme.txt")
    r = cli("upload", str(good), str(empty), str(txt))
    assert r.returncode == 1, r.stderr
    assert f"skipping {txt}: unsupported file type" in r.stderr
    assert "1 file failed" in r.stderr and str(empty) in r.stderr and "400" in r.stderr, r.stderr
    assert all(on_server(server, user, [good]).values())


def test_dry_run_sends_nothing(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    files = folder(tmp_path / "photos")
    r = cli("upload", "-r", "--dry-run", str(tmp_path / "photos"))
    assert r.returncode == 0, r.stderr
    assert "would upload" in r.stderr
    assert not any(on_server(server, user, files["top"]).values())


def test_large_files_go_over_tus(tmp_path: Path, server: LiveServer, user: User) -> None:
    big = [put(tmp_path, "video/trailer_bbb.mp4"), put(tmp_path, "video/vtest.avi")]
    with_sidecar = put(tmp_path, "video/Megamind.avi")  # 1.2 MB, but tus cannot carry its sidecar
    put(tmp_path, "xmp_sidecar/BlueSquare.xmp", "Megamind.xmp")
    small = [put(tmp_path, "camera_jpeg/FurnaceCreekInn2.jpg")]
    options = UploadOptions(tus_threshold=1_000_000, tus_chunk_size=3 * 1024 * 1024, concurrency=2, progress=False)
    with ServerClient(server.url, user.api_key) as client:
        report = Uploader(client, options, echo=lambda m: None).run([tmp_path])
    assert report.ok, [r.error for r in report.failed]
    via = {r.file.path.name: r.via for r in report.results}
    assert via == {"trailer_bbb.mp4": "tus", "vtest.avi": "tus", "Megamind.avi": "multipart",
                   "FurnaceCreekInn2.jpg": "multipart"}
    ids = on_server(server, user, [*big, with_sidecar, *small])
    assert all(ids.values())
    assert {r.asset_id for r in report.created} == set(ids.values())
    for f in big:
        asset = server.asset(user, str(ids[sha1_hex(f)]))
        assert asset["originalFileName"] == f.name and asset["type"] == "VIDEO"


def test_without_tus_on_the_server_everything_goes_multipart(tmp_path: Path, server: LiveServer,
                                                             user: User) -> None:
    """Against Immich (no tus) large files still arrive, the classic way."""
    files = [put(tmp_path, "video/vtest.avi"), put(tmp_path, "video/cup.mp4")]
    options = UploadOptions(tus_threshold=1_000_000, tus_path="upload/not-here", progress=False)
    with ServerClient(server.url, user.api_key) as client:
        report = Uploader(client, options, echo=lambda m: None).run([tmp_path])
    assert report.ok, [r.error for r in report.failed]
    assert [r.via for r in report.results] == ["multipart", "multipart"]
    assert all(on_server(server, user, files).values())


def test_tus_resumes_where_the_server_stopped(tmp_path: Path, server: LiveServer, user: User) -> None:
    """An upload cut off after 2 MiB (another process, a dropped connection) continues at the server's offset."""
    video = put(tmp_path, "video/vtest.avi")
    size, checksum = video.stat().st_size, sha1_hex(video)
    store = ResumeStore(tmp_path / "tus.json")
    with ServerClient(server.url, user.api_key) as client:
        tus = TusClient(client, store=store, chunk_size=4 * 1024 * 1024)
        url = tus.create(video, checksum, "video/x-msvideo")
        head = video.read_bytes()[: 2 * 1024 * 1024]
        r = client.http.patch(url, content=head, headers={
            "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
        assert r.status_code == 204 and r.headers["upload-offset"] == str(len(head))
        store.put(f"{client.api_url}|{checksum}|{size}", url)

        offsets: list[str] = []
        client.http.event_hooks["request"].append(
            lambda req: offsets.append(req.headers["upload-offset"]) if req.method == "PATCH" else None)
        progress: list[int] = []
        result = tus.upload(video, checksum, progress=progress.append)
    assert offsets[0] == str(len(head))  # nothing sent twice
    assert sum(progress) == size
    assert result["status"] == "created"
    assert on_server(server, user, [video]) == {checksum: result["id"]}
    assert json.loads((tmp_path / "tus.json").read_text()) == {}  # finished: forgotten


def test_tus_survives_a_dropped_connection(tmp_path: Path, server: LiveServer, user: User,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    video = put(tmp_path, "video/trailer_bbb.mp4")
    checksum = sha1_hex(video)
    original = TusClient._body
    calls = [0]

    def flaky(self: TusClient, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls[0] += 1
        gen = original(self, *args, **kwargs)  # type: ignore[arg-type]
        if calls[0] == 2:  # the second PATCH dies half-way through
            yield next(gen)
            raise httpx.WriteError("connection reset by peer (simulated)")
        yield from gen

    monkeypatch.setattr(TusClient, "_body", flaky)
    progress: list[int] = []
    with ServerClient(server.url, user.api_key) as client:
        tus = TusClient(client, chunk_size=2 * 1024 * 1024, retry_delay=0.05)
        result = tus.upload(video, checksum, progress=progress.append)
    assert calls[0] > 2
    assert sum(progress) == video.stat().st_size
    assert on_server(server, user, [video]) == {checksum: result["id"]}


def test_album_option(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    files = folder(tmp_path / "photos")
    r = cli("upload", "-r", "--album", "Summer 2024", str(tmp_path / "photos"))
    assert r.returncode == 0, r.stderr
    wanted = files["top"] + files["sub"]
    again = cli("upload", "-r", "--album", "Summer 2024", str(tmp_path / "photos"))
    assert again.returncode == 0, again.stderr
    assert "created album 'Summer 2024'" in r.stderr and "created album" not in again.stderr
    ids = on_server(server, user, wanted)
    with server.client(user) as c:
        albums = [a for a in c.get("/albums").json() if a["albumName"] == "Summer 2024"]
        assert len(albums) == 1  # the second run found it instead of making another
        assert albums[0]["assetCount"] == len({sha1_hex(f) for f in wanted})
        for f in wanted:
            assert [a["id"] for a in c.get("/albums", params={"assetId": ids[sha1_hex(f)]}).json()] == \
                [albums[0]["id"]]


def test_album_against_a_server_without_albums(tmp_path: Path) -> None:
    """The client side of --album, whatever this server has: a 404 becomes one clear error before any upload."""
    put(tmp_path, "camera_jpeg/FurnaceCreekInn3.jpg")

    def no_albums(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/api/albums"):
            return httpx.Response(404, json={"message": "Cannot GET /api/albums", "statusCode": 404})
        return httpx.Response(500)

    with ServerClient("http://photonest.test/api", "key", transport=httpx.MockTransport(no_albums),
                      discover=False) as client:
        uploader = Uploader(client, UploadOptions(album="Trip", progress=False), echo=lambda m: None)
        with pytest.raises(AlbumsUnsupported, match="does not support albums"):
            uploader.run([tmp_path])


def test_login_saves_the_key_for_later(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    r = cli("login", server.url, user.api_key)
    assert r.returncode == 0, r.stderr
    assert f"as {user.email}" in r.stdout
    saved = cli.home / "config" / "auth.json"
    assert saved.stat().st_mode & 0o777 == 0o600
    assert json.loads(saved.read_text()) == {"server": server.api, "apiKey": user.api_key}
    photo = put(tmp_path / "p", "camera_jpeg/exiv2-nikon-d70.jpg")
    up = cli("upload", str(photo), auth=False)
    assert up.returncode == 0, up.stderr
    assert all(on_server(server, user, [photo]).values())


def test_clear_errors(tmp_path: Path, cli: Cli, server: LiveServer) -> None:
    photo = put(tmp_path, "camera_jpeg/GoPro.jpg")
    r = cli("upload", str(photo), auth=False)
    assert r.returncode == 2 and "photonest login" in r.stderr

    bad = subprocess.run([sys.executable, "-m", "photonest.cli", "upload", str(photo), "--server", server.url,
                          "--key", "wrong"], env=cli.env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "401" in bad.stderr and "Traceback" not in bad.stderr, bad.stderr

    from tests.helpers import free_port

    down = subprocess.run([sys.executable, "-m", "photonest.cli", "upload", str(photo), "--server",
                           f"http://127.0.0.1:{free_port()}", "--key", "k"], env=cli.env, capture_output=True,
                          text=True, timeout=120)
    assert down.returncode == 1 and "cannot reach" in down.stderr and "Traceback" not in down.stderr, down.stderr


def wait_for(predicate: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_watch_uploads_new_and_changed_files_once(tmp_path: Path, server: LiveServer, user: User) -> None:
    root = tmp_path / "camera"
    first = put(root, "camera_jpeg/FurnaceCreekInn.jpg")
    reports: list[UploadReport] = []
    stop = threading.Event()
    with ServerClient(server.url, user.api_key) as client:
        uploader = Uploader(client, UploadOptions(recursive=True, progress=False), echo=lambda m: None)
        watcher = Watcher(uploader, [root], debounce_ms=200, settle_seconds=0.5, stop_event=stop,
                          on_report=reports.append)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        try:
            wait_for(lambda: len(reports) >= 1)
            assert [r.file.path for r in reports[0].created] == [first]

            later = [put(root, "heic/Stonehenge.heic"), put(root / "DCIM" / "100", "camera_jpeg/leuvenA.jpg")]
            put(root / ".trash", "camera_jpeg/leuvenB.jpg")  # hidden: not ours to back up
            wait_for(lambda: all(on_server(server, user, later).values()))

            # The same bytes again (touched, re-copied) are checked, not sent; edited bytes are a new asset.
            n = len(reports)
            os.utime(first, (time.time() - 100, time.time() - 100))
            wait_for(lambda: len(reports) > n)
            assert [r.status for r in reports[-1].results] == ["duplicate"]
            edited = root / "FurnaceCreekInn.jpg"
            edited.write_bytes(edited.read_bytes() + b"\0")
            wait_for(lambda: all(on_server(server, user, [edited]).values()))
        finally:
            stop.set()
            thread.join(10)
    assert not thread.is_alive()
    created = [r.file.path for rep in reports for r in rep.created]
    assert sorted(map(str, created)) == sorted(map(str, [first, *later, edited]))
    assert not any(on_server(server, user, [root / ".trash" / "leuvenB.jpg"]).values())


class Outage(httpx.HTTPTransport):
    """The real transport, except that while `down` is set the server seems gone."""

    def __init__(self) -> None:
        super().__init__()
        self.down = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down.is_set():
            raise httpx.ConnectError("connection refused (simulated outage)", request=request)
        return super().handle_request(request)


def test_watch_keeps_going_through_a_server_outage(tmp_path: Path, server: LiveServer, user: User) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    transport = Outage()
    messages: list[str] = []
    stop = threading.Event()
    with ServerClient(server.url, user.api_key, transport=transport, retries=0) as client:
        uploader = Uploader(client, UploadOptions(progress=False), echo=messages.append)
        watcher = Watcher(uploader, [root], debounce_ms=100, settle_seconds=0.3, stop_event=stop,
                          retry_seconds=1.0)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        try:
            wait_for(lambda: any("no files to upload" in m for m in messages))
            transport.down.set()
            photo = put(root, "camera_jpeg/r_canon.jpg")
            wait_for(lambda: any("trying again" in m for m in messages))
            assert thread.is_alive()
            transport.down.clear()
            wait_for(lambda: all(on_server(server, user, [photo]).values()))
        finally:
            stop.set()
            thread.join(10)


def test_watch_command_runs_until_interrupted(tmp_path: Path, cli: Cli, server: LiveServer, user: User) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "photonest.cli", "upload", "--watch", str(root),
                             "--server", server.url, "--key", user.api_key], env=cli.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)  # started and watching
        photo = put(root, "camera_jpeg/DSC_3079.jpg")
        wait_for(lambda: all(on_server(server, user, [photo]).values()), timeout=45)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "watching" in err and "Traceback" not in err, err


def test_local_file_identity_changes_with_content(tmp_path: Path) -> None:
    f = put(tmp_path, "camera_jpeg/GPS.jpg")
    a = LocalFile.of(f)
    f.write_bytes(f.read_bytes() + b"x")
    assert LocalFile.of(f).key != a.key


def test_checksum_header_skips_the_body_of_a_known_file(tmp_path: Path, server: LiveServer, user: User) -> None:
    video = put(tmp_path, "video/vtest.avi")
    with ServerClient(server.url, user.api_key) as client:
        first = client.upload_asset(video, checksum=sha1_hex(video))
        progress: list[int] = []
        again = client.upload_asset(video, checksum=sha1_hex(video), progress=progress.append)
    assert first["status"] == "created"
    assert again == {"id": first["id"], "status": "duplicate"}
    assert sum(progress) == video.stat().st_size  # the bar still completes

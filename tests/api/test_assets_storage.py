"""storage.local: where originals go; client names never choose a path; nothing is overwritten."""

from __future__ import annotations

import errno
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from photonest.storage.local import LocalStorage, owner_folder


def _upload(st: LocalStorage, data: bytes) -> Path:
    sink = st.new_upload()
    sink.write(data)
    sink.close()
    return sink.path


def test_commit_moves_without_copy_and_never_overwrites(tmp_path: Path) -> None:
    st = LocalStorage(tmp_path)
    when = datetime(2008, 5, 8, tzinfo=UTC)
    up = _upload(st, b"one")
    inode = up.stat().st_ino
    key = st.commit(up, "alice", when, ".jpg")
    assert key.startswith("library/alice/2008/05/") and key.endswith(".jpg")
    assert not up.exists() and st.path(key).read_bytes() == b"one"
    assert st.path(key).stat().st_ino == inode  # the same file, renamed: no second copy
    key2 = st.commit(_upload(st, b"two"), "alice", when, ".jpg")
    assert key2 != key and st.path(key).read_bytes() == b"one"
    side = st.commit_beside(_upload(st, b"<xmp/>"), key, ".xmp")
    assert side == key + ".xmp"
    with pytest.raises(FileExistsError):
        st.commit_beside(_upload(st, b"again"), key, ".xmp")
    assert st.path(side).read_bytes() == b"<xmp/>"


def test_bad_keys_labels_and_extensions_are_refused(tmp_path: Path) -> None:
    st = LocalStorage(tmp_path / "data")
    for key in ("../outside", "library/../../etc/passwd", "/etc/passwd"):
        with pytest.raises(ValueError):
            st.path(key)
    st.delete("../../etc/passwd")  # refused quietly, nothing happens
    up = _upload(st, b"x")
    for ext in (".JPG/../x", "/evil", ".toolongextension"):
        with pytest.raises(ValueError):
            st.commit(up, "alice", datetime.now(UTC), ext)
    with pytest.raises(ValueError):
        st.commit(up, "../alice", datetime.now(UTC), ".jpg")
    assert owner_folder("Family-Photos_1", "uid") == "Family-Photos_1"
    for label in ("../x", "a/b", "", None, ".hidden", "x" * 200):
        assert owner_folder(label, "uid") == "uid"
    with pytest.raises(ValueError):
        st.upload_path("../x.part")


def test_sink_reports_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st = LocalStorage(tmp_path)
    sink = st.new_upload()

    class Full:
        def write(self, _: object) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self) -> None:
            pass

    monkeypatch.setattr(sink, "_f", Full())
    with pytest.raises(OSError) as e:
        sink.write(b"abc")
    assert e.value.errno == errno.ENOSPC
    sink.abort()
    assert not sink.path.exists()

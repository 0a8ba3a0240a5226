"""PHOTONEST_LIBRARY_WATCH: a file appearing in a watched library queues a (debounced) rescan."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from photonest.app import create_app
from photonest.config import Settings
from photonest.db.tables import Library
from tests.conftest import PASSWORD, login, make_user
from tests.library.test_external_libraries import PHOTO, PHOTO2, by_name, create, drain, scan


def _state(client: TestClient) -> str | None:
    with client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        return s.scalar(select(Library.scan_state))


def test_new_file_in_watched_library_is_indexed(settings: Settings, tmp_path: Path) -> None:
    pytest.importorskip("watchdog")
    if not settings.is_sqlite:
        pytest.skip("the watcher does not depend on the database")
    watched = settings.model_copy(update={"library_watch": True, "library_watch_debounce_seconds": 0.3})
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(PHOTO, share / "one.jpg")
    with TestClient(create_app(watched)) as client:
        client.post("/api/auth/admin-sign-up", json={"email": "a@example.com", "password": PASSWORD, "name": "A"})
        admin = login(client, "a@example.com")
        owner = make_user(client, admin, "o@example.com")
        lib = create(client, admin, owner, [str(share)])
        scan(client, admin, lib["id"])
        assert set(by_name(client, lib["id"])) == {"one.jpg"}

        # A burst of changes: one rescan after the quiet time.
        for i in range(3):
            shutil.copy(PHOTO2, share / f"new-{i}.jpg")
        (share / "ignored.txt").write_text("not media")
        deadline = time.monotonic() + 15
        state: Any = None
        while time.monotonic() < deadline and (state := _state(client)) != "waiting":
            time.sleep(0.1)
        assert state == "waiting"
        drain(client)
        assert set(by_name(client, lib["id"])) == {"one.jpg", "new-0.jpg", "new-1.jpg", "new-2.jpg"}

"""The opt-in release check: on_new_release goes to every client when (and only when) a newer release appears."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from photonest.api.dto import immich as dto
from photonest.jobs import release
from tests.conftest import Account


def test_new_release_is_broadcast_once_and_stored(client: TestClient, settings: Any, admin: Account) -> None:
    app = client.app
    seen: list[tuple[str | None, str, Any]] = []
    app.state.events.subscribe(lambda room, ev, p: seen.append((room, ev, p)))  # type: ignore[attr-defined]
    db, events = app.state.db, app.state.events  # type: ignore[attr-defined]

    assert release.check(settings, db, events, fetch=lambda: "v99.1.0") is None  # off by default: no request
    settings.version_check = True
    assert release.check(settings, db, events, fetch=lambda: "v0.0.1") is None  # older: nothing to tell
    event = release.check(settings, db, events, fetch=lambda: "v99.1.0")
    assert event is not None
    dto.ReleaseEventV1.model_validate(event)
    assert seen == [(None, "on_new_release", event)]  # None: every connected client
    release.check(settings, db, events, fetch=lambda: "v99.1.0")
    assert len(seen) == 1  # the same release is announced once

    def offline() -> str:
        raise OSError("no network")

    assert release.check(settings, db, events, fetch=offline) is None
    r = client.get("/api/server/version-check", headers=admin.headers)
    assert r.status_code == 200 and r.json()["releaseVersion"] == "v99.1.0"

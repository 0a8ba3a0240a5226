"""The whole path on both engines (SQLite and PostgreSQL): upload real photos, run the pipeline, search and
review duplicates; Bob sees none of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from photonest.config import Settings
from tests.conftest import MEDIA, Account
from tests.smart.conftest import put_all, share_models

pytestmark = pytest.mark.postgres


def test_pipeline_search_and_duplicates(client: TestClient, settings: Settings, alice: Account, bob: Account,
                                        model_cache: Path, smart_stages: None) -> None:
    share_models(model_cache, settings)
    ids = put_all(client, alice, {"cat": MEDIA / "png" / "chelsea.png", "reagan": MEDIA / "camera_jpeg" / "Reagan.jpg",
                                  "reagan_png": MEDIA / "png" / "ReaganSmallPng.png"})
    client.app.state.jobs.drain()  # type: ignore[attr-defined]

    r = client.post("/api/search/smart", headers=alice.headers, json={"query": "kitty"})
    assert r.status_code == 200, r.text
    assert r.json()["assets"]["items"][0]["id"] == ids["cat"]
    r = client.post("/api/search/smart", headers=bob.headers, json={"query": "kitty"})
    assert r.status_code == 200 and r.json()["assets"]["items"] == []

    groups = client.get("/api/duplicates", headers=alice.headers).json()
    assert [sorted(a["id"] for a in g["assets"]) for g in groups] == [sorted([ids["reagan"], ids["reagan_png"]])]
    assert client.get("/api/duplicates", headers=bob.headers).json() == []

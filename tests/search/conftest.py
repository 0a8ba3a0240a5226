"""Search fixtures: a real library uploaded through the API and run through the pipeline (metadata, thumbnails,
places, OCR), on SQLite and PostgreSQL (the `db_url` fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.jobs.registry import STAGES
from tests.conftest import MEDIA, Account
from tests.uploading import upload

# name -> file, with what MANIFEST.tsv says about it.
ALICE_FILES = {
    "leuvenA": MEDIA / "camera_jpeg" / "leuvenA.jpg",  # Apple iPhone 6, GPS Leuven (BE), 2019-04-14 13:46:10
    "leuvenB": MEDIA / "camera_jpeg" / "leuvenB.jpg",  # Apple iPhone 6, GPS Leuven, 14 s earlier
    "furnace1": MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg",  # Canon PowerShot S5 IS, GPS Death Valley, 2008
    "furnace2": MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg",  # same camera, no GPS
    "stonehenge": MEDIA / "heic" / "Stonehenge.heic",  # NIKON D5300, GPS Stonehenge (GB), 2015-07-16
    "sign": MEDIA / "ocr_text" / "scenetext01.jpg",  # a sign: NOTICE ... DOUBLE PARKING PROHIBITED
}
LATER_FILES = {"video": MEDIA / "video" / "sample.mp4"}  # H.264, CreateDate 2016-02-06: uploaded later
BOB_FILES = {"bob_brazil": MEDIA / "camera_jpeg" / "ela_original.jpg",  # motorola, GPS Brazil
             "bob_furnace": MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg"}


@dataclass
class Library:
    client: TestClient
    alice: Account
    bob: Account
    ids: dict[str, str]
    between_uploads: datetime  # after Alice's photos were created, before the video was
    names: dict[str, str] = field(default_factory=dict)  # id -> name

    def search(self, who: Account | None = None, status: int = 200, **body: Any) -> Any:
        r = self.client.post("/api/search/metadata", headers=(who or self.alice).headers, json=body)
        assert r.status_code == status, r.text
        return r.json()

    def find(self, who: Account | None = None, **body: Any) -> set[str]:
        """The names of what a metadata search finds (all pages)."""
        out = [self.names[i["id"]] for i in self.search(who, size=1000, **body)["assets"]["items"]]
        assert len(out) == len(set(out))
        return set(out)

    def count(self, who: Account | None = None, **body: Any) -> int:
        r = self.client.post("/api/search/statistics", headers=(who or self.alice).headers, json=body)
        assert r.status_code == 200, r.text
        return int(r.json()["total"])


@pytest.fixture
def search_stages(client: TestClient) -> Iterator[None]:
    """The places and OCR stages in the pipeline for this test only (other suites assert the built-in ones)."""
    from photonest.jobs import stages
    from photonest.library import ocr, places

    stages.register_builtin()
    added = [s for s in (places.STAGE, ocr.STAGE) if s not in STAGES]
    places.register_stage()
    ocr.register_stage()
    yield
    for s in added:
        STAGES.pop(s, None)


def put(client: TestClient, who: Account, path: Path, **fields: Any) -> str:
    r = upload(client, who, path, **fields)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture
def library(client: TestClient, alice: Account, bob: Account, search_stages: None) -> Library:
    ids = {name: put(client, alice, path) for name, path in ALICE_FILES.items()}
    between = datetime.now(UTC)
    ids |= {name: put(client, alice, path) for name, path in LATER_FILES.items()}
    ids |= {name: put(client, bob, path) for name, path in BOB_FILES.items()}
    client.app.state.jobs.drain()  # type: ignore[attr-defined]
    return Library(client, alice, bob, ids, between, {v: k for k, v in ids.items()})

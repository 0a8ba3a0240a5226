"""Smart-search fixtures: the real models (from the installed wheels) on real photos, built once per session.

The converted models (EfficientNet-Lite0 and MiniLM as ONNX) are made once in a session folder and linked
into each test app's model cache. `library` is one app (SQLite) with a real library uploaded by Alice and a
few photos by Bob, run through the whole pipeline (metadata, thumbnails, OCR, labels, embeddings, duplicates).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from photonest.app import create_app
from photonest.config import Settings
from photonest.jobs.registry import STAGES
from photonest.ml.labels import MODEL as LABEL_MODEL
from photonest.ml.labels import Labeler
from photonest.ml.runtime import ModelRuntime
from photonest.ml.store import ModelStore
from photonest.ml.text_embed import MODEL as TEXT_MODEL
from photonest.ml.text_embed import embedder_from_store
from tests.conftest import MEDIA, PASSWORD, Account, login, make_user
from tests.uploading import upload

NATURE = MEDIA / "immich-test-assets" / "albums" / "nature"
TEXT = MEDIA / "immich-test-assets" / "albums" / "text"

# name in the test -> file. Alice's library: animals, vehicles, buildings, nature, text, people, bursts, copies.
ALICE_FILES = {
    "cat": MEDIA / "png" / "chelsea.png",
    "pug": MEDIA / "heic" / "pug.heic",
    "dogs": MEDIA / "faces" / "dogs.jpg",
    "jay": MEDIA / "heic" / "bird_burst.heic",
    "bus": MEDIA / "faces" / "bus.jpg",
    "soccer": MEDIA / "faces" / "messi5.jpg",
    "suit": MEDIA / "faces" / "obama3.jpg",
    "biden": MEDIA / "faces" / "biden.jpg",
    "board": MEDIA / "camera_jpeg" / "board.jpg",
    "leuvenA": MEDIA / "camera_jpeg" / "leuvenA.jpg",
    "leuvenB": MEDIA / "camera_jpeg" / "leuvenB.jpg",
    "furnace1": MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg",
    "furnace2": MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg",
    "furnace3": MEDIA / "camera_jpeg" / "FurnaceCreekInn3.jpg",
    "reagan_jpg": MEDIA / "camera_jpeg" / "Reagan.jpg",
    "reagan_tiff": MEDIA / "tiff" / "Reagan.tiff",
    "reagan_png": MEDIA / "png" / "ReaganSmallPng.png",
    "reagan_jp2": MEDIA / "other_formats" / "Reagan.jp2",
    "reagan_jxl": MEDIA / "other_formats" / "Reagan.jxl",
    "denali": MEDIA / "immich-test-assets" / "formats" / "webp" / "denali.webp",
    "rocks": NATURE / "el_torcal_rocks.jpg",
    "barn": NATURE / "tanners_ridge.jpg",
    "cyclamen": NATURE / "cyclamen_persicum.jpg",
    "fir": NATURE / "silver_fir.jpg",
    "sign": MEDIA / "ocr_text" / "scenetext01.jpg",
    "beer": TEXT / "craft-beer.jpg",
    "shop": TEXT / "japanese-shop.jpg",
}
BOB_FILES = {"bob_cat": MEDIA / "png" / "chelsea.png", "bob_furnace1": MEDIA / "camera_jpeg" / "FurnaceCreekInn.jpg",
             "bob_furnace2": MEDIA / "camera_jpeg" / "FurnaceCreekInn2.jpg"}


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The converted models, made once: link them into an app's <data>/models with `share_models`."""
    d = tmp_path_factory.mktemp("smart-models")
    store = ModelStore(d, allow_download=False)
    runtime = ModelRuntime(intra_op_threads=1, ttl_seconds=0)
    Labeler(store, runtime).model_path()
    embedder_from_store(store, runtime)._session()
    runtime.close()
    return d


def share_models(model_cache: Path, settings: Settings) -> None:
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    for name in (LABEL_MODEL, TEXT_MODEL):
        link = settings.models_dir / name
        if not link.exists():
            os.symlink(model_cache / name, link)


@pytest.fixture(scope="package")
def smart_stages() -> Iterator[None]:
    """Thumbnails, OCR and the smart-search stages for this package only (other suites expect their own set)."""
    from photonest.jobs import stages
    from photonest.library import ocr as ocr_lib
    from photonest.library import smart_search

    stages.register_builtin()
    before = set(STAGES)
    ocr_lib.register_stage()
    smart_search.register_stages()
    try:
        yield
    finally:
        for name in set(STAGES) - before:
            STAGES.pop(name, None)


def make_settings(data: Path, db_url: str | None = None, **extra: Any) -> Settings:
    return Settings(data=data, database_url=db_url or f"sqlite:///{data / 'photonest.db'}", workers=False,
                    ml_intra_op_threads=1, _env_file=None, **extra)  # type: ignore[call-arg]


def sign_up(client: TestClient) -> Account:
    r = client.post("/api/auth/admin-sign-up", json={"email": "admin@example.com", "password": PASSWORD,
                                                     "name": "Admin"})
    assert r.status_code == 201, r.text
    return login(client, "admin@example.com")


def put_all(client: TestClient, who: Account, files: dict[str, Path]) -> dict[str, str]:
    ids = {}
    for name, path in files.items():
        r = upload(client, who, path)
        assert r.status_code in (200, 201), r.text
        ids[name] = r.json()["id"]
    return ids


@dataclass
class Library:
    client: TestClient
    settings: Settings
    alice: Account
    bob: Account
    ids: dict[str, str]  # test name -> asset id (Alice's and Bob's)

    def name_of(self, asset_id: str) -> str:
        return next((n for n, i in self.ids.items() if i == asset_id), asset_id)


@pytest.fixture(scope="package")
def library(tmp_path_factory: pytest.TempPathFactory, model_cache: Path,
            smart_stages: None) -> Iterator[Library]:
    data = tmp_path_factory.mktemp("smart-lib") / "data"
    settings = make_settings(data)
    share_models(model_cache, settings)
    with TestClient(create_app(settings)) as client:
        admin = sign_up(client)
        alice = make_user(client, admin, "alice@example.com", "Alice")
        bob = make_user(client, admin, "bob@example.com", "Bob")
        ids = put_all(client, alice, ALICE_FILES)
        ids.update(put_all(client, bob, BOB_FILES))
        client.app.state.jobs.drain()  # type: ignore[attr-defined]
        yield Library(client, settings, alice, bob, ids)


def smart(lib: Library, who: Account, expect: int = 200, debug: bool = False, **body: Any) -> Any:
    r = lib.client.post("/api/search/smart" + ("?debug=true" if debug else ""), json=body, headers=who.headers)
    assert r.status_code == expect, r.text
    return r.json()

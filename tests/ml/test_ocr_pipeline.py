"""OCR in the asset pipeline: upload a photo with text -> thumbnails -> ocr stage -> GET /assets/{id}/ocr."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from photonest.config import Settings
from photonest.jobs.registry import STAGES
from photonest.library import ocr as ocr_lib
from tests.conftest import Account
from tests.jobs.conftest import process, rows
from tests.ml.conftest import OCR_DIR
from tests.uploading import upload

SIGN = OCR_DIR / "scenetext01.jpg"


@pytest.fixture
def ocr_stage() -> Iterator[None]:
    """The stage registered for this test only (other pipeline tests expect exactly their own stages)."""
    from photonest.jobs import stages

    stages.register_builtin()
    added = ocr_lib.STAGE not in STAGES
    ocr_lib.register_stage()
    yield
    if added:
        STAGES.pop(ocr_lib.STAGE, None)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_uploaded_photo_is_read_and_searchable(ocr_stage: None, client: TestClient, settings: Settings,
                                               alice: Account, bob: Account) -> None:
    r = upload(client, alice, SIGN)
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]
    process(client)
    assert "ocr" in rows(client, asset_id)["asset"].stages_done

    body = client.get(f"/api/assets/{asset_id}/ocr", headers=alice.headers)
    assert body.status_code == 200, body.text
    lines = body.json()
    texts = " ".join(ln["text"] for ln in lines).upper()
    assert "PROHIBITED" in texts and "NOTICE" in texts
    for ln in lines:
        assert set(ln) == {"id", "assetId", "x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4", "boxScore",
                           "textScore", "text"}
        assert ln["assetId"] == asset_id
        assert all(0 <= ln[k] <= 1 for k in ("x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"))
        assert ln["textScore"] >= settings.ocr_min_recognition_score

    # Only the owner may read it (Immich's answer for "absent or not yours").
    assert client.get(f"/api/assets/{asset_id}/ocr", headers=bob.headers).status_code == 400

    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        assert [h[0] for h in ocr_lib.search_ocr(s, [alice.id], "double parking", 10)] == [asset_id]
        assert ocr_lib.search_ocr(s, [bob.id], "double parking", 10) == []

    # Running the stage again replaces the lines (no duplicates).
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        n = ocr_lib.run_ocr_stage(s, settings, asset_id)
    assert n == len(lines)
    assert len(client.get(f"/api/assets/{asset_id}/ocr", headers=alice.headers).json()) == len(lines)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_ocr_switched_off(ocr_stage: None, settings: Settings) -> None:
    assert STAGES[ocr_lib.STAGE].enabled(settings) is True
    off = settings.model_copy(update={"ocr_enabled": False})
    assert STAGES[ocr_lib.STAGE].enabled(off) is False


def test_unknown_asset_ocr_is_refused(client: TestClient, alice: Account) -> None:
    r = client.get("/api/assets/6f1b7e44-8a4f-4c1e-9d8b-0c5d2f1e9a01/ocr", headers=alice.headers)
    assert r.status_code == 400

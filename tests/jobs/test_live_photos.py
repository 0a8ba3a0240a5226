"""Live photos: a still and its video pair up (by livePhotoVideoId or content identifier), same owner only."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

import photonest.media.probe as probe_module
from tests.conftest import Account
from tests.jobs.conftest import process, rows
from tests.uploading import JPEG, JPEG2, VIDEO, upload


def _id(r: Any) -> str:
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_live_photo_by_video_id_links_and_hides_the_video(client: TestClient, alice: Account) -> None:
    # As the iOS app uploads one: the video first (hidden), then the still naming it.
    video_id = _id(upload(client, alice, VIDEO))
    still_id = _id(upload(client, alice, JPEG, livePhotoVideoId=video_id))
    process(client)
    still = client.get(f"/api/assets/{still_id}", headers=alice.headers).json()
    assert still["livePhotoVideoId"] == video_id
    video = rows(client, video_id)["asset"]
    assert video.visibility == "hidden"
    assert sorted(video.stages_done) == ["metadata", "thumbnails", "video"]
    stats = client.get("/api/assets/statistics", headers=alice.headers).json()
    assert stats == {"images": 1, "videos": 0, "total": 1}


@pytest.fixture
def content_ids(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Give chosen files an Apple content identifier, as the metadata of a live photo pair carries."""
    cids: dict[str, str] = {}
    real = probe_module.probe

    def probe(path: Any, sidecar: Any = None) -> Any:
        info = real(path, sidecar=sidecar)
        with open(path, "rb") as f:
            head = f.read()
        for name, cid in cids.items():
            if head == name.encode() or head.endswith(name.encode()):
                info.live_photo_cid = cid
        return info

    monkeypatch.setattr(probe_module, "probe", probe)
    return cids


def _tagged(path: Any, tag: str) -> bytes:
    return bytes(path.read_bytes()) + tag.encode()


def test_live_photo_by_content_identifier_either_order_same_owner_only(
        client: TestClient, alice: Account, bob: Account, content_ids: dict[str, str]) -> None:
    content_ids.update({"#a-still": "CID-1", "#a-video": "CID-1", "#b-video": "CID-1",
                        "#a-still2": "CID-2", "#a-video2": "CID-2"})
    # Bob's video carries the same identifier: it must never pair with Alice's still.
    bob_video = _id(upload(client, bob, data=_tagged(VIDEO, "#b-video"), filename="b.mp4"))
    process(client)
    # Video first, then the still.
    a_video = _id(upload(client, alice, data=_tagged(VIDEO, "#a-video"), filename="a.mp4"))
    process(client)
    a_still = _id(upload(client, alice, data=_tagged(JPEG, "#a-still"), filename="a.jpg"))
    process(client)
    assert client.get(f"/api/assets/{a_still}", headers=alice.headers).json()["livePhotoVideoId"] == a_video
    assert rows(client, a_video)["asset"].visibility == "hidden"
    assert rows(client, bob_video)["asset"].visibility == "timeline"
    assert rows(client, a_video)["exif"].live_photo_cid == "CID-1"

    # Still first, then the video.
    still2 = _id(upload(client, alice, data=_tagged(JPEG2, "#a-still2"), filename="c.jpg"))
    process(client)
    assert client.get(f"/api/assets/{still2}", headers=alice.headers).json()["livePhotoVideoId"] is None
    video2 = _id(upload(client, alice, data=_tagged(VIDEO, "#a-video2"), filename="c.mp4"))
    process(client)
    assert client.get(f"/api/assets/{still2}", headers=alice.headers).json()["livePhotoVideoId"] == video2
    assert rows(client, video2)["asset"].visibility == "hidden"
    assert client.get("/api/assets/statistics", headers=alice.headers).json()["videos"] == 0
    assert client.get("/api/assets/statistics", headers=bob.headers).json()["videos"] == 1

"""The nightly work: expired sessions and trash go, and whatever processing is missing is queued."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from photonest.db.tables import Asset, AssetJob, Session
from photonest.db.types import utcnow
from tests.conftest import Account
from tests.jobs.conftest import jobs_of, process, rows
from tests.uploading import JPEG, JPEG2, upload


def test_nightly_purges_sessions_and_old_trash_and_sweeps(client: TestClient, alice: Account) -> None:
    jobs = jobs_of(client)
    keep = upload(client, alice, JPEG).json()["id"]
    old = upload(client, alice, JPEG2).json()["id"]
    process(client)
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.session() as s:
        # An asset trashed long ago, one whose processing was lost, a session long expired.
        s.execute(update(Asset).where(Asset.id == old).values(deleted_at=utcnow() - timedelta(days=31)))
        s.execute(update(Asset).where(Asset.id == keep).values(stages_done=["metadata"]))
        s.execute(update(Session).where(Session.user_id == alice.id)
                  .values(expires_at=utcnow() - timedelta(days=1)))
    out = jobs.nightly()
    assert out["sessions"] == 1 and out["trash"] == 1 and out["swept"] == 1
    with db.session(write=False) as s:
        assert s.get(Asset, old) is None
        job = s.get(AssetJob, (keep, "thumbnails"))
        assert job is not None and job.state == "waiting"
    process(client)
    assert rows(client, keep)["asset"].stages_done == ["metadata", "thumbnails"]
    assert client.get("/api/users/me", headers=alice.headers).status_code == 401

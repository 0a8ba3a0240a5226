"""The trash: assets deleted without force wait here; after Settings.trash_days they go for good."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.tables import Asset
from photonest.db.types import utcnow
from photonest.library.assets import purge
from photonest.storage.backends import open_storage


def purge_expired(db: Db, settings: Settings, *, batch: int = 500) -> int:
    """Delete (rows and files) every asset trashed more than trash_days ago. For the nightly job."""
    cutoff = utcnow() - timedelta(days=settings.trash_days)
    storage = open_storage(settings)
    total = 0
    while True:
        assets = list(db.scalars(select(Asset).where(Asset.deleted_at.is_not(None), Asset.deleted_at < cutoff)
                                 .order_by(Asset.deleted_at).limit(batch)))
        if not assets:
            return total
        total += len(purge(db, storage, assets))

"""The opt-in release check (PHOTONEST_VERSION_CHECK): ask for the newest release, remember what was found,
and tell every connected client when it is newer than this server (Immich's on_new_release, ReleaseEventV1).

Nothing is emitted unless a check actually found a newer release; with the setting off no request is made.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import Callable
from typing import Any

from photonest import __version__
from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import SystemMetadata
from photonest.db.types import utcnow
from photonest.events import NEW_RELEASE, EventBus

log = logging.getLogger(__name__)
RELEASES_URL = "https://api.github.com/repos/photonest/photonest/releases/latest"
STATE_KEY = "version-check-state"  # read by GET /api/server/version-check
_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)")


def parse(version: str) -> tuple[int, int, int] | None:
    m = _VERSION.match(version.strip())
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def fetch_latest(timeout: float = 10) -> str:
    """The tag of the newest published release (GitHub's releases API)."""
    req = urllib.request.Request(RELEASES_URL, headers={"Accept": "application/vnd.github+json",
                                                        "User-Agent": f"photonest/{__version__}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return str(json.load(r)["tag_name"])


def _dto(v: tuple[int, int, int]) -> dict[str, Any]:
    return {"major": v[0], "minor": v[1], "patch": v[2], "prerelease": None}


def release_event(state: dict[str, Any]) -> dict[str, Any] | None:
    """The ReleaseEventV1 for a stored check state, or None when it names no newer release."""
    current = parse(__version__)
    found = parse(str(state.get("releaseVersion") or ""))
    if current is None or found is None or found <= current:
        return None
    kind = "major" if found[0] > current[0] else "minor" if found[1] > current[1] else "patch"
    return {"checkedAt": state.get("checkedAt"), "isAvailable": True, "releaseVersion": _dto(found),
            "serverVersion": _dto(current), "type": kind}


def stored_state(db: Database) -> dict[str, Any]:
    with db.session(write=False) as s:
        row = s.get(SystemMetadata, STATE_KEY)
        return dict(row.value) if row else {}


def check(settings: Settings, db: Database, events: EventBus,
          fetch: Callable[[], str] = fetch_latest) -> dict[str, Any] | None:
    """Run one check; store its result; broadcast on_new_release when a newer release appeared."""
    if not settings.version_check:
        return None
    try:
        tag = fetch()
    except Exception as e:  # offline, rate-limited, ...: try again next time
        log.info("release check failed: %s", e)
        return None
    before = stored_state(db).get("releaseVersion")
    state = {"checkedAt": utcnow().isoformat().replace("+00:00", "Z"), "releaseVersion": tag}
    with db.session() as s:
        row = s.get(SystemMetadata, STATE_KEY)
        if row is None:
            s.add(SystemMetadata(key=STATE_KEY, value=state))
        else:
            row.value = state
    event = release_event(state)
    if event is not None and before != tag:
        events.broadcast(NEW_RELEASE, event)
    return event

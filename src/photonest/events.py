"""Server-to-client events (Immich's socket.io events), delivered only to the users they concern."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class EventBus:
    """Publishes named events to a user's connected clients. The socket.io transport plugs in here."""

    def emit(self, user_id: str, event: str, payload: Any) -> None:
        log.debug("event %s for %s", event, user_id)

"""Immich's BulkIdResponseDto rules for adding assets to, and removing them from, a container (album, tag,
memory, shared link): one result per requested id, in request order, repeats included.

Adding: already there (or earlier in the request) -> "duplicate"; not allowed -> "no_permission".
Removing: not there (or removed earlier in the request) -> "not_found"; not allowed -> "no_permission".
The caller writes the rows for the ids returned."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any


def sort_additions(ids: Iterable[str], present: Collection[str], allowed: Collection[str], *,
                   key: str = "id") -> tuple[list[dict[str, Any]], list[str]]:
    """(results, ids to add)."""
    seen, results, added = set(present), [], []
    for i in ids:
        if i in seen:
            results.append({key: i, "success": False, "error": "duplicate"})
        elif i not in allowed:
            results.append({key: i, "success": False, "error": "no_permission"})
        else:
            seen.add(i)
            added.append(i)
            results.append({key: i, "success": True})
    return results, added


def sort_removals(ids: Iterable[str], present: Collection[str], allowed: Collection[str] | None = None, *,
                  key: str = "id") -> tuple[list[dict[str, Any]], list[str]]:
    """(results, ids to remove); allowed=None: whoever may edit the container may remove anything in it."""
    left, results, removed = set(present), [], []
    for i in ids:
        if i not in left:
            results.append({key: i, "success": False, "error": "not_found"})
        elif allowed is not None and i not in allowed:
            results.append({key: i, "success": False, "error": "no_permission"})
        else:
            left.discard(i)
            removed.append(i)
            results.append({key: i, "success": True})
    return results, removed

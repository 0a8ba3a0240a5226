"""Licenses: photonest answers Immich's license endpoints as an unlicensed Immich server does, and never
activates a key. Immich checks an activation key against its vendor's signing key; photonest is free software,
has no such key to check with, and an Immich licence does not license photonest, so "activating" one would
only pretend. A key in the right format is therefore refused with a message that says why."""

from __future__ import annotations

from sqlalchemy.orm import Session as Db

from photonest.db.tables import User
from photonest.library import errors

NOT_ACTIVATED = ("photonest is free software and needs no license; Immich license keys cannot be activated "
                 "on it (nothing is limited without one)")


def _check_kind(license_key: str, prefix: str) -> None:
    # As Immich: a client key (IMCL-) is refused for the server and a server key (IMSV-) for a user.
    if not license_key.startswith(prefix):
        raise errors.BadRequest("Invalid license key")


def server_license() -> dict[str, object]:
    raise errors.NotFound("License not found")


def activate_server_license(license_key: str) -> dict[str, object]:
    _check_kind(license_key, "IMSV-")
    raise errors.BadRequest(NOT_ACTIVATED)


def user_license(user: User) -> dict[str, object]:
    if not user.license:
        raise errors.NotFound("License not found")
    return dict(user.license)


def activate_user_license(license_key: str) -> dict[str, object]:
    _check_kind(license_key, "IMCL-")
    raise errors.BadRequest(NOT_ACTIVATED)


def delete_user_license(db: Db, user: User) -> None:
    """Forget a license stored on the user (none is ever activated here; kept for data carried over)."""
    if user.license is not None:
        user.license = None
        db.flush()

"""The PIN code that guards the locked folder: set, change, reset, and unlocking a session with it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session as Db

from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext, LoginThrottle
from photonest.library.secrets import hash_password, verify_password

UNLOCK_MINUTES = 15  # Immich keeps a session elevated for 15 minutes after the PIN is entered


def _verify(auth: AuthContext, throttle: LoginThrottle, client: str, *, pin_code: str | None,
            password: str | None) -> None:
    """Accept the current PIN or the account password; count failures like failed logins."""
    key = f"pin:{auth.user.id}"
    throttle.check(key, client)
    ok = (pin_code is not None and auth.user.pin_code_hash is not None
          and verify_password(pin_code, auth.user.pin_code_hash)) or (
        password is not None and verify_password(password, auth.user.password_hash))
    if not ok:
        throttle.failed(key, client)
        raise errors.BadRequest("Wrong PIN code" if pin_code is not None else "Wrong password")
    throttle.succeeded(key, client)


def setup(db: Db, auth: AuthContext, pin_code: str) -> None:
    if auth.user.pin_code_hash is not None:
        raise errors.BadRequest("User already has a PIN code")
    auth.user.pin_code_hash = hash_password(pin_code)
    db.flush()


def change(db: Db, auth: AuthContext, throttle: LoginThrottle, client: str, *, new_pin_code: str,
           pin_code: str | None, password: str | None) -> None:
    if auth.user.pin_code_hash is None:
        raise errors.BadRequest("User does not have a PIN code")
    _verify(auth, throttle, client, pin_code=pin_code, password=password)
    auth.user.pin_code_hash = hash_password(new_pin_code)
    db.flush()


def reset(db: Db, auth: AuthContext, throttle: LoginThrottle, client: str, *, pin_code: str | None,
          password: str | None) -> None:
    if auth.user.pin_code_hash is None:
        raise errors.BadRequest("User does not have a PIN code")
    _verify(auth, throttle, client, pin_code=pin_code, password=password)
    auth.user.pin_code_hash = None
    if auth.session is not None:
        auth.session.pin_expires_at = None
    db.flush()


def unlock(db: Db, auth: AuthContext, throttle: LoginThrottle, client: str, *, pin_code: str | None,
           password: str | None) -> None:
    if auth.session is None:
        raise errors.BadRequest("Only a signed-in session can be unlocked (not an API key)")
    if auth.user.pin_code_hash is None:
        raise errors.BadRequest("User does not have a PIN code")
    _verify(auth, throttle, client, pin_code=pin_code, password=password)
    auth.session.pin_expires_at = utcnow() + timedelta(minutes=UNLOCK_MINUTES)
    db.flush()


def lock(db: Db, auth: AuthContext) -> None:
    if auth.session is not None:
        auth.session.pin_expires_at = None
        db.flush()

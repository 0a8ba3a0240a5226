"""Who is calling: sessions, API keys, permissions, sign-up, login, logout, password changes."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session as Db

from photonest.db.tables import ApiKey, Session, User
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.secrets import hash_password, new_token, token_hash, verify_password

log = logging.getLogger(__name__)
# What a share-link holder may do at most (the link's own switches add download and upload).
SHARED_LINK_PERMISSIONS = frozenset({"asset.read", "asset.view", "album.read", "timeline.read", "sharedLink.read"})

# Permissions that an API key with ["all"] implicitly holds; admin-only ones also need an admin owner.
ALL = "all"


@dataclass
class AuthContext:
    user: User
    session: Session | None = None
    api_key: ApiKey | None = None
    shared_link: object | None = None

    def has(self, permission: str | None) -> bool:
        if self.shared_link is not None:
            # A link holder may look, and (if the link allows) download and upload; nothing else, anywhere.
            link = self.shared_link
            allowed = SHARED_LINK_PERMISSIONS | ({"asset.download"} if getattr(link, "allow_download", False)
                                                 else set()) | (
                {"asset.upload"} if getattr(link, "allow_upload", False) else set())
            return permission is None or permission in allowed
        if permission is None or self.api_key is None:
            return True  # sessions carry every permission of their user
        perms = self.api_key.permissions or []
        return ALL in perms or permission in perms

    def require(self, permission: str | None) -> None:
        if not self.has(permission):
            raise errors.Forbidden(f"Missing required permission: {permission}")

    def require_admin(self) -> None:
        if not self.user.is_admin or self.shared_link is not None:
            raise errors.Forbidden("Forbidden")

    @property
    def is_elevated(self) -> bool:
        """A session unlocked with the PIN code (locked-folder access) and not yet expired."""
        exp = self.session.pin_expires_at if self.session else None
        return exp is not None and exp > utcnow()


@dataclass
class LoginThrottle:
    """Counts failed logins per (email, client) in a sliding window; refuses once the limit is hit."""

    max_failures: int = 5
    window_seconds: int = 300
    _fails: dict[tuple[str, str], deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        q = self._fails[key]
        cutoff = time.monotonic() - self.window_seconds
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def check(self, email: str, client: str) -> None:
        with self._lock:
            # Per email across all clients too, so rotating addresses does not help a guesser much.
            if (
                len(self._recent((email, client))) >= self.max_failures
                or len(self._recent((email, "*"))) >= self.max_failures * 4
            ):
                raise errors.TooManyRequests("Too many failed login attempts. Try again later.")

    def failed(self, email: str, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((email, client)).append(now)
            self._recent((email, "*")).append(now)

    def succeeded(self, email: str, client: str) -> None:
        with self._lock:
            self._fails.pop((email, client), None)


def _touch(db: Db, session: Session) -> None:
    # Write "last used" at most hourly so that authenticating stays read-only on the hot path. Best effort:
    # on a read transaction that meets a busy SQLite writer, skip it rather than fail the request.
    now = utcnow()
    if now - session.updated_at > timedelta(hours=1):
        try:
            with db.begin_nested():
                session.updated_at = now
        except OperationalError:
            log.debug("session last-used update skipped (database busy)")


def _active_user(user: User | None) -> User:
    if user is None or user.deleted_at is not None or user.status != "active":
        raise errors.Unauthorized("Invalid user token")
    return user


def authenticate_token(db: Db, token: str) -> AuthContext:
    session = db.scalar(select(Session).where(Session.token_hash == token_hash(token)))
    if session is None:
        raise errors.Unauthorized("Invalid user token")
    if session.expires_at is not None and session.expires_at < utcnow():
        raise errors.Unauthorized("Invalid user token")
    user = _active_user(db.get(User, session.user_id))
    _touch(db, session)
    return AuthContext(user=user, session=session)


def authenticate_api_key(db: Db, secret: str) -> AuthContext:
    key = db.scalar(select(ApiKey).where(ApiKey.key_hash == token_hash(secret)))
    if key is None:
        raise errors.Unauthorized("Invalid API key")
    user = _active_user(db.get(User, key.user_id))
    return AuthContext(user=user, api_key=key)


def has_admin(db: Db) -> bool:
    return bool(db.scalar(select(func.count()).select_from(User).where(User.is_admin.is_(True))))


def admin_sign_up(db: Db, *, email: str, password: str, name: str) -> User:
    if has_admin(db):
        raise errors.BadRequest("The server already has an admin")
    user = User(
        email=email.strip().lower(),
        name=name,
        password_hash=hash_password(password),
        is_admin=True,
        storage_label="admin",
    )
    db.add(user)
    db.flush()
    return user


def create_session(
    db: Db,
    user: User,
    *,
    device_type: str = "",
    device_os: str = "",
    app_version: str | None = None,
    parent_id: str | None = None,
    lifetime: timedelta | None = None,
) -> tuple[Session, str]:
    token = new_token()
    session = Session(
        user_id=user.id,
        token_hash=token_hash(token),
        device_type=device_type[:100],
        device_os=device_os[:100],
        app_version=app_version,
        parent_id=parent_id,
        expires_at=utcnow() + lifetime if lifetime else None,
    )
    db.add(session)
    db.flush()
    return session, token


def login(
    db: Db,
    throttle: LoginThrottle,
    *,
    email: str,
    password: str,
    client: str,
    device_type: str = "",
    device_os: str = "",
    app_version: str | None = None,
    session_days: int = 400,
) -> tuple[User, str]:
    email = email.strip().lower()
    throttle.check(email, client)
    user = db.scalar(select(User).where(func.lower(User.email) == email, User.deleted_at.is_(None)))
    if user is None or user.status != "active" or not verify_password(password, user.password_hash):
        throttle.failed(email, client)
        raise errors.Unauthorized("Incorrect email or password")
    throttle.succeeded(email, client)
    _, token = create_session(
        db, user, device_type=device_type, device_os=device_os, app_version=app_version,
        lifetime=timedelta(days=session_days),
    )
    return user, token


def logout(db: Db, auth: AuthContext) -> None:
    if auth.session is not None:
        db.delete(auth.session)
        db.flush()


def change_password(
    db: Db, auth: AuthContext, *, password: str, new_password: str, invalidate_sessions: bool = False
) -> User:
    user = auth.user
    if not verify_password(password, user.password_hash):
        raise errors.BadRequest("Wrong password")
    user.password_hash = hash_password(new_password)
    user.should_change_password = False
    if invalidate_sessions:
        q = delete(Session).where(Session.user_id == user.id)
        if auth.session is not None:
            q = q.where(Session.id != auth.session.id)
        db.execute(q)
    db.flush()
    return user


def status(auth: AuthContext) -> dict[str, object]:
    s = auth.session
    out: dict[str, object] = {
        "pinCode": auth.user.pin_code_hash is not None,
        "password": bool(auth.user.password_hash),
        "isElevated": auth.is_elevated,
    }
    if s is not None and s.expires_at is not None:
        out["expiresAt"] = _iso(s.expires_at)
    if s is not None and s.pin_expires_at is not None:
        out["pinExpiresAt"] = _iso(s.pin_expires_at)
    return out


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")

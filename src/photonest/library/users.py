"""Users: profile, preferences, profile image, and the admin's user management (soft delete, restore)."""

from __future__ import annotations

import copy
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Session, User
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.library.secrets import hash_password

AVATAR_COLORS = ("primary", "pink", "red", "yellow", "blue", "green", "purple", "orange", "gray", "amber")

# Immich's defaults for UserPreferencesResponseDto.
DEFAULT_PREFERENCES: dict[str, Any] = {
    "albums": {"defaultAssetOrder": "desc"},
    "cast": {"gCastEnabled": False},
    "download": {"archiveSize": 4 * 1024**3, "includeEmbeddedVideos": False},
    "emailNotifications": {"albumInvite": True, "albumUpdate": True, "enabled": True},
    "folders": {"enabled": False, "sidebarWeb": False},
    "memories": {"duration": 5, "enabled": True},
    "people": {"enabled": True, "minimumFaces": 3, "sidebarWeb": False},
    "purchase": {"hideBuyButtonUntil": "2022-02-12T00:00:00.000Z", "showSupportBadge": True},
    "ratings": {"enabled": False},
    "recentlyAdded": {"sidebarWeb": False},
    "sharedLinks": {"enabled": True, "sidebarWeb": False},
    "tags": {"enabled": False, "sidebarWeb": False},
}


def avatar_color(user: User) -> str:
    """Immich derives a stable colour from the id when the user has not picked one."""
    if user.avatar_color:
        return user.avatar_color
    return AVATAR_COLORS[int(user.id.replace("-", "")[:8], 16) % len(AVATAR_COLORS)]


def preferences(user: User) -> dict[str, Any]:
    merged = copy.deepcopy(DEFAULT_PREFERENCES)
    for section, values in (user.preferences or {}).items():
        if section in merged and isinstance(values, dict):
            merged[section].update(values)
    return merged


def update_preferences(db: Db, user: User, changes: dict[str, Any]) -> dict[str, Any]:
    stored = copy.deepcopy(user.preferences or {})
    for section, values in changes.items():
        if values is None:
            continue
        if section == "avatar":
            if values.get("color"):
                user.avatar_color = values["color"]
            continue
        if section in DEFAULT_PREFERENCES and isinstance(values, dict):
            stored.setdefault(section, {}).update({k: v for k, v in values.items() if v is not None})
    user.preferences = stored  # reassign so the JSON column is marked dirty
    db.flush()
    return preferences(user)


def _email_taken(db: Db, email: str, except_id: str | None = None) -> bool:
    q = select(User.id).where(func.lower(User.email) == email.lower())
    if except_id:
        q = q.where(User.id != except_id)
    return db.scalar(q) is not None


def _set_email(db: Db, user: User, email: str) -> None:
    email = email.strip().lower()
    if email != user.email and _email_taken(db, email, user.id):
        raise errors.BadRequest("Email already in use by another account")
    user.email = email


def _set_storage_label(db: Db, user: User, label: str | None) -> None:
    if label is not None:
        label = label.strip()
        if not label:
            label = None
        elif "/" in label or "\\" in label or label in (".", ".."):
            raise errors.BadRequest("storageLabel must not contain path separators")
        elif db.scalar(select(User.id).where(User.storage_label == label, User.id != user.id)):
            raise errors.BadRequest("Storage label already in use by another account")
    user.storage_label = label


def update_me(db: Db, auth: AuthContext, changes: dict[str, Any]) -> User:
    user = auth.user
    if changes.get("email") is not None:
        _set_email(db, user, changes["email"])
    if changes.get("name") is not None:
        user.name = changes["name"]
    if changes.get("password") is not None:
        user.password_hash = hash_password(changes["password"])
        user.should_change_password = False
    if "avatarColor" in changes and changes["avatarColor"] is not None:
        user.avatar_color = changes["avatarColor"]
        user.profile_changed_at = utcnow()
    db.flush()
    return user


def visible_users(db: Db, auth: AuthContext, public_users: bool) -> list[User]:
    q = select(User).where(User.deleted_at.is_(None)).order_by(User.created_at)
    if not public_users and not auth.user.is_admin:
        q = q.where(User.id == auth.user.id)
    return list(db.scalars(q))


def get_user(db: Db, user_id: str, *, with_deleted: bool = False) -> User:
    user = db.get(User, user_id)
    if user is None or (user.deleted_at is not None and not with_deleted):
        raise errors.NotFound("User not found")
    return user


# --- profile image -------------------------------------------------------------------------------

def set_profile_image(db: Db, user: User, data_dir: Path, src: Path) -> User:
    """Move an uploaded (already validated) image into place as the user's avatar.

    The stored path is relative to the data dir so the data dir can move."""
    rel = Path("profile") / user.id / f"{utcnow().strftime('%Y%m%d%H%M%S%f')}{src.suffix.lower()}"
    (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(src), data_dir / rel)
    old = user.profile_image_path
    user.profile_image_path = rel.as_posix()
    user.profile_changed_at = utcnow()
    db.flush()
    if old and old != rel.as_posix():
        (data_dir / old).unlink(missing_ok=True)
    return user


def delete_profile_image(db: Db, user: User, data_dir: Path) -> None:
    if user.profile_image_path:
        (data_dir / user.profile_image_path).unlink(missing_ok=True)
    user.profile_image_path = ""
    user.profile_changed_at = utcnow()
    db.flush()


# --- admin ---------------------------------------------------------------------------------------

def admin_search(db: Db, *, user_id: str | None = None, with_deleted: bool = False) -> list[User]:
    q = select(User).order_by(User.created_at)
    if user_id:
        q = q.where(User.id == user_id)
    if not with_deleted:
        q = q.where(User.deleted_at.is_(None))
    return list(db.scalars(q))


def admin_create(db: Db, data: dict[str, Any]) -> User:
    email = data["email"].strip().lower()
    if _email_taken(db, email):
        raise errors.BadRequest("User exists")
    user = User(
        email=email,
        name=data["name"],
        password_hash=hash_password(data["password"]),
        is_admin=bool(data.get("isAdmin") or False),
        should_change_password=(
            True if data.get("shouldChangePassword") is None else bool(data["shouldChangePassword"])
        ),
        avatar_color=data.get("avatarColor"),
        quota_size_in_bytes=data.get("quotaSizeInBytes"),
    )
    _set_storage_label(db, user, data.get("storageLabel"))
    db.add(user)
    try:
        db.flush()
    except IntegrityError as e:
        raise errors.BadRequest("User exists") from e
    return user


def admin_update(db: Db, auth: AuthContext, user: User, data: dict[str, Any]) -> User:
    if data.get("email") is not None:
        _set_email(db, user, data["email"])
    if data.get("name") is not None:
        user.name = data["name"]
    if data.get("password") is not None:
        user.password_hash = hash_password(data["password"])
    if data.get("shouldChangePassword") is not None:
        user.should_change_password = data["shouldChangePassword"]
    if data.get("isAdmin") is not None:
        if user.id == auth.user.id and not data["isAdmin"]:
            raise errors.BadRequest("Admins cannot remove their own admin status")
        user.is_admin = data["isAdmin"]
    if "avatarColor" in data and data["avatarColor"] is not None:
        user.avatar_color = data["avatarColor"]
    if "quotaSizeInBytes" in data:
        user.quota_size_in_bytes = data["quotaSizeInBytes"]
    if "storageLabel" in data:
        _set_storage_label(db, user, data["storageLabel"])
    if "pinCode" in data and data["pinCode"] is None:
        user.pin_code_hash = None  # an admin may reset a forgotten PIN, never read or set it
    db.flush()
    return user


def admin_delete(db: Db, auth: AuthContext, user: User, *, force: bool = False) -> User:
    """Soft delete: the account stops working at once; its files go after the delete delay (or now if force)."""
    if user.id == auth.user.id:
        raise errors.BadRequest("You cannot delete your own account")
    if user.deleted_at is not None and not force:
        raise errors.BadRequest("The account is already deleted")
    user.deleted_at = user.deleted_at or utcnow()
    user.status = "removing" if force else "deleted"
    db.execute(delete(Session).where(Session.user_id == user.id))
    db.flush()
    return user


def admin_restore(db: Db, user: User) -> User:
    if user.status == "removing":
        raise errors.BadRequest("The user is being removed and cannot be restored")
    user.deleted_at = None
    user.status = "active"
    db.flush()
    return user


def users_due_for_removal(db: Db, delete_delay_days: int) -> list[User]:
    cutoff = utcnow() - timedelta(days=delete_delay_days)
    return list(
        db.scalars(
            select(User).where(
                User.deleted_at.is_not(None),
                (User.status == "removing") | (User.deleted_at < cutoff),
            )
        )
    )


def purge_removed(db: Db, storage: Any, delete_delay_days: int) -> list[str]:
    """The nightly removal of deleted accounts whose grace period is over (or that were force-deleted):
    their assets and files first, then the account row (everything else goes by ON DELETE CASCADE)."""
    from photonest.db.tables import Asset
    from photonest.library import assets as assets_lib

    removed = []
    for user in users_due_for_removal(db, delete_delay_days):
        while batch := list(db.scalars(select(Asset).where(Asset.owner_id == user.id).limit(500))):
            assets_lib.purge(db, storage, batch)  # commits per batch: files leave the disk as rows go
        if user.profile_image_path:
            storage.delete(user.profile_image_path)
        db.delete(user)
        db.commit()
        removed.append(user.id)
    return removed

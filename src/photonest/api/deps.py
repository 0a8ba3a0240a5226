"""Dependencies shared by every router: the database session, the caller, settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session as DbSession
from starlette.concurrency import run_in_threadpool

from photonest.config import Settings
from photonest.library import errors
from photonest.library.auth import AuthContext, authenticate_api_key, authenticate_token

COOKIE_TOKEN = "immich_access_token"
COOKIE_AUTH_TYPE = "immich_auth_type"
COOKIE_IS_AUTHENTICATED = "immich_is_authenticated"
COOKIE_SHARED_LINK_TOKEN = "immich_shared_link_token"


READ_ONLY_POSTS = ("/api/search/",)


async def _db(request: Request) -> AsyncIterator[DbSession]:
    """The request's transaction. Opening a session does no I/O, so it happens on the event loop; the commit
    (or rollback) and close run in one worker thread. (A sync generator dependency would cost a thread hop to
    enter and more to leave, which is most of a simple request's time.)"""
    # GET/HEAD are read-mostly and run concurrently; everything else queues for SQLite's single writer, except
    # Immich's searches, which are POSTs that only read (a search must not wait behind the pipeline's writes).
    db = request.app.state.db
    write = request.method not in ("GET", "HEAD", "OPTIONS") and not request.url.path.startswith(READ_ONLY_POSTS)
    s = (db.sessionmaker if write else db.read_sessionmaker)()
    try:
        yield s
    except BaseException:
        await run_in_threadpool(_end, s, False)
        raise
    await run_in_threadpool(_end, s, True)


def _end(s: DbSession, commit: bool) -> None:
    try:
        if commit:
            s.commit()
        else:
            s.rollback()
    finally:
        s.close()


async def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


# scope="function": commit before the response goes out, so a client never sees a result that is not stored yet
# (and a failed commit becomes an error response instead of a lost write).
Db = Annotated[DbSession, Depends(_db, scope="function")]
AppSettings = Annotated[Settings, Depends(_settings)]


def bearer_token(request: Request) -> str | None:
    h = request.headers
    token = h.get("x-immich-user-token") or h.get("x-immich-session-token")
    if token:
        return token
    authz = h.get("authorization", "")
    if authz[:7].lower() == "bearer " and authz[7:].strip():
        return authz[7:].strip()
    # As Immich: an empty "Bearer " (some clients send one before they have a token) falls back to the cookie.
    return request.cookies.get(COOKIE_TOKEN)


def authenticate(request: Request, db: DbSession) -> AuthContext:
    token = bearer_token(request)
    if token:
        return authenticate_token(db, token)
    key = request.headers.get("x-api-key")
    if key:
        return authenticate_api_key(db, key)
    raise errors.Unauthorized("Authentication required")


def share_credentials(request: Request) -> tuple[str | None, str | None]:
    """The share link key or slug a request carries (query ?key= / ?slug=, or Immich's headers)."""
    q, h = request.query_params, request.headers
    return (q.get("key") or h.get("x-immich-share-key"), q.get("slug") or h.get("x-immich-share-slug"))


def authenticate_shared_link(request: Request, db: DbSession, *, for_login: bool = False) -> AuthContext | None:
    key, slug = share_credentials(request)
    if not key and not slug:
        return None
    from photonest.library import shared_links

    return shared_links.authenticate(
        db, request.app.state.login_throttle, client_address(request), key=key, slug=slug,
        token=request.cookies.get(COOKIE_SHARED_LINK_TOKEN), for_login=for_login)


def auth(permission: str | None = None, *, admin: bool = False, shared_link: bool = False
         ) -> Callable[..., AuthContext]:
    """A dependency that authenticates the caller and checks one API-key permission (and admin).

    shared_link=True also admits a share-link holder (key or slug); what the link reaches is then checked by
    the library functions, which see ctx.shared_link."""

    def dependency(request: Request, db: Db) -> AuthContext:
        ctx = (authenticate_shared_link(request, db) if shared_link else None) or authenticate(request, db)
        if admin:
            ctx.require_admin()
        ctx.require(permission)
        request.state.auth = ctx
        return ctx

    dependency.__name__ = f"auth_{permission or 'any'}{'_admin' if admin else ''}"
    # Read by the contract test, which compares them with Immich's x-immich-permission / admin-only.
    dependency.permission = permission  # type: ignore[attr-defined]
    dependency.admin_only = admin  # type: ignore[attr-defined]
    dependency.shared_link = shared_link  # type: ignore[attr-defined]
    return dependency


IdParam = Annotated[UUID, Path(description="An id (UUID)")]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"

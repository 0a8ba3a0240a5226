"""/api/shared-links: links to a hand-picked set of photos or an album, for people without an account."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response
from sqlalchemy.orm import Session as DbSession

from photonest.api import mappers
from photonest.api.albums import album_dto
from photonest.api.assets import ids_of
from photonest.api.deps import (
    COOKIE_SHARED_LINK_TOKEN,
    Db,
    IdParam,
    auth,
    authenticate_shared_link,
    client_address,
)
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Album, AssetExif, SharedLink
from photonest.library import albums as albums_lib
from photonest.library import errors
from photonest.library import shared_links as links_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/shared-links", tags=["Shared links"])
ReadCtx = Annotated[AuthContext, Depends(auth("sharedLink.read"))]
CreateCtx = Annotated[AuthContext, Depends(auth("sharedLink.create"))]
UpdateCtx = Annotated[AuthContext, Depends(auth("sharedLink.update"))]
DeleteCtx = Annotated[AuthContext, Depends(auth("sharedLink.delete"))]
KeyParam = Annotated[str | None, Query(description="Share key")]
SlugParam = Annotated[str | None, Query(description="Share slug")]


def link_dto(db: DbSession, ctx: AuthContext, link: SharedLink, *, with_assets: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": link.id, "key": link.key, "slug": link.slug, "userId": link.user_id, "type": link.type,
        "description": link.description, "createdAt": mappers.iso(link.created_at),
        "expiresAt": mappers.iso(link.expires_at), "allowDownload": link.allow_download,
        "allowUpload": link.allow_upload, "showMetadata": link.show_metadata,
        # Stored hashed, so it cannot be shown back; clients only test whether one is set (and an edit that
        # sends this placeholder back leaves the password as it is).
        "password": links_lib.PASSWORD_PLACEHOLDER if link.password_hash else None, "assets": [],
    }
    if with_assets and link.type == "INDIVIDUAL":
        assets = links_lib.assets(db, link)
        exifs = {e.asset_id: e for e in db.query(AssetExif).filter(AssetExif.asset_id.in_([a.id for a in assets]))}
        out["assets"] = [_asset_for(link, a, exifs.get(a.id)) for a in assets]
    if link.type == "ALBUM" and link.album_id:
        album = db.get(Album, link.album_id)
        if album is not None:
            out["album"] = album_dto(albums_lib.view(db, AuthContext(user=ctx.user), album))
    return out


def _asset_for(link: SharedLink, a: Any, exif: AssetExif | None) -> dict[str, Any]:
    d = mappers.asset(a, exif)
    if not link.show_metadata:
        # showMetadata=false hides EXIF and location (and the original file name), as Immich does.
        d["exifInfo"] = {}
        d["originalFileName"] = ""
        d["originalPath"] = ""
    return d


@router.get("", response_model=list[dto.SharedLinkResponseDto], operation_id="getAllSharedLinks")
def get_all(ctx: ReadCtx, db: Db, albumId: UUID | None = None, id: UUID | None = None) -> list[dict[str, Any]]:
    links = links_lib.list_mine(db, ctx, album_id=str(albumId) if albumId else None, link_id=str(id) if id else None)
    return [link_dto(db, ctx, link) for link in links]


@router.post("", status_code=201, response_model=dto.SharedLinkResponseDto, operation_id="createSharedLink")
def create(body: dto.SharedLinkCreateDto, ctx: CreateCtx, db: Db, request: Request) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True)
    data["type"] = body.type.value
    data["assetIds"] = ids_of(body.assetIds or [])
    data["albumId"] = str(body.albumId) if body.albumId else None
    link = links_lib.create(db, ctx, data)
    return link_dto(db, ctx, link)


def _link_holder(request: Request, db: Db) -> AuthContext:
    ctx = authenticate_shared_link(request, db)
    if ctx is None:
        raise errors.Unauthorized("A share key or slug is required")
    return ctx


def _link_holder_for_login(request: Request, db: Db) -> AuthContext:
    ctx = authenticate_shared_link(request, db, for_login=True)
    if ctx is None:
        raise errors.Unauthorized("A share key or slug is required")
    return ctx


_link_holder.permission = None  # type: ignore[attr-defined]
_link_holder.admin_only = False  # type: ignore[attr-defined]
_link_holder.shared_link = True  # type: ignore[attr-defined]
_link_holder_for_login.permission = None  # type: ignore[attr-defined]
_link_holder_for_login.admin_only = False  # type: ignore[attr-defined]
_link_holder_for_login.shared_link = True  # type: ignore[attr-defined]
LinkHolder = Annotated[AuthContext, Depends(_link_holder)]
LinkLogin = Annotated[AuthContext, Depends(_link_holder_for_login)]


@router.get("/me", response_model=dto.SharedLinkResponseDto, operation_id="getMySharedLink")
def get_mine(ctx: LinkHolder, db: Db, key: KeyParam = None, slug: SlugParam = None) -> dict[str, Any]:
    assert isinstance(ctx.shared_link, SharedLink)
    return link_dto(db, ctx, ctx.shared_link)


@router.post("/login", status_code=201, response_model=dto.SharedLinkResponseDto, operation_id="sharedLinkLogin")
def login(body: dto.SharedLinkLoginDto, ctx: LinkLogin, db: Db, request: Request, response: Response,
          key: KeyParam = None, slug: SlugParam = None) -> dict[str, Any]:
    link = ctx.shared_link
    assert isinstance(link, SharedLink)
    token = links_lib.login(db, request.app.state.login_throttle, client_address(request), link, body.password)
    max_age = None
    if link.expires_at is not None:
        from photonest.db.types import utcnow

        max_age = max(1, int((link.expires_at - utcnow()).total_seconds()))
    response.set_cookie(COOKIE_SHARED_LINK_TOKEN, token, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https", max_age=max_age or 86400 * 30)
    return link_dto(db, ctx, link)


@router.get("/{id}", response_model=dto.SharedLinkResponseDto, operation_id="getSharedLinkById")
def get_by_id(id: IdParam, ctx: ReadCtx, db: Db) -> dict[str, Any]:
    return link_dto(db, ctx, links_lib.get_mine(db, ctx, str(id)))


@router.patch("/{id}", response_model=dto.SharedLinkResponseDto, operation_id="updateSharedLink")
def update(id: IdParam, body: dto.SharedLinkEditDto, ctx: UpdateCtx, db: Db) -> dict[str, Any]:
    return link_dto(db, ctx, links_lib.update(db, ctx, str(id), body.model_dump(exclude_unset=True)))


@router.delete("/{id}", status_code=204, operation_id="removeSharedLink")
def remove(id: IdParam, ctx: DeleteCtx, db: Db) -> Response:
    links_lib.delete_link(db, ctx, str(id))
    return Response(status_code=204)


@router.put("/{id}/assets", response_model=list[dto.AssetIdsResponseDto], operation_id="addSharedLinkAssets")
def add_assets(id: IdParam, body: dto.AssetIdsDto, ctx: UpdateCtx, db: Db) -> list[dict[str, Any]]:
    return links_lib.add_assets(db, ctx, str(id), ids_of(body.assetIds))


@router.delete("/{id}/assets", response_model=list[dto.AssetIdsResponseDto], operation_id="removeSharedLinkAssets")
def remove_assets(id: IdParam, body: dto.AssetIdsDto, ctx: UpdateCtx, db: Db) -> list[dict[str, Any]]:
    return links_lib.remove_assets(db, ctx, str(id), ids_of(body.assetIds))

"""/api/oauth: photonest has no OAuth provider configuration, so every flow answers "OAuth is not enabled"
(400, what Immich answers when OAuth is switched off); the mobile redirect still forwards to the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from photonest.api.deps import auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import errors
from photonest.library.auth import AuthContext

router = Router(prefix="/oauth", tags=["Authentication"])
AnyUserCtx = Annotated[AuthContext, Depends(auth())]
MOBILE_REDIRECT = "app.immich:///oauth-callback"
NOT_ENABLED = "OAuth is not enabled"


@router.post("/authorize", status_code=201, response_model=dto.OAuthAuthorizeResponseDto,
             operation_id="startOAuth")
def start_oauth(body: dto.OAuthConfigDto) -> None:
    raise errors.BadRequest(NOT_ENABLED)


@router.post("/callback", status_code=201, response_model=dto.LoginResponseDto, operation_id="finishOAuth")
def finish_oauth(body: dto.OAuthCallbackDto) -> None:
    raise errors.BadRequest(NOT_ENABLED)


@router.post("/link", response_model=dto.UserAdminResponseDto, operation_id="linkOAuthAccount")
def link_oauth_account(body: dto.OAuthCallbackDto, ctx: AnyUserCtx) -> None:
    raise errors.BadRequest(NOT_ENABLED)


@router.post("/unlink", response_model=dto.UserAdminResponseDto, operation_id="unlinkOAuthAccount")
def unlink_oauth_account(ctx: AnyUserCtx) -> None:
    raise errors.BadRequest(NOT_ENABLED)


@router.post("/backchannel-logout", operation_id="logoutOAuth", response_class=Response,
             responses={200: {"description": ""}})
def logout_oauth(body: Annotated[dto.OAuthBackchannelLogoutDto, Form()]) -> None:
    raise errors.BadRequest(NOT_ENABLED)


@router.get("/mobile-redirect", operation_id="redirectOAuthToMobile", response_class=RedirectResponse,
            responses={200: {"description": ""}})
def redirect_oauth_to_mobile(request: Request) -> RedirectResponse:
    """The identity provider sends the browser here; Immich forwards it to the app's URL scheme (307)."""
    query = request.url.query
    return RedirectResponse(MOBILE_REDIRECT + (f"?{query}" if query else ""), status_code=307)

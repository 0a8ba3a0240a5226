"""/api/auth: admin sign-up, login, logout, token validation, password change, status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response

from photonest.api import mappers
from photonest.api.deps import (
    COOKIE_AUTH_TYPE,
    COOKIE_IS_AUTHENTICATED,
    COOKIE_TOKEN,
    AppSettings,
    Db,
    auth,
    client_address,
)
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import auth as auth_lib
from photonest.library import errors
from photonest.library.auth import AuthContext

router = Router(prefix="/auth", tags=["Authentication"])


def _device(user_agent: str) -> tuple[str, str]:
    """A rough (deviceType, deviceOS) from the User-Agent, as Immich shows in the sessions list."""
    ua = user_agent.lower()
    os_name = next((n for k, n in (("android", "Android"), ("iphone", "iOS"), ("ipad", "iOS"),
                                   ("mac os", "macOS"), ("windows", "Windows"), ("linux", "Linux"))
                    if k in ua), "")
    kind = next((n for k, n in (("immich_mobile", "Mobile"), ("dart", "Mobile"), ("edg/", "Edge"),
                                ("firefox", "Firefox"), ("chrome", "Chrome"), ("safari", "Safari"),
                                ("immich-cli", "CLI"), ("node", "Node"), ("python", "Python"))
                 if k in ua), "")
    return kind, os_name


def _set_cookies(response: Response, token: str, secure: bool, max_age: int) -> None:
    opts: dict[str, Any] = {"path": "/", "samesite": "lax", "secure": secure, "max_age": max_age}
    response.set_cookie(COOKIE_TOKEN, token, httponly=True, **opts)
    response.set_cookie(COOKIE_AUTH_TYPE, "password", httponly=True, **opts)
    response.set_cookie(COOKIE_IS_AUTHENTICATED, "true", httponly=False, **opts)


@router.post("/admin-sign-up", status_code=201, response_model=dto.UserAdminResponseDto,
             operation_id="signUpAdmin")
def sign_up_admin(body: dto.SignUpDto, db: Db) -> dict[str, Any]:
    return mappers.user_admin(auth_lib.admin_sign_up(db, email=body.email, password=body.password,
                                                     name=body.name))


@router.post("/login", status_code=201, response_model=dto.LoginResponseDto, operation_id="login")
def login(body: dto.LoginCredentialDto, request: Request, response: Response, db: Db,
          settings: AppSettings) -> dict[str, Any]:
    if not settings.password_login:  # the admin's passwordLogin.enabled (system config)
        raise errors.Unauthorized("Password login has been disabled")
    device_type, device_os = _device(request.headers.get("user-agent", ""))
    user, token = auth_lib.login(
        db, request.app.state.login_throttle, email=body.email, password=body.password,
        client=client_address(request), device_type=device_type, device_os=device_os,
        session_days=settings.session_days,
    )
    _set_cookies(response, token, request.url.scheme == "https", settings.session_days * 86400)
    return {
        "accessToken": token, "userId": user.id, "userEmail": user.email, "name": user.name,
        "isAdmin": user.is_admin, "profileImagePath": user.profile_image_path,
        "shouldChangePassword": user.should_change_password, "isOnboarded": user.onboarding,
    }


@router.post("/logout", response_model=dto.LogoutResponseDto, operation_id="logout")
def logout(ctx: Annotated[AuthContext, Depends(auth())], response: Response, db: Db) -> dict[str, Any]:
    auth_lib.logout(db, ctx)
    for name in (COOKIE_TOKEN, COOKIE_AUTH_TYPE, COOKIE_IS_AUTHENTICATED):
        response.delete_cookie(name, path="/")
    return {"successful": True, "redirectUri": "/auth/login?autoLaunch=0"}


@router.post("/validateToken", response_model=dto.ValidateAccessTokenResponseDto,
             operation_id="validateAccessToken")
def validate_token(ctx: Annotated[AuthContext, Depends(auth())]) -> dict[str, Any]:
    return {"authStatus": True}


@router.post("/change-password", response_model=dto.UserAdminResponseDto, operation_id="changePassword")
def change_password(body: dto.ChangePasswordDto, ctx: Annotated[AuthContext, Depends(auth("auth.changePassword"))],
                    db: Db) -> dict[str, Any]:
    user = auth_lib.change_password(db, ctx, password=body.password, new_password=body.newPassword,
                                    invalidate_sessions=bool(body.invalidateSessions))
    return mappers.user_admin(user)


@router.get("/status", response_model=dto.AuthStatusResponseDto, operation_id="getAuthStatus")
def get_status(ctx: Annotated[AuthContext, Depends(auth())]) -> dict[str, Any]:
    return auth_lib.status(ctx)

"""/api/auth/pin-code and /api/auth/session/{lock,unlock}: the locked folder's PIN."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from photonest.api.deps import Db, auth, client_address
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import pin_code as pin_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/auth", tags=["Authentication"])
PinCodeCreateCtx = Annotated[AuthContext, Depends(auth("pinCode.create"))]
PinCodeUpdateCtx = Annotated[AuthContext, Depends(auth("pinCode.update"))]
PinCodeDeleteCtx = Annotated[AuthContext, Depends(auth("pinCode.delete"))]
AnyCtx = Annotated[AuthContext, Depends(auth())]


@router.post("/pin-code", status_code=204, operation_id="setupPinCode")
def setup_pin_code(body: dto.PinCodeSetupDto, ctx: PinCodeCreateCtx, db: Db) -> Response:
    pin_lib.setup(db, ctx, body.pinCode)
    return Response(status_code=204)


@router.put("/pin-code", status_code=204, operation_id="changePinCode")
def change_pin_code(body: dto.PinCodeChangeDto, ctx: PinCodeUpdateCtx, db: Db, request: Request) -> Response:
    pin_lib.change(db, ctx, request.app.state.login_throttle, client_address(request), new_pin_code=body.newPinCode,
                   pin_code=body.pinCode, password=body.password)
    return Response(status_code=204)


@router.delete("/pin-code", status_code=204, operation_id="resetPinCode")
def reset_pin_code(body: dto.PinCodeResetDto, ctx: PinCodeDeleteCtx, db: Db, request: Request) -> Response:
    pin_lib.reset(db, ctx, request.app.state.login_throttle, client_address(request), pin_code=body.pinCode,
                  password=body.password)
    return Response(status_code=204)


@router.post("/session/unlock", status_code=204, operation_id="unlockAuthSession")
def unlock_session(body: dto.SessionUnlockDto, ctx: AnyCtx, db: Db, request: Request) -> Response:
    pin_lib.unlock(db, ctx, request.app.state.login_throttle, client_address(request), pin_code=body.pinCode,
                   password=body.password)
    return Response(status_code=204)


@router.post("/session/lock", status_code=204, operation_id="lockAuthSession")
def lock_session(ctx: AnyCtx, db: Db) -> Response:
    pin_lib.lock(db, ctx)
    return Response(status_code=204)

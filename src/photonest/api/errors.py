"""Immich-shaped error bodies: {message, error, statusCode, correlationId}."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from photonest.library.errors import DomainError
from photonest.storage.local import StorageUnavailable

log = logging.getLogger(__name__)
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
           507: "Insufficient Storage"}


def error_response(status: int, message: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"message": message, "error": REASONS.get(status, "Error"), "statusCode": status,
            "correlationId": uuid.uuid4().hex[:8]}
    return JSONResponse(body, status_code=status, headers=headers)


def _describe(err: dict[str, Any]) -> str:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "header")]
    name = ".".join(loc) or "body"
    typ = err.get("type", "")
    if typ == "json_invalid":
        return "Invalid JSON in request body"
    if typ == "uuid_parsing" or typ == "uuid_type":
        return f"{name} must be a UUID"
    if typ == "missing":
        return f"{name} is required"
    return f"{name}: {err.get('msg', 'invalid value')}"


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return error_response(exc.status, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, [_describe(e) for e in exc.errors()])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message: Any = exc.detail
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"Cannot {request.method} {request.url.path}"
        return error_response(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(StorageUnavailable)
    async def _store_down(request: Request, exc: StorageUnavailable) -> JSONResponse:
        # Object storage unreachable or refusing: nothing was kept (uploads roll back); the client may retry.
        log.warning("storage unavailable on %s %s: %s", request.method, request.url.path, exc)
        return error_response(503, "The file store is unavailable; try again later", {"Retry-After": "30"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "Internal server error")

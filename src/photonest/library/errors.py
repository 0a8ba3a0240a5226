"""Domain errors. The API layer turns each into an Immich-shaped JSON error with its status."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    error = "Bad Request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(DomainError):
    pass


class Unauthorized(DomainError):
    status, error = 401, "Unauthorized"


class Forbidden(DomainError):
    status, error = 403, "Forbidden"


class NotFound(DomainError):
    status, error = 404, "Not Found"


class Conflict(DomainError):
    status, error = 409, "Conflict"


class PayloadTooLarge(DomainError):
    status, error = 413, "Payload Too Large"


class TooManyRequests(DomainError):
    status, error = 429, "Too Many Requests"


class InsufficientStorage(DomainError):
    status, error = 507, "Insufficient Storage"

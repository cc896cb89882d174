"""Domain errors (raised by services) and the handlers that render every error in the API envelope."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a client can act on. Services raise these; never HTTP exceptions."""

    status_code = 400
    default_code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details


class ValidationFailed(DomainError):
    status_code = 400
    default_code = "VALIDATION_ERROR"


def field_refusal(key: str, message: str, code: str = "VALIDATION_ERROR") -> ValidationFailed:
    """A 400 about one field of the request (`key`: its JSON name), which a form shows next to that field."""
    return ValidationFailed(message, code=code, details=[{"key": key, "message": message}])


class Unauthorized(DomainError):
    status_code = 401
    default_code = "UNAUTHORIZED"


class Forbidden(DomainError):
    status_code = 403
    default_code = "FORBIDDEN"


class NotFound(DomainError):
    status_code = 404
    default_code = "NOT_FOUND"


class Conflict(DomainError):
    status_code = 409
    default_code = "CONFLICT"


class RateLimited(DomainError):
    status_code = 429
    default_code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after

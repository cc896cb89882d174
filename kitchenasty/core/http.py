"""HTTP plumbing: every error, the framework's included, rendered in the `{success:false, error, code}` envelope."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from kitchenasty.core.api import ErrorBody
from kitchenasty.core.errors import DomainError, RateLimited
from kitchenasty.core.logging import get_logger

log = get_logger("kitchenasty.http")

_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
}


def error_response(
    status: int, message: str, code: str, details: list[Any] | None = None, headers: dict[str, str] | None = None
) -> Response[ErrorBody]:
    return Response(
        ErrorBody(success=False, error=message, code=code, details=details), status_code=status, headers=headers
    )


def handle_domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[ErrorBody]:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return error_response(exc.status_code, exc.message, exc.code, exc.details, headers)


_REGEX_MESSAGE = re.compile(r"Expected `str` matching regex .*")
_LENGTH_MESSAGE = re.compile(r"Expected `(str|array)` of length (>=|<=) (\d+)")


def _friendly(message: str, key: str | None) -> str:
    """msgspec's messages, reworded for people ("email has an invalid format" rather than a regex)."""
    if _REGEX_MESSAGE.fullmatch(message):
        if key and "email" in key.lower():
            return "must be a valid e-mail address"
        return "has an invalid format"
    match = _LENGTH_MESSAGE.fullmatch(message)
    if match:
        kind, op, n = match.groups()
        unit = "characters" if kind == "str" else "entries"
        return f"must have at least {n} {unit}" if op == ">=" else f"must have at most {n} {unit}"
    return message


def _validation_details(extra: Any) -> list[Any] | None:
    if not extra:
        return None
    items = extra if isinstance(extra, list) else [extra]
    details = []
    for item in items:
        if isinstance(item, dict):
            entry = {k: v for k, v in item.items() if k in ("message", "key", "source")}
            entry["message"] = _friendly(str(entry.get("message", "")), entry.get("key"))
            details.append(entry)
        else:
            details.append({"message": str(item)})
    return details


def _validation_message(details: list[Any] | None, fallback: str) -> str:
    if details:
        first = details[0]
        message = str(first.get("message", fallback))
        key = first.get("key")
        if key and key != "data" and not message.startswith("Expected") and not message.startswith("Object"):
            return f"{key} {message}"
        return f"{message} ({key})" if key and key not in message else message
    return fallback


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    status = exc.status_code
    if status >= 500 and "client disconnected" in str(exc.detail):
        # The client went away while its body was being read: nobody gets this answer; not a server fault.
        log.debug("client disconnected", method=request.method, path=request.url.path)
        return error_response(400, "Client disconnected", "CLIENT_DISCONNECTED")
    if status >= 500:
        log.error("request failed", method=request.method, path=request.url.path, status=status, detail=exc.detail)
        return error_response(status, "Internal Server Error", "INTERNAL_ERROR")
    if "JSON is malformed" in str(exc.detail):
        return error_response(400, "Request body is not valid JSON", "INVALID_JSON")
    if isinstance(exc, ValidationException):
        details = _validation_details(exc.extra)
        message = _validation_message(details, "Invalid request")
        return error_response(400, message, "VALIDATION_ERROR", details)
    message = exc.detail or _CODES.get(status, "Error")
    if status == 404 and message == "Not Found":
        message = "Not Found"
    headers = dict(exc.headers or {})
    return error_response(status, message, _CODES.get(status, "ERROR"), None, headers or None)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    log.exception("unhandled error", method=request.method, path=request.url.path, error_type=type(exc).__name__)
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "Internal Server Error", "INTERNAL_ERROR")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}

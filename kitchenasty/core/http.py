"""HTTP plumbing: every error, the framework's included, rendered in the `{success:false, error, code}` envelope."""

from __future__ import annotations

import re
import time
from typing import Annotated, Any, TypeAlias, TypeVar, cast

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.params import HeaderParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ASGIApp, Empty, HTTPScope, Message, Receive, Scope, Send

from kitchenasty.core.api import MAX_PAGE_SIZE, ErrorBody
from kitchenasty.core.errors import DomainError, RateLimited, ValidationFailed
from kitchenasty.core.logging import get_logger
from kitchenasty.core.metrics import UNMATCHED, RequestMetrics
from kitchenasty.core.origin import UNSAFE_METHODS, cookie_request_refusal
from kitchenasty.core.validate import PATTERN_MESSAGES

log = get_logger("kitchenasty.http")

T = TypeVar("T")
PageQuery: TypeAlias = Annotated[int, QueryParameter(name="page", ge=1, le=1_000_000)]
LimitQuery: TypeAlias = Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_PAGE_SIZE)]
IdempotencyKey: TypeAlias = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=128,
        description="Retrying with the same key returns what the first request created instead of a second one.",
    ),
]
"""The `Idempotency-Key` header of order placement and table booking."""


def created_or_replayed(body: T, replayed: bool) -> Response[T]:
    """201 with what a POST made, or 200 with what the first request made when its `Idempotency-Key` was used
    before (header `Idempotent-Replayed: true`)."""
    if replayed:
        return Response(body, status_code=HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
    return Response(body, status_code=HTTP_201_CREATED)


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


MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a JSON body may have. Our deepest real shape (an order's items, their
options and values) is under 8; ~1,000 levels made the decoder raise RecursionError (a 500) on any route."""
_JSON_TOKENS = re.compile(rb'\\.|["\[\]{}]', re.DOTALL)


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `body` nests arrays/objects deeper than `limit` (brackets inside strings do not count).

    Counting brackets is C speed; only a body with more than `limit` of them is scanned token by token.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    in_string = False
    for match in _JSON_TOKENS.finditer(body):
        token = match.group()
        if in_string:
            in_string = token != b'"'
        elif token == b'"':
            in_string = True
        elif token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


class KitchenRequest(Request[Any, Any, Any]):
    """The app's request: a JSON body nested deeper than `MAX_JSON_DEPTH` is refused before it is decoded."""

    async def json(self) -> Any:
        if self._json is Empty and self._connection_state.json is Empty and json_too_deep(await self.body()):
            raise ValidationFailed(
                f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)", code="JSON_TOO_DEEP"
            )
        return await super().json()


class RequestScreen:
    """ASGI wrapper run before Litestar parses anything: paths with a NUL byte are a 404 (the file system refuses
    them with a ValueError), and cookie-authenticated writes from another origin's page are refused
    (`core.origin`). A safe request costs one substring test."""

    def __init__(self, app: ASGIApp, public_url: str) -> None:
        self.app = app
        self.public_url = public_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = None
            if "\x00" in scope["path"]:
                refusal = (404, "Not Found", "NOT_FOUND")
            elif cast(HTTPScope, scope)["method"] in UNSAFE_METHODS:
                refusal = cookie_request_refusal(scope, self.public_url)
            if refusal is not None:
                await _send_error(send, *refusal)
                return
        await self.app(scope, receive, send)


async def _send_error(send: Send, status: int, message: str, code: str) -> None:
    body = msgspec.json.encode(ErrorBody(success=False, error=message, code=code))
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]  # nosniff is added by `with_nosniff`, around the whole app
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def error_response(
    status: int, message: str, code: str, details: list[Any] | None = None, headers: dict[str, str] | None = None
) -> Response[ErrorBody]:
    return Response(
        ErrorBody(success=False, error=message, code=code, details=details), status_code=status, headers=headers
    )


def handle_domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[ErrorBody]:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return error_response(exc.status_code, exc.message, exc.code, exc.details, headers)


_REGEX_MESSAGE = re.compile(r"Expected `str` matching regex (.*)", re.DOTALL)
_KNOWN_PATTERNS = {repr(pattern): message for pattern, message in PATTERN_MESSAGES.items()}
_LENGTH_MESSAGE = re.compile(r"Expected `(str|array)` of length (>=|<=) (\d+)")
_BODY_TYPE_MESSAGE = re.compile(r"Expected `(\w+)`, got `(\w+)`")


def _friendly(message: str, key: str | None) -> str:
    """msgspec's messages, reworded for people ("email has an invalid format" rather than a regex)."""
    if key == "data":  # the body as a whole
        if message == "'data'":
            return "A JSON request body is required"
        body_type = _BODY_TYPE_MESSAGE.fullmatch(message)
        if body_type:
            return f"The request body must be a JSON {body_type[1]}, not {body_type[2]}"
    regex = _REGEX_MESSAGE.fullmatch(message)
    if regex:
        known = _KNOWN_PATTERNS.get(regex.group(1))  # msgspec quotes the pattern as repr() does
        if known:
            return known
        if key and "email" in key.lower():
            return "must be a valid e-mail address"
        return "has an invalid format"
    match = _LENGTH_MESSAGE.fullmatch(message)
    if match:
        kind, op, n = match.groups()
        unit = ("character" if n == "1" else "characters") if kind == "str" else ("entry" if n == "1" else "entries")
        return f"must have at least {n} {unit}" if op == ">=" else f"must have at most {n} {unit}"
    return message


def _public_name(request: Request[Any, Any, Any], key: Any) -> Any:
    """The name the client sent a parameter under (`page`), not the handler's argument (`page_number`)."""
    handler = request.scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    field = signature.parameters.get(key) if signature is not None and isinstance(key, str) else None
    if field is None:
        return key
    return getattr(field.kwarg_definition, "name", None) or key


def _validation_details(extra: Any, request: Request[Any, Any, Any]) -> list[Any] | None:
    if not extra:
        return None
    items = extra if isinstance(extra, list) else [extra]
    details = []
    for item in items:
        if isinstance(item, dict):
            entry = {k: v for k, v in item.items() if k in ("message", "key", "source")}
            if entry.get("source") in ("query", "header", "cookie", "path"):
                entry["key"] = _public_name(request, entry.get("key"))
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
        if key == "data":
            return message
        if key and not message.startswith("Expected") and not message.startswith("Object"):
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
    if isinstance(exc.__cause__, SerializationException) or "JSON is malformed" in str(exc.detail):
        # The body could not be decoded at all (malformed, truncated, not UTF-8, a number past any range).
        if str(exc.detail).startswith("Number out of range"):
            return error_response(400, "A number in the request body is out of range", "INVALID_JSON")
        return error_response(400, "Request body is not valid JSON", "INVALID_JSON")
    if isinstance(exc, ValidationException):
        details = _validation_details(exc.extra, request)
        message = _validation_message(details, "Invalid request")
        return error_response(400, message, "VALIDATION_ERROR", details)
    message = exc.detail or _CODES.get(status, "Error")
    if status == 404 and message == "Not Found":
        message = "Not Found"
    headers = dict(exc.headers or {})
    return error_response(status, message, _CODES.get(status, "ERROR"), None, headers or None)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    if isinstance(exc, RecursionError):  # a body or parameter built to exhaust the stack: the client's fault
        log.info("request too deeply nested", method=request.method, path=request.url.path)
        return error_response(400, "The request is nested too deeply", "JSON_TOO_DEEP")
    log.exception("unhandled error", method=request.method, path=request.url.path, error_type=type(exc).__name__)
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "Internal Server Error", "INTERNAL_ERROR")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}


NOSNIFF = (b"x-content-type-options", b"nosniff")


def with_nosniff(app: ASGIApp, metrics: RequestMetrics | None = None) -> ASGIApp:
    """Wrap the app's ASGI handler so that every HTTP response (JSON, errors, pages, static files) carries
    `X-Content-Type-Options: nosniff`, and its status and time are counted in `metrics` under the route's template.
    One header appended to the start message and two clock reads: nothing is read or parsed."""

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_nosniff(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), NOSNIFF]
            await send(message)

        try:
            await app(scope, receive, send_nosniff)
        finally:
            if metrics is not None:
                path = scope.get("path_template") or UNMATCHED
                method = cast(HTTPScope, scope)["method"]
                metrics.observe(method, path, status, (time.perf_counter() - started) * 1000)

    return handler

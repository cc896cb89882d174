"""What every API operation documents: its error statuses (all in the `ErrorBody` envelope) and its security.

Derived once, when the app is built, from each route handler's metadata rather than written on every route:
- 400 where the operation takes input (a body, path, query or header parameter): validation and business rules;
- 401 / 403 / 429 from its guards (each guard names what it refuses with, `core.guards.refusals`);
- 404 where the path names a resource; 405 on every operation (another method on the same path);
- 413 where there is a body (`request_max_body_size`);
- on POST/PUT/PATCH/DELETE, 403 and (with a body) 415 for a login-cookie request from another origin or not in
  JSON (`core.origin`, screened before routing).
A route adds what only it knows with `responses=errors(409, ...)` (a duplicate, a not-found id in the body, an
outside service). Litestar's default 400 (`{status_code, detail}`) is replaced: the app never answers that shape.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, Example, SecurityRequirement, SecurityScheme
from litestar.routes import HTTPRoute

from kitchenasty.core.api import ErrorBody
from kitchenasty.core.guards import refusals
from kitchenasty.core.origin import UNSAFE_METHODS
from kitchenasty.core.security import AUTH_COOKIE

BEARER = "BearerToken"
COOKIE = "AuthCookie"

SECURITY_COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="The token a login or registration answered with.",
        ),
        COOKIE: SecurityScheme(
            type="apiKey",
            name=AUTH_COOKIE,
            security_scheme_in="cookie",
            description="The same token, set as an httpOnly cookie by the login endpoints (browsers).",
        ),
    }
)
_SIGNED_IN: list[SecurityRequirement] = [{BEARER: []}, {COOKIE: []}]
_SIGNED_IN_OR_GUEST: list[SecurityRequirement] = [{}, {BEARER: []}, {COOKIE: []}]

# status: (description, example code, example message)
_ERRORS: dict[int, tuple[str, str, str]] = {
    400: (
        "Refused: invalid input (malformed JSON, a field out of range) or a business rule; `details` names the fields.",
        "VALIDATION_ERROR",
        "quantity must be at least 1",
    ),
    401: ("No token, or an invalid, expired or revoked one.", "AUTH_REQUIRED", "Authentication required"),
    403: (
        "Signed in, but this account may not do this; or, with the login cookie, the request came from another "
        "page's origin.",
        "INSUFFICIENT_ROLE",
        "Insufficient permissions",
    ),
    404: ("No such resource.", "NOT_FOUND", "Not Found"),
    405: ("This method is not allowed on this path.", "METHOD_NOT_ALLOWED", "Method Not Allowed"),
    409: ("Conflicts with existing data (a duplicate, or a change made meanwhile).", "CONFLICT", "Conflict"),
    413: ("The request body is larger than the server accepts.", "PAYLOAD_TOO_LARGE", "Request Entity Too Large"),
    415: (
        "With the login cookie, a body that is not sent as JSON.",
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the request body as JSON (Content-Type: application/json).",
    ),
    429: (
        "Too many attempts from this client; retry after the seconds in `Retry-After`.",
        "RATE_LIMITED",
        "Too many attempts, please try again later.",
    ),
    502: (
        "The outside service (the mail server) refused or could not be reached.",
        "DELIVERY_FAILED",
        "The mail server refused the message",
    ),
    504: ("The outside service did not answer in time.", "DELIVERY_TIMED_OUT", "No answer from the mail server"),
}


def error_response(status: int) -> ResponseSpec:
    description, code, message = _ERRORS[status]
    return ResponseSpec(
        data_container=ErrorBody,
        description=description,
        generate_examples=False,
        examples=[Example(summary=code, value={"success": False, "error": message, "code": code})],
    )


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """`responses=` for a route: error statuses only the route knows it can answer (409 on a duplicate...)."""
    return {status: error_response(status) for status in statuses}


def _takes_input(handler: HTTPRouteHandler, route: HTTPRoute) -> bool:
    if route.path_parameters:
        return True
    provided = handler.resolve_dependencies()
    return any(
        name == "data" or (name not in provided and name not in RESERVED_KWARGS)
        for name in handler.parsed_fn_signature.parameters
    )


def error_statuses(handler: HTTPRouteHandler, route: HTTPRoute) -> set[int]:
    """The error statuses `handler` can answer on `route`, from its guards, path and signature."""
    statuses = {405}
    for guard in handler.resolve_guards():
        statuses.update(refusals(guard))
    if _takes_input(handler, route):
        statuses.add(400)
    if route.path_parameters:
        statuses.add(404)
    has_body = "data" in handler.parsed_fn_signature.parameters
    if has_body:
        statuses.add(413)
    if handler.http_methods & UNSAFE_METHODS:
        statuses.update((403, 415) if has_body else (403,))
    return statuses


def _security(handler: HTTPRouteHandler) -> list[SecurityRequirement] | None:
    if any(401 in refusals(guard) for guard in handler.resolve_guards()):
        return _SIGNED_IN
    if "principal" in handler.parsed_fn_signature.parameters:
        return _SIGNED_IN_OR_GUEST  # optional sign-in: a guest or the signed-in caller
    return None


def document_operations(app: Litestar) -> None:
    """Add each operation's error responses and security to its handler before the OpenAPI document is built
    (it is built lazily, on the first request for it)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            responses: dict[int, ResponseSpec] = dict(handler.responses or {})
            for status in sorted(error_statuses(handler, route)):
                responses.setdefault(status, error_response(status))
            handler.responses = responses
            security = _security(handler)
            if security is not None:
                handler.security = security

"""Who is calling, and composable guards: optional auth, authenticated, staff, role(...).

A token comes from `Authorization: Bearer`, else the httpOnly auth cookie, else (WebSockets only) `?token=`.
Every token is re-checked through the app's `PrincipalVerifier` (the account exists and is active, its current
role, the session has not ended), so logout, a password change or a deactivation lock the caller out at once and a
role change applies to existing tokens.

Sliding renewal: a request whose token is past half its lifetime gets a fresh token for the same session, as a
new auth cookie when it came with the cookie, or in the `X-Renewed-Token` response header when it came as a
Bearer token (the client should use that token from then on). Kitchen tablets stay logged in while they are used.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeAlias, TypeVar

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Message, Scope

from kitchenasty.core.audit import AuditActor, set_actor
from kitchenasty.core.errors import Forbidden, RateLimited, Unauthorized
from kitchenasty.core.ratelimit import SlidingWindowLimiter
from kitchenasty.core.security import AUTH_COOKIE, Principal, Role, TokenClaims, TokenCodec

_STATE_KEY = "kitchenasty_principal"
_CLAIMS_KEY = "kitchenasty_claims"
_RENEWED_KEY = "kitchenasty_renewed_token"
RENEWED_TOKEN_HEADER = "X-Renewed-Token"  # noqa: S105 - a header name
_COOKIE_PREFIX = f"{AUTH_COOKIE}=".encode()


CurrentPrincipal: TypeAlias = NamedDependency[Principal]
"""Route parameter: the caller on a guarded route (the guard has ensured there is one)."""
MaybePrincipal: TypeAlias = NamedDependency[Principal | None]
"""Route parameter: the caller or None (optional-auth routes)."""


class PrincipalVerifier(Protocol):
    async def verify(self, claims: TokenClaims) -> Principal | None:
        """The current principal for valid claims; raises Unauthorized (or returns None) when the account is gone
        or deactivated, or the session has ended."""


def auth_cookie(token: str, max_age: int) -> Cookie:
    """The httpOnly cookie that carries the login token (browsers send it on pages, API calls and WebSockets)."""
    return Cookie(key=AUTH_COOKIE, value=token, httponly=True, samesite="lax", path="/", max_age=max_age)


def _token_and_source(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str | None, str]:
    header = connection.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip(), "bearer"
        return header, "bearer"  # present but malformed: treated as a bad token, never silently as anonymous
    cookie = connection.cookies.get(AUTH_COOKIE)
    if cookie:
        return cookie, "cookie"
    if connection.scope["type"] == "websocket":
        return connection.query_params.get("token") or None, "query"
    return None, ""


def token_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return _token_and_source(connection)[0]


async def resolve_principal(connection: ASGIConnection[Any, Any, Any, Any], *, strict: bool) -> Principal | None:
    """The caller, or None when anonymous. With `strict`, a bad token raises 401; otherwise it is ignored."""
    state = connection.scope.setdefault("state", {})
    if _STATE_KEY in state:
        cached = state[_STATE_KEY]
        if isinstance(cached, Unauthorized):
            if strict:
                raise cached
            return None
        return cached
    token, source = _token_and_source(connection)
    principal: Principal | None = None
    if token is not None:
        app_state = connection.app.state
        codec: TokenCodec = app_state.tokens
        verifier: PrincipalVerifier = app_state.principals
        try:
            claims = codec.decode(token)
            principal = await verifier.verify(claims)
            if principal is None:
                raise Unauthorized("Account is not active", code="ACCOUNT_INACTIVE")
        except Unauthorized as exc:
            state[_STATE_KEY] = exc
            if strict:
                raise
            return None
        state[_CLAIMS_KEY] = claims
        if source != "query" and codec.needs_renewal(claims):
            state[_RENEWED_KEY] = (codec.renew(claims), source)
    state[_STATE_KEY] = principal
    if principal is not None and principal.is_staff and connection.scope["type"] == "http":
        # what this staff member writes in the request is theirs in the audit log (`core.audit`)
        method = connection.scope.get("method", "")
        set_actor(AuditActor(principal.id, principal.email, principal.role, f"{method} {connection.url.path}"))
    return principal


def session_claims(connection: ASGIConnection[Any, Any, Any, Any]) -> TokenClaims | None:
    """The verified claims of the caller's token (after `resolve_principal`), or None when anonymous."""
    return connection.scope.get("state", {}).get(_CLAIMS_KEY)


def renewal_header(scope: Scope) -> tuple[bytes, bytes] | None:
    """The header that hands a renewed token back (`Set-Cookie` or `X-Renewed-Token`), if this request earned one."""
    renewed = scope.get("state", {}).get(_RENEWED_KEY)
    if renewed is None:
        return None
    token, source = renewed
    if source == "cookie":
        codec: TokenCodec = scope["app"].state.tokens
        return auth_cookie(token, int(codec.expiry.total_seconds())).to_encoded_header()
    return RENEWED_TOKEN_HEADER.lower().encode(), token.encode()


async def send_renewed_token(message: Message, scope: Scope) -> None:
    """`before_send` hook: add the renewal header to the response, unless the response sets the auth cookie itself
    (a login, or a logout clearing it)."""
    if message["type"] != "http.response.start":
        return
    header = renewal_header(scope)
    if header is None:
        return
    headers = list(message.get("headers", ()))
    if any(name.lower() == b"set-cookie" and bytes(value).startswith(_COOKIE_PREFIX) for name, value in headers):
        return
    headers.append(header)
    message["headers"] = headers


async def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """Dependency `principal`: the caller or None (guards have already refused callers they do not allow)."""
    return await resolve_principal(request, strict=False)


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]
G = TypeVar("G", bound=Guard)
_REFUSALS = "kitchenasty_refusals"


def _refuses(*statuses: int) -> Callable[[G], G]:
    """Name the statuses a guard refuses with (the OpenAPI document lists them on every route it guards)."""

    def mark(guard: G) -> G:
        setattr(guard, _REFUSALS, statuses)
        return guard

    return mark


def refusals(guard: Callable[..., Any]) -> tuple[int, ...]:
    """The statuses `guard` can refuse a request with; () for a guard that names none."""
    return getattr(guard, _REFUSALS, ())


@_refuses(401)
async def authenticated(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if await resolve_principal(connection, strict=True) is None:
        raise Unauthorized("Authentication required", code="AUTH_REQUIRED")


@_refuses(401, 403)
async def customer_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal = await resolve_principal(connection, strict=True)
    if principal is None:
        raise Unauthorized("Authentication required", code="AUTH_REQUIRED")
    if not principal.is_customer:
        raise Forbidden("Customer account required", code="CUSTOMER_REQUIRED")


@_refuses(401, 403)
async def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal = await resolve_principal(connection, strict=True)
    if principal is None:
        raise Unauthorized("Authentication required", code="AUTH_REQUIRED")
    if not principal.is_staff:
        raise Forbidden("Staff access required", code="STAFF_REQUIRED")


def role(*roles: Role) -> Guard:
    """Staff with one of `roles` (implies staff)."""
    allowed = frozenset(roles)

    @_refuses(401, 403)
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        await staff_only(connection, handler)
        principal = await resolve_principal(connection, strict=True)
        if principal is None or principal.role not in allowed:
            raise Forbidden("Insufficient permissions", code="INSUFFICIENT_ROLE")

    guard.__qualname__ = f"role({', '.join(roles)})"
    return guard


SUPER_ADMIN: Role = "SUPER_ADMIN"
MANAGER: Role = "MANAGER"
STAFF: Role = "STAFF"
admin_only = role(SUPER_ADMIN)
manager_or_admin = role(SUPER_ADMIN, MANAGER)


RateLimitCheck = Callable[[], Awaitable[bool]]


def rate_limited(bucket: str) -> Guard:
    """Refuse with 429 when the client exceeds the limiter registered under `bucket` in `app.state.limiters`."""

    @_refuses(429)
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        enabled: RateLimitCheck | None = getattr(connection.app.state, "rate_limiting_enabled", None)
        if enabled is not None and not await enabled():
            return
        limiter: SlidingWindowLimiter = connection.app.state.limiters[bucket]
        client = connection.client.host if connection.client else "unknown"
        wait = limiter.hit(f"{bucket}:{client}")
        if wait:
            raise RateLimited("Too many attempts, please try again later.", retry_after=wait)

    guard.__qualname__ = f"rate_limited({bucket})"
    return guard
